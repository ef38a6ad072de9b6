/**
 * The media session service: a real store, the real state machine and
 * controller, and a fake platform (the WeChat client is the boundary we
 * cannot run) with Jest's fake timers for the deadlines.
 */
import type { BitrateController, ControllerInput } from '@/core/bitrate-controller'
import { CONNECT_TIMEOUT_MS, MAX_AUTO_RESTARTS, PUSH_STREAM, RECONNECT_TIMEOUT_MS, RESTART_BACKOFF_MS, playStream, type Device } from '@/core/media-session'
import { MediaSession, type MediaPlatform, type PlatformEvent } from '@/services/media-session'
import { createMeetingStore, selectPlayUrl, type MeetingStore } from '@/store'
import { parseTrtcRoomEvent } from '@/core/trtc'
import { NOTICE_REPEAT_MS } from '@/store/reporting'
import { info } from '../store/helpers'

interface FakePlatform extends MediaPlatform {
  emit(e: PlatformEvent): void
  readonly calls: string[]
  readonly asked: (readonly Device[])[]
  /** What the next permission modal resolves with. */
  answer: { camera: boolean; mic: boolean }
  watching: boolean
}

function fakePlatform(): FakePlatform {
  let sink: ((e: PlatformEvent) => void) | null = null
  const calls: string[] = []
  const platform: FakePlatform = {
    calls,
    asked: [],
    answer: { camera: true, mic: true },
    watching: false,
    now: () => Date.now(),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    watch(s) {
      sink = s
      platform.watching = true
      return () => {
        sink = null
        platform.watching = false
      }
    },
    currentNetwork: async () => ({ online: true, networkType: 'wifi' }),
    keepScreenOn: (on) => calls.push(`keepScreenOn ${on}`),
    pausePush: () => calls.push('pausePush'),
    resumePush: () => calls.push('resumePush'),
    stopPush: () => calls.push('stopPush'),
    askForPermission: async (devices) => {
      platform.asked.push(devices)
      return platform.answer
    },
    emit: (e) => sink?.(e),
  }
  return platform
}

let store: MeetingStore
let platform: FakePlatform
let media: MediaSession
let away: boolean[]

function setup(role: 'host' | 'participant' = 'host', controller?: BitrateController<unknown>) {
  store = createMeetingStore()
  platform = fakePlatform()
  away = []
  media = new MediaSession({ store, platform, onAway: (a) => away.push(a), controller })
  store.getState().joined({ id: 'me', nickname: 'Me', role, pushUrl: 'rtmp://x/live/me' }, 0)
  store.getState().gridAreaMeasured({ width: 375, height: 579 })
  media.start()
}

const flushPromises = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 })
})
afterEach(() => {
  media.dispose()
  jest.useRealTimers()
})

describe('streams follow the store', () => {
  test('the pusher with a URL and each mounted player are streams, connecting', () => {
    setup()
    store.getState().participantsReplaced([info('a'), info('b')])
    const s = store.getState()
    expect(s.publisher).toMatchObject({ media: 'connecting', pushGeneration: 0 })
    expect(s.participants.byId.a).toMatchObject({ media: 'connecting', playGeneration: 0 })
    expect(Object.keys(media.snapshot().streams).sort()).toEqual([playStream('a'), playStream('b'), PUSH_STREAM])
  })

  test('a participant leaving closes its stream; a new play URL is a new stream (remount)', () => {
    setup()
    store.getState().participantsReplaced([info('a'), info('b')])
    media.playerCode('a', 2004)
    store.getState().participantLeft('b')
    expect(media.snapshot().streams[playStream('b')]).toBeUndefined()
    store.getState().participantUpdated('a', { micOn: false })
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'live', playGeneration: 0 })
    store.getState().participantUpdated('a', { playUrl: 'rtmp://127.0.0.1/live/a-2' })
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'connecting', playGeneration: 1 })
  })

  test('players off the visible page are not streams (no decoder, no deadline)', () => {
    setup()
    store.getState().participantsReplaced(Array.from({ length: 12 }, (_, i) => info(`p${i + 1}`)))
    // The area is not measured here, so it counts as a phone: a page of 4 players, plus the pusher.
    expect(Object.keys(media.snapshot().streams)).toHaveLength(4 + 1)
  })
})

