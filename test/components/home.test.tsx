import { act, render, screen, waitFor } from '@testing-library/react'
import HomePage from '../../src/pages/home/index'
import { RoomClient } from '../../src/services/room-client'
import { currentSession, endSession } from '../../src/services/session'
import { createMeetingStore, meetingStore } from '../../src/store'
import Taro, { modalAnswer, permissions, router, system } from '../mocks/taro'
import { fireInput } from '../mocks/wechat'
import { resetAll } from './setup'

/** The home page against the real room service started in global-setup.ts. */
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

function inputs(container: HTMLElement) {
  return {
    nickname: container.querySelector('.home__input--nickname') as HTMLElement,
    meetingId: container.querySelector('.home__input--meeting-id') as HTMLElement,
  }
}

function fill(container: HTMLElement, nickname: string, meetingId?: string) {
  fireInput(inputs(container).nickname, nickname)
  if (meetingId !== undefined) fireInput(inputs(container).meetingId, meetingId)
}

let hostStore = createMeetingStore()

/** A meeting with a host already in it (another phone, whose store is `hostStore`). */
async function existingMeeting(): Promise<string> {
  const { meetingId, hostKey } = await RoomClient.createMeeting(serviceUrl)
  hostStore = createMeetingStore()
  const host = new RoomClient({ serviceUrl, store: hostStore })
  others.push(host)
  await host.join(meetingId, { nickname: 'Host', hostKey })
  return meetingId
}

test.each([
  ['', '请输入昵称'],
  ['   ', '请输入昵称'],
  ['a'.repeat(33), '昵称最多 32 个字，且不能包含控制字符'],
])('nickname %j is refused with %s, before any request', (name, message) => {
  const { container } = render(<HomePage />)
  fill(container, name, '123456789')
  act(() => screen.getByText('加入会议').click())
  expect(screen.getByText(message)).toBeInTheDocument()
  expect(Taro.navigateTo).not.toHaveBeenCalled()
})

test.each(['12345', 'abcdefghi', '1234567890', '会议123456789'])('meeting id %j is refused before any request', (id) => {
  const { container } = render(<HomePage />)
  fill(container, 'Alice', id)
  act(() => screen.getByText('加入会议').click())
  expect(screen.getByText('会议号是 9 位数字')).toBeInTheDocument()
  expect(Taro.navigateTo).not.toHaveBeenCalled()
})

test('creating a meeting makes the user its host and opens the room', async () => {
  const { container } = render(<HomePage />)
  fill(container, 'Alice')
  act(() => screen.getByText('发起会议').click())
  await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledTimes(1))
  const meetingId = meetingStore.getState().session.meetingId as string
  expect(meetingId).toMatch(/^\d{9}$/)
  expect((Taro.navigateTo as jest.Mock).mock.calls[0][0].url).toBe(`/pages/room/index?meetingId=${meetingId}`)
  expect(meetingStore.getState().publisher).toMatchObject({ nickname: 'Alice', role: 'host', maxBitrateKbps: 1000 })
  expect(currentSession()).not.toBeNull()
})

test('joining an existing meeting (typed with spaces) opens the room as a participant', async () => {
  const meetingId = await existingMeeting()
  const { container } = render(<HomePage />)
  fill(container, ' 小明 ', `${meetingId.slice(0, 3)} ${meetingId.slice(3, 6)} ${meetingId.slice(6)}`)
  act(() => screen.getByText('加入会议').click())
  await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledTimes(1))
  expect(meetingStore.getState().publisher).toMatchObject({ nickname: '小明', role: 'participant', maxBitrateKbps: 300 })
  expect(meetingStore.getState().participants.order).toHaveLength(1)
})

test('a meeting that does not exist is a clear message, and what the user typed stays', async () => {
  const { container } = render(<HomePage />)
  fill(container, 'Alice', '999999999')
  act(() => screen.getByText('加入会议').click())
  expect(await screen.findByText('会议不存在或已结束，请核对会议号')).toBeInTheDocument()
  expect(Taro.navigateTo).not.toHaveBeenCalled()
  expect(inputs(container).nickname.getAttribute('value')).toBe('Alice')
  expect(inputs(container).meetingId.getAttribute('value')).toBe('999999999')
  expect(currentSession()).toBeNull()
})

