import { Text, View } from '@tarojs/components'
import { useControlBar } from '../hooks/useControlBar'

export interface ControlBarProps {
  onLeave(): void
  onToggleParticipants(): void
}

/** Mic, camera, switch camera, people, raise hand, chat (with its unread badge), leave. */
export function ControlBar({ onLeave, onToggleParticipants }: ControlBarProps) {
  const c = useControlBar(onLeave)
  return (
    <View className='control-bar'>
      <View className={`control-bar__button${c.micOn ? '' : ' control-bar__button--off'}`} onClick={c.onToggleMic}>
        <Text>{c.micOn ? c.t.micOn : c.t.micOff}</Text>
      </View>
      <View className={`control-bar__button${c.cameraOn ? '' : ' control-bar__button--off'}`} onClick={c.onToggleCamera}>
        <Text>{c.cameraOn ? c.t.cameraOn : c.t.cameraOff}</Text>
      </View>
      <View className='control-bar__button' onClick={c.onSwitchCamera}>
        <Text>{c.t.switchCamera}</Text>
      </View>
      <View className='control-bar__button control-bar__button--people' onClick={onToggleParticipants}>
        <Text>{`${c.t.participants} ${c.count}`}</Text>
      </View>
      {/* Icons with their words as labels: the bar has to fit seven buttons on a phone. */}
      <View
        className={`control-bar__button control-bar__button--hand${c.handRaised ? ' control-bar__button--active' : ''}`}
        aria-label={c.handRaised ? c.t.lowerHand : c.t.raiseHand}
        onClick={c.onToggleHand}
      >
        <Text>✋</Text>
      </View>
      <View className='control-bar__button control-bar__button--chat' aria-label={c.t.chat} onClick={c.onToggleChat}>
        <Text>💬</Text>
        {c.unreadBadge !== null && <Text className='control-bar__badge'>{c.unreadBadge}</Text>}
      </View>
      <View className='control-bar__button control-bar__button--leave' onClick={c.onLeaveTap}>
        <Text>{c.t.leave}</Text>
      </View>
      <View className='control-bar__debug' onClick={c.onToggleDebug} aria-label={c.t.statsOpen}>
        <Text>ⓘ</Text>
      </View>
    </View>
  )
}
