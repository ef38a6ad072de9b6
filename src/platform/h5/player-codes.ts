/**
 * The H5 player's state codes, as a pure state machine: what happened to the
 * WS-FLV playback in, `<live-player>` codes (state-codes.ts) and what to do
 * next out. The imperative side (flv-player.h5.ts) only observes and obeys.
 */
import { HEALTHY_AFTER_MS, MAX_RECONNECTS, reconnectDelayMs, type MachineStep, type RetryAction } from './retry'

export const PLAY_EVT_CONNECT_SUCC = 2001
export const PLAY_EVT_PLAY_BEGIN = 2004
export const PLAY_EVT_PLAY_LOADING = 2007
export const PLAY_WARNING_RECONNECT = 2103
export const PLAY_ERR_NET_DISCONNECT = -2301

/** Playback has not advanced for this long: loading (2007). */
export const STALL_MS = 1000
/** …for this long: the connection is presumed dead and is reopened. */
export const STALL_RECONNECT_MS = 6000

export type PlayerPhase = 'connecting' | 'connected' | 'playing' | 'stalled' | 'waiting-retry' | 'gave-up' | 'stopped'

export interface PlayerMachine {
  readonly phase: PlayerPhase
  /** Reconnects since playback was last healthy. */
  readonly attempt: number
  /** When playback began (or resumed after a stall), for forgiving old failures. */
  readonly playingSinceMs: number | null
}

export type PlayerEvent =
  /** The WS-FLV socket opened. */
  | { readonly kind: 'opened'; readonly atMs: number }
  /** A frame was presented, or the playhead advanced. */
  | { readonly kind: 'progress'; readonly atMs: number }
  /** The playhead has not moved for `forMs` while it should. */
  | { readonly kind: 'no-progress'; readonly forMs: number; readonly atMs: number }
  /** The socket closed, mpegts.js reported an error, or the stream ended. */
  | { readonly kind: 'failed'; readonly atMs: number }
  /** The view is going away. */
  | { readonly kind: 'stop' }

export type PlayerAction = RetryAction
export type PlayerStep = MachineStep<PlayerMachine>

export const initialPlayerMachine: PlayerMachine = { phase: 'connecting', attempt: 0, playingSinceMs: null }

const live = (phase: PlayerPhase): boolean => phase === 'connecting' || phase === 'connected' || phase === 'playing' || phase === 'stalled'

/**
 * One step. Codes follow the native player: 2001 once per connection, 2004 at
 * the first frame and again when a stall (2007) ends, 2103 per reconnect,
 * -2301 when the reconnects are used up (then nothing more).
 */
export function playerStep(machine: PlayerMachine, event: PlayerEvent, random = 0.5): PlayerStep {
  const same = (codes: readonly number[] = []): PlayerStep => ({ machine, codes, action: null })
  if (event.kind === 'stop') return { machine: { ...machine, phase: 'stopped' }, codes: [], action: null }
  if (!live(machine.phase)) return same()
  switch (event.kind) {
    case 'opened':
      return machine.phase === 'connecting'
        ? { machine: { ...machine, phase: 'connected' }, codes: [PLAY_EVT_CONNECT_SUCC], action: null }
        : same()
    case 'progress': {
      const forgiven =
        machine.playingSinceMs !== null && machine.phase === 'playing' && event.atMs - machine.playingSinceMs >= HEALTHY_AFTER_MS
      if (machine.phase === 'playing') return forgiven && machine.attempt > 0 ? { machine: { ...machine, attempt: 0 }, codes: [], action: null } : same()
      // A frame can arrive before the socket's open was seen by us (it never does in
      // practice, but the order of two event sources is not guaranteed): say both.
      const codes = machine.phase === 'connecting' ? [PLAY_EVT_CONNECT_SUCC, PLAY_EVT_PLAY_BEGIN] : [PLAY_EVT_PLAY_BEGIN]
      return { machine: { ...machine, phase: 'playing', playingSinceMs: event.atMs }, codes, action: null }
    }
    case 'no-progress':
      if (machine.phase !== 'playing' && machine.phase !== 'stalled') return same()
      if (event.forMs >= STALL_RECONNECT_MS) return fail(machine, random)
      if (event.forMs >= STALL_MS && machine.phase === 'playing') {
        return { machine: { ...machine, phase: 'stalled', playingSinceMs: null }, codes: [PLAY_EVT_PLAY_LOADING], action: null }
      }
      return same()
    case 'failed':
      return fail(machine, random)
  }
}

function fail(machine: PlayerMachine, random: number): PlayerStep {
  if (machine.attempt >= MAX_RECONNECTS) {
    return { machine: { ...machine, phase: 'gave-up', playingSinceMs: null }, codes: [PLAY_ERR_NET_DISCONNECT], action: { kind: 'teardown' } }
  }
  const attempt = machine.attempt + 1
  return {
    machine: { phase: 'waiting-retry', attempt, playingSinceMs: null },
    codes: [PLAY_WARNING_RECONNECT],
    action: { kind: 'reconnect', delayMs: reconnectDelayMs(attempt, random) },
  }
}

/** The reconnect timer fired: connecting again. */
export function playerRetrying(machine: PlayerMachine): PlayerMachine {
  return machine.phase === 'waiting-retry' ? { ...machine, phase: 'connecting' } : machine
}
