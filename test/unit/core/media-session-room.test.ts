/**
 * The media session's TRTC room events (a room:// push): where the pusher
 * stands in the room (1018 entered, 1019 left / kicked, 1021 re-enter,
 * 1022 / -3301 enter failed, -100018 bad UserSig) and what each remote
 * publishes (1031–1034, 1020), with the room players following it. Events
 * are built from real payloads through parseTrtcRoomEvent, so the machine
 * is fed exactly what the pusher's bindstatechange gives.
 */
import {
  CONNECT_TIMEOUT_MS,
  NETWORK_CHANGE_COALESCE_MS,
  PUSH_STREAM,
  RECONNECT_TIMEOUT_MS,
  nextDeadline,
  playStream,
  type MediaEvent,
} from '@/core/media-session'
import { run } from './run-media-session'
import { parseTrtcRoomEvent } from '@/core/trtc'

const A = playStream('a')
const PLAY_A = 'room://cloud.tencent.com/rtc?userid=a&streamtype=main'

const openPush = (atMs = 0): MediaEvent => ({ type: 'stream-opened', stream: PUSH_STREAM, kind: 'push', atMs })
const openRoomPlayer = (atMs = 0): MediaEvent => ({ type: 'stream-opened', stream: A, kind: 'play', atMs, viaRoom: true })

/** The room event of a pusher code and its message, as the PusherView hands it over. */
function room(code: number, message: unknown = '', atMs = 1): MediaEvent {
  const event = parseTrtcRoomEvent(code, message, () => {
    throw new Error(`the payload of ${code} in this test is malformed`)
  })
  if (event === null) throw new Error(`${code} is not a room event`)
  return { type: 'room', event, code, atMs }
}
const users = (list: object[]) => JSON.stringify({ userlist: list })
const video = (on: boolean, atMs = 1, playurl = PLAY_A) => room(1033, users([{ userid: 'a', playurl, hasvideo: on }]), atMs)
const audio = (on: boolean, atMs = 1) => room(1034, users([{ userid: 'a', playurl: PLAY_A, hasaudio: on }]), atMs)

