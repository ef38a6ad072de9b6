/**
 * The browser room when the service hands out room:// URLs: the H5
 * PusherView / PlayerView go through the TRTC adapter (trtc-media.h5.tsx →
 * trtc-room.h5.ts), and what the SDK reports reaches the media session as
 * the same room events the weapp pusher gives (wired as useLocalTile wires
 * them): 1018 ends the connect deadline, remote streams fill the store's
 * remoteStreams, a user whose streams went away keeps its tile, KICKED_OUT
 * ends the session, a refused UserSig asks for fresh credentials once.
 * trtc-sdk-v5 is replaced at its boundary (it needs Tencent's servers) by
 * the stand-in the adapter's unit test uses.
 */
import { act, render } from '@testing-library/react'
import { buildTrtcPlayUrl, buildTrtcPushUrl } from '../../src/core/trtc'
import { MediaSession, type MediaPlatform } from '../../src/services/media-session'
import { createMeetingStore, selectPlayUrl, type MeetingStore } from '../../src/store'
import { PlayerView, PusherView } from '../../src/platform/live-media.h5'
import { EVENT, FakeClient } from '../mocks/trtc-sdk'

const mockClients: FakeClient[] = []
/** What the next client's enterRoom does (the SDK's promise). */
let mockEnter: () => Promise<void> = async () => {}
jest.mock('trtc-sdk-v5', () => {
  const sdk = jest.requireActual<typeof import('../mocks/trtc-sdk')>('../mocks/trtc-sdk')
  return {
    __esModule: true,
    default: {
      create: () => {
        const c = new sdk.FakeClient()
        c.enterResult = () => mockEnter()
        mockClients.push(c)
        return c
      },
      EVENT: sdk.EVENT,
    },
  }
})

const PUSH = buildTrtcPushUrl({
  sdkAppId: 1400000000,
  strRoomId: '123456789',
  userId: 'pSelf000001',
  userSig: 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBalKllZmJnAhIoz05WslIL93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDPH1ywpJtlWoBGRkxcA__',
  privateMapKey: 'eJw1jd0KgjAYhm9ldFywmS7tLLBO-QAuvpm8pr9Qbn3Y2fOPx9_eA',
})
const REMOTE = 'pRemote0001'

const platform: MediaPlatform = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  watch: () => () => undefined,
  currentNetwork: async () => ({ online: true, networkType: 'wifi' }),
  keepScreenOn: () => undefined,
  pausePush: () => undefined,
  resumePush: () => undefined,
  stopPush: () => undefined,
  askForPermission: async () => ({ camera: true, mic: true }),
}

let store: MeetingStore
let media: MediaSession
let asked: string[]
let removed: (number | null)[]

function renderRoom() {
  store = createMeetingStore()
  asked = []
  removed = []
  media = new MediaSession({
    store,
    platform,
    credentials: { renew: () => asked.push('renew'), useRenewed: () => asked.push('useRenewed') },
    onRemovedFromRoom: (reason) => removed.push(reason),
  })
  store.getState().joined({ id: 'pSelf000001', nickname: 'Me', role: 'host', pushUrl: PUSH }, 0)
  store.getState().gridAreaMeasured({ width: 375, height: 579 })
  store.getState().participantsReplaced([
    { id: REMOTE, nickname: 'R', role: 'participant', micOn: true, cameraOn: true, mutedByHost: false, away: false, playUrl: buildTrtcPlayUrl(REMOTE) },
  ])
  media.start()
  // What useLocalTile / useRemoteTile hand the views.
  return render(
    <>
      <PusherView
        url={PUSH}
        minBitrateKbps={200}
        maxBitrateKbps={1000}
        audioQuality='high'
        enableMic
        enableCamera
        devicePosition='front'
        onStateChange={(code) => media.pusherCode(code)}
        onNetStatus={(s) => media.pusherNetStatus(s)}
        onError={(code) => media.pusherError(code)}
        onRoomEvent={(e) => media.roomEvent(e)}
      />
      <PlayerView src={selectPlayUrl(REMOTE)(store.getState())} onStateChange={(code) => media.playerCode(REMOTE, code)} onNetStatus={() => {}} />
    </>,
  )
}

const settle = () => act(async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0))
})
const client = () => mockClients[mockClients.length - 1]

afterEach(() => {
  media.dispose()
})

test('entering the TRTC room ends the connect deadline; remote streams reach the store; a user whose streams went away keeps its tile', async () => {
  const view = renderRoom()
  await settle()
  expect(client().named('enterRoom')).toEqual([expect.objectContaining({ strRoomId: '123456789', userId: 'pSelf000001', scene: 'rtc' })])
  expect(store.getState().publisher.media).toBe('live')
  expect(media.snapshot().streams.push?.deadline).toBeNull()

  act(() => {
    client().fire(EVENT.REMOTE_USER_ENTER, { userId: REMOTE })
    client().fire(EVENT.REMOTE_VIDEO_AVAILABLE, { userId: REMOTE, streamType: 'main' })
  })
  expect(store.getState().media.remoteStreams[REMOTE]).toEqual({ playUrl: buildTrtcPlayUrl(REMOTE), hasVideo: true, hasAudio: false })
  act(() => {
    client().fire(EVENT.REMOTE_AUDIO_AVAILABLE, { userId: REMOTE })
    client().fire(EVENT.REMOTE_VIDEO_UNAVAILABLE, { userId: REMOTE, streamType: 'main' })
  })
  expect(store.getState().media.remoteStreams[REMOTE]).toMatchObject({ hasVideo: false, hasAudio: true })
  act(() => client().fire(EVENT.REMOTE_USER_EXIT, { userId: REMOTE }))
  expect(store.getState().media.remoteStreams[REMOTE]).toMatchObject({ hasVideo: false, hasAudio: false })
  // Membership is the room service's: still there, idle (nothing to play), not failing.
  expect(store.getState().participants.order).toEqual([REMOTE])
  expect(store.getState().participants.byId[REMOTE]).toMatchObject({ media: 'idle', restarts: 0 })
  view.unmount()
})

test('KICKED_OUT ends the session as removed', async () => {
  const view = renderRoom()
  await settle()
  act(() => client().fire(EVENT.KICKED_OUT, { reason: 'kick' }))
  expect(removed).toHaveLength(1)
  expect(removed[0]).not.toBe(0)
  view.unmount()
})

test('enterRoom refused with -100018 (an RtcError with extraCode): fresh credentials once, no modal', async () => {
  mockEnter = () => Promise.reject({ code: 5400, extraCode: -100018, message: 'enter room failed' })
  try {
    const view = renderRoom()
    await settle()
    expect(asked).toEqual(['renew'])
    expect(store.getState().ui.modal).toBeNull()
    expect(store.getState().publisher.media).toBe('reconnecting')
    view.unmount()
  } finally {
    mockEnter = async () => {}
  }
})
