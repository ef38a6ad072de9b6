/**
 * 1101 (PUSH_WARNING_NET_BUSY) for the H5 pusher: the queue between the
 * recorder and the relay (bytes produced minus bytes the relay reported, or
 * the socket's `bufferedAmount` before it reports) keeps growing, i.e. the
 * uplink carries less than the recorder produces. Pure.
 */

/** Growth on this many consecutive samples (~1 s apart)… */
export const BUSY_GROWING_SAMPLES = 3
/** …to more than this much media queued (ms at the recorder's rate). */
export const BUSY_QUEUE_MS = 500
/** Not more often than this (the SDK repeats 1101 every few seconds while congested). */
export const BUSY_REPEAT_MS = 5000
/** A queue of this much media (ms) is hopeless: reconnect and drop it, as a phone's SDK drops frames. */
export const HOPELESS_QUEUE_MS = 8000

export interface NetBusyState {
  readonly lastBuffered: number
  readonly growing: number
  readonly lastWarnedAtMs: number | null
}

export const initialNetBusy: NetBusyState = { lastBuffered: 0, growing: 0, lastWarnedAtMs: null }

export interface NetBusyVerdict {
  readonly state: NetBusyState
  /** Emit 1101 now. */
  readonly busy: boolean
  /** The backlog is beyond saving. */
  readonly hopeless: boolean
}

/** One sample of the queue (bytes); `bytesPerSecond` is what the recorder produces. */
export function netBusyStep(state: NetBusyState, bufferedBytes: number, bytesPerSecond: number, atMs: number): NetBusyVerdict {
  const growing = bufferedBytes > state.lastBuffered ? state.growing + 1 : 0
  const queuedMs = bytesPerSecond > 0 ? (bufferedBytes / bytesPerSecond) * 1000 : 0
  const due = state.lastWarnedAtMs === null || atMs - state.lastWarnedAtMs >= BUSY_REPEAT_MS
  const busy = growing >= BUSY_GROWING_SAMPLES && queuedMs > BUSY_QUEUE_MS && due
  return {
    state: { lastBuffered: bufferedBytes, growing, lastWarnedAtMs: busy ? atMs : state.lastWarnedAtMs },
    busy,
    hopeless: queuedMs > HOPELESS_QUEUE_MS,
  }
}
