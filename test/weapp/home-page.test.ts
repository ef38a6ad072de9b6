/** @jest-environment jsdom */
/**
 * The compiled home page against the test run's room service: what the user
 * types goes in as WeChat `input` events, the buttons are tapped, and the app
 * creates / joins meetings over real HTTP and WebSockets (only `wx` is fake).
 */
import type { HelloMessage } from '../../src/core/protocol'
import type { FakeRequest } from './fake-wx'
import { loadPage, SERVICE_URL, unloadAll, waitFor, type PageHandle } from './harness'
import { Others, enterRoom, framesOf, homeDriver, sentFrames, type HomeDriver } from './meeting'

const others = new Others()

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

async function openHome(): Promise<{ page: PageHandle; form: HomeDriver }> {
  const page = await loadPage('pages/home/index')
  return { page, form: homeDriver(page) }
}

/** Fill the form, tap 加入会议 and wait until the app is done (an error shows, or it navigates). */
async function tryJoin(page: PageHandle, form: HomeDriver, nickname: string, meetingId: string): Promise<void> {
  const navigations = page.wx.navigations.length
  await form.typeNickname(nickname)
  await form.typeMeetingId(meetingId)
  await form.tapJoin()
  await page.waitFor(() => page.wx.navigations.length > navigations || (!form.busy() && form.error() !== undefined), 'an answer')
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
  expect(home.wx.navigations.at(-1)).toEqual(expect.objectContaining({ api: 'navigateTo', url: `/pages/room/index?meetingId=${meetingId}` }))
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

test('a meeting that does not exist is a clear message on the home page, and what the user typed stays', async () => {
  const { page, form } = await openHome()
  const sockets = page.wx.sockets.length
  const navigations = page.wx.navigations.length
  await tryJoin(page, form, 'Alice', '999999999')
  expect(form.error()).toBe('会议不存在或已结束，请核对会议号')
  expect(page.wx.requests.at(-1)).toMatchObject({ url: `${SERVICE_URL}/v1/meetings/999999999/join`, response: { statusCode: 404 } })
  expect(page.wx.navigations.length).toBe(navigations)
  expect(page.wx.sockets.length).toBe(sockets)
  expect(form.nicknameInput().attr('value')).toBe('Alice')
  expect(form.meetingIdInput().attr('value')).toBe('999999999')
})

test('a malformed meeting id is refused before any request', async () => {
  const { page, form } = await openHome()
  const requests = page.wx.requests.length
  await tryJoin(page, form, 'Alice', '12345')
  expect(form.error()).toBe('会议号是 9 位数字')
  expect(page.wx.requests.length).toBe(requests)
})

test('a locked meeting says so', async () => {
  const { meetingId, host } = await others.createMeeting('Host')
  await host.client.lockRoom(true)
  const { page, form } = await openHome()
  await tryJoin(page, form, 'Late', meetingId)
  expect(form.error()).toBe('主持人已锁定会议，暂时无法加入')
  expect(page.wx.requests.at(-1)?.response).toMatchObject({ statusCode: 403 })
})
