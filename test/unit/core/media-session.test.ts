/**
 * The media session's state machine, table-driven: every phase × signal,
 * every deadline, the holds (hidden, offline, a call), permissions, memory,
 * leaving. Time is the events' `atMs`; deadlines are driven by `tick`s, as
 * the service's timer does (its own test uses Jest's fake timers).
 */
import {
  CONNECT_TIMEOUT_MS,
  MAX_AUTO_RESTARTS,
  NETWORK_CHANGE_COALESCE_MS,
  PUSH_STREAM,
  RECONNECT_TIMEOUT_MS,
  RESTART_BACKOFF_MS,
  classifyCode,
  initialMediaSession,
  isHeld,
  nextDeadline,
  playStream,
  step,
  type MediaEffect,
  type MediaEvent,
  type MediaSessionState,
  type MediaSignal,
  type StreamPhase,
  type StreamState,
} from '@/core/media-session'
import { run } from './run-media-session'

const A = playStream('a')
const B = playStream('b')

const open = (stream = PUSH_STREAM, atMs = 0): MediaEvent => ({ type: 'stream-opened', stream, kind: stream === PUSH_STREAM ? 'push' : 'play', atMs })
const signal = (stream: string, s: MediaSignal, atMs = 1, code: number | null = null): MediaEvent => ({ type: 'signal', stream, signal: s, code, atMs })
const tick = (atMs: number): MediaEvent => ({ type: 'tick', atMs })
const show = (scope: 'page' | 'app', atMs: number): MediaEvent => ({ type: 'visibility', scope, visible: true, atMs })
const hide = (scope: 'page' | 'app', atMs: number): MediaEvent => ({ type: 'visibility', scope, visible: false, atMs })

/** A session with one stream put into `phase` (by hand: the table below tests every phase). */
function withPhase(phase: StreamPhase, stream = A): MediaSessionState {
  const st: StreamState = {
    kind: stream === PUSH_STREAM ? 'push' : 'play',
    phase,
    generation: 5,
    restarts: 0,
    lastCode: null,
    deadline: phase === 'connecting' || phase === 'reconnecting' || phase === 'loading' ? { atMs: 50_000, then: 'restart' } : null,
    onResume: phase === 'paused' ? 'restart' : 'none',
  }
  return { ...initialMediaSession, streams: { [stream]: st } }
}

const PHASES: readonly StreamPhase[] = ['idle', 'connecting', 'live', 'loading', 'reconnecting', 'paused', 'blocked', 'failed']

/**
 * The state table: for each signal, the phase after it from each phase, and
 * whether the component is remounted (+1 = new generation). Visible, online,
 * no call, no restart used yet.
 */
