/** @jest-environment jsdom */
/**
 * The compiled home and pre-join pages against the test run's room service:
 * what the user types goes in as WeChat `input` events, the buttons are
 * tapped, and the app creates / joins meetings over real HTTP and WebSockets
 * (only `wx` is fake).
 */
import type { HelloMessage } from '../../src/core/protocol'
import type { FakeRequest } from './fake-wx'
import { loadPage, SERVICE_URL, unloadAll, waitFor, type PageHandle } from './harness'
import { Others, enterRoom, framesOf, homeDriver, openPreJoin, preJoinDriver, sentFrames, type HomeDriver, type PreJoinDriver } from './meeting'

const others = new Others()

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

async function openHome(): Promise<{ page: PageHandle; form: HomeDriver }> {
  const page = await loadPage('pages/home/index')
  return { page, form: homeDriver(page) }
}

/** Home → 加入会议 → the pre-join page; type the nickname there, tap 进入会议 and wait until the app is done. */
async function tryJoin(nickname: string, meetingId: string): Promise<{ page: PageHandle; form: PreJoinDriver }> {
  const { page } = await openPreJoin({ nickname: 'Someone', meetingId })
  const form = preJoinDriver(page)
  const navigations = page.wx.navigations.length
  await form.typeNickname(nickname)
  await form.tapJoin()
  await page.waitFor(() => page.wx.navigations.length > navigations || (!form.busy() && form.error() !== undefined), 'an answer')
  return { page, form }
}

test('发起会议 creates a meeting on the service, joins it as host over a socket, and opens the room', async () => {
  const { home, page, meetingId, socket, welcome } = await enterRoom({ nickname: 'Alice' })
  expect(meetingId).toMatch(/^\d{9}$/)
  const status = (r: FakeRequest) => (r.response && 'statusCode' in r.response ? r.response.statusCode : r.response)
  expect(home.wx.requests.slice(-2).map((r) => [r.method, r.url, status(r)])).toEqual([
    ['POST', `${SERVICE_URL}/v1/meetings`, 201],
    ['POST', `${SERVICE_URL}/v1/meetings/${meetingId}/join`, 200],
  ])
  expect(socket.url).toBe(`${SERVICE_URL.replace(/^http/, 'ws')}/v1/ws`)
  expect(framesOf<HelloMessage>(sentFrames(socket), 'hello')).toHaveLength(1)
  expect(welcome).toMatchObject({ role: 'host', resumed: false })
  expect(home.wx.navigations.slice(-2)).toEqual([
    expect.objectContaining({ api: 'navigateTo', url: '/packages/meeting/prejoin/index?create=1' }),
    expect.objectContaining({ api: 'redirectTo', url: `/packages/meeting/room/index?meetingId=${meetingId}` }),
  ])
  expect(page.get('.tile--local').text()).toContain('Alice')

  // The meeting is real: someone else can join it and sees Alice as its host.
  const bob = await others.join(meetingId, 'Bob')
  const alice = bob.store.getState().participants.byId[welcome.participantId]
  expect(alice).toMatchObject({ nickname: 'Alice', role: 'host' })
  await page.waitFor(() => page.findAll('live-player').length === 1, 'Bob’s tile')
})

test('加入会议 (id typed with spaces) joins an existing meeting as a participant', async () => {
  const { meetingId, host } = await others.createMeeting('Host')
  const spaced = `${meetingId.slice(0, 3)} ${meetingId.slice(3, 6)} ${meetingId.slice(6)}`
  const { page, welcome } = await enterRoom({ nickname: ' 小明 ', meetingId: spaced })
  expect(welcome).toMatchObject({ role: 'participant', meeting: { id: meetingId } })
  expect(page.get('live-player').attr('src')).toBe(host.playUrl)
  await waitFor(
    () => host.store.getState().participants.byId[welcome.participantId]?.nickname === '小明',
    'the host to see 小明 (trimmed)',
  )
})

test('a link to a meeting that does not exist: the pre-join says so from the look-up, and joins nothing', async () => {
  const { page } = await openPreJoin({ nickname: 'Alice', meetingId: '999999999' })
  const form = preJoinDriver(page)
  const sockets = page.wx.sockets.length
  await page.waitFor(() => form.error() !== undefined, 'the look-up answer')
  expect(form.error()).toBe('会议不存在或已结束，请核对会议号')
  expect(page.wx.requests.at(-1)).toMatchObject({ method: 'GET', url: `${SERVICE_URL}/v1/meetings/999999999`, response: { statusCode: 404 } })
  expect(page.wx.sockets.length).toBe(sockets)
})

test('a malformed meeting id is refused on the home page before any request', async () => {
  const { page, form } = await openHome()
  const requests = page.wx.requests.length
  const navigations = page.wx.navigations.length
  await form.typeNickname('Alice')
  await form.typeMeetingId('12345')
  await form.tapJoin()
  expect(form.error()).toBe('会议号是 9 位数字')
  expect(page.wx.requests.length).toBe(requests)
  expect(page.wx.navigations.length).toBe(navigations)
})

test('a locked meeting says so on the pre-join, which keeps what was typed', async () => {
  const { meetingId, host } = await others.createMeeting('Host')
  await host.client.lockRoom(true)
  const { page, form } = await tryJoin('Late', meetingId)
  expect(form.error()).toBe('主持人已锁定会议，暂时无法加入')
  expect(page.wx.requests.at(-1)?.response).toMatchObject({ statusCode: 403 })
  expect(form.nicknameInput().attr('value')).toBe('Late')
})

test('the pre-join previews the camera: a live-pusher with an empty url, autopush off', async () => {
  const { page } = await openPreJoin({ nickname: 'Alice', meetingId: '123456789' })
  const pusher = page.get('live-pusher')
  expect(pusher.attr('url') ?? '').toBe('')
  expect(pusher.attr('autopush')).not.toBe(true)
  expect(pusher.attr('enable-camera')).not.toBe(false)
  expect(pusher.attr('mode')).toBe('RTC')
})

test('the nickname is remembered: after a reload the home and pre-join pages are filled in', async () => {
  const { meetingId } = await others.createMeeting('Host')
  await enterRoom({ nickname: 'Ann Lee', meetingId })
  await unloadAll()
  const { form } = await openHome()
  expect(form.nicknameInput().attr('value')).toBe('Ann Lee')
  const { page: preJoin } = await openPreJoin({ nickname: 'Ann Lee', meetingId })
  expect(preJoinDriver(preJoin).nicknameInput().attr('value')).toBe('Ann Lee')
})

test('camera toggled off on the pre-join: the room’s pusher starts with the camera off, and the others see it', async () => {
  const { meetingId, host } = await others.createMeeting('Host')
  const { page, welcome } = await enterRoom({ nickname: 'Shy', meetingId, before: (f) => f.tapCamera() })
  expect(page.get('live-pusher').attr('enable-camera')).toBe(false)
  await waitFor(() => host.store.getState().participants.byId[welcome.participantId]?.cameraOn === false, 'the host to see the camera off')
})
