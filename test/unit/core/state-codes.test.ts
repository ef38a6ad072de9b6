import {
  PLAYER_STATE_CODES,
  PUSHER_ERROR_CODES,
  PUSHER_STATE_CODES,
  describeCode,
  type CodeSource,
  type Recovery,
  type Severity,
  type StateCodeEntry,
  type StateCodeMessageKey,
} from '@/core/state-codes'
import { parseErrorEvent, parseStateCode } from '@/core/wechat-event'
import { codeMessage, stateCodeMessageKeys } from '@/i18n/state-codes'

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from <= to ? from + i : from - i))

/** Every code the platform reference, the official pages and platform-facts.md name, per source. */
const REQUIRED: Readonly<Record<CodeSource, readonly number[]>> = {
  pusher: [
    ...range(1001, 1008), ...range(1018, 1022), ...range(1031, 1034),
    ...range(1101, 1104), 1107, ...range(3001, 3005), 4998, 4999, 5000, 5001,
    ...range(-1301, -1312),
  ],
  player: [...range(2001, 2009), 2030, 2032, ...range(2101, 2108), 3001, 3002, 3003, 3005, -2301, -2302],
  'pusher-error': range(10001, 10004),
}

const TABLES: ReadonlyArray<[CodeSource, Readonly<Record<string, StateCodeEntry>>]> = [
  ['pusher', PUSHER_STATE_CODES],
  ['player', PLAYER_STATE_CODES],
  ['pusher-error', PUSHER_ERROR_CODES],
]

const allEntries = TABLES.flatMap(([source, table]) => Object.entries(table).map(([key, e]) => ({ source, key, e })))

describe.each(TABLES)('the %s table', (source, table) => {
  test.each(REQUIRED[source].map((code) => [code]))(`knows %i`, (code) => {
    const described = describeCode(source, code)
    expect(described.known).toBe(true)
    expect(described.code).toBe(code)
    expect(described.source).toBe(source)
    expect(described.name).not.toBe('UNKNOWN')
  })

  test('every key is its entry\'s code, so each code appears once', () => {
    const entries = Object.entries(table)
    for (const [key, e] of entries) expect(Number(key)).toBe(e.code)
    const codes = entries.map(([, e]) => e.code)
    expect(new Set(codes).size).toBe(codes.length)
  })

  test('names are unique within the table', () => {
    const names = Object.values(table).map((e) => e.name)
    expect(new Set(names).size).toBe(names.length)
  })

  test('is frozen', () => {
    expect(Object.isFrozen(table)).toBe(true)
    for (const e of Object.values(table)) expect(Object.isFrozen(e)).toBe(true)
  })
})