type Row = readonly [StreamPhase, 0 | 1]
const TABLE: Readonly<Record<MediaSignal, Readonly<Record<StreamPhase, Row>>>> = {
  live: { idle: ['idle', 0], connecting: ['live', 0], live: ['live', 0], loading: ['live', 0], reconnecting: ['live', 0], paused: ['live', 0], blocked: ['blocked', 0], failed: ['live', 0] },
  progress: { idle: ['idle', 0], connecting: ['connecting', 0], live: ['live', 0], loading: ['loading', 0], reconnecting: ['reconnecting', 0], paused: ['paused', 0], blocked: ['blocked', 0], failed: ['failed', 0] },
  buffering: { idle: ['idle', 0], connecting: ['connecting', 0], live: ['loading', 0], loading: ['loading', 0], reconnecting: ['reconnecting', 0], paused: ['paused', 0], blocked: ['blocked', 0], failed: ['failed', 0] },
  retrying: { idle: ['idle', 0], connecting: ['connecting', 0], live: ['reconnecting', 0], loading: ['reconnecting', 0], reconnecting: ['reconnecting', 0], paused: ['paused', 0], blocked: ['blocked', 0], failed: ['failed', 0] },
  stopped: { idle: ['idle', 0], connecting: ['reconnecting', 1], live: ['reconnecting', 1], loading: ['reconnecting', 1], reconnecting: ['reconnecting', 1], paused: ['reconnecting', 1], blocked: ['blocked', 0], failed: ['failed', 0] },
  suspended: { idle: ['idle', 0], connecting: ['paused', 0], live: ['paused', 0], loading: ['paused', 0], reconnecting: ['paused', 0], paused: ['paused', 0], blocked: ['blocked', 0], failed: ['failed', 0] },
  interrupted: { idle: ['idle', 0], connecting: ['reconnecting', 1], live: ['reconnecting', 1], loading: ['reconnecting', 1], reconnecting: ['reconnecting', 1], paused: ['reconnecting', 1], blocked: ['blocked', 0], failed: ['failed', 0] },
  'network-changed': { idle: ['idle', 0], connecting: ['reconnecting', 1], live: ['reconnecting', 1], loading: ['reconnecting', 1], reconnecting: ['reconnecting', 1], paused: ['reconnecting', 1], blocked: ['blocked', 0], failed: ['failed', 0] },
  'camera-denied': { idle: ['blocked', 0], connecting: ['blocked', 0], live: ['blocked', 0], loading: ['blocked', 0], reconnecting: ['blocked', 0], paused: ['blocked', 0], blocked: ['blocked', 0], failed: ['blocked', 0] },
  'mic-denied': { idle: ['blocked', 0], connecting: ['blocked', 0], live: ['blocked', 0], loading: ['blocked', 0], reconnecting: ['blocked', 0], paused: ['blocked', 0], blocked: ['blocked', 0], failed: ['blocked', 0] },
  'credentials-invalid': { idle: ['failed', 0], connecting: ['failed', 0], live: ['failed', 0], loading: ['failed', 0], reconnecting: ['failed', 0], paused: ['failed', 0], blocked: ['failed', 0], failed: ['failed', 0] },
  warning: { idle: ['idle', 0], connecting: ['connecting', 0], live: ['live', 0], loading: ['loading', 0], reconnecting: ['reconnecting', 0], paused: ['paused', 0], blocked: ['blocked', 0], failed: ['failed', 0] },
  info: { idle: ['idle', 0], connecting: ['connecting', 0], live: ['live', 0], loading: ['loading', 0], reconnecting: ['reconnecting', 0], paused: ['paused', 0], blocked: ['blocked', 0], failed: ['failed', 0] },
}

const cases = (Object.keys(TABLE) as MediaSignal[]).flatMap((sig) =>
  PHASES.map((phase) => [phase, sig, ...TABLE[sig][phase]] as const),
)

describe('every phase × signal', () => {
  test.each(cases)('%s + %s → %s (remount %i)', (phase, sig, expected, remounted) => {
    const { state } = run([signal(A, sig, 100, 1234)], withPhase(phase))
    const st = state.streams[A]
    expect(st.phase).toBe(expected)
    expect(st.generation).toBe(5 + remounted)
    expect(st.lastCode).toBe(1234)
  })

  test('a signal for a stream the session does not have changes nothing', () => {
    const before = withPhase('live')
    expect(step(before, signal(B, 'stopped')).state).toBe(before)
  })
})

describe('the effects of signals', () => {
  test.each<[MediaSignal, MediaEffect[]]>([
    ['warning', [{ type: 'notify-code', stream: A, code: 1234 }]],
    ['retrying', [{ type: 'notify-code', stream: A, code: 1234 }]],
    ['suspended', [{ type: 'notify-code', stream: A, code: 1234 }]],
    ['interrupted', [{ type: 'notify-code', stream: A, code: 1234 }]],
    ['camera-denied', [{ type: 'ask-permission', devices: ['camera'] }]],
    ['mic-denied', [{ type: 'ask-permission', devices: ['mic'] }]],
    ['credentials-invalid', [{ type: 'ask-leave', code: 1234 }]],
    ['live', []],
    ['info', []],
    ['progress', []],
  ])('%s from live → %j', (sig, effects) => {
    expect(run([signal(A, sig, 100, 1234)], withPhase('live')).effects).toEqual(effects)
  })

  test('10001 then 10002 ask once: one modal at a time', () => {
    const { effects } = run([open(), signal(PUSH_STREAM, 'camera-denied'), signal(PUSH_STREAM, 'mic-denied')])
    expect(effects.filter((e) => e.type === 'ask-permission')).toHaveLength(1)
  })
})

