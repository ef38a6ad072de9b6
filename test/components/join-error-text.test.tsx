/**
 * What the home page says for each way the service can refuse a join. The
 * 503s (an instance at its open-file limit, draining, or without its shared
 * state for a moment) get their own "busy, try again" line instead of a raw code.
 */
import { joinErrorText } from '@/hooks/useHomeForm'
import { en, zhCN } from '@/i18n/strings'
import { RoomError, type RoomErrorCode } from '@/services/room-client'

const refused = (code: string) => new RoomError(code as RoomErrorCode, code)

test.each([
  ['server_full', '会议服务繁忙，请稍后重试', 'The meeting service is busy. Try again in a moment'],
  ['shutting_down', '会议服务繁忙，请稍后重试', 'The meeting service is busy. Try again in a moment'],
  ['unavailable', '会议服务繁忙，请稍后重试', 'The meeting service is busy. Try again in a moment'],
  ['rate_limited', '操作太频繁，请稍后再试', 'Too many attempts. Try again in a moment'],
  ['room_full', '会议人数已满，暂时无法加入', 'The meeting is full'],
  ['something_new', '无法进入会议（something_new），请稍后再试', 'Could not join the meeting (something_new). Try again later'],
])('%s → %s', (code, zh, english) => {
  expect(joinErrorText(refused(code), zhCN)).toBe(zh)
  expect(joinErrorText(refused(code), en)).toBe(english)
})

test('anything that is not a RoomError reads as a network failure', () => {
  expect(joinErrorText(new TypeError('fetch failed'), zhCN)).toBe('无法连接会议服务，请检查网络后重试')
})