describe.each(allEntries.map(({ source, e }) => [`${source} ${e.code} ${e.name}`, source, e] as const))('%s', (_label, source, e) => {
  test('has non-empty zh-CN and en messages in the string tables', () => {
    const key: StateCodeMessageKey = `${source}.${e.code}`
    expect(stateCodeMessageKeys('zh-CN')).toContain(key)
    expect(stateCodeMessageKeys('en')).toContain(key)
    const described = { code: e.code, messageKey: key } as const
    expect(codeMessage(described, 'zh-CN').trim()).not.toBe('')
    expect(codeMessage(described, 'en').trim()).not.toBe('')
    // A zh-CN message that is really English (or the reverse) is a copy-paste slip.
    expect(codeMessage(described, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/)
    expect(codeMessage(described, 'en')).not.toMatch(/[\u4e00-\u9fff]/)
  })

  test('has an SDK-style name', () => {
    expect(e.name).toMatch(/^(PUSH|PLAY)_(EVT|WARNING|ERR)_[A-Z0-9_]+$/)
  })

  test('is consistent: fatal needs a recovery, info needs none', () => {
    if (e.severity === 'fatal') expect(e.recovery).not.toBe('none')
    if (e.severity === 'info') expect(e.recovery).toBe('none')
  })
})

describe('the recoveries a meeting relies on', () => {
  test.each<[CodeSource, number, Severity, Recovery]>([
    ['pusher', -1307, 'fatal', 'restart-push'],
    ['player', -2301, 'fatal', 'restart-play'],
    ['player', -2302, 'fatal', 'restart-play'],
    ['pusher-error', 10001, 'fatal', 'request-permission'],
    ['pusher-error', 10002, 'fatal', 'request-permission'],
    ['pusher', -1301, 'fatal', 'request-permission'],
    ['pusher', -1302, 'fatal', 'request-permission'],
    ['pusher', -1303, 'fatal', 'restart-push'],
    ['pusher', -1304, 'fatal', 'restart-push'],
    ['pusher', -1305, 'fatal', 'restart-push'],
    ['pusher', -1306, 'fatal', 'restart-push'],
    ['pusher', 1101, 'warning', 'none'],
    ['pusher', 1102, 'warning', 'wait'],
    ['player', 2103, 'warning', 'wait'],
    ['pusher', 5000, 'warning', 'wait'],
    ['pusher', 5001, 'warning', 'restart-push'],
    ['pusher', 3004, 'warning', 'wait'],
    ['pusher', 1001, 'info', 'none'],
    ['pusher', 1002, 'info', 'none'],
    ['pusher', 1003, 'info', 'none'],
    ['pusher', 1018, 'info', 'none'],
    ['player', 2001, 'info', 'none'],
    ['player', 2004, 'info', 'none'],
    ['player', 2032, 'info', 'none'],
  ])('%s %i → %s / %s', (source, code, severity, recovery) => {
    const d = describeCode(source, code)
    expect([d.known, d.severity, d.recovery]).toEqual([true, severity, recovery])
  })

  test('10001 tells the user where to fix it', () => {
    const d = describeCode('pusher-error', 10001)
    expect([codeMessage(d, 'zh-CN'), codeMessage(d, 'en')]).toEqual([
      '没有相机权限，请在设置中允许使用摄像头',
      'Camera permission denied. Allow camera access in Settings.',
    ])
  })

  test('3004 on the pusher keeps the name the reference gives (its usual cause is noted on the entry)', () => {
    expect(describeCode('pusher', 3004).name).toBe('PUSH_WARNING_SERVER_DISCONNECT')
  })
})

describe('the same number means different things per source', () => {
  test.each([3001, 3002, 3003, 3005])('%i differs between pusher and player', (code) => {
    const push = describeCode('pusher', code)
    const play = describeCode('player', code)
    expect(push.name).toMatch(/^PUSH_/)
    expect(play.name).toMatch(/^PLAY_/)
  })

  test('3004 is a pusher code only', () => {
    expect(describeCode('pusher', 3004).known).toBe(true)
    expect(describeCode('player', 3004).known).toBe(false)
  })

  test.each<[CodeSource, number]>([
    ['player', 1101],
    ['player', -1307],
    ['pusher', 2004],
    ['pusher', -2301],
    ['pusher-error', 1101],
    ['pusher-error', -1301],
  ])('%s does not know %i', (source, code) => {
    expect(describeCode(source, code).known).toBe(false)
  })
})

describe('pusher statechange with a binderror code', () => {
  // The official live-pusher state table lists 10001–10004 as well.
  test.each(range(10001, 10004))('%i is described from the binderror table', (code) => {
    const d = describeCode('pusher', code)
    expect(d).toMatchObject({ known: true, source: 'pusher', code, name: PUSHER_ERROR_CODES[code as keyof typeof PUSHER_ERROR_CODES].name, messageKey: `pusher-error.${code}` })
  })

  test('but the player does not borrow them', () => {
    expect(describeCode('player', 10001).known).toBe(false)
  })
})

describe('unknown codes', () => {
  test.each<[CodeSource, number, string]>([
    ['pusher-error', 10005, '10005'],
    ['pusher', 10012, '10012'],
    ['pusher', 10014, '10014'],
    ['player', 2027, '2027'],
    ['player', 2029, '2029'],
    ['pusher', 99999, '99999'],
    ['player', -1, '-1'],
    ['pusher', 0, '0'],
    ['pusher', NaN, 'NaN'],
    ['player', 2004.5, '2004.5'],
    ['pusher', Infinity, 'Infinity'],
  ])('%s %s is described, not thrown', (source, code, shown) => {
    const d = describeCode(source, code)
    expect(d).toMatchObject({ known: false, name: 'UNKNOWN', severity: 'info', recovery: 'none', source })
    expect(Object.is(d.code, code)).toBe(true)
    expect(d.messageKey).toBe('unknown')
    expect(codeMessage(d, 'zh-CN')).toBe(`未知事件（代码 ${shown}）`)
    expect(codeMessage(d, 'en')).toBe(`Unknown event (code ${shown})`)
  })

  test('an object-prototype name is not a code', () => {
    expect(describeCode('pusher', 'constructor' as unknown as number).known).toBe(false)
    expect(describeCode('pusher', '__proto__' as unknown as number).known).toBe(false)
  })

  test('a numeric string is not looked up (parse it first)', () => {
    expect(describeCode('player', '2004' as unknown as number).known).toBe(false)
  })

  test('a source that does not exist is unknown, not a crash', () => {
    expect(describeCode('camera' as CodeSource, 1001)).toMatchObject({ known: false, name: 'UNKNOWN' })
  })
})

describe('from WeChat events', () => {
  test('statechange → described', () => {
    const code = parseStateCode({ type: 'statechange', detail: { code: 1101 } })
    expect(code).not.toBeNull()
    expect(describeCode('pusher', code as number)).toMatchObject({ name: 'PUSH_WARNING_NET_BUSY', severity: 'warning', recovery: 'none' })
  })

  test('player statechange with a string code → described', () => {
    const code = parseStateCode({ type: 'statechange', detail: { code: '-2301' } })
    expect(describeCode('player', code as number)).toMatchObject({ name: 'PLAY_ERR_NET_DISCONNECT', recovery: 'restart-play' })
  })

  test('binderror (details variant) → described', () => {
    const err = parseErrorEvent({ type: 'error', details: { errCode: 10002, errMsg: 'record auth deny' } })
    expect(err).not.toBeNull()
    expect(describeCode('pusher-error', err?.errCode as number)).toMatchObject({ known: true, recovery: 'request-permission' })
  })
})

test('describeCode returns a copy, so callers cannot damage the table', () => {
  const d = describeCode('pusher', 1101) as { severity: string }
  d.severity = 'fatal'
  expect(PUSHER_STATE_CODES[1101].severity).toBe('warning')
})

describe('the state-code string tables', () => {
  const coreKeys = allEntries.map(({ source, e }) => `${source}.${e.code}`).sort()
  test.each(['zh-CN', 'en'] as const)('%s has exactly the codes core knows, no stale extras', (language) => {
    expect([...stateCodeMessageKeys(language)].sort()).toEqual(coreKeys)
  })
})
