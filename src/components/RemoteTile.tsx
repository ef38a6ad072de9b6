import { View } from '@tarojs/components'
import { memo } from 'react'
import { PlayerView } from '../platform/live-media'
import { useRemoteTile } from '../hooks/useRemoteTile'
import { selectAudioRoute, useMeeting } from '../store'
import { TileFooter } from './TileFooter'
import { TileStatus } from './TileStatus'

export interface RemoteTileProps {
  readonly id: string
  /** The participant left the page: an empty, hidden node keeps its place (see VideoGrid). */
  readonly gone?: boolean
}

/**
 * One remote participant: its live-player and what the user needs to know
 * about it. Memoised: the grid re-rendering (a join, a new layout) does not
 * re-render the tiles; each tile re-renders for its own participant only.
 */
export const RemoteTile = memo(function RemoteTile({ id, gone = false }: RemoteTileProps) {
  const tile = useRemoteTile(id)
  // One store field routes every player's sound (RoomHeader's speaker/earpiece toggle).
  const soundMode = useMeeting(selectAudioRoute)
  // A gone slot keeps data-participant: removing an attribute is one more setData key.
  if (tile === null || gone) return <View className='tile tile--gone' data-participant={id} />
  const { participant: p, t } = tile
  return (
    <View
      className={`tile tile--${p.media}${p.cameraOn ? '' : ' tile--camera-off'}${tile.status === null ? ' tile--no-status' : ''}${tile.focused ? ' tile--focused' : ''}${tile.voice.speaking ? ' tile--speaking' : ''}`}
      data-participant={id}
      onClick={tile.onTap}
    >
      {/* Remounted (new key) when the media session restarts play; kept mounted
          with the camera off so the participant is still heard; unmounted after
          a memory warning beyond the first players. */}
      {tile.mounted && (
        <PlayerView
          key={p.playGeneration}
          id={tile.playerId}
          className='tile__video'
          src={tile.src}
          onStateChange={tile.onStateChange}
          onNetStatus={tile.onNetStatus}
          soundMode={soundMode}
          onAudioVolume={tile.onAudioVolume}
          onFullScreenChange={tile.onFullScreenChange}
        />
      )}
      <TileStatus text={tile.status} retryable={tile.failed} onRetry={tile.onRetry} />
      <TileFooter
        nickname={p.nickname}
        role={p.role}
        micOn={p.micOn}
        cameraOn={p.cameraOn}
        quality={tile.quality}
        t={t}
        handRaised={p.handRaised === true}
        volume={tile.voice.bucket}
        speaking={tile.voice.speaking}
      />
    </View>
  )
})
