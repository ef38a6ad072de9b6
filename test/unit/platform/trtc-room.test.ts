/**
 * The H5 TRTC adapter against a stand-in for trtc-sdk-v5's client at its
 * boundary (the real SDK needs Tencent's servers). The stand-in uses the
 * SDK's own event names, read from its type declarations, and answers
 * calls the way the SDK documents (promises that resolve or reject with an
 * RtcError-shaped {code, extraCode, message}). What the adapter reports must
 * read back, through src/core/trtc.ts, as the same room events the weapp
 * pusher gives.
 */
import type { NetStatus } from '../../../src/core/netstatus'
import { buildTrtcPlayUrl, buildTrtcPushUrl, parseTrtcRoomEvent, type TrtcRoomEvent } from '../../../src/core/trtc'
import { TrtcRoomSession, type PusherSettings, type TrtcSdkSlice } from '../../../src/platform/trtc-room.h5'
import { EVENT, FakeClient } from '../../mocks/trtc-sdk'

const PUSH = {
  sdkAppId: 1400000000,
  strRoomId: '123456789',
  userId: 'pSelf000001',
  userSig: 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBalKllZmJnAhIoz05WslIL93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDPH1ywpJtlWoBGRkxcA__',
  privateMapKey: 'eJw1jd0KgjAYhm9ldFywmS7tLLBO-QAuvpm8pr9Qbn3Y2fOPx9_eA',
}
const SETTINGS: PusherSettings = { enableMic: true, enableCamera: true, devicePosition: 'front' }
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function setup() {
  const clients: FakeClient[] = []
  const sdk: TrtcSdkSlice = {
    create: () => {
      const c = new FakeClient()
      clients.push(c)
      return c
    },
    EVENT,
  }
  const session = new TrtcRoomSession(async () => sdk)
  const codes: [number, string][] = []
  const stats: NetStatus[] = []
  const pusher = { code: (code: number, message: string) => codes.push([code, message]), netStatus: (s: NetStatus) => stats.push(s) }
  const view = { id: 'local-view' } as unknown as HTMLElement
  /** What the media session would read from the codes: the room events, through the weapp parser. */
  const roomEvents = (): (TrtcRoomEvent | null)[] => codes.map(([code, message]) => parseTrtcRoomEvent(code, message, () => {}))
  return { clients, session, codes, stats, pusher, view, roomEvents, client: () => clients[clients.length - 1] }
}

describe('the SDK boundary', () => {
  test("the stand-in's event names are the SDK's (read from trtc-sdk-v5's declarations)", () => {
    expect(EVENT.REMOTE_VIDEO_AVAILABLE).toBe('remote-video-available')
    expect(EVENT.KICKED_OUT).toBe('kicked-out')
    expect(Object.keys(EVENT).length).toBeGreaterThan(13)
  })
})