describe('the pusher in the room', () => {
  test('1018 entered: live, the connect deadline is gone', () => {
    const { state } = run([openPush(0), room(1018, 'Enter room success, time cost[120]', 500)])
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'live', deadline: null, restarts: 0, lastCode: 1018 })
    expect(nextDeadline(state)).toBeNull()
  })

  test('no 1018 within the connect deadline: restarted like any stream', () => {
    const opened = run([openPush(0)]).state
    expect(nextDeadline(opened)).toBe(CONNECT_TIMEOUT_MS)
    const { state } = run([{ type: 'tick', atMs: CONNECT_TIMEOUT_MS }], opened)
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 1 })
  })

  test.each([
    ['reason 0 (left normally)', 'exit room reason[0]', []],
    ['no reason', '', []],
    ['reason 1 (kicked)', 'exit room reason[1]', [{ type: 'removed-from-room', reason: 1 }]],
    ['reason 2 (room dismissed)', 'exit room reason[2]', [{ type: 'removed-from-room', reason: 2 }]],
  ])('1019 %s', (_name, message, effects) => {
    const entered = run([openPush(0), room(1018)]).state
    const out = run([room(1019, message, 5)], entered)
    expect(out.effects).toEqual(effects)
    // The session (not the machine) ends the meeting; the pusher is not restarted by a 1019.
    expect(out.state.streams[PUSH_STREAM]?.generation).toBe(entered.streams[PUSH_STREAM]?.generation)
  })

  test('1021: waits for the SDK to re-enter, with a deadline, entering with renewed credentials, one toast', () => {
    const entered = run([openPush(0), room(1018)]).state
    const { state, effects } = run([room(1021, '', 1_000)], entered)
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', generation: 0, lastCode: 1021 })
    expect(nextDeadline(state)).toBe(1_000 + RECONNECT_TIMEOUT_MS)
    expect(effects).toEqual([{ type: 'use-renewed-credentials' }, { type: 'notify', notice: 'network-changed' }])
    // 1018 again ends it.
    expect(run([room(1018, '', 2_000)], state).state.streams[PUSH_STREAM]).toMatchObject({ phase: 'live', deadline: null })
    // Not re-entered in time: a restart.
    const late = run([{ type: 'tick', atMs: 1_000 + RECONNECT_TIMEOUT_MS }], state).state
    expect(late.streams[PUSH_STREAM]).toMatchObject({ generation: 1, restarts: 1 })
  })

  test('1021 right after onNetworkStatusChange reported the change: no second toast, no second restart', () => {
    const entered = run([openPush(0), room(1018), { type: 'network', online: true, networkType: 'wifi', atMs: 2 }]).state
    const changed = run([{ type: 'network', online: true, networkType: '4g', atMs: 1_000 }], entered)
    expect(changed.effects).toEqual([{ type: 'notify', notice: 'network-changed' }])
    const generation = changed.state.streams[PUSH_STREAM]?.generation
    const { state, effects } = run([room(1021, '', 1_000 + NETWORK_CHANGE_COALESCE_MS - 1)], changed.state)
    expect(effects).toEqual([{ type: 'use-renewed-credentials' }])
    expect(state.streams[PUSH_STREAM]?.generation).toBe(generation)
  })

  test.each([
    [1022, 'Enter room failed, error code[-100013]'],
    [-3301, ''],
  ])('%i enter failed: restart-push with the back-off (0 s, 2 s, 5 s), then failed', (code, message) => {
    let { state } = run([openPush(0)])
    state = run([room(code, message, 10)], state).state
    expect(state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', generation: 1, restarts: 1 })
    state = run([room(code, message, 20)], state).state
    // The second waits 2 s before the remount.
    expect(state.streams[PUSH_STREAM]).toMatchObject({ generation: 1, restarts: 2, deadline: { atMs: 2_020, then: 'remount' } })
    state = run([{ type: 'tick', atMs: 2_020 }, room(code, message, 2_100)], state).state
    expect(state.streams[PUSH_STREAM]).toMatchObject({ restarts: 3, deadline: { atMs: 7_100, then: 'remount' } })
    const out = run([{ type: 'tick', atMs: 7_100 }, room(code, message, 7_200)], state)
    expect(out.state.streams[PUSH_STREAM]?.phase).toBe('failed')
    expect(out.effects).toContainEqual({ type: 'notify', notice: 'stream-failed' })
  })

  test('-100018 once: fresh credentials are asked for, with a deadline; a second: the user is asked to leave', () => {
    const opened = run([openPush(0)]).state
    const first = run([room(-100018, '', 100)], opened)
    expect(first.effects).toEqual([{ type: 'renew-credentials' }])
    expect(first.state.streams[PUSH_STREAM]).toMatchObject({ phase: 'reconnecting', lastCode: -100018 })
    expect(nextDeadline(first.state)).toBe(100 + RECONNECT_TIMEOUT_MS)
    // The new URL arrives: a new stream, entering with it; TRTC refuses it too.
    const second = run([openPush(200), room(-100018, '', 300)], first.state)
    expect(second.effects).toEqual([{ type: 'ask-leave', code: -100018 }])
    expect(second.state.streams[PUSH_STREAM]?.phase).toBe('failed')
  })

  test('-100018 after a successful entry with renewed credentials asks again (once)', () => {
    const renewedAndIn = run([openPush(0), room(-100018, '', 1), openPush(2), room(1018, '', 3)]).state
    expect(renewedAndIn.credentialsRenewed).toBe(false)
    expect(run([room(-100018, '', 4)], renewedAndIn).effects).toEqual([{ type: 'renew-credentials' }])
  })
})

