import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useMemo } from 'react'
import { ControlBar } from '../../components/ControlBar'
import { DebugPanel } from '../../components/DebugPanel'
import { LocalTile } from '../../components/LocalTile'
import { VideoGrid } from '../../components/VideoGrid'
import { useRoomPage, type RoomSource } from '../../hooks/useRoomPage'
import './index.scss'

/** The development fixture exists only in builds made with TARO_APP_DEV_FIXTURE=1. */
function useDevFixture(): RoomSource | null {
  const { params } = useRouter()
  const demo = params.demo
  return useMemo(() => {
    if (process.env.TARO_APP_DEV_FIXTURE === '1') {
      // A require inside the condition, so the production bundle drops the module.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { fixtureRoom } = require('../../dev/fixture-room') as typeof import('../../dev/fixture-room')
      return fixtureRoom(demo === undefined ? 4 : Number(demo))
    }
    return null
  }, [demo])
}

export default function RoomPage() {
  const source = useDevFixture()
  const { t, leave, debugOpen } = useRoomPage(source)
  return (
    <View className='room'>
      {source !== null && (
        <View className='room__dev-banner'>
          <Text>{t.devFixtureBanner}</Text>
        </View>
      )}
      <VideoGrid />
      <LocalTile />
      {debugOpen && <DebugPanel />}
      <ControlBar onLeave={leave} />
    </View>
  )
}