describe('deadlines', () => {
  test('connecting with no live signal restarts after CONNECT_TIMEOUT_MS, not before', () => {
    const early = run([open(A, 0), tick(CONNECT_TIMEOUT_MS - 1)])
    expect(early.state.streams[A]).toMatchObject({ phase: 'connecting', generation: 0 })
    expect(nextDeadline(early.state)).toBe(CONNECT_TIMEOUT_MS)
    const due = run([tick(CONNECT_TIMEOUT_MS)], early.state)
    expect(due.state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 1 })
    expect(nextDeadline(due.state)).toBe(CONNECT_TIMEOUT_MS + RECONNECT_TIMEOUT_MS)
  })

  test('live before the deadline clears it', () => {
    const { state } = run([open(A, 0), signal(A, 'live', 3000), tick(CONNECT_TIMEOUT_MS * 5)])
    expect(state.streams[A]).toMatchObject({ phase: 'live', generation: 0, deadline: null })
    expect(nextDeadline(state)).toBeNull()
  })

  test('reconnecting (the SDK retrying) must be live within RECONNECT_TIMEOUT_MS; repeated 1102s do not extend it', () => {
    const t0 = 1000
    const { state } = run([open(A, 0), signal(A, 'live', 500), signal(A, 'retrying', t0), signal(A, 'retrying', t0 + 10_000)])
    expect(state.streams[A].deadline).toEqual({ atMs: t0 + RECONNECT_TIMEOUT_MS, then: 'restart' })
    const due = run([tick(t0 + RECONNECT_TIMEOUT_MS)], state)
    expect(due.state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 1 })
  })

  test('buffering while live has the reconnect deadline too', () => {
    const { state } = run([open(A, 0), signal(A, 'live', 100), signal(A, 'buffering', 200), tick(200 + RECONNECT_TIMEOUT_MS)])
    expect(state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 1 })
  })

  test('restarts back off by RESTART_BACKOFF_MS, and after MAX_AUTO_RESTARTS failed restarts the stream fails', () => {
    expect(MAX_AUTO_RESTARTS).toBe(3)
    let { state, effects } = run([open(A, 0), tick(CONNECT_TIMEOUT_MS)])
    // Restart 1: at once.
    expect(state.streams[A]).toMatchObject({ generation: 1, restarts: 1 })
    let t = CONNECT_TIMEOUT_MS + RECONNECT_TIMEOUT_MS
    ;({ state } = run([tick(t)], state))
    // Restart 2 waits 2 s with the old generation, then remounts.
    expect(state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 2, deadline: { atMs: t + RESTART_BACKOFF_MS[1], then: 'remount' } })
    ;({ state } = run([tick(t + RESTART_BACKOFF_MS[1] - 1)], state))
    expect(state.streams[A].generation).toBe(1)
    t += RESTART_BACKOFF_MS[1]
    ;({ state } = run([tick(t)], state))
    expect(state.streams[A]).toMatchObject({ generation: 2, deadline: { atMs: t + RECONNECT_TIMEOUT_MS, then: 'restart' } })
    t += RECONNECT_TIMEOUT_MS
    ;({ state } = run([tick(t)], state))
    expect(state.streams[A]).toMatchObject({ generation: 2, restarts: 3, deadline: { atMs: t + RESTART_BACKOFF_MS[2], then: 'remount' } })
    t += RESTART_BACKOFF_MS[2]
    ;({ state } = run([tick(t)], state))
    expect(state.streams[A].generation).toBe(3)
    t += RECONNECT_TIMEOUT_MS
    ;({ state, effects } = run([tick(t)], state))
    expect(state.streams[A]).toMatchObject({ phase: 'failed', generation: 3, deadline: null })
    expect(effects).toEqual([{ type: 'notify', notice: 'stream-failed' }])
    expect(nextDeadline(state)).toBeNull()
  })

  test('one failed stream leaves the others running', () => {
    let { state } = run([open(A, 0), open(B, 0), signal(B, 'live', 10)])
    for (let i = 0; i < MAX_AUTO_RESTARTS; i++) ({ state } = run([signal(A, 'stopped', 20 + i)], state))
    expect(state.streams[A].phase).toBe('reconnecting')
    // Run A out of restarts through its deadlines.
    for (let t = 100_000; state.streams[A].phase !== 'failed'; t += 1000) ({ state } = run([tick(t)], state))
    expect(state.streams[B]).toMatchObject({ phase: 'live', generation: 0 })
  })

  test('live resets the restart count', () => {
    const { state } = run([open(A, 0), signal(A, 'stopped', 10), signal(A, 'live', 20)])
    expect(state.streams[A]).toMatchObject({ phase: 'live', restarts: 0, generation: 1 })
  })

  test('the user retries a failed stream: a fresh start with its full budget of restarts', () => {
    const failed: MediaSessionState = { ...withPhase('failed'), streams: { [A]: { ...withPhase('failed').streams[A], restarts: 3 } } }
    const { state } = run([{ type: 'retry', stream: A, atMs: 7 }], failed)
    expect(state.streams[A]).toMatchObject({ phase: 'connecting', generation: 6, restarts: 0, deadline: { atMs: 7 + CONNECT_TIMEOUT_MS } })
  })

  test.each(PHASES.filter((p) => p !== 'failed' && p !== 'blocked'))('retry of a %s stream does nothing', (phase) => {
    const before = withPhase(phase)
    expect(step(before, { type: 'retry', stream: A, atMs: 1 }).state).toBe(before)
  })
})

