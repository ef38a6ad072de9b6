import { useCallback } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { NetStatus } from '../core/netstatus'
import type { TrtcRoomEvent } from '../core/trtc'
import { PRESETS } from '../core/presets'
import { PUSH_STREAM } from '../core/media-session'
import { currentMedia } from '../services/session'
import { WAITING_IMAGE, WAITING_IMAGE_MD5 } from '../platform/waiting-image'
import { selectSelfQuality, selectSelfVoice, useMeeting } from '../store'
import { statusText } from './useRemoteTile'
import { useStrings } from './useStrings'

/** The local pusher's prop bag: its attributes come from the store (the controller sets the bitrates). */
export function useLocalTile() {
  const p = useMeeting(
    useShallow((s) => ({
      pushUrl: s.publisher.pushUrl,
      nickname: s.publisher.nickname,
      role: s.publisher.role,
      minBitrateKbps: s.publisher.minBitrateKbps,
      maxBitrateKbps: s.publisher.maxBitrateKbps,
      audioQuality: PRESETS[s.publisher.presetId].audioQuality,
      micOn: s.publisher.micOn,
      cameraOn: s.publisher.cameraOn,
      mutedByHost: s.publisher.mutedByHost,
      devicePosition: s.publisher.devicePosition,
      media: s.publisher.media,
      pushGeneration: s.publisher.pushGeneration,
    })),
  )
  const quality = useMeeting(selectSelfQuality)
  const voice = useMeeting(selectSelfVoice)
  const t = useStrings()
  // The pusher's events go to the media session, which owns its lifecycle (and feeds the bitrate controller).
  const onStateChange = useCallback((code: number) => currentMedia()?.pusherCode(code), [])
  const onNetStatus = useCallback((status: NetStatus) => currentMedia()?.pusherNetStatus(status), [])
  const onError = useCallback((errCode: number) => currentMedia()?.pusherError(errCode), [])
  const onRoomEvent = useCallback((event: TrtcRoomEvent) => currentMedia()?.roomEvent(event), [])
  const onRetry = useCallback(() => currentMedia()?.retry(PUSH_STREAM), [])
  const onAudioVolume = useCallback((volume: number) => currentMedia()?.pusherVolume(volume), [])
  return {
    ...p,
    quality,
    t,
    waitingImage: WAITING_IMAGE,
    waitingImageHash: WAITING_IMAGE_MD5,
    status: p.pushUrl === '' ? null : statusText(p.media, p.cameraOn, t),
    // A refused permission is retried the same way: the tap asks again.
    failed: p.media === 'failed' || p.media === 'blocked',
    onStateChange,
    onNetStatus,
    onError,
    onRoomEvent,
    onRetry,
    voice,
    onAudioVolume,
  }
}
