import { act, render, screen, waitFor } from '@testing-library/react'
import PreJoinPage from '../../src/packages/meeting/prejoin/index'
import { RoomClient } from '../../src/services/room-client'
import { currentSession, endSession } from '../../src/services/session'
import { createMeetingStore, meetingStore } from '../../src/store'
import Taro, { modalAnswer, permissions, router, storage, system } from '../mocks/taro'
import { fireInput, fireWeChatEvent } from '../mocks/wechat'
import { pusherOf, resetAll } from './setup'

/** The pre-join page against the real room service started in global-setup.ts. */
const serviceUrl = process.env.TEST_SERVICE_URL as string
const others: RoomClient[] = []

beforeAll(() => {
  process.env.TARO_APP_SERVICE_URL = serviceUrl
})
beforeEach(resetAll)
afterEach(() => {
  others.splice(0).forEach((c) => c.dispose())
  endSession()
  process.env.TARO_APP_SERVICE_URL = serviceUrl
})

const q = (container: HTMLElement, selector: string) => container.querySelector(selector) as HTMLElement
const nicknameInput = (c: HTMLElement) => q(c, '.prejoin__input--nickname')
const roomUrl = (id: string) => `/packages/meeting/room/index?meetingId=${id}`

let hostStore = createMeetingStore()

/** A meeting with a host already in it (another phone, whose store is `hostStore`). */
async function existingMeeting(passcode?: string): Promise<string> {
  const { meetingId, hostKey } = await RoomClient.createMeeting(serviceUrl, passcode === undefined ? {} : { passcode })
  hostStore = createMeetingStore()
  const host = new RoomClient({ serviceUrl, store: hostStore })
  others.push(host)
  await host.join(meetingId, { nickname: 'Host', hostKey })
  return meetingId
}

/** Open the pre-join as a shared card or link does, and let the first permission question settle. */
async function openPreJoin(params: Record<string, string>) {
  router.params = params
  const view = render(<PreJoinPage />)
  await waitFor(() => expect(Taro.getSetting).toHaveBeenCalled())
  return view
}

test('the preview is the pusher without a url: it shows the camera and publishes nothing', async () => {
  const { container } = await openPreJoin({ meetingId: '123456789' })
  const pusher = pusherOf(container)
  expect(pusher.getAttribute('url')).toBe('')
  expect(pusher.getAttribute('autopush')).not.toBe('true')
  expect(pusher.getAttribute('enable-camera')).toBe('true')
})

test('mic, camera and flip change the preview, and the room starts with them', async () => {
  const meetingId = await existingMeeting()
  storage.set('meeting.nickname', 'Ann')
  const { container } = await openPreJoin({ meetingId })
  expect(nicknameInput(container).getAttribute('value')).toBe('Ann')
  act(() => q(container, '.prejoin__toggle--camera').click())
  act(() => q(container, '.prejoin__toggle--mic').click())
  act(() => q(container, '.prejoin__toggle--flip').click())
  const pusher = pusherOf(container)
  expect(pusher.getAttribute('enable-camera')).toBe('false')
  expect(pusher.getAttribute('enable-mic')).toBe('false')
  expect(pusher.getAttribute('device-position')).toBe('back')
  expect(q(container, '.prejoin__preview').className).toContain('prejoin__preview--off')
  act(() => screen.getByText('进入会议').click())
  await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: roomUrl(meetingId) }))
  expect(meetingStore.getState().publisher).toMatchObject({ nickname: 'Ann', cameraOn: false, micOn: false, devicePosition: 'back' })
  const selfId = meetingStore.getState().publisher.selfId as string
  // The others see it too: the service got the choice at join.
  await waitFor(() => expect(hostStore.getState().participants.byId[selfId]).toMatchObject({ cameraOn: false, micOn: false }))
})

test('a new meeting: start makes the user its host and opens its room, and the nickname is remembered', async () => {
  const { container } = await openPreJoin({ create: '1' })
  expect(screen.getByText('新会议（进入后生成会议号）')).toBeInTheDocument()
  fireInput(nicknameInput(container), ' Alice ')
  act(() => screen.getByText('开始会议').click())
  await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledTimes(1))
  const meetingId = meetingStore.getState().session.meetingId as string
  expect(meetingId).toMatch(/^\d{9}$/)
  expect((Taro.redirectTo as jest.Mock).mock.calls[0][0].url).toBe(roomUrl(meetingId))
  expect(meetingStore.getState().publisher).toMatchObject({ nickname: 'Alice', role: 'host', devicePosition: 'front' })
  expect(storage.get('meeting.nickname')).toBe('Alice')
})

test('a meeting with a passcode: the page asks for it, refuses to go without it, and enters with it', async () => {
  const meetingId = await existingMeeting('4321')
  storage.set('meeting.nickname', 'Bob')
  const { container } = await openPreJoin({ meetingId })
  await waitFor(() => expect(container.querySelector('.prejoin__input--passcode')).not.toBeNull())
  act(() => screen.getByText('进入会议').click())
  expect(screen.getByText('请输入会议密码')).toBeInTheDocument()
  fireInput(q(container, '.prejoin__input--passcode'), '1111')
  act(() => screen.getByText('进入会议').click())
  expect(await screen.findByText('会议密码错误，请输入正确的密码')).toBeInTheDocument()
  expect(currentSession()).toBeNull()
  fireInput(q(container, '.prejoin__input--passcode'), '4321')
  act(() => screen.getByText('进入会议').click())
  await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: roomUrl(meetingId) }))
})

