import { Text, View } from '@tarojs/components'
import { useParticipantList } from '../hooks/useParticipantList'

export interface ParticipantListProps {
  onClose(): void
}

/** Everyone in the meeting; the host also gets the controls. */
export function ParticipantList({ onClose }: ParticipantListProps) {
  const l = useParticipantList()
  const { t, grants } = l
  return (
    <View className='participant-list'>
      <View className='participant-list__header'>
        <Text className='participant-list__title'>{`${t.participants} (${l.list.length})${l.locked ? ` · ${t.locked}` : ''}`}</Text>
        <View className='participant-list__close' onClick={onClose}>
          <Text>{t.close}</Text>
        </View>
      </View>
      {(grants.canMuteOthers || grants.canLockRoom || grants.canEndMeeting) && (
        <View className='participant-list__room-actions'>
          {grants.canMuteOthers && (
            <View className='participant-list__action participant-list__action--mute-all' onClick={l.muteAll}>
              <Text>{t.muteAll}</Text>
            </View>
          )}
          {grants.canLockRoom && (
            <View className='participant-list__action participant-list__action--lock' onClick={l.toggleLock}>
              <Text>{l.locked ? t.unlockRoom : t.lockRoom}</Text>
            </View>
          )}
          {grants.canEndMeeting && (
            <View className='participant-list__action participant-list__action--end' onClick={l.endMeeting}>
              <Text>{t.endMeeting}</Text>
            </View>
          )}
        </View>
      )}
      {l.list.map((p) => (
        <View key={p.id} className={`participant-list__row${p.isSelf ? ' participant-list__row--self' : ''}`}>
          <Text className='participant-list__name'>{p.isSelf ? `${p.nickname} (${t.you})` : p.nickname}</Text>
          {p.role === 'host' && <Text className='tile__badge'>{t.host}</Text>}
          <Text className={`participant-list__mic${p.micOn ? '' : ' participant-list__mic--off'}`}>{p.micOn ? '🎙' : '🔇'}</Text>
          {!p.isSelf && (
            <View className='participant-list__controls'>
              {grants.canMuteOthers && !p.mutedByHost && (
                <View className='participant-list__action participant-list__action--mute' onClick={() => l.muteMic(p.id)}>
                  <Text>{t.mute}</Text>
                </View>
              )}
              {grants.canMuteOthers && p.mutedByHost && (
                <View className='participant-list__action participant-list__action--unmute' onClick={() => l.allowUnmute(p.id)}>
                  <Text>{t.allowUnmute}</Text>
                </View>
              )}
              {grants.canStopOthersCamera && p.cameraOn && (
                <View className='participant-list__action participant-list__action--camera' onClick={() => l.cameraOff(p.id)}>
                  <Text>{t.stopCamera}</Text>
                </View>
              )}
              {grants.canTransferHost && (
                <View className='participant-list__action participant-list__action--host' onClick={() => l.makeHost(p)}>
                  <Text>{t.makeHost}</Text>
                </View>
              )}
              {grants.canRemoveOthers && (
                <View className='participant-list__action participant-list__action--remove' onClick={() => l.remove(p)}>
                  <Text>{t.remove}</Text>
                </View>
              )}
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