describe('TrtcRoomSession: the pusher', () => {
  test('enters the string room of the push URL with its credentials, then reports 1018 and the camera (1003)', async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    expect(t.client().named('enterRoom')).toEqual([
      { sdkAppId: 1400000000, userId: 'pSelf000001', userSig: PUSH.userSig, strRoomId: '123456789', privateMapKey: PUSH.privateMapKey, scene: 'rtc' },
    ])
    expect(t.client().named('startLocalVideo')).toEqual([{ view: t.view, option: { useFrontCamera: true, mirror: true } }])
    expect(t.client().named('startLocalAudio')).toHaveLength(1)
    expect(t.codes.map(([c]) => c)).toEqual([1018, 1003])
    expect(t.roomEvents()[0]).toMatchObject({ kind: 'entered' })
  })

  test.each([
    ['SERVER_ERROR with extraCode -100018', { code: 5400, extraCode: -100018, message: 'failed' }, { kind: 'bad_credentials' }, -100018],
    ['a message naming the userSig', { code: 5400, message: 'userSig is expired' }, { kind: 'bad_credentials' }, -100018],
    ['service suspended (-100013)', { code: 5400, extraCode: -100013, message: 'failed' }, { kind: 'enter_failed', errorCode: -100013 }, 1022],
    ['a PrivateMapKey refused (-100006)', { code: 5400, extraCode: -100006, message: 'failed' }, { kind: 'enter_failed', errorCode: -100006 }, 1022],
    ['an error without extraCode', { code: 5500, message: 'operation failed' }, { kind: 'enter_failed', errorCode: 5500 }, 1022],
  ])('enterRoom rejects with %s: %j, as the weapp pusher would report it', async (_name, rejection, event, code) => {
    const t = setup()
    const sdk: TrtcSdkSlice = {
      create: () => {
        const c = new FakeClient()
        c.enterResult = () => Promise.reject(rejection)
        t.clients.push(c)
        return c
      },
      EVENT,
    }
    const session = new TrtcRoomSession(async () => sdk)
    await session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    expect(t.codes.map(([c]) => c)).toEqual([code])
    expect(t.roomEvents()).toEqual([event])
    expect(t.client().named('startLocalVideo')).toEqual([])
    expect(t.client().listenerCount()).toBe(0)
  })

  test.each([
    ['camera', 'localVideoResult', -1301],
    ['microphone', 'localAudioResult', -1302],
  ] as const)('the %s refused (DEVICE_ERROR 5300, from %s) → %i, as the weapp pusher reports it', async (_device, which, code) => {
    const t = setup()
    const sdk: TrtcSdkSlice = {
      create: () => {
        const c = new FakeClient()
        c[which] = () => Promise.reject({ code: 5300, extraCode: 5302, message: 'NotAllowedError' })
        t.clients.push(c)
        return c
      },
      EVENT,
    }
    await new TrtcRoomSession(async () => sdk).enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    expect(t.codes).toContainEqual([code, 'NotAllowedError'])
  })

  test('not a TRTC push URL → 1022 (-3316, empty parameters), nothing loaded', async () => {
    const t = setup()
    await t.session.enter('rtmp://push.example.com/live/s?txSecret=a&txTime=b', SETTINGS, t.view, t.pusher)
    expect(t.codes).toEqual([[1022, 'onEnterRoom failed, error code[-3316]']])
    expect(t.clients).toEqual([])
  })

  test('the SDK chunk failing to load → 1022 with the reason', async () => {
    const t = setup()
    const session = new TrtcRoomSession(() => Promise.reject(new Error('ChunkLoadError')))
    await session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    expect(t.codes).toHaveLength(1)
    expect(t.codes[0][0]).toBe(1022)
    expect(t.codes[0][1]).toMatch(/ChunkLoadError/)
  })

  test('mic and camera follow the attributes: mute keeps the mic open; camera off stops capture; flipping the camera restarts it', async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    t.session.update({ ...SETTINGS, enableMic: false })
    await flush()
    expect(t.client().named('updateLocalAudio')).toEqual([{ mute: true }])
    t.session.update({ ...SETTINGS, enableMic: false, enableCamera: false })
    await flush()
    expect(t.client().named('stopLocalVideo')).toHaveLength(1)
    t.session.update({ ...SETTINGS, enableMic: true, enableCamera: true, devicePosition: 'back' })
    await flush()
    expect(t.client().named('startLocalVideo').slice(-1)).toEqual([{ view: t.view, option: { useFrontCamera: false, mirror: false } }])
    expect(t.client().named('updateLocalAudio').slice(-1)).toEqual([{ mute: false }])
  })

  test('new credentials (media_credentials "privileges") re-enter: the old client exits, a new one enters with the new key', async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    const first = t.client()
    await t.session.enter(buildTrtcPushUrl({ ...PUSH, privateMapKey: 'eJwNEWKEY' }), SETTINGS, t.view, t.pusher)
    expect(first.named('exitRoom')).toHaveLength(1)
    expect(first.destroyed).toBe(true)
    expect(first.listenerCount()).toBe(0)
    expect(t.clients).toHaveLength(2)
    expect(t.client().named('enterRoom')).toEqual([expect.objectContaining({ privateMapKey: 'eJwNEWKEY' })])
  })

  test('leaving while enterRoom is still pending: the late answer reports nothing', async () => {
    const t = setup()
    let resolveEnter: () => void = () => {}
    const sdk: TrtcSdkSlice = {
      create: () => {
        const c = new FakeClient()
        c.enterResult = () => new Promise<void>((resolve) => (resolveEnter = resolve))
        t.clients.push(c)
        return c
      },
      EVENT,
    }
    const session = new TrtcRoomSession(async () => sdk)
    const entering = session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    await flush()
    await session.leave()
    resolveEnter()
    await entering
    expect(t.codes).toEqual([])
    expect(t.client().named('startLocalVideo')).toEqual([])
  })

  test('kicked out (RemoveUser) → 1019 reason[1]; room dismissed → 1019 reason[2]; both read as kicked', async () => {
    for (const [reason, code] of [['kick', 1], ['room_disband', 2]] as const) {
      const t = setup()
      await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
      t.client().fire(EVENT.KICKED_OUT, { reason })
      expect(t.codes.slice(-1)).toEqual([[1019, `onExitRoom reason[${code}]`]])
      expect(t.roomEvents().slice(-1)).toEqual([{ kind: 'left', reason: code, kicked: true }])
      expect(t.client().listenerCount()).toBe(0)
    }
  })

  test('reconnecting → 1102, reconnected → 1001; an unrecoverable ERROR → -1307', async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    t.client().fire(EVENT.CONNECTION_STATE_CHANGED, { prevState: 'CONNECTED', state: 'RECONNECTING' })
    t.client().fire(EVENT.CONNECTION_STATE_CHANGED, { prevState: 'RECONNECTING', state: 'CONNECTED' })
    t.client().fire(EVENT.ERROR, { code: 5500, message: 'gone' })
    expect(t.codes.map(([c]) => c).slice(2)).toEqual([1102, 1001, -1307])
  })

  test('leave: exitRoom, destroy, every listener removed', async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    const client = t.client()
    expect(client.listenerCount()).toBeGreaterThan(10)
    await t.session.leave()
    expect(client.named('exitRoom')).toHaveLength(1)
    expect(client.destroyed).toBe(true)
    expect(client.listenerCount()).toBe(0)
  })
})

