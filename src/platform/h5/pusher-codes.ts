/**
 * The H5 pusher's state codes, as a pure state machine: camera, ingest socket
 * and relay events in, `<live-pusher>` codes (state-codes.ts) and what to do
 * next out. The imperative side (webm-publisher.h5.ts) only observes and obeys.
 */
import { HEALTHY_AFTER_MS, MAX_RECONNECTS, reconnectDelayMs, type MachineStep, type RetryAction } from './retry'

export const PUSH_EVT_CONNECT_SUCC = 1001
export const PUSH_EVT_PUSH_BEGIN = 1002
export const PUSH_EVT_OPEN_CAMERA_SUCC = 1003
export const PUSH_WARNING_NET_BUSY = 1101
export const PUSH_WARNING_RECONNECT = 1102
export const PUSH_ERR_OPEN_CAMERA_FAIL = -1301
export const PUSH_ERR_OPEN_MIC_FAIL = -1302
export const PUSH_ERR_VIDEO_ENCODE_FAIL = -1303
export const PUSH_ERR_NET_DISCONNECT = -1307

export type PusherPhase = 'capturing' | 'connecting' | 'connected' | 'publishing' | 'waiting-retry' | 'gave-up' | 'stopped'

export interface PusherMachine {
  readonly phase: PusherPhase
  /** Reconnects since publishing was last healthy. */
  readonly attempt: number
  readonly publishingSinceMs: number | null
}

export type PusherEvent =
  | { readonly kind: 'camera-opened' }
  /** getUserMedia failed for this device (see {@link refusedDevice}). */
  | { readonly kind: 'device-failed'; readonly device: 'camera' | 'microphone' }
  /** No MediaRecorder format the relay can take (or MediaRecorder failed). */
  | { readonly kind: 'encoder-failed' }
  /** The ingest socket is opening (first time, after a retry, or a deliberate restart). */
  | { readonly kind: 'connecting' }
  | { readonly kind: 'opened' }
  /** The relay reported the RTMP publish accepted. */
  | { readonly kind: 'publishing'; readonly atMs: number }
  /** The socket's queue keeps growing (see net-busy.ts). */
  | { readonly kind: 'net-busy' }
  /** The socket closed without us asking; `retryable` from the close code (ingestCloseIsRetryable). */
  | { readonly kind: 'closed'; readonly retryable: boolean }
  | { readonly kind: 'tick'; readonly atMs: number }
  | { readonly kind: 'stop' }

export type PusherAction = RetryAction
export type PusherStep = MachineStep<PusherMachine>

export const initialPusherMachine: PusherMachine = { phase: 'capturing', attempt: 0, publishingSinceMs: null }

const finished = (phase: PusherPhase): boolean => phase === 'gave-up' || phase === 'stopped'

export function pusherStep(machine: PusherMachine, event: PusherEvent, random = 0.5): PusherStep {
  const same = (codes: readonly number[] = []): PusherStep => ({ machine, codes, action: null })
  const giveUp = (code: number): PusherStep => ({
    machine: { ...machine, phase: 'gave-up', publishingSinceMs: null },
    codes: [code],
    action: { kind: 'teardown' },
  })
  if (event.kind === 'stop') return { machine: { ...machine, phase: 'stopped' }, codes: [], action: null }
  if (finished(machine.phase)) return same()
  switch (event.kind) {
    case 'camera-opened':
      return same([PUSH_EVT_OPEN_CAMERA_SUCC])
    case 'device-failed':
      return giveUp(event.device === 'camera' ? PUSH_ERR_OPEN_CAMERA_FAIL : PUSH_ERR_OPEN_MIC_FAIL)
    case 'encoder-failed':
      return giveUp(PUSH_ERR_VIDEO_ENCODE_FAIL)
    case 'connecting':
      return { machine: { ...machine, phase: 'connecting', publishingSinceMs: null }, codes: [], action: null }
    case 'opened':
      return machine.phase === 'connecting' ? { machine: { ...machine, phase: 'connected' }, codes: [PUSH_EVT_CONNECT_SUCC], action: null } : same()
    case 'publishing':
      return machine.phase === 'connected' || machine.phase === 'connecting'
        ? { machine: { ...machine, phase: 'publishing', publishingSinceMs: event.atMs }, codes: [PUSH_EVT_PUSH_BEGIN], action: null }
        : same()
    case 'net-busy':
      return machine.phase === 'publishing' ? same([PUSH_WARNING_NET_BUSY]) : same()
    case 'tick':
      return machine.phase === 'publishing' &&
        machine.attempt > 0 &&
        machine.publishingSinceMs !== null &&
        event.atMs - machine.publishingSinceMs >= HEALTHY_AFTER_MS
        ? { machine: { ...machine, attempt: 0 }, codes: [], action: null }
        : same()
    case 'closed': {
      if (machine.phase === 'waiting-retry') return same()
      if (!event.retryable || machine.attempt >= MAX_RECONNECTS) return giveUp(PUSH_ERR_NET_DISCONNECT)
      const attempt = machine.attempt + 1
      return {
        machine: { phase: 'waiting-retry', attempt, publishingSinceMs: null },
        codes: [PUSH_WARNING_RECONNECT],
        action: { kind: 'reconnect', delayMs: reconnectDelayMs(attempt, random) },
      }
    }
  }
}

/**
 * Whether a getUserMedia error is a device problem, which the native pusher
 * reports as -1301/-1302: refusal (NotAllowedError, SecurityError), absence
 * (NotFoundError, OverconstrainedError) or a device held by another app
 * (NotReadableError, AbortError) — the same codes as on a phone.
 */
export function isDeviceError(name: string): boolean {
  return ['NotAllowedError', 'SecurityError', 'PermissionDeniedError', 'NotFoundError', 'DevicesNotFoundError', 'OverconstrainedError', 'NotReadableError', 'TrackStartError', 'AbortError'].includes(name)
}
