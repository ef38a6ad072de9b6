import { useCallback } from 'react'
import type { NetStatus } from '../core/netstatus'
import { meetingStore, selectParticipant, selectRemoteQuality, useMeeting, type MediaState } from '../store'
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
  const t = useStrings()
  const onStateChange = useCallback((code: number) => meetingStore.getState().playerStateChanged(id, code), [id])
  const onNetStatus = useCallback((status: NetStatus) => meetingStore.getState().playerNetStatus(id, status), [id])
  const onRetry = useCallback(() => meetingStore.getState().playerRetried(id), [id])
  if (participant === undefined) return null
  return {
    participant,
    quality,
    t,
    status: statusText(participant.media, participant.cameraOn, t),
    failed: participant.media === 'failed',
    onStateChange,
    onNetStatus,
    onRetry,
  }
}
