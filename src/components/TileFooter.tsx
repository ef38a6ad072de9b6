import { Text, View } from '@tarojs/components'
import type { QualityLevel } from '../core/netstatus'
import type { Role } from '../core/presets'
import type { VolumeBucket } from '../core/speaking'
import type { Strings } from '../i18n'

export interface TileFooterProps {
  readonly nickname: string
  readonly role: Role
  readonly micOn: boolean
  readonly cameraOn: boolean
  readonly quality: QualityLevel
  readonly t: Strings
  /** The participant's hand is up: a ✋ after the name. */
  readonly handRaised?: boolean
  /** The volume bar's bucket (0 silent … 4 loud) and whether this person is speaking. */
  readonly volume?: VolumeBucket
  readonly speaking?: boolean
}

const QUALITY_LABEL = {
  good: 'qualityGood',
  fair: 'qualityFair',
  poor: 'qualityPoor',
  bad: 'qualityBad',
  unknown: 'qualityUnknown',
} as const satisfies { [Q in QualityLevel]: keyof Strings }

/** Name, role badge, mic/camera state and the network dot, shared by local and remote tiles. */
export function TileFooter({ nickname, role, micOn, cameraOn, quality, t, handRaised = false, volume = 0, speaking = false }: TileFooterProps) {
  return (
    <View className='tile__footer'>
      <View className={`tile__quality tile__quality--${quality}`} aria-label={t[QUALITY_LABEL[quality]]} />
      <Text className='tile__name'>{nickname}</Text>
      {role === 'host' && <Text className='tile__badge'>{t.host}</Text>}
      {handRaised && <Text className='tile__hand' aria-label={t.handRaised}>✋</Text>}
      {/* The volume bar is the mic icon's modifier class (drawn by ::after in index.scss): a level
          change is one class change, and a new tile carries no extra node (bench/ui join budget). */}
      <Text className={`tile__mic${micOn ? '' : ' tile__mic--off'} tile__volume--${volume}`} aria-label={speaking ? t.speakingNow : undefined}>
        {micOn ? '🎙' : '🔇'}
      </Text>
      {!cameraOn && <Text className='tile__camera tile__camera--off'>📷✕</Text>}
    </View>
  )
}