describe('codes reach the tiles through the machine', () => {
  test.each([
    ['2004 play begin', [2001, 2004], 'live'],
    ['2032 first frame', [2032], 'live'],
    ['2007 while live', [2004, 2007], 'loading'],
    ['2103 reconnecting', [2004, 2103], 'reconnecting'],
    ['2001 after 2103 stays reconnecting', [2004, 2103, 2001], 'reconnecting'],
    ['2105 stutter stays live', [2004, 2105], 'live'],
  ] as const)('player %s → %s', (_n, codes, phase) => {
    setup()
    store.getState().participantsReplaced([info('a')])
    codes.forEach((c) => media.playerCode('a', c))
    expect(store.getState().participants.byId.a.media).toBe(phase)
  })

  test.each([
    ['1002 push begin', [1001, 1002], 'live'],
    ['1102 reconnecting', [1002, 1102], 'reconnecting'],
    ['1101 keeps live', [1002, 1101], 'live'],
  ] as const)('pusher %s → %s', (_n, codes, phase) => {
    setup()
    codes.forEach((c) => media.pusherCode(c))
    expect(store.getState().publisher.media).toBe(phase)
  })

  test('-2301 remounts the player up to MAX_AUTO_RESTARTS times, then the tile fails until the user taps it', () => {
    setup()
    store.getState().participantsReplaced([info('a')])
    media.playerCode('a', -2301)
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'reconnecting', playGeneration: 1, restarts: 1 })
    for (let i = 1; i < MAX_AUTO_RESTARTS; i++) {
      media.playerCode('a', -2301)
      // Backing off: the remount comes after the delay, from the timer.
      jest.advanceTimersByTime(RESTART_BACKOFF_MS[i])
      expect(store.getState().participants.byId.a).toMatchObject({ media: 'reconnecting', playGeneration: i + 1, restarts: i + 1 })
    }
    media.playerCode('a', -2301)
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'failed', playGeneration: MAX_AUTO_RESTARTS })
    expect(store.getState().ui.notices.map((n) => n.text['zh-CN'])).toEqual(['多次重试后仍无法连接，轻触画面可重试'])
    media.retry(playStream('a'))
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'connecting', playGeneration: MAX_AUTO_RESTARTS + 1, restarts: 0 })
  })

  test('-1307 restarts the push without a modal; exhausted, the tile offers a retry and the meeting goes on', () => {
    setup()
    store.getState().participantsReplaced([info('a')])
    media.playerCode('a', 2004)
    for (let i = 0; i <= MAX_AUTO_RESTARTS; i++) {
      media.pusherCode(-1307)
      jest.advanceTimersByTime(RESTART_BACKOFF_MS[i] ?? 0)
    }
    expect(store.getState().publisher).toMatchObject({ media: 'failed', pushGeneration: MAX_AUTO_RESTARTS })
    expect(store.getState().ui.modal).toBeNull()
    expect(store.getState().participants.byId.a.media).toBe('live')
  })

  test('the connect deadline, through the real timer: no 1002 within 10 s restarts the push', () => {
    setup()
    jest.advanceTimersByTime(CONNECT_TIMEOUT_MS - 1)
    expect(store.getState().publisher.pushGeneration).toBe(0)
    jest.advanceTimersByTime(1)
    expect(store.getState().publisher).toMatchObject({ media: 'reconnecting', pushGeneration: 1 })
    media.pusherCode(1002)
    jest.advanceTimersByTime(RECONNECT_TIMEOUT_MS * 10)
    expect(store.getState().publisher).toMatchObject({ media: 'live', pushGeneration: 1 })
  })

  test('pusher warnings toast once per code within the repeat window; player codes never toast', () => {
    setup()
    store.getState().participantsReplaced([info('a')])
    media.pusherCode(1002)
    media.pusherCode(1101)
    jest.advanceTimersByTime(1000)
    media.pusherCode(1101)
    media.pusherCode(1102)
    ;[2103, 2105, -2301].forEach((c) => media.playerCode('a', c))
    expect(store.getState().ui.notices.map((n) => n.code)).toEqual([1101, 1102])
    jest.advanceTimersByTime(NOTICE_REPEAT_MS)
    media.pusherCode(1101)
    expect(store.getState().ui.notices.map((n) => n.code)).toEqual([1101, 1102, 1101])
  })

  test.each([10005, 10014, 2027, 99999])('unknown pusher code %i is logged for the debug view, never a crash', (code) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    setup()
    media.pusherCode(1002)
    media.pusherCode(code)
    expect(store.getState().ui.debugLog.at(-1)).toMatchObject({ code, known: false, source: 'pusher', subject: 'Me' })
    expect(store.getState().publisher.media).toBe('live')
    expect(warn).toHaveBeenCalled()
    warn.mockRestore()
  })

  test('-100018 (credentials invalid) asks to leave', () => {
    setup()
    media.pusherCode(-100018)
    expect(store.getState().ui.modal).toMatchObject({ recovery: 'leave', code: -100018 })
  })
})

