import { newMeetingId, NICKNAME_MAX_LENGTH, validateMeetingId, validateNickname } from '../../../src/core/meeting-input'

describe('validateNickname', () => {
  test.each([
    ['a plain name', 'Alice', { ok: true, value: 'Alice' }],
    ['surrounding spaces are trimmed', '  小明  ', { ok: true, value: '小明' }],
    ['control characters are dropped', 'Bo\u0000b\n', { ok: true, value: 'Bob' }],
    ['empty', '', { ok: false, error: 'empty' }],
    ['only spaces', '   ', { ok: false, error: 'empty' }],
    ['not a string', 42, { ok: false, error: 'empty' }],
    ['exactly the limit (CJK counts one each)', '一'.repeat(NICKNAME_MAX_LENGTH), { ok: true, value: '一'.repeat(NICKNAME_MAX_LENGTH) }],
    ['emoji count as one character', '😀'.repeat(NICKNAME_MAX_LENGTH), { ok: true, value: '😀'.repeat(NICKNAME_MAX_LENGTH) }],
    ['one over the limit', 'a'.repeat(NICKNAME_MAX_LENGTH + 1), { ok: false, error: 'too-long' }],
  ])('%s', (_name, input, expected) => {
    expect(validateNickname(input)).toEqual(expected)
  })
})

describe('validateMeetingId', () => {
  test.each([
    ['9 digits', '123456789', { ok: true, value: '123456789' }],
    ['spaces and dashes people type are dropped', '123 456-789', { ok: true, value: '123456789' }],
    ['letters and digits', 'abC123', { ok: true, value: 'abC123' }],
    ['too short', '12345', { ok: false, error: 'invalid' }],
    ['too long', '1234567890123', { ok: false, error: 'invalid' }],
    ['other characters', '会议123456', { ok: false, error: 'invalid' }],
    ['not a string', null, { ok: false, error: 'invalid' }],
  ])('%s', (_name, input, expected) => {
    expect(validateMeetingId(input)).toEqual(expected)
  })
})

test.each([
  [() => 0, '100000000'],
  [() => 0.999999, '999999999'],
])('newMeetingId is 9 digits without a leading zero', (random, expected) => {
  expect(newMeetingId(random)).toBe(expected)
  expect(validateMeetingId(newMeetingId()).ok).toBe(true)
})
