import { Text, View } from '@tarojs/components'
import { ChatPanel } from '../../../components/ChatPanel'
import { ControlBar } from '../../../components/ControlBar'
import { LocalTile } from '../../../components/LocalTile'
import { ParticipantList } from '../../../components/ParticipantList'
import { RoomHeader } from '../../../components/RoomHeader'
import { StatsPanel } from '../../../components/StatsPanel'
import { VideoGrid } from '../../../components/VideoGrid'
import { useRoomPage } from '../../../hooks/useRoomPage'
import './index.scss'

export default function RoomPage() {
  const room = useRoomPage()
  return (
    <View className='room'>
      {room.banner !== null && (
        <View className='room__banner'>
          <Text>{room.banner}</Text>
        </View>
      )}
      <VideoGrid />
      <RoomHeader />
      <LocalTile />
      {room.panelOpen && <ParticipantList onClose={room.togglePanel} />}
      {room.debugOpen && <StatsPanel />}
      <ChatPanel />
      <ControlBar onLeave={room.leave} onToggleParticipants={room.togglePanel} />
    </View>
  )
}