describe('permissions in the room', () => {
  test.each([
    ['binderror 10001', 'error', 10001, ['camera']],
    ['binderror 10002', 'error', 10002, ['mic']],
    ['-1301 (the browser: getUserMedia refused the camera)', 'code', -1301, ['camera']],
  ] as const)('%s: the modal is shown; granted, the push starts again', async (_n, kind, code, devices) => {
    setup()
    if (kind === 'error') media.pusherError(code)
    else media.pusherCode(code)
    expect(store.getState().publisher.media).toBe('blocked')
    expect(platform.asked).toEqual([devices])
    await flushPromises()
    expect(store.getState().publisher).toMatchObject({ media: 'connecting', pushGeneration: 1, cameraOn: true, micOn: true })
  })

  test('refused again: the meeting goes on with the camera off, and the user is told', async () => {
    setup()
    platform.answer = { camera: false, mic: true }
    media.pusherError(10001)
    await flushPromises()
    expect(store.getState().publisher).toMatchObject({ media: 'connecting', pushGeneration: 1, cameraOn: false, micOn: true })
    expect(store.getState().ui.notices.map((n) => n.text.en)).toContain('No camera permission: you continue with your video off.')
  })
})

describe('the platform’s events', () => {
  test('app hide says away; show says back and keeps the screen on', () => {
    setup()
    platform.emit({ type: 'app', visible: false })
    expect(store.getState().media.hidden).toBe(true)
    platform.emit({ type: 'app', visible: true })
    expect(away).toEqual([true, false])
    expect(platform.calls).toContain('keepScreenOn true')
  })

  test('hidden, no deadline fires; 5000 restarts the push on show', () => {
    setup()
    media.pusherCode(1002)
    media.pageVisible(false)
    media.pusherCode(5000)
    jest.advanceTimersByTime(10 * 60_000)
    expect(store.getState().publisher).toMatchObject({ media: 'paused', pushGeneration: 0 })
    media.pageVisible(true)
    expect(store.getState().publisher).toMatchObject({ media: 'reconnecting', pushGeneration: 1 })
  })

  test('offline shows in the store (the banner), back online restarts each stream once', async () => {
    setup()
    await flushPromises()
    store.getState().participantsReplaced([info('a')])
    media.pusherCode(1002)
    media.playerCode('a', 2004)
    platform.emit({ type: 'network', online: false, networkType: 'none' })
    expect(store.getState().media.offline).toBe(true)
    platform.emit({ type: 'network', online: true, networkType: '4g' })
    expect(store.getState().media.offline).toBe(false)
    expect([store.getState().publisher.pushGeneration, store.getState().participants.byId.a.playGeneration]).toEqual([1, 1])
  })

  test('a phone call pauses the push and says so; its end resumes it', () => {
    setup()
    platform.emit({ type: 'audio-interruption', active: true })
    expect(store.getState().media.interrupted).toBe(true)
    platform.emit({ type: 'audio-interruption', active: false })
    expect(platform.calls).toEqual(['pausePush', 'resumePush'])
  })

  test('a memory warning unmounts the players beyond the first four and says so', () => {
    setup()
    store.getState().participantsReplaced(Array.from({ length: 6 }, (_, i) => info(`p${i + 1}`)))
    platform.emit({ type: 'memory-warning' })
    expect(Object.keys(media.snapshot().streams).sort()).toEqual(['play:p1', 'play:p2', 'play:p3', 'play:p4', PUSH_STREAM])
    expect(store.getState().participants.byId.p5.media).toBe('idle')
    expect(store.getState().ui.notices.map((n) => n.text['zh-CN'])).toEqual(['手机内存不足，已暂停部分成员的画面'])
  })

  test('dispose stops listening', () => {
    setup()
    media.dispose()
    expect(platform.watching).toBe(false)
  })
})