test('a meeting without a passcode does not ask for one', async () => {
  const meetingId = await existingMeeting()
  const { container } = await openPreJoin({ meetingId })
  // The look-up has answered when the id is known to exist: no error, no passcode field.
  await new Promise((r) => setTimeout(r, 200))
  expect(container.querySelector('.prejoin__input--passcode')).toBeNull()
  expect(container.querySelector('.prejoin__error')).toBeNull()
})

test('a link to a meeting that does not exist says so before the user tries', async () => {
  await openPreJoin({ meetingId: '999999999' })
  expect(await screen.findByText('会议不存在或已结束，请核对会议号')).toBeInTheDocument()
})

test('a locked meeting says so, and the page keeps what was typed', async () => {
  const meetingId = await existingMeeting()
  await others[0].lockRoom(true)
  const { container } = await openPreJoin({ meetingId })
  fireInput(nicknameInput(container), 'Late')
  act(() => screen.getByText('进入会议').click())
  expect(await screen.findByText('主持人已锁定会议，暂时无法加入')).toBeInTheDocument()
  expect(nicknameInput(container).getAttribute('value')).toBe('Late')
  expect(Taro.redirectTo).not.toHaveBeenCalled()
})

test('an unreachable service says to check the network', async () => {
  process.env.TARO_APP_SERVICE_URL = 'http://127.0.0.1:9'
  const { container } = await openPreJoin({ create: '1' })
  fireInput(nicknameInput(container), 'Alice')
  act(() => screen.getByText('开始会议').click())
  expect(await screen.findByText('无法连接会议服务，请检查网络后重试')).toBeInTheDocument()
})

test('when the room page cannot be opened, the user is told and does not stay in the meeting as a ghost', async () => {
  const meetingId = await existingMeeting()
  ;(Taro.redirectTo as jest.Mock).mockRejectedValueOnce({ errMsg: 'redirectTo:fail' })
  const { container } = await openPreJoin({ meetingId })
  fireInput(nicknameInput(container), 'Ghost')
  act(() => screen.getByText('进入会议').click())
  expect(await screen.findByText('无法打开会议页面，请关闭一些页面后重试')).toBeInTheDocument()
  expect(currentSession()).toBeNull()
  await waitFor(() => expect(hostStore.getState().participants.order).toHaveLength(0))
})

test('English UI when WeChat runs in English', async () => {
  system.language = 'en'
  await openPreJoin({ meetingId: '123456789' })
  expect(screen.getByText('Enter meeting')).toBeInTheDocument()
  expect(screen.getByText('Flip')).toBeInTheDocument()
})

describe('camera and microphone on the pre-join page', () => {
  test('never asked: authorize asks for both as the page opens, once, and the attendee enters with both', async () => {
    const meetingId = await existingMeeting()
    const { container } = await openPreJoin({ meetingId })
    fireInput(nicknameInput(container), 'Ann')
    act(() => screen.getByText('进入会议').click())
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled())
    expect((Taro.authorize as jest.Mock).mock.calls.map((c) => c[0].scope)).toEqual(['scope.camera', 'scope.record'])
    expect(Taro.showModal).not.toHaveBeenCalled()
    expect(meetingStore.getState().publisher).toMatchObject({ cameraOn: true, micOn: true })
  })

  test('camera refused: a modal explains and offers the settings, which grant it, and the preview stays on', async () => {
    permissions['scope.camera'] = false
    const { container } = await openPreJoin({ meetingId: '123456789' })
    await waitFor(() => expect(Taro.openSetting).toHaveBeenCalledTimes(1))
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ confirmText: '去设置', cancelText: '关闭视频' }))
    expect(pusherOf(container).getAttribute('enable-camera')).toBe('true')
  })

  test('camera refused and the attendee goes without: the preview and the room have the camera off', async () => {
    const meetingId = await existingMeeting()
    permissions['scope.camera'] = false
    modalAnswer.confirm = false
    const { container } = await openPreJoin({ meetingId })
    await waitFor(() => expect(pusherOf(container).getAttribute('enable-camera')).toBe('false'))
    expect(Taro.openSetting).not.toHaveBeenCalled()
    fireInput(nicknameInput(container), 'Ann')
    act(() => screen.getByText('进入会议').click())
    await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalled())
    expect(meetingStore.getState().publisher).toMatchObject({ cameraOn: false, micOn: true })
  })

  test('the preview reports the microphone refused (binderror 10002): explained, and muted when still refused', async () => {
    const { container } = await openPreJoin({ meetingId: '123456789' })
    permissions['scope.record'] = false
    modalAnswer.confirm = false
    act(() => fireWeChatEvent(pusherOf(container), 'error', { errCode: 10002, errMsg: 'mic permission denied' }))
    await waitFor(() => expect(pusherOf(container).getAttribute('enable-mic')).toBe('false'))
    expect((Taro.showModal as jest.Mock).mock.calls.at(-1)[0]).toMatchObject({ cancelText: '静音进入' })
  })

  test('a browser preview reports the camera refused as -1301 through statechange, handled the same way', async () => {
    const { container } = await openPreJoin({ meetingId: '123456789' })
    permissions['scope.camera'] = false
    modalAnswer.confirm = false
    act(() => fireWeChatEvent(pusherOf(container), 'statechange', { code: -1301 }))
    await waitFor(() => expect(pusherOf(container).getAttribute('enable-camera')).toBe('false'))
  })
})
