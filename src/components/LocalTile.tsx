import { View } from '@tarojs/components'
import { memo } from 'react'
import { PusherView } from '../platform/live-media'
import { useLocalTile } from '../hooks/useLocalTile'
import { useMeeting } from '../store'
import { TileFooter } from './TileFooter'
import { TileStatus } from './TileStatus'

/**
 * The user's own camera: the one live-pusher of the page, floating over the
 * grid. Memoised (it takes no props): the page re-rendering does not
 * re-render it; its own store fields do.
 */
export const LocalTile = memo(function LocalTile() {
  const tile = useLocalTile()
  const handRaised = useMeeting((s) => s.chat.selfHandRaisedAt !== null)
  const { t } = tile
  return (
    <View
      className={`tile tile--local tile--${tile.media}${tile.cameraOn ? '' : ' tile--camera-off'}${tile.status === null ? ' tile--no-status' : ''}${tile.voice.speaking ? ' tile--speaking' : ''}`}
    >
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
        onRoomEvent={tile.onRoomEvent}
        onAudioVolume={tile.onAudioVolume}
      />
      <TileStatus text={tile.status} retryable={tile.failed} onRetry={tile.onRetry} />
      <TileFooter
        nickname={`${tile.nickname} (${t.you})`}
        role={tile.role}
        micOn={tile.micOn}
        cameraOn={tile.cameraOn}
        quality={tile.quality}
        t={t}
        handRaised={handRaised}
        volume={tile.voice.bucket}
        speaking={tile.voice.speaking}
      />
    </View>
  )
})