describe('TrtcRoomSession: remote users as the weapp pusher reports them', () => {
  test("the issue's sequence 1018 → 1031 → 1033 (video) → 1034 → 1033 (no video) → 1032 reads back as the weapp events", async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    const c = t.client()
    c.fire(EVENT.REMOTE_USER_ENTER, { userId: 'pB' })
    c.fire(EVENT.REMOTE_VIDEO_AVAILABLE, { userId: 'pB', streamType: 'main' })
    c.fire(EVENT.REMOTE_AUDIO_AVAILABLE, { userId: 'pB' })
    c.fire(EVENT.REMOTE_VIDEO_UNAVAILABLE, { userId: 'pB', streamType: 'main' })
    c.fire(EVENT.REMOTE_USER_EXIT, { userId: 'pB' })
    const main = buildTrtcPlayUrl('pB', 'main')
    expect(t.codes.map(([code]) => code)).toEqual([1018, 1003, 1031, 1033, 1034, 1033, 1032])
    expect(t.roomEvents().slice(2)).toEqual([
      { kind: 'users_entered', userIds: ['pB'] },
      { kind: 'video', changes: [{ userId: 'pB', playUrl: main, streamType: 'main', hasVideo: true }] },
      { kind: 'audio', changes: [{ userId: 'pB', playUrl: main, streamType: 'main', hasAudio: true }] },
      { kind: 'video', changes: [{ userId: 'pB', playUrl: main, streamType: 'main', hasVideo: false }] },
      { kind: 'users_left', userIds: ['pB'] },
    ])
  })

  test("a screen share ('sub') is the mini program's aux stream", async () => {
    const t = setup()
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    t.client().fire(EVENT.REMOTE_VIDEO_AVAILABLE, { userId: 'pB', streamType: 'sub' })
    expect(t.roomEvents().slice(-1)).toEqual([
      { kind: 'video', changes: [{ userId: 'pB', playUrl: buildTrtcPlayUrl('pB', 'aux'), streamType: 'aux', hasVideo: true }] },
    ])
  })
})

