import { useCallback } from 'react'
import { fullScreenDirection, type NetStatus } from '../core/netstatus'
import { playStream } from '../core/media-session'
import { currentMedia } from '../services/session'
import { enterFullScreen } from '../platform/fullscreen'
import { playerElementId } from '../platform/live-media-props'
import {
  meetingStore,
  selectFocusId,
  selectMountedIds,
  selectParticipant,
  selectPlayUrl,
  selectRemoteQuality,
  selectVoice,
  useMeeting,
  type MediaState,
} from '../store'
import { useTaps } from './useTaps'
import type { Strings } from '../i18n'
import { useStrings } from './useStrings'

/** The status line a tile shows for its media state; none while live. */
export function statusText(media: MediaState, cameraOn: boolean, t: Strings): string | null {
  switch (media) {
    case 'idle':
    case 'connecting':
      return t.statusConnecting
    case 'loading':
    case 'reconnecting':
      return t.statusReconnecting
    case 'failed':
      return t.statusFailed
    case 'paused':
      return t.statusPaused
    case 'blocked':
      return t.statusBlocked
    case 'live':
      return cameraOn ? null : t.statusCameraOff
  }
}

/**
 * A remote tile's prop bag. It selects its own participant and quality only,
 * so another participant's netstatus does not re-render this tile.
 */
export function useRemoteTile(id: string) {
  const participant = useMeeting(selectParticipant(id))
  const quality = useMeeting(selectRemoteQuality(id))
  // TRTC room only: what this participant publishes (undefined otherwise, so other providers never re-render on it).
  const remote = useMeeting((s) => s.media.remoteStreams[id])
  const src = useMeeting(selectPlayUrl(id))
  // After a memory warning only the first players keep a decoder.
  const mounted = useMeeting((s) => selectMountedIds(s).includes(id))
  // This tile's volume bucket and speaking flag only: another tile's voice does not re-render it.
  const voice = useMeeting(selectVoice(id))
  const t = useStrings()
  // The player's events go to the media session, which owns its lifecycle.
  const onStateChange = useCallback((code: number) => currentMedia()?.playerCode(id, code), [id])
  const onNetStatus = useCallback((status: NetStatus) => currentMedia()?.playerNetStatus(id, status), [id])
  const onRetry = useCallback(() => currentMedia()?.retry(playStream(id)), [id])
  const focused = useMeeting((s) => selectFocusId(s) === id)
  // Tap: into the focus layout, or (the large tile) back to the grid. A failed
  // tile's tap is its retry (TileStatus), not a layout change.
  const onSingleTap = useCallback(() => {
    const s = meetingStore.getState()
    if (s.participants.byId[id]?.media === 'failed') return
    s.tileFocused(selectFocusId(s) === id ? null : id)
  }, [id])
  // Double tap: the player's native full screen, turned to the stream's aspect.
  const onDoubleTap = useCallback(() => {
    const s = meetingStore.getState()
    if (!selectMountedIds(s).includes(id)) return
    enterFullScreen(id, fullScreenDirection(s.network.byId[id]?.status))
  }, [id])
  const onTap = useTaps(onSingleTap, onDoubleTap)
  const onFullScreenChange = useCallback((fullScreen: boolean) => {
    const s = meetingStore.getState()
    if (fullScreen) s.fullScreenChanged(id)
    else if (s.focus.fullScreenId === id) s.fullScreenChanged(null)
  }, [id])
  const onAudioVolume = useCallback((volume: number) => currentMedia()?.playerVolume(id, volume), [id])
  if (participant === undefined) return null
  // Publishing nothing (camera and mic off) is not leaving: the tile stays and says so.
  const publishesNothing = remote !== undefined && !remote.hasVideo && !remote.hasAudio && participant.media === 'idle'
  const status = !mounted
    ? t.statusUnmounted
    : participant.away === true && participant.media !== 'failed'
      ? t.statusAway
      : publishesNothing
        ? t.statusNoStream
        : statusText(participant.media, participant.cameraOn, t)
  return {
    participant,
    src,
    quality,
    t,
    mounted,
    status,
    failed: participant.media === 'failed',
    focused,
    playerId: playerElementId(id),
    onTap,
    onFullScreenChange,
    onStateChange,
    onNetStatus,
    onRetry,
    voice,
    onAudioVolume,
  }
}