test('a locked meeting says so', async () => {
  const meetingId = await existingMeeting()
  await others[0].lockRoom(true)
  const { container } = render(<HomePage />)
  fill(container, 'Late', meetingId)
  act(() => screen.getByText('加入会议').click())
  expect(await screen.findByText('主持人已锁定会议，暂时无法加入')).toBeInTheDocument()
})

test('an unreachable service says to check the network', async () => {
  process.env.TARO_APP_SERVICE_URL = 'http://127.0.0.1:9'
  const { container } = render(<HomePage />)
  fill(container, 'Alice')
  act(() => screen.getByText('发起会议').click())
  expect(await screen.findByText('无法连接会议服务，请检查网络后重试')).toBeInTheDocument()
})

test('English UI when WeChat runs in English', () => {
  system.language = 'en'
  render(<HomePage />)
  expect(screen.getByText('New meeting')).toBeInTheDocument()
  expect(screen.getByText('Join')).toBeInTheDocument()
})

test('when the room page cannot be opened, the user is told and does not stay in the meeting as a ghost', async () => {
  const meetingId = await existingMeeting()
  ;(Taro.navigateTo as jest.Mock).mockRejectedValueOnce({ errMsg: 'navigateTo:fail webview count limit exceed' })
  ;(Taro.redirectTo as jest.Mock).mockRejectedValueOnce({ errMsg: 'redirectTo:fail' })
  const { container } = render(<HomePage />)
  fill(container, 'Ghost', meetingId)
  act(() => screen.getByText('加入会议').click())
  expect(await screen.findByText('无法打开会议页面，请关闭一些页面后重试')).toBeInTheDocument()
  expect(currentSession()).toBeNull()
  await waitFor(() => expect(hostStore.getState().participants.order).toHaveLength(0))
})

test('a full page stack falls back to replacing the page', async () => {
  ;(Taro.navigateTo as jest.Mock).mockRejectedValueOnce({ errMsg: 'navigateTo:fail webview count limit exceed' })
  const { container } = render(<HomePage />)
  fill(container, 'Alice')
  act(() => screen.getByText('发起会议').click())
  await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledTimes(1))
  expect(currentSession()).not.toBeNull()
})

test('a shared link fills the meeting id in', () => {
  router.params = { meetingId: '123456789' }
  const { container } = render(<HomePage />)
  expect(inputs(container).meetingId.getAttribute('value')).toBe('123456789')
})

describe('camera and microphone before entering', () => {
  test('never asked: authorize asks for both, and the attendee enters with both', async () => {
    const meetingId = await existingMeeting()
    const { container } = render(<HomePage />)
    fill(container, 'Ann', meetingId)
    act(() => screen.getByText('加入会议').click())
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalled())
    expect((Taro.authorize as jest.Mock).mock.calls.map((c) => c[0].scope)).toEqual(['scope.camera', 'scope.record'])
    expect(Taro.showModal).not.toHaveBeenCalled()
    expect(meetingStore.getState().publisher).toMatchObject({ cameraOn: true, micOn: true })
  })

  test('camera refused: a modal explains, the settings page grants it, and the attendee enters with the camera on', async () => {
    const meetingId = await existingMeeting()
    permissions['scope.camera'] = false
    const { container } = render(<HomePage />)
    fill(container, 'Ann', meetingId)
    act(() => screen.getByText('加入会议').click())
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalled())
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ confirmText: '去设置', cancelText: '关闭视频' }))
    expect((Taro.showModal as jest.Mock).mock.calls[0][0].content).toContain('摄像头')
    expect(Taro.openSetting).toHaveBeenCalledTimes(1)
    expect(meetingStore.getState().publisher).toMatchObject({ cameraOn: true, micOn: true })
  })

  test('camera refused and the attendee chooses to go without: they enter with the camera off, and the others see it', async () => {
    const meetingId = await existingMeeting()
    permissions['scope.camera'] = false
    modalAnswer.confirm = false
    const { container } = render(<HomePage />)
    fill(container, 'Ann', meetingId)
    act(() => screen.getByText('加入会议').click())
    await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalled())
    expect(Taro.openSetting).not.toHaveBeenCalled()
    expect(meetingStore.getState().publisher).toMatchObject({ cameraOn: false, micOn: true })
    const selfId = meetingStore.getState().publisher.selfId as string
    await waitFor(() => expect(hostStore.getState().participants.byId[selfId]).toMatchObject({ cameraOn: false, micOn: true }))
  })
})
