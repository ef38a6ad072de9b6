import { View } from '@tarojs/components'
import { PusherView } from '../platform/live-media'
import { useLocalTile } from '../hooks/useLocalTile'
import { TileFooter } from './TileFooter'
import { TileStatus } from './TileStatus'

/** The user's own camera: the one live-pusher of the page, floating over the grid. */
export function LocalTile() {
  const tile = useLocalTile()
  const { t } = tile
  return (
    <View className={`tile tile--local tile--${tile.media}${tile.cameraOn ? '' : ' tile--camera-off'}`}>
      <PusherView
        key={tile.pushGeneration}
        className='tile__video'
        url={tile.pushUrl}
        minBitrateKbps={tile.minBitrateKbps}
        maxBitrateKbps={tile.maxBitrateKbps}
        audioQuality={tile.audioQuality}
        enableMic={tile.micOn}
        enableCamera={tile.cameraOn}
        devicePosition={tile.devicePosition}
        waitingImage={tile.waitingImage}
        waitingImageHash={tile.waitingImageHash}
        onStateChange={tile.onStateChange}
        onNetStatus={tile.onNetStatus}
        onError={tile.onError}
      />
      <TileStatus text={tile.status} onRetry={tile.failed ? tile.onRetry : undefined} />
      <TileFooter
        nickname={`${tile.nickname} (${t.you})`}
        role={tile.role}
        micOn={tile.micOn}
        cameraOn={tile.cameraOn}
        quality={tile.quality}
        t={t}
      />
    </View>
  )
}
