/** @jest-environment jsdom */
/**
 * A phone's day, on the compiled mini program: the media session
 * (src/services/media-session.ts) against the app and page lifecycle, the
 * network, calls, permissions and memory, as the fake wx delivers them. A
 * remount of a live-pusher / live-player (the media session's restart) shows
 * as a new element (a new Taro sid) in the rendered tree.
 */
import { framesOf, Others, openMeeting, sentFrames } from './meeting'
import { getWx, unloadAll, waitFor, type PageHandle, type WeappNode } from './harness'
import type { RoomDriver } from './room-driver'

const others = new Others()
let page: PageHandle
let room: RoomDriver

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

async function open(remotes: number) {
  const meeting = await openMeeting(others, { remotes })
  page = meeting.page
  room = meeting.room
  return meeting
}

const sid = (node: WeappNode): string => String(node.attr('data-sid'))
const playerSids = (): string[] => room.players().map(sid)

/** The app goes to the background as WeChat does it: the app hides, then its page. */
async function background() {
  page.wx.emitAppHide()
  await page.hide()
}
async function foreground() {
  page.wx.emitAppShow()
  await page.show()
}

test('hide → 5000 → show: the pusher is restarted, players added while hidden are created anew, the screen kept on', async () => {
  const { meetingId } = await open(1)
  await room.firePusherStateChange(1002)
  await room.firePlayerStateChange(0, 2004)
  const pusherBefore = sid(room.pusher())
  const [firstPlayer] = playerSids()

  await background()
  await room.firePusherStateChange(5000)
  // Nothing restarts into a hidden page.
  expect(sid(room.pusher())).toBe(pusherBefore)
  await others.join(meetingId, 'Late')
  await page.waitFor(() => room.players().length === 2, 'the late tile')
  const lateWhileHidden = playerSids()[1]
  await room.firePlayerStateChange(1, 2004)

  const screenOnBefore = page.wx.keepScreenOn.length
  await foreground()
  expect(sid(room.pusher())).not.toBe(pusherBefore)
  expect(room.pusherAttr('url')).toMatch(/^rtmp:\/\//)
  const [first, late] = playerSids()
  expect(late).not.toBe(lateWhileHidden)
  // The player that was there before the hide kept playing: not touched.
  expect(first).toBe(firstPlayer)
  expect(page.wx.keepScreenOn.slice(screenOnBefore)).toContain(true)
})

test('the others see the attendee away while hidden, and back after', async () => {
  const { remotes, selfId } = await open(1)
  await background()
  await waitFor(() => remotes[0].store.getState().participants.byId[selfId]?.away === true, 'R1 to see the attendee away')
  await foreground()
  await waitFor(() => remotes[0].store.getState().participants.byId[selfId]?.away === false, 'R1 to see the attendee back')
})

test('5001 while hidden restarts the push only once the page is shown', async () => {
  await open(0)
  await room.firePusherStateChange(1002)
  const before = sid(room.pusher())
  await background()
  await room.firePusherStateChange(5001)
  await page.wait(200)
  expect(sid(room.pusher())).toBe(before)
  await foreground()
  const restarted = sid(room.pusher())
  expect(restarted).not.toBe(before)
  // Once: nothing else is due.
  await page.wait(200)
  expect(sid(room.pusher())).toBe(restarted)
})

test('connecting with no 1002 / 2004: pusher and player are restarted after the 10 s deadline, and the tile says so', async () => {
  await open(1)
  const pusherBefore = sid(room.pusher())
  const [playerBefore] = playerSids()
  // The session started at join, on the home page; the deadline is 10 s from then.
  await page.waitFor(() => sid(room.pusher()) !== pusherBefore && playerSids()[0] !== playerBefore, 'both restarted by their deadline', {
    timeoutMs: 12_000,
  })
  expect(page.findAll('.video-grid .tile')[0].text()).toContain('重新连接中…')
})

test('Wi-Fi → 4G: push and each play restart once, though both onNetworkStatusChange and 1021 report it', async () => {
  await open(2)
  await room.firePusherStateChange(1002)
  await room.firePlayerStateChange(0, 2004)
  await room.firePlayerStateChange(1, 2004)
  const before = [sid(room.pusher()), ...playerSids()]
  page.wx.emitNetworkStatusChange({ isConnected: true, networkType: '4g' })
  await page.flush()
  const after = [sid(room.pusher()), ...playerSids()]
  after.forEach((s, i) => expect(s).not.toBe(before[i]))
  await room.firePusherStateChange(1021)
  expect([sid(room.pusher()), ...playerSids()]).toEqual(after)
  expect(page.wx.toasts.map((t) => t.title)).toContain('网络已切换，正在重新连接音视频')
})

test('offline: a "no network" banner, and back online the streams resume', async () => {
  await open(1)
  await room.firePlayerStateChange(0, 2004)
  const [before] = playerSids()
  page.wx.emitNetworkStatusChange({ isConnected: false, networkType: 'none' })
  await page.flush()
  expect(page.text()).toContain('没有网络，网络恢复后会议将自动继续')
  page.wx.emitNetworkStatusChange({ isConnected: true, networkType: 'wifi' })
  await page.waitFor(() => !page.text().includes('没有网络'), 'the banner to go')
  expect(playerSids()[0]).not.toBe(before)
})

test('camera refused in the room (binderror 10001): a modal explains, openSetting grants, the push starts again', async () => {
  await open(0)
  const before = sid(room.pusher())
  page.wx.permissions['scope.camera'] = false
  await room.firePusherError(10001, 'camera permission denied')
  await page.waitFor(() => page.wx.callsTo('openSetting').length === 1, 'openSetting')
  expect(page.wx.modals.at(-1)).toMatchObject({ confirmText: '去设置', cancelText: '关闭视频' })
  expect(page.wx.modals.at(-1)?.content).toContain('摄像头')
  await page.waitFor(() => sid(room.pusher()) !== before, 'the pusher to start again')
  expect(room.pusherAttr('enable-camera')).toBe(true)
  expect(room.pusherAttr('url')).toMatch(/^rtmp:\/\//)
})

test('camera refused before entering: the home page explains, openSetting grants, and the attendee enters with the camera on', async () => {
  const wx = getWx()
  wx.permissions['scope.camera'] = false
  const openSettingBefore = wx.callsTo('openSetting').length
  await open(0)
  expect(wx.callsTo('openSetting').length).toBe(openSettingBefore + 1)
  expect(wx.modals.some((m) => m.confirmText === '去设置' && String(m.content).includes('摄像头'))).toBe(true)
  expect(room.pusherAttr('enable-camera')).toBe(true)
})

test('camera refused before entering, and the attendee goes without: they enter with the camera off', async () => {
  const wx = getWx()
  wx.permissions['scope.camera'] = false
  wx.settingsAllow = false
  wx.modalResults.push({ confirm: false, cancel: true })
  try {
    const meeting = await openMeeting(others, { remotes: 1, role: 'participant' })
    ;({ page, room } = meeting)
    const { remotes, selfId } = meeting
    expect(room.pusherAttr('enable-camera')).toBe(false)
    expect(remotes[0].store.getState().participants.byId[selfId]).toMatchObject({ cameraOn: false })
  } finally {
    wx.settingsAllow = true
    wx.permissions['scope.camera'] = true
  }
})

test('a phone call: the banner says why, the push is paused and resumed', async () => {
  await open(0)
  page.wx.emitAudioInterruptionBegin()
  await page.flush()
  expect(page.text()).toContain('通话中，会议音视频已暂停')
  page.wx.emitAudioInterruptionEnd()
  await page.flush()
  expect(page.text()).not.toContain('通话中')
  const methods = page.wx.pusherContexts.flatMap((c) => c.methods())
  expect(methods.filter((m) => m === 'pause' || m === 'resume')).toEqual(['pause', 'resume'])
})

test('swipe back leaves once: the pusher stops first, one leave is sent, the others see the attendee go', async () => {
  const { remotes, selfId, socket } = await open(1)
  const socketsBefore = page.wx.sockets.length
  const ours = () => page.wx.sockets.slice(page.wx.sockets.indexOf(socket))
  const stopsBefore = page.wx.pusherContexts.flatMap((c) => c.methods()).filter((m) => m === 'stop').length
  // What R1 sees: present / absent, each time its store changes.
  const seen: boolean[] = []
  const unsubscribe = remotes[0].store.subscribe((s) => seen.push(s.participants.order.includes(selfId)))
  await page.unload()
  await waitFor(() => !remotes[0].store.getState().participants.order.includes(selfId), 'R1 to see the attendee leave')
  await page.wait(300)
  unsubscribe()
  // Gone once, and not back (no ghost rejoining, no second participant_left).
  expect(seen.filter((present, i) => !present && (i === 0 || seen[i - 1]))).toHaveLength(1)
  expect(seen.at(-1)).toBe(false)
  const leaves = ours().flatMap((s) => framesOf(sentFrames(s), 'leave'))
  expect(leaves).toHaveLength(1)
  expect(page.wx.sockets.length).toBe(socketsBefore)
  expect(page.wx.pusherContexts.flatMap((c) => c.methods()).filter((m) => m === 'stop').length).toBe(stopsBefore + 1)
})
