/** The chat text rule (normalizeChatText), which the service enforces and the send box previews. */
import { chatTextLength, LIMITS, normalizeChatText } from '../../../src/core/protocol'

test.each([
  ['plain text', 'hello', 'hello'],
  ['trimmed', '  hi there \n', 'hi there'],
  ['CRLF and CR become LF', 'a\r\nb\rc', 'a\nb\nc'],
  ['inner newlines kept', '第一行\n\n第二行', '第一行\n\n第二行'],
  ['NFC: e + combining acute becomes é', 'cafe\u0301', 'caf\u00e9'],
  ['500 emoji (code points)', '😀'.repeat(500), '😀'.repeat(500)],
  ['an emoji with a zero-width joiner', '👩\u200d💻', '👩\u200d💻'],
])('%s → accepted', (_what, input, expected) => {
  expect(normalizeChatText(input)).toBe(expected)
})

test.each([
  ['empty', ''],
  ['only whitespace', ' \n\t '],
  ['only invisible characters', '\u200b\u00ad\ufeff'],
  ['501 characters', 'x'.repeat(LIMITS.chatTextMaxLength + 1)],
  ['501 emoji', '😀'.repeat(LIMITS.chatTextMaxLength + 1)],
  ['a NUL', 'a\u0000b'],
  ['a tab inside', 'a\tb'],
  ['a DEL', 'a\u007fb'],
  ['a C1 control', 'a\u0085b'],
  ['a paragraph separator', 'a\u2029b'],
  ['a lone high surrogate', 'a\ud83db'],
  ['a lone low surrogate', 'a\ude00b'],
  ['not a string', 42],
  ['far too long to look at', 'x'.repeat(LIMITS.chatTextMaxLength * 4 + 1)],
])('%s → refused', (_what, input) => {
  expect(normalizeChatText(input)).toBeNull()
})

test('the counter counts code points after trimming, as the rule does', () => {
  expect(chatTextLength('  😀字a  ')).toBe(3)
  expect(chatTextLength('')).toBe(0)
})