describe('background', () => {
  test('hiding says away and stops the deadlines; showing says back, keeps the screen on and starts them afresh', () => {
    const hidden = run([open(A, 0), hide('app', 1000), tick(CONNECT_TIMEOUT_MS * 10)])
    expect(hidden.effects).toEqual([{ type: 'presence', away: true }])
    expect(isHeld(hidden.state)).toBe(true)
    expect(hidden.state.streams[A]).toMatchObject({ phase: 'connecting', generation: 0, deadline: null })
    expect(nextDeadline(hidden.state)).toBeNull()
    const shown = run([show('app', 200_000)], hidden.state)
    expect(shown.effects).toEqual([{ type: 'presence', away: false }, { type: 'keep-screen-on' }])
    expect(shown.state.streams[A].deadline).toEqual({ atMs: 200_000 + CONNECT_TIMEOUT_MS, then: 'restart' })
  })

  test('page and app hide count once: away is said once, back only when both are shown', () => {
    const { effects, state } = run([open(), hide('page', 1), hide('app', 2), show('app', 3)])
    expect(effects).toEqual([{ type: 'presence', away: true }])
    expect(isHeld(state)).toBe(true)
    expect(run([show('page', 4)], state).effects).toEqual([{ type: 'presence', away: false }, { type: 'keep-screen-on' }])
  })

  test('5000 (iOS stopped pushing) while hidden: the push restarts on show, not before', () => {
    const { state } = run([open(), signal(PUSH_STREAM, 'live', 1), hide('app', 2), signal(PUSH_STREAM, 'suspended', 3, 5000), tick(60_000)])
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'paused', generation: 0, onResume: 'restart' })
    const shown = run([show('app', 70_000)], state)
    expect(shown.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 0, deadline: { atMs: 70_000 + RECONNECT_TIMEOUT_MS } })
  })

  test('5001 while hidden restarts only on show; 5001 while shown restarts at once', () => {
    const hidden = run([open(), signal(PUSH_STREAM, 'live', 1), hide('app', 2), signal(PUSH_STREAM, 'interrupted', 3, 5001)])
    expect(hidden.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'paused', generation: 0 })
    expect(run([show('app', 10)], hidden.state).state.streams[PUSH_STREAM].generation).toBe(1)
    const shown = run([open(), signal(PUSH_STREAM, 'live', 1), signal(PUSH_STREAM, 'interrupted', 3, 5001)])
    expect(shown.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 0 })
  })

  test('a player added while hidden is created anew on show, even if it said it was playing', () => {
    const { state } = run([open(A, 0), signal(A, 'live', 1), hide('app', 2), open(B, 3), signal(B, 'live', 4), show('app', 5)])
    expect(state.streams[B]).toMatchObject({ phase: 'connecting', generation: 1 })
    // The player that was there before keeps its component.
    expect(state.streams[A]).toMatchObject({ phase: 'live', generation: 0 })
  })

  test('a player that gave up while hidden is restarted on show, not into the hidden page', () => {
    const hidden = run([open(A, 0), signal(A, 'live', 1), hide('page', 2), signal(A, 'stopped', 3, -2301)])
    expect(hidden.state.streams[A]).toMatchObject({ phase: 'paused', generation: 0, restarts: 0 })
    expect(run([show('page', 9)], hidden.state).state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 1 })
  })

  test('a back-off interrupted by hiding restarts on show', () => {
    const { state } = run([open(A, 0), signal(A, 'stopped', 1), signal(A, 'stopped', 2), hide('app', 3), show('app', 4)])
    expect(state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 2, restarts: 2 })
  })
})

