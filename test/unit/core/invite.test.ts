import { formatElapsed, groupedMeetingId, inviteLink, invitePath, roomPath } from '../../../src/core/invite'

test.each([
  ['123456789', '/packages/meeting/prejoin/index?meetingId=123456789'],
  // Whatever arrives is encoded, never spliced into the query raw.
  ['12&passcode=1', '/packages/meeting/prejoin/index?meetingId=12%26passcode%3D1'],
])('invitePath(%j) is %s', (id, path) => {
  expect(invitePath(id)).toBe(path)
})

test('roomPath is the subpackage room page with the meeting id', () => {
  expect(roomPath('123456789')).toBe('/packages/meeting/room/index?meetingId=123456789')
})

test.each([
  ['http://127.0.0.1:8787', 'http://127.0.0.1:8787/#/packages/meeting/prejoin/index?meetingId=123456789'],
  ['https://meet.example.com/', 'https://meet.example.com/#/packages/meeting/prejoin/index?meetingId=123456789'],
  ['https://meet.example.com//', 'https://meet.example.com/#/packages/meeting/prejoin/index?meetingId=123456789'],
])('inviteLink on %s', (origin, link) => {
  expect(inviteLink(origin, '123456789')).toBe(link)
})

test.each([
  ['123456789', '123 456 789'],
  ['', ''],
  ['12345', '12345'],
  ['1234567890', '1234567890'],
])('groupedMeetingId(%j) is %j', (id, text) => {
  expect(groupedMeetingId(id)).toBe(text)
})

test.each([
  [0, '00:00'],
  [999, '00:00'],
  [1000, '00:01'],
  [59_999, '00:59'],
  [60_000, '01:00'],
  [3_599_000, '59:59'],
  [3_600_000, '1:00:00'],
  [36_061_000, '10:01:01'],
  [-5000, '00:00'],
  [Number.NaN, '00:00'],
  [Number.POSITIVE_INFINITY, '00:00'],
])('formatElapsed(%p) is %s', (ms, text) => {
  expect(formatElapsed(ms)).toBe(text)
})