describe('leaving', () => {
  test('stops the pusher once; nothing restarts afterwards', () => {
    setup()
    media.leave()
    media.leave()
    media.pusherCode(-1307)
    jest.advanceTimersByTime(60_000)
    expect(platform.calls.filter((c) => c === 'stopPush')).toHaveLength(1)
    expect(store.getState().publisher.pushGeneration).toBe(0)
  })
})

describe('bitrate adaptation, from the session straight to the controller', () => {
  /** Encoder at 900 kbps but only 450 get out, with jitter: a congested uplink. */
  const congested = { videoBitrate: 900, audioBitrate: 48, netSpeed: 450, netJitter: 60, videoFPS: 15, videoCache: 20 }
  const healthy = { videoBitrate: 900, audioBitrate: 48, netSpeed: 950, netJitter: 2, videoFPS: 15, videoCache: 0 }

  test('a healthy link leaves the ceiling at the preset max', () => {
    setup()
    for (let i = 1; i <= 20; i++) {
      jest.advanceTimersByTime(1500)
      media.pusherNetStatus(healthy)
    }
    expect(store.getState().publisher.maxBitrateKbps).toBe(1000)
  })

  test('sustained congestion lowers the ceiling, never below the preset minimum', () => {
    setup()
    for (let i = 1; i <= 3; i++) {
      jest.advanceTimersByTime(1500)
      media.pusherNetStatus(congested)
    }
    expect(store.getState().publisher.maxBitrateKbps).toBeLessThan(1000)
    for (let i = 4; i <= 60; i++) {
      jest.advanceTimersByTime(1500)
      media.pusherNetStatus({ ...congested, videoBitrate: 200, netSpeed: 50 })
    }
    expect(store.getState().publisher).toMatchObject({ maxBitrateKbps: 200, minBitrateKbps: 200 })
  })

  test('1101 cuts at once', () => {
    setup()
    media.pusherNetStatus(healthy)
    media.pusherCode(1101)
    expect(store.getState().publisher).toMatchObject({ controllerReason: 'cut-net-busy' })
    expect(store.getState().publisher.maxBitrateKbps).toBeLessThan(1000)
  })

  test('the controller is swappable, its state is its own, and a new preset starts it afresh', () => {
    const seen: ControllerInput[] = []
    const inits: number[] = []
    const halving: BitrateController<number> = {
      name: 'halving',
      init: (preset) => {
        inits.push(preset.maxBitrateKbps)
        return { state: preset.maxBitrateKbps, decision: { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: preset.maxBitrateKbps }, reason: 'init', audioOnlySuggested: false } }
      },
      step: (state, input, preset) => {
        seen.push(input)
        const max = Math.max(preset.minBitrateKbps, Math.round(state / 2))
        return { state: max, decision: { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: max }, reason: 'cut-deficit', audioOnlySuggested: false } }
      },
    }
    setup('host', halving as BitrateController<unknown>)
    media.pusherNetStatus(healthy)
    media.pusherCode(1101)
    expect(seen.map((i) => i.kind)).toEqual(['netstatus', 'code'])
    expect(store.getState().publisher.maxBitrateKbps).toBe(250)
    // Nothing of the controller is render state.
    expect(Object.keys(store.getState().publisher)).not.toEqual(expect.arrayContaining(['controllerState']))
    expect(Object.keys(store.getState().publisher)).not.toEqual(expect.arrayContaining(['uplinkSignal']))
    store.getState().roleChanged('participant')
    media.pusherNetStatus(healthy)
    expect(inits).toEqual([1000, 300])
    expect(store.getState().publisher.maxBitrateKbps).toBe(150)
  })
})