describe('network', () => {
  const start: MediaEvent = { type: 'network', online: true, networkType: 'wifi', atMs: 0 }
  test('Wi-Fi → 4G restarts each stream once, even when 1021 reports it too', () => {
    const { state, effects } = run([
      start, open(PUSH_STREAM, 0), open(A, 0), open(B, 0),
      signal(PUSH_STREAM, 'live', 1), signal(A, 'live', 1), signal(B, 'live', 1),
      { type: 'network', online: true, networkType: '4g', atMs: 1000 },
      signal(PUSH_STREAM, 'network-changed', 1500, 1021),
    ])
    expect([state.streams[PUSH_STREAM].generation, state.streams[A].generation, state.streams[B].generation]).toEqual([1, 1, 1])
    expect(effects.filter((e) => e.type === 'notify')).toEqual([{ type: 'notify', notice: 'network-changed' }])
    // A later change is a new one.
    const later = run([{ type: 'network', online: true, networkType: 'wifi', atMs: 1000 + NETWORK_CHANGE_COALESCE_MS }], state)
    expect(later.state.streams[A].generation).toBe(2)
  })

  test('the first report of the network is not a change', () => {
    const { state } = run([open(A, 0), { type: 'network', online: true, networkType: 'wifi', atMs: 5 }])
    expect(state.streams[A].generation).toBe(0)
  })

  test('offline holds (no deadline burns the restarts); back online restarts each stream once', () => {
    const offline = run([start, open(A, 0), signal(A, 'live', 1), { type: 'network', online: false, networkType: 'none', atMs: 10 }, signal(A, 'stopped', 20, -2301), tick(500_000)])
    expect(isHeld(offline.state)).toBe(true)
    expect(offline.state.streams[A]).toMatchObject({ phase: 'paused', generation: 0, restarts: 0 })
    const online = run([{ type: 'network', online: true, networkType: 'wifi', atMs: 600_000 }], offline.state)
    expect(online.state.streams[A]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 0 })
    expect(isHeld(online.state)).toBe(false)
  })
})

describe('a phone call', () => {
  test('pauses the push, holds the deadlines, and resumes at the end', () => {
    const call = run([open(), signal(PUSH_STREAM, 'live', 1), { type: 'audio-interruption', active: true, atMs: 10 }, signal(PUSH_STREAM, 'interrupted', 11, 5001), tick(100_000)])
    expect(call.effects).toEqual([{ type: 'pause-push' }, { type: 'notify-code', stream: PUSH_STREAM, code: 5001 }])
    expect(call.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'paused', generation: 0 })
    const ended = run([{ type: 'audio-interruption', active: false, atMs: 200_000 }], call.state)
    expect(ended.effects).toEqual([{ type: 'resume-push' }])
    expect(ended.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', generation: 1 })
  })

  test('a repeated begin does nothing', () => {
    const once = run([{ type: 'audio-interruption', active: true, atMs: 1 }])
    expect(step(once.state, { type: 'audio-interruption', active: true, atMs: 2 }).effects).toEqual([])
  })
})

