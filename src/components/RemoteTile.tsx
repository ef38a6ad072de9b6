import { View } from '@tarojs/components'
import { PlayerView } from '../platform/live-media'
import { useRemoteTile } from '../hooks/useRemoteTile'
import { TileFooter } from './TileFooter'
import { TileStatus } from './TileStatus'

export interface RemoteTileProps {
  readonly id: string
  readonly width: number
  readonly height: number
}

/** One remote participant: its live-player and what the user needs to know about it. */
export function RemoteTile({ id, width, height }: RemoteTileProps) {
  const tile = useRemoteTile(id)
  if (tile === null) return null
  const { participant: p, t } = tile
  return (
    <View
      className={`tile tile--${p.media}${p.cameraOn ? '' : ' tile--camera-off'}`}
      style={{ width: `${width}px`, height: `${height}px` }}
      data-participant={id}
    >
      {/* Remounted (new key) when the media session restarts play; kept mounted
          with the camera off so the participant is still heard; unmounted after
          a memory warning beyond the first players. */}
      {tile.mounted && (
        <PlayerView
          key={p.playGeneration}
          className='tile__video'
          src={p.playUrl}
          onStateChange={tile.onStateChange}
          onNetStatus={tile.onNetStatus}
        />
      )}
      <TileStatus text={tile.status} onRetry={tile.failed ? tile.onRetry : undefined} />
      <TileFooter nickname={p.nickname} role={p.role} micOn={p.micOn} cameraOn={p.cameraOn} quality={tile.quality} t={t} />
    </View>
  )
}
