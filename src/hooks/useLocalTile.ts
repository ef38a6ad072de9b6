import { useCallback } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { NetStatus } from '../core/netstatus'
import { PRESETS } from '../core/presets'
import { meetingStore, selectSelfQuality, useMeeting } from '../store'
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
  const t = useStrings()
  const onStateChange = useCallback((code: number) => meetingStore.getState().pusherStateChanged(code), [])
  const onNetStatus = useCallback((status: NetStatus) => meetingStore.getState().pusherNetStatus(status), [])
  const onError = useCallback((errCode: number, errMsg: string) => meetingStore.getState().pusherErrored(errCode, errMsg), [])
  const onRetry = useCallback(() => meetingStore.getState().pushRetried(), [])
  return {
    ...p,
    quality,
    t,
    status: p.pushUrl === '' ? null : statusText(p.media, p.cameraOn, t),
    failed: p.media === 'failed',
    onStateChange,
    onNetStatus,
    onError,
    onRetry,
  }
}