describe('a TRTC room (room:// push): room events, credentials, remote streams', () => {
  const PUSH = 'room://cloud.tencent.com/rtc?sdkappid=1400000000&strroomid=123456789&userid=me&usersig=abc&privatemapkey=def'
  const playA = 'room://cloud.tencent.com/rtc?userid=a&streamtype=main'
  let credentials: string[]
  let removed: (number | null)[]

  function setupTrtc() {
    store = createMeetingStore()
    platform = fakePlatform()
    credentials = []
    removed = []
    media = new MediaSession({
      store,
      platform,
      credentials: { renew: () => credentials.push('renew'), useRenewed: () => credentials.push('useRenewed') },
      onRemovedFromRoom: (reason) => removed.push(reason),
    })
    store.getState().joined({ id: 'me', nickname: 'Me', role: 'host', pushUrl: PUSH }, 0)
    store.getState().gridAreaMeasured({ width: 375, height: 579 })
    store.getState().participantsReplaced([{ ...info('a'), playUrl: playA }])
    media.start()
  }
  /** What the PusherView does with a bindstatechange: the code, then the room event of its payload. */
  function pusherReports(code: number, message = '') {
    media.pusherCode(code)
    const event = parseTrtcRoomEvent(code, message)
    if (event !== null) media.roomEvent(event)
  }
  const userlist = (list: object[]) => JSON.stringify({ userlist: list })

  test('-100018 renews once through the room client (no modal); a second asks to leave', () => {
    setupTrtc()
    pusherReports(-100018)
    expect(credentials).toEqual(['renew'])
    expect(store.getState().ui.modal).toBeNull()
    // The renewed URL arrives: a new entry.
    store.getState().pushCredentialsChanged(`${PUSH}x`)
    expect(store.getState().publisher).toMatchObject({ media: 'connecting', pushGeneration: 1 })
    pusherReports(-100018)
    expect(credentials).toEqual(['renew'])
    expect(store.getState().ui.modal).toMatchObject({ code: -100018, recovery: 'leave' })
    // Logged once each in the debug view, as every code.
    expect(store.getState().ui.debugLog.filter((e) => e.code === -100018)).toHaveLength(2)
  })

  test('a restart of the push enters with renewed credentials; 1021 too', () => {
    setupTrtc()
    pusherReports(1018)
    expect(credentials).toEqual([])
    pusherReports(1022, 'onEnterRoom failed, error code[-1]')
    expect(store.getState().publisher.pushGeneration).toBe(1)
    expect(credentials).toEqual(['useRenewed'])
    pusherReports(1018)
    pusherReports(1021)
    expect(credentials).toEqual(['useRenewed', 'useRenewed'])
    expect(store.getState().publisher.media).toBe('reconnecting')
  })

  test('1018 ends the connect deadline: nothing restarts the pusher later', () => {
    setupTrtc()
    pusherReports(1018, 'onEnterRoom success, time cost[100]')
    jest.advanceTimersByTime(CONNECT_TIMEOUT_MS * 3)
    expect(store.getState().publisher).toMatchObject({ media: 'live', pushGeneration: 0 })
  })

  test('1019 with a non-zero reason: the session is told; reason 0 is not a removal', () => {
    setupTrtc()
    pusherReports(1019, 'onExitRoom reason[0]')
    expect(removed).toEqual([])
    pusherReports(1019, 'onExitRoom reason[1]')
    expect(removed).toEqual([1])
  })

  test('remote streams reach the store; the player src follows the event, falling back to the service’s', () => {
    setupTrtc()
    const other = 'room://rtc.tencent.com?userid=a&streamtype=main'
    expect(selectPlayUrl('a')(store.getState())).toBe(playA)
    expect(store.getState().participants.byId.a.media).toBe('idle')
    pusherReports(1033, userlist([{ userid: 'a', playurl: other, hasvideo: true }]))
    expect(store.getState().media.remoteStreams.a).toEqual({ playUrl: other, hasVideo: true, hasAudio: false })
    expect(selectPlayUrl('a')(store.getState())).toBe(other)
    // The new src is a new stream for the player (remount), waiting for its first frame.
    expect(store.getState().participants.byId.a.media).toBe('connecting')
    pusherReports(1032, userlist([{ userid: 'a' }]))
    expect(store.getState().participants.byId.a.media).toBe('idle')
    expect(store.getState().participants.order).toEqual(['a'])
  })

  test('a remote publishing nothing never burns the player’s restarts', () => {
    setupTrtc()
    jest.advanceTimersByTime(CONNECT_TIMEOUT_MS * 5)
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'idle', restarts: 0, playGeneration: 0 })
  })

  test('with a URL-signed push, room events are ignored and codes keep their meaning', () => {
    setup()
    const event = parseTrtcRoomEvent(-100018, '')
    if (event !== null) media.roomEvent(event)
    expect(store.getState().ui.modal).toBeNull()
    media.pusherCode(-100018)
    expect(store.getState().ui.modal).toMatchObject({ code: -100018 })
  })
})