describe('TrtcRoomSession: players', () => {
  test('a player waits for the stream, plays it into its view (2001, 2004), and stops it when detached', async () => {
    const t = setup()
    const playerCodes: number[] = []
    const view = { id: 'tile-pB' } as unknown as HTMLElement
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    const detach = t.session.attachPlayer(buildTrtcPlayUrl('pB'), view, { code: (c) => playerCodes.push(c), netStatus: () => {} })
    await flush()
    expect(t.client().named('startRemoteVideo')).toEqual([])
    t.client().fire(EVENT.REMOTE_VIDEO_AVAILABLE, { userId: 'pB', streamType: 'main' })
    await flush()
    expect(t.client().named('startRemoteVideo')).toEqual([{ userId: 'pB', streamType: 'main', view }])
    t.client().fire(EVENT.VIDEO_PLAY_STATE_CHANGED, { userId: 'pB', streamType: 'main', state: 'PLAYING', reason: 'playing' })
    t.client().fire(EVENT.VIDEO_PLAY_STATE_CHANGED, { userId: 'pOther', streamType: 'main', state: 'PLAYING', reason: 'playing' })
    expect(playerCodes).toEqual([2001, 2004])
    detach()
    expect(t.client().named('stopRemoteVideo')).toEqual([{ userId: 'pB', streamType: 'main' }])
  })

  test('a player attached before the pusher entered starts once the room is entered and the stream is there', async () => {
    const t = setup()
    const playerCodes: number[] = []
    const view = { id: 'tile-pB' } as unknown as HTMLElement
    t.session.attachPlayer(buildTrtcPlayUrl('pB'), view, { code: (c) => playerCodes.push(c), netStatus: () => {} })
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    t.client().fire(EVENT.REMOTE_VIDEO_AVAILABLE, { userId: 'pB', streamType: 'main' })
    await flush()
    expect(t.client().named('startRemoteVideo')).toEqual([{ userId: 'pB', streamType: 'main', view }])
    // Camera off and on again: the SDK stops the view, and the player starts it again.
    t.client().fire(EVENT.REMOTE_VIDEO_UNAVAILABLE, { userId: 'pB', streamType: 'main' })
    t.client().fire(EVENT.REMOTE_VIDEO_AVAILABLE, { userId: 'pB', streamType: 'main' })
    await flush()
    expect(t.client().named('startRemoteVideo')).toHaveLength(2)
    expect(playerCodes).toEqual([2001, 2001])
  })

  test('not a room:// play URL → -2302, as a player that cannot get its address', () => {
    const t = setup()
    const playerCodes: number[] = []
    t.session.attachPlayer('http://127.0.0.1:8000/live/s.flv', {} as HTMLElement, { code: (c) => playerCodes.push(c), netStatus: () => {} })
    expect(playerCodes).toEqual([-2302])
  })

  test('STATISTICS (every 2 s) → the pusher netstatus, and each player its user\'s, in kbps', async () => {
    const t = setup()
    const playerStats: NetStatus[] = []
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, t.pusher)
    t.session.attachPlayer(buildTrtcPlayUrl('pB'), {} as HTMLElement, { code: () => {}, netStatus: (s) => playerStats.push(s) })
    t.client().fire(EVENT.NETWORK_QUALITY, { uplinkNetworkQuality: 2, downlinkNetworkQuality: 1, uplinkRTT: 40, uplinkLoss: 0, downlinkRTT: 40, downlinkLoss: 0 })
    t.client().fire(EVENT.STATISTICS, {
      rtt: 40,
      upLoss: 0,
      downLoss: 0,
      bytesSent: 0,
      bytesReceived: 0,
      localStatistics: { audio: { bitrate: 32, audioLevel: 0.1 }, video: [{ width: 640, height: 360, frameRate: 15, bitrate: 480, videoType: 'big' }] },
      remoteStatistics: [
        { userId: 'pB', audio: { bitrate: 30, audioLevel: 0, jitterBufferDelay: 60 }, video: [{ width: 320, height: 180, frameRate: 15, bitrate: 250, videoType: 'big', jitterBufferDelay: 80 }] },
        { userId: 'pC', audio: { bitrate: 1, audioLevel: 0, jitterBufferDelay: 0 }, video: [] },
      ],
    })
    expect(t.stats).toEqual([{ videoBitrate: 480, audioBitrate: 32, netSpeed: 512, videoFPS: 15, videoWidth: 640, videoHeight: 360, netQualityLevel: 2 }])
    expect(playerStats).toEqual([
      { videoBitrate: 250, audioBitrate: 30, netSpeed: 280, videoFPS: 15, videoWidth: 320, videoHeight: 180, videoCache: 80, audioCache: 60 },
    ])
  })
})

// who is speaking
describe('TrtcRoomSession: audio levels (AUDIO_VOLUME)', () => {
  test('asks for levels every 300 ms and hands the local one to the pusher, each remote’s to its main player', async () => {
    const t = setup()
    const selfLevels: number[] = []
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, { ...t.pusher, volume: (v) => selfLevels.push(v) })
    expect(t.client().named('enableAudioVolumeEvaluation')).toEqual([300])
    const levels: Record<string, number[]> = { pB: [], pC: [] }
    const view = {} as HTMLElement
    for (const id of ['pB', 'pC']) t.session.attachPlayer(buildTrtcPlayUrl(id), view, { code: () => {}, netStatus: () => {}, volume: (v) => levels[id].push(v) })
    // As the SDK documents it: sorted loudest first, '' is the local microphone.
    t.client().fire(EVENT.AUDIO_VOLUME, { result: [{ userId: 'pC', volume: 61, floatVolume: 0.61 }, { userId: '', volume: 12, floatVolume: 0.12 }, { userId: 'pB', volume: 0, floatVolume: 0 }, { userId: 'pZ', volume: 40, floatVolume: 0.4 }] })
    expect(selfLevels).toEqual([12])
    expect(levels).toEqual({ pB: [0], pC: [61] })
  })

  test('a malformed event is ignored', async () => {
    const t = setup()
    const selfLevels: number[] = []
    await t.session.enter(buildTrtcPushUrl(PUSH), SETTINGS, t.view, { ...t.pusher, volume: (v) => selfLevels.push(v) })
    t.client().fire(EVENT.AUDIO_VOLUME, {})
    t.client().fire(EVENT.AUDIO_VOLUME, { result: [{ userId: '', volume: 'loud' }] })
    t.client().fire(EVENT.AUDIO_VOLUME, undefined)
    expect(selfLevels).toEqual([])
  })
})
