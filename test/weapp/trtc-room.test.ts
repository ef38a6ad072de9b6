/** @jest-environment jsdom */
/**
 * The compiled mini program in a TRTC meeting: a room service running the
 * `trtc` provider (room:// push URLs with a UserSig and a PrivateMapKey),
 * its TRTC REST API a loopback endpoint that checks every call's TC3
 * signature (test/server/helpers/fake-trtc-api.ts). The fake wx plays the
 * native pusher's part: the room events arrive as `bindstatechange` with
 * `detail.message` in the payload shapes of shared/reference/trtc.md §2.
 *
 * The build points at the run's room service (global-setup.ts, local
 * provider, unchanged); this file starts its own trtc service and routes
 * the app's traffic for that address to it (fake-network.ts routeHost),
 * as a hosts-file entry would.
 */
import http from 'node:http'
import { CALLS_PATH, type FakeTrtcCall } from '../server/helpers/fake-trtc-api'
import { FULL, privilegesOf, SDK_APP_ID } from '../server/helpers/trtc'
import { TRTC_PRIVILEGES as P } from '../../server/media/trtc-usersig'
import { parseTrtcPushUrl } from '../../src/core/trtc'
import { routeHost } from './fake-network'
import { SERVICE_URL, unloadAll, waitFor, type PageHandle } from './harness'
import { framesOf, Others, openMeeting, sentFrames } from './meeting'

/** Started by global-setup.ts (startTrtcService). */
const TRTC_SERVICE_URL = String(process.env.WEAPP_TRTC_SERVICE_URL)
const TRTC_API_URL = String(process.env.WEAPP_TRTC_API_URL)

/** What the fake TRTC API was asked so far (DELETE: and forget it). */
function apiCalls(method: 'GET' | 'DELETE' = 'GET'): Promise<FakeTrtcCall[]> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${TRTC_API_URL}${CALLS_PATH}`, { method, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeTrtcCall[]))
    })
    req.on('error', reject)
    req.end()
  })
}

const others = new Others(TRTC_SERVICE_URL)
let unroute: () => void

beforeAll(() => {
  unroute = routeHost(new URL(SERVICE_URL).host, new URL(TRTC_SERVICE_URL).host)
})
afterAll(() => unroute())
beforeEach(async () => {
  await apiCalls('DELETE')
})
afterEach(async () => {
  await unloadAll()
  others.dispose()
})

const userlist = (list: object[]) => JSON.stringify({ userlist: list })
const starts = (page: PageHandle) => page.wx.pusherContexts.flatMap((c) => c.methods()).filter((m) => m === 'start').length
/** The remote tiles on the page (a gone slot keeps its place, hidden, and is not one). */
const remoteTiles = (page: PageHandle) => page.findAll('.video-grid .tile').filter((t) => !t.classes.includes('tile--gone'))
/** The one remote tile of these tests. */
const tileOf = (page: PageHandle) => {
  const [tile] = remoteTiles(page)
  if (tile === undefined) throw new Error(`no remote tile:\n${page.markup()}`)
  return tile
}

test('the grid follows 1018 → 1031 → 1033 (video) → 1034 → 1033 (no video) → 1032, and the tile stays', async () => {
  const { page, room, remotes, meetingId, selfId } = await openMeeting(others, { remotes: 1 })
  const r1 = remotes[0]
  const modalsBefore = page.wx.modals.length
  // The pusher enters the participant's TRTC room; as trtc-wx does, autopush is off and start() follows the url.
  const push = parseTrtcPushUrl(String(room.pusherAttr('url')))
  expect(push).toMatchObject({ sdkAppId: SDK_APP_ID, strRoomId: meetingId, userId: selfId })
  expect(room.pusherAttr('autopush')).toBe(false)
  await page.waitFor(() => starts(page) >= 1, 'start() on the pusher once it has its url')
  // R1's tile is there from the room service; its player waits for R1's stream.
  expect(room.playerAttr(0, 'src')).toBe(r1.playUrl)
  expect(tileOf(page).classes).toContain('tile--idle')

  await room.firePusherStateChange(1018, 'onEnterRoom success, time cost[230]')
  expect(page.find('live-pusher')).toBeDefined()
  await room.firePusherStateChange(1031, userlist([{ userid: r1.id }]))
  expect(tileOf(page).text()).toContain('未开启摄像头和麦克风')

  // The native side names the player's src in the payload: the tile takes it over the service's.
  const eventUrl = `room://rtc.tencent.com?userid=${r1.id}&streamtype=main`
  await room.firePusherStateChange(1033, userlist([{ userid: r1.id, playurl: eventUrl, streamtype: 'main', hasvideo: true }]))
  expect(room.playerAttr(0, 'src')).toBe(eventUrl)
  expect(tileOf(page).classes).toContain('tile--connecting')
  await room.firePlayerStateChange(0, 2004)
  expect(tileOf(page).classes).toContain('tile--live')
  const livePlayer = room.player(0).attr('data-sid')

  await room.firePusherStateChange(1034, userlist([{ userid: r1.id, playurl: eventUrl, hasaudio: true }]))
  await room.firePusherStateChange(1033, userlist([{ userid: r1.id, playurl: eventUrl, streamtype: 'main', hasvideo: false }]))
  // Audio still flows: the same player keeps playing.
  expect(room.player(0).attr('data-sid')).toBe(livePlayer)
  expect(tileOf(page).classes).toContain('tile--live')

  await room.firePusherStateChange(1032, userlist([{ userid: r1.id }]))
  // TRTC says R1 is gone; the room service says R1 is in the meeting: the tile stays, and says why it is dark.
  expect(remoteTiles(page)).toHaveLength(1)
  expect(tileOf(page).classes).toContain('tile--idle')
  expect(tileOf(page).text()).toContain('未开启摄像头和麦克风')
  expect(page.wx.modals.length).toBe(modalsBefore)

  // Only the room service removes a tile.
  await r1.client.leave()
  await page.waitFor(() => room.players().length === 0, 'R1’s tile to go when R1 leaves the meeting')
})