describe('remote streams (1031–1034): one entry per TRTC user, membership left to the room service', () => {
  test('1031 → 1033 (video) → 1034 (audio) → 1033 (no video) → 1032', () => {
    let { state } = run([openPush(0), room(1018), room(1031, users([{ userid: 'a' }]))])
    expect(state.remotes.a).toEqual({ playUrl: '', hasVideo: false, hasAudio: false })
    state = run([video(true)], state).state
    expect(state.remotes.a).toEqual({ playUrl: PLAY_A, hasVideo: true, hasAudio: false })
    state = run([audio(true)], state).state
    expect(state.remotes.a).toEqual({ playUrl: PLAY_A, hasVideo: true, hasAudio: true })
    state = run([video(false)], state).state
    expect(state.remotes.a).toEqual({ playUrl: PLAY_A, hasVideo: false, hasAudio: true })
    state = run([room(1032, users([{ userid: 'a' }]))], state).state
    // Still known (its play URL kept), publishing nothing.
    expect(state.remotes.a).toEqual({ playUrl: PLAY_A, hasVideo: false, hasAudio: false })
  })

  test('a 1033/1034 without a playurl keeps the one reported before', () => {
    const { state } = run([video(true), room(1034, users([{ userid: 'a', hasaudio: true }]))])
    expect(state.remotes.a).toEqual({ playUrl: PLAY_A, hasVideo: true, hasAudio: true })
  })

  test('1020 only contributes play URLs (its shape is unverified)', () => {
    const { state } = run([room(1020, JSON.stringify({ userlist: [{ userid: 'a', playurl: PLAY_A }] }))])
    expect(state.remotes.a).toEqual({ playUrl: PLAY_A, hasVideo: false, hasAudio: false })
  })

  test('an unchanged remote keeps its object (the store mirrors it by reference)', () => {
    const { state } = run([video(true), room(1031, users([{ userid: 'b' }]))])
    const again = run([room(1031, users([{ userid: 'b' }]))], state).state
    expect(again.remotes).toBe(state.remotes)
    expect(run([video(true, 5, 'room://cloud.tencent.com/rtc?userid=b&streamtype=main')], state).state.remotes.a).not.toBe(state.remotes.a)
  })
})

describe('a room player follows its remote', () => {
  test('opened before the remote publishes: idle, no deadline (a participant with camera and mic off is not failing)', () => {
    const { state } = run([openRoomPlayer(0)])
    expect(state.streams[A]).toMatchObject({ phase: 'idle', deadline: null, viaRoom: true })
    expect(nextDeadline(state)).toBeNull()
  })

  test('opened while the remote publishes: connecting with the deadline', () => {
    const { state } = run([video(true, 0), openRoomPlayer(10)])
    expect(state.streams[A]).toMatchObject({ phase: 'connecting', deadline: { atMs: 10 + CONNECT_TIMEOUT_MS, then: 'restart' } })
  })

  test.each([
    ['1033 video on', [video(true, 100)], 'connecting', 1],
    ['1034 audio on (camera off)', [audio(true, 100)], 'connecting', 1],
    ['video on, then off, audio still on', [video(true, 100), audio(true, 110), video(false, 120)], 'connecting', 1],
    ['video on then off', [video(true, 100), video(false, 120)], 'idle', 1],
    ['video on, then 1032', [video(true, 100), room(1032, users([{ userid: 'a' }]), 120)], 'idle', 1],
    ['gone and back', [video(true, 100), video(false, 120), video(true, 130)], 'connecting', 2],
  ] as const)('%s', (_name, events, phase, generation) => {
    const { state } = run([openRoomPlayer(0), ...events])
    expect(state.streams[A]).toMatchObject({ phase, generation })
    // Whatever happened, the player's stream is still there: the tile is not the machine's to remove.
    expect(state.streams[A]).toBeDefined()
  })

  test('a stream that goes away resets the restart count and stops the deadline', () => {
    const failing = run([openRoomPlayer(0), video(true, 1), { type: 'tick', atMs: 1 + CONNECT_TIMEOUT_MS }]).state
    expect(failing.streams[A]?.restarts).toBe(1)
    const gone = run([video(false, 20_000)], failing).state
    expect(gone.streams[A]).toMatchObject({ phase: 'idle', restarts: 0, deadline: null })
  })

  test('a stream that appears while the page is hidden is made anew on show', () => {
    const hidden = run([openRoomPlayer(0), { type: 'visibility', scope: 'page', visible: false, atMs: 1 }, video(true, 2)]).state
    expect(hidden.streams[A]).toMatchObject({ phase: 'paused', onResume: 'remount' })
    const shown = run([{ type: 'visibility', scope: 'page', visible: true, atMs: 3 }], hidden).state
    expect(shown.streams[A]).toMatchObject({ phase: 'connecting', generation: 1 })
  })

  test('an idle room player that plays after all (a missed 1033) is live', () => {
    const { state } = run([openRoomPlayer(0), { type: 'signal', stream: A, signal: 'live', code: 2004, atMs: 5 }])
    expect(state.streams[A]).toMatchObject({ phase: 'live', lastCode: 2004 })
  })

  test('a URL-signed (not room) player ignores room events', () => {
    const { state } = run([{ type: 'stream-opened', stream: A, kind: 'play', atMs: 0 }, video(true, 1), video(false, 2)])
    expect(state.streams[A]).toMatchObject({ phase: 'connecting', generation: 0 })
  })
})
