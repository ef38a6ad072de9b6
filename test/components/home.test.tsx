import { act, render, screen } from '@testing-library/react'
import HomePage from '../../src/pages/home/index'
import Taro, { system } from '../mocks/taro'
import { fireInput } from '../mocks/wechat'
import { resetAll } from './setup'

beforeEach(resetAll)

function inputs(container: HTMLElement) {
  return {
    nickname: container.querySelector('.home__input--nickname') as HTMLElement,
    meetingId: container.querySelector('.home__input--meeting-id') as HTMLElement,
  }
}

test('creating a meeting needs a nickname', () => {
  render(<HomePage />)
  act(() => screen.getByText('发起会议').click())
  expect(screen.getByText('请输入昵称')).toBeInTheDocument()
  expect(Taro.navigateTo).not.toHaveBeenCalled()
})

test.each([
  ['', '请输入昵称'],
  ['   ', '请输入昵称'],
  ['一二三四五六七八九十一二三四五六七八九十一', '昵称最多 20 个字'],
])('nickname %j is refused with %s', (name, message) => {
  const { container } = render(<HomePage />)
  fireInput(inputs(container).nickname, name)
  fireInput(inputs(container).meetingId, '123456789')
  act(() => screen.getByText('加入会议').click())
  expect(screen.getByText(message)).toBeInTheDocument()
  expect(Taro.navigateTo).not.toHaveBeenCalled()
})

test.each(['12345', 'abc def ghi jklm', '12345678901234', '会议123456'])('meeting id %j is refused', (id) => {
  const { container } = render(<HomePage />)
  fireInput(inputs(container).nickname, 'Alice')
  fireInput(inputs(container).meetingId, id)
  act(() => screen.getByText('加入会议').click())
  expect(screen.getByText('会议号应为 6–12 位数字或字母')).toBeInTheDocument()
  expect(Taro.navigateTo).not.toHaveBeenCalled()
})

test('joining opens the room as a participant; what the user typed is kept after an error', () => {
  const { container } = render(<HomePage />)
  fireInput(inputs(container).nickname, ' 小明 ')
  fireInput(inputs(container).meetingId, '123')
  act(() => screen.getByText('加入会议').click())
  expect(inputs(container).nickname.getAttribute('value')).toBe(' 小明 ')
  fireInput(inputs(container).meetingId, '123 456 789')
  expect(screen.queryByText('会议号应为 6–12 位数字或字母')).toBeNull()
  act(() => screen.getByText('加入会议').click())
  expect(Taro.navigateTo).toHaveBeenCalledTimes(1)
  const { url } = (Taro.navigateTo as jest.Mock).mock.calls[0][0]
  expect(url).toBe(`/pages/room/index?meetingId=123456789&nickname=${encodeURIComponent('小明')}&role=participant`)
})

test('creating opens the room as host with a new meeting id', () => {
  const { container } = render(<HomePage />)
  fireInput(inputs(container).nickname, 'Alice')
  act(() => screen.getByText('发起会议').click())
  const { url } = (Taro.navigateTo as jest.Mock).mock.calls[0][0]
  expect(url).toMatch(/^\/pages\/room\/index\?meetingId=\d{9}&nickname=Alice&role=host$/)
})

test('English UI when WeChat runs in English', () => {
  system.language = 'en'
  render(<HomePage />)
  expect(screen.getByText('New meeting')).toBeInTheDocument()
  expect(screen.getByText('Join')).toBeInTheDocument()
})
