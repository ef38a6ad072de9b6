import { LIMITS } from '../../../src/core/protocol'
import { validateMeetingId, validateNickname, validatePasscode } from '../../../src/core/meeting-input'

const max = LIMITS.nicknameMaxLength

describe('validateNickname (the service’s rule)', () => {
  test.each([
    ['a plain name', 'Alice', { ok: true, value: 'Alice' }],
    ['surrounding spaces are trimmed', '  小明  ', { ok: true, value: '小明' }],
    ['empty', '', { ok: false, error: 'empty' }],
    ['only spaces', '   ', { ok: false, error: 'empty' }],
    ['not a string', 42, { ok: false, error: 'empty' }],
    ['control characters', 'Bo\u0000b', { ok: false, error: 'invalid' }],
    ['exactly the limit (CJK counts one each)', '一'.repeat(max), { ok: true, value: '一'.repeat(max) }],
    ['emoji count as one character', '😀'.repeat(max), { ok: true, value: '😀'.repeat(max) }],
    ['one over the limit', 'a'.repeat(max + 1), { ok: false, error: 'invalid' }],
  ])('%s', (_name, input, expected) => {
    expect(validateNickname(input)).toEqual(expected)
  })
})

describe('validateMeetingId', () => {
  test.each([
    ['9 digits', '123456789', { ok: true, value: '123456789' }],
    ['spaces and dashes people type are dropped', '123 456-789', { ok: true, value: '123456789' }],
    ['letters', 'abc456789', { ok: false, error: 'invalid' }],
    ['too short', '12345678', { ok: false, error: 'invalid' }],
    ['too long', '1234567890', { ok: false, error: 'invalid' }],
    ['other characters', '会议123456789', { ok: false, error: 'invalid' }],
    ['not a string', null, { ok: false, error: 'invalid' }],
  ])('%s', (_name, input, expected) => {
    expect(validateMeetingId(input)).toEqual(expected)
  })
})

describe('validatePasscode', () => {
  test.each([
    ['none', '', { ok: true, value: '' }],
    ['4 digits', '1234', { ok: true, value: '1234' }],
    ['8 digits, trimmed', ' 12345678 ', { ok: true, value: '12345678' }],
    ['3 digits', '123', { ok: false, error: 'invalid' }],
    ['letters', 'abcd', { ok: false, error: 'invalid' }],
  ])('%s', (_name, input, expected) => {
    expect(validatePasscode(input)).toEqual(expected)
  })
})
