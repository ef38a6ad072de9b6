import { en, zhCN } from '../../../src/i18n/strings'
import { languageFromSystem, stringsFor } from '../../../src/i18n'

test.each([
  ['zh_CN', 'zh-CN'],
  ['zh_HK', 'zh-CN'],
  ['zh_TW', 'zh-CN'],
  ['en', 'en'],
  ['en_US', 'en'],
  ['en-GB', 'en'],
  ['english-ish', 'zh-CN'],
  ['', 'zh-CN'],
  [undefined, 'zh-CN'],
  [null, 'zh-CN'],
])('system language %j → %s', (system, expected) => {
  expect(languageFromSystem(system)).toBe(expected)
})

test('both languages have every string, none empty', () => {
  expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort())
  for (const strings of [stringsFor('zh-CN'), stringsFor('en')]) {
    for (const [key, value] of Object.entries(strings)) {
      const text = typeof value === 'function' ? (value as (...args: unknown[]) => string)(1, 2) : value
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false })
    }
  }
})