test('host mute: a new PrivateMapKey without send-audio reaches the pusher, which enters again', async () => {
  const { page, room, remotes, selfId } = await openMeeting(others, { remotes: 1, role: 'participant' })
  const before = String(room.pusherAttr('url'))
  expect(privilegesOf(before)).toBe(FULL)
  await room.firePusherStateChange(1018, 'onEnterRoom success, time cost[120]')
  const startsBefore = starts(page)

  await remotes[0].client.muteMic(selfId)
  await page.waitFor(() => room.pusherAttr('url') !== before, 'the pusher to get the new credentials')
  const muted = String(room.pusherAttr('url'))
  expect(privilegesOf(muted)).toBe(FULL & ~P.sendAudio)
  expect(privilegesOf(muted)).toBe(187)
  expect(parseTrtcPushUrl(muted)).toMatchObject({ userId: selfId })
  expect(room.pusherAttr('enable-mic')).toBe(false)
  await page.waitFor(() => starts(page) > startsBefore, 'start() with the new url')
})

test('removal: the fake TRTC API receives a correctly signed RemoveUserByStrRoomId, the page says why', async () => {
  const { page, remotes, selfId, meetingId } = await openMeeting(others, { remotes: 1, role: 'participant' })
  const modalsBefore = page.wx.modals.length
  await remotes[0].client.removeParticipant(selfId)
  let calls = await apiCalls()
  // The service batches removals per room and tick: poll (at most 5 s).
  for (let i = 0; i < 50 && calls.length === 0; i++) {
    await page.wait(100)
    calls = await apiCalls()
  }
  expect(calls).toEqual([
    { action: 'RemoveUserByStrRoomId', region: 'ap-guangzhou', body: { SdkAppId: SDK_APP_ID, RoomId: meetingId, UserIds: [selfId] }, signatureProblem: null },
  ])
  await page.waitFor(() => page.wx.modals.slice(modalsBefore).some((m) => m.content === '你已被主持人移出会议'), 'the removal to be explained')
})

test('1019 with a non-zero reason (TRTC put us out): the session ends as removed, the service is told', async () => {
  const { page, room, remotes, selfId } = await openMeeting(others, { remotes: 1 })
  await room.firePusherStateChange(1018, 'onEnterRoom success, time cost[80]')
  const modalsBefore = page.wx.modals.length
  await room.firePusherStateChange(1019, 'onExitRoom reason[1]')
  await page.waitFor(() => page.wx.modals.slice(modalsBefore).some((m) => m.content === '你已被主持人移出会议'), 'the session to end as removed')
  await waitFor(() => !remotes[0].store.getState().participants.order.includes(selfId), 'R1 to see the attendee go')
})

test('-100018: fresh credentials once (renew_media_credentials → a new UserSig in the url); a second: the user is asked to leave', async () => {
  const { page, room, socket } = await openMeeting(others, { remotes: 1 })
  const before = String(room.pusherAttr('url'))
  const modalsBefore = page.wx.modals.length
  // A UserSig is signed to the second: fresh ones differ from the join's only a second later (as they would on a phone).
  await page.wait(1_100)
  await room.firePusherStateChange(-100018, 'ERR_USERSIG_INVALID')
  await page.waitFor(() => room.pusherAttr('url') !== before, 'the pusher to get fresh credentials')
  expect(framesOf(sentFrames(socket), 'renew_media_credentials')).toHaveLength(1)
  const renewed = parseTrtcPushUrl(String(room.pusherAttr('url')))
  expect(renewed?.userSig).not.toBe(parseTrtcPushUrl(before)?.userSig)
  expect(page.wx.modals.length).toBe(modalsBefore)

  await room.firePusherStateChange(-100018, 'ERR_USERSIG_INVALID')
  await page.waitFor(() => page.wx.modals.slice(modalsBefore).some((m) => String(m.content).includes('会议凭证无效或已过期')), 'the modal offering to leave')
  expect(framesOf(sentFrames(socket), 'renew_media_credentials')).toHaveLength(1)
})
