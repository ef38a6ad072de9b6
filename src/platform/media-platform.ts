/**
 * The media session's platform (services/media-session.ts MediaPlatform) on
 * Taro: app show/hide, network changes, audio interruptions (a phone call),
 * memory warnings, the pusher's context, the permission modal. APIs a
 * platform lacks (the browser has no onAudioInterruption*, no
 * onMemoryWarning) are simply not watched.
 */
import Taro from '@tarojs/taro'
import type { MediaPlatform, PlatformEvent } from '../services/media-session'
import { askForPermission } from './permissions'
import { keepScreenOn } from './system'

type Api = Record<string, unknown>
/** Taro's typings differ per API and per version; every one of these takes a callback. */
type Watch = (cb: (res: unknown) => void) => void

/** Register `cb` with `on<Name>` if the platform has it; returns the unregister function. */
function listen(name: string, cb: (res: unknown) => void): () => void {
  const api = Taro as unknown as Api
  const on = api[`on${name}`]
  const off = api[`off${name}`]
  if (typeof on !== 'function') return () => undefined
  try {
    ;(on as Watch)(cb)
  } catch {
    return () => undefined
  }
  return () => {
    try {
      if (typeof off === 'function') (off as Watch)(cb)
    } catch {
      // Nothing to stop where it was never reported.
    }
  }
}

/** The `<live-pusher id="local-pusher">` context; the browser's pusher stops when its URL is cleared (unmount). */
function pusherCall(method: 'pause' | 'resume' | 'stop'): void {
  if (process.env.TARO_ENV === 'h5') return
  try {
    const ctx = Taro.createLivePusherContext() as unknown as Record<string, unknown>
    const fn = ctx[method]
    if (typeof fn === 'function') (fn as (o: object) => void).call(ctx, { fail: () => undefined })
  } catch {
    // No pusher on the page (already gone): nothing to pause or stop.
  }
}

export const taroMediaPlatform: MediaPlatform = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  watch(sink: (e: PlatformEvent) => void) {
    const stops = [
      listen('AppShow', () => sink({ type: 'app', visible: true })),
      listen('AppHide', () => sink({ type: 'app', visible: false })),
      listen('NetworkStatusChange', (res) => {
        const r = (res ?? {}) as { isConnected?: boolean; networkType?: string }
        sink({ type: 'network', online: r.isConnected !== false && r.networkType !== 'none', networkType: String(r.networkType ?? 'unknown') })
      }),
      listen('AudioInterruptionBegin', () => sink({ type: 'audio-interruption', active: true })),
      listen('AudioInterruptionEnd', () => sink({ type: 'audio-interruption', active: false })),
      listen('MemoryWarning', () => sink({ type: 'memory-warning' })),
    ]
    return () => stops.forEach((stop) => stop())
  },
  async currentNetwork() {
    const { networkType } = await Taro.getNetworkType()
    return { online: networkType !== 'none', networkType }
  },
  keepScreenOn,
  pausePush: () => pusherCall('pause'),
  resumePush: () => pusherCall('resume'),
  stopPush: () => pusherCall('stop'),
  askForPermission,
}
