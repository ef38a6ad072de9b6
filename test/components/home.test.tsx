import { act, render, screen, waitFor } from '@testing-library/react'
import HomePage from '../../src/pages/home/index'
import { currentSession } from '../../src/services/session'
import Taro, { router, storage, system } from '../mocks/taro'
import { fireInput } from '../mocks/wechat'
import { resetAll } from './setup'

beforeEach(resetAll)

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

test('join opens the pre-join page of the typed meeting (spaces dropped), without calling the service', () => {
  const { container } = render(<HomePage />)
  fill(container, ' 小明 ', '123 456 789')
  act(() => screen.getByText('加入会议').click())
  expect((Taro.navigateTo as jest.Mock).mock.calls[0][0].url).toBe('/packages/meeting/prejoin/index?meetingId=123456789')
  expect(currentSession()).toBeNull()
})

test('create opens the pre-join page of a new meeting', () => {
  const { container } = render(<HomePage />)
  fill(container, 'Alice')
  act(() => screen.getByText('发起会议').click())
  expect((Taro.navigateTo as jest.Mock).mock.calls[0][0].url).toBe('/packages/meeting/prejoin/index?create=1')
})

test('the nickname is remembered for next time and fills the form in', () => {
  const first = render(<HomePage />)
  fill(first.container, '  Ann  ', '123456789')
  act(() => screen.getByText('加入会议').click())
  expect(storage.get('meeting.nickname')).toBe('Ann')
  first.unmount()
  const { container } = render(<HomePage />)
  expect(inputs(container).nickname.getAttribute('value')).toBe('Ann')
})

test.each([
  ['a number', 42],
  ['an object', { nickname: 'Ann' }],
  ['a control character', 'A\u0007nn'],
  ['too long a name', 'x'.repeat(200)],
])('a stored nickname that is %s reads as none and is removed', (_, value) => {
  storage.set('meeting.nickname', value)
  const { container } = render(<HomePage />)
  expect(inputs(container).nickname.getAttribute('value')).toBe('')
  expect(storage.has('meeting.nickname')).toBe(false)
})

test('storage that throws (disabled, full) neither breaks the form nor the join', () => {
  ;(Taro.getStorageSync as jest.Mock).mockImplementationOnce(() => {
    throw new Error('getStorageSync:fail')
  })
  ;(Taro.setStorageSync as jest.Mock).mockImplementationOnce(() => {
    throw new Error('setStorageSync:fail exceed storage max size')
  })
  const { container } = render(<HomePage />)
  expect(inputs(container).nickname.getAttribute('value')).toBe('')
  fill(container, 'Ann', '123456789')
  act(() => screen.getByText('加入会议').click())
  expect(Taro.navigateTo).toHaveBeenCalledTimes(1)
})

test('a full page stack falls back to replacing the page', async () => {
  ;(Taro.navigateTo as jest.Mock).mockRejectedValueOnce({ errMsg: 'navigateTo:fail webview count limit exceed' })
  const { container } = render(<HomePage />)
  fill(container, 'Alice')
  act(() => screen.getByText('发起会议').click())
  await waitFor(() => expect(Taro.redirectTo).toHaveBeenCalledWith({ url: '/packages/meeting/prejoin/index?create=1' }))
})

test('English UI when WeChat runs in English', () => {
  system.language = 'en'
  render(<HomePage />)
  expect(screen.getByText('New meeting')).toBeInTheDocument()
  expect(screen.getByText('Join')).toBeInTheDocument()
  // The page config's title is Chinese; the page sets the English one.
  expect(Taro.setNavigationBarTitle).toHaveBeenLastCalledWith({ title: 'Video meeting' })
})

test('a shared link fills the meeting id in', () => {
  router.params = { meetingId: '123456789' }
  const { container } = render(<HomePage />)
  expect(inputs(container).meetingId.getAttribute('value')).toBe('123456789')
})