describe('permissions', () => {
  test('granted after the settings page: the push starts again', () => {
    const { state } = run([open(), signal(PUSH_STREAM, 'camera-denied', 1, 10001), { type: 'permission', camera: true, mic: true, atMs: 5 }])
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'connecting', generation: 1, deadline: { atMs: 5 + CONNECT_TIMEOUT_MS } })
    expect(state.askingPermission).toBe(false)
  })

  test('still refused: the meeting goes on without that device', () => {
    const { state, effects } = run([open(), signal(PUSH_STREAM, 'camera-denied', 1, 10001), { type: 'permission', camera: false, mic: true, atMs: 5 }])
    expect(effects).toContainEqual({ type: 'device-off', device: 'camera' })
    expect(effects).not.toContainEqual({ type: 'device-off', device: 'mic' })
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'connecting', generation: 1 })
  })

  test('tapping a blocked tile asks again', () => {
    const blocked = run([open(), signal(PUSH_STREAM, 'mic-denied', 1), { type: 'permission', camera: true, mic: false, atMs: 2 }, signal(PUSH_STREAM, 'mic-denied', 3)])
    expect(blocked.effects.filter((e) => e.type === 'ask-permission')).toHaveLength(2)
    const asked = run([{ type: 'retry', stream: PUSH_STREAM, atMs: 4 }], { ...blocked.state, askingPermission: false })
    expect(asked.effects).toEqual([{ type: 'ask-permission', devices: ['camera', 'mic'] }])
  })
})

describe('memory and leaving', () => {
  test('a memory warning is said once', () => {
    const { state, effects } = run([{ type: 'memory-warning', atMs: 1 }, { type: 'memory-warning', atMs: 2 }])
    expect(state.memoryLimited).toBe(true)
    expect(effects).toEqual([{ type: 'notify', notice: 'memory-limited' }])
  })

  test('leaving stops the pusher exactly once and silences everything after', () => {
    const first = run([open(), open(A, 0), { type: 'leave', atMs: 1 }])
    expect(first.effects).toEqual([{ type: 'stop-push' }])
    expect(first.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'idle', deadline: null })
    const after = run([{ type: 'leave', atMs: 2 }, signal(A, 'stopped', 3), tick(1e9), hide('app', 4)], first.state)
    expect(after.effects).toEqual([])
    expect(after.state).toBe(first.state)
  })

  test('closing a stream forgets it; opening it again is a new component', () => {
    const { state } = run([open(A, 0), { type: 'stream-closed', stream: A, atMs: 1 }])
    expect(state.streams[A]).toBeUndefined()
    const again = run([open(A, 0), open(A, 5)])
    expect(again.state.streams[A]).toMatchObject({ phase: 'connecting', generation: 1 })
  })
})

describe('classifyCode (the live-pusher / live-player provider)', () => {
  test.each<[Parameters<typeof classifyCode>[0], number, MediaSignal]>([
    ['pusher', 1001, 'progress'], ['pusher', 1002, 'live'], ['pusher', 1018, 'live'], ['pusher', 1021, 'network-changed'],
    ['pusher', 1022, 'stopped'], ['pusher', 1101, 'warning'], ['pusher', 1102, 'retrying'], ['pusher', 3004, 'retrying'],
    ['pusher', 5000, 'suspended'], ['pusher', 5001, 'interrupted'], ['pusher', -1301, 'camera-denied'], ['pusher', -1302, 'mic-denied'],
    ['pusher', -1307, 'stopped'], ['pusher', -100018, 'credentials-invalid'], ['pusher', 1003, 'info'], ['pusher', 424242, 'info'],
    ['pusher-error', 10001, 'camera-denied'], ['pusher-error', 10002, 'mic-denied'], ['pusher-error', 10004, 'warning'],
    ['player', 2001, 'progress'], ['player', 2004, 'live'], ['player', 2032, 'live'], ['player', 2007, 'buffering'],
    ['player', 2103, 'retrying'], ['player', 2105, 'warning'], ['player', -2301, 'stopped'], ['player', -2302, 'stopped'], ['player', 2027, 'info'],
  ])('%s %i → %s', (source, code, expected) => {
    expect(classifyCode(source, code)).toBe(expected)
  })
})
