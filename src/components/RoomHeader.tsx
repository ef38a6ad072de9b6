import { Button, Text, View } from '@tarojs/components'
import { memo } from 'react'
import { useMeetingClock, useRoomHeader } from '../hooks/useRoomHeader'

/** The elapsed time, alone in its component: its tick re-renders this text only. */
const MeetingClock = memo(function MeetingClock() {
  return <Text className='room-header__clock'>{useMeetingClock()}</Text>
})

/**
 * Meeting info over the video: the id (tap → copy the id or the link), who
 * hosts, the clock, the invite and (on a phone) speaker or earpiece.
 * Memoised and prop-less: the page re-rendering does not re-render it.
 */
export const RoomHeader = memo(function RoomHeader() {
  const h = useRoomHeader()
  const { t } = h
  return (
    <View className='room-header'>
      <View className='room-header__info'>
        <View className='room-header__line'>
          <Text className='room-header__meeting-id' onClick={h.onMeetingIdTap}>
            {t.meetingIdLabel(h.meetingIdText)}
          </Text>
          <MeetingClock />
        </View>
        <Text className='room-header__host'>{h.hostText}</Text>
      </View>
      {h.showAudioRoute && (
        <View className={`room-header__action room-header__action--route room-header__action--${h.route}`} onClick={h.onAudioRouteTap}>
          <Text>{h.routeText}</Text>
        </View>
      )}
      {h.shareButton ? (
        <Button className='room-header__action room-header__action--invite' openType='share'>
          {t.invite}
        </Button>
      ) : (
        <View className='room-header__action room-header__action--invite' onClick={h.onInviteTap}>
          <Text>{t.invite}</Text>
        </View>
      )}
    </View>
  )
})
