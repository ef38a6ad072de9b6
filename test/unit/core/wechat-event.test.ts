import { eventDetail, isPlainObject, parseErrorEvent, parseFullScreenChange, parseStateCode, toInteger } from '@/core/wechat-event'

/** Events shaped as WeChat delivers them to `bindstatechange` / `binderror` handlers. */
const statechange = (code: unknown) => ({ type: 'statechange', timeStamp: 1234, target: { id: 'pusher' }, currentTarget: { id: 'pusher' }, detail: { code } })
const statechangeDetails = (code: unknown) => ({ type: 'statechange', details: { code } })
const error = (errCode: unknown, errMsg?: unknown) => ({ type: 'error', detail: { errCode, errMsg } })
const errorDetails = (errCode: unknown, errMsg?: unknown) => ({ type: 'error', details: { errCode, errMsg } })

const revokedProxy = (() => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
})()
const throwingGetter = Object.defineProperty({}, 'detail', {
  get() {
    throw new Error('boom')
  },
})

describe('eventDetail', () => {
  test('returns e.detail', () => {
    const e = { type: 'netstatus', detail: { info: { netSpeed: 300 } } }
    expect(eventDetail(e)).toBe(e.detail)
  })

  test('falls back to e.details, which some WeChat versions send instead', () => {
    const e = { type: 'error', details: { errCode: 10001, errMsg: 'x' } }
    expect(eventDetail(e)).toBe(e.details)
  })

  test('prefers detail when both are plain objects', () => {
    const e = { detail: { code: 1 }, details: { code: 2 } }
    expect(eventDetail(e)).toEqual({ code: 1 })
  })

  test('uses details when detail is present but not an object', () => {
    expect(eventDetail({ detail: 'x', details: { code: 2 } })).toEqual({ code: 2 })
  })

  test('accepts a prototype-less object', () => {
    const detail = Object.assign(Object.create(null) as Record<string, unknown>, { code: 1 })
    expect(eventDetail({ detail })).toBe(detail)
  })

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'statechange'],
    ['a boolean', true],
    ['a symbol', Symbol('e')],
    ['a function', () => 1],
    ['an empty object', {}],
    ['detail: null', { detail: null }],
    ['detail: a number', { detail: 1101 }],
    ['detail: a string', { detail: '{"code":1101}' }],
    ['detail: an array', { detail: [1101] }],
    ['detail: a Date', { detail: new Date(0) }],
    ['detail: a Map', { detail: new Map([['code', 1]]) }],
    ['detail: a class instance', { detail: new (class Detail { code = 1 })() }],
    ['details: an array', { details: [{ code: 1 }] }],
    ['a revoked Proxy', revokedProxy],
    ['a throwing detail getter', throwingGetter],
    ['detail: a revoked Proxy', { detail: revokedProxy }],
  ])('is undefined, without throwing, for %s', (_name, e) => {
    expect(eventDetail(e)).toBeUndefined()
  })
})

describe('isPlainObject', () => {
  test.each<[string, unknown, boolean]>([
    ['{}', {}, true],
    ['Object.create(null)', Object.create(null), true],
    ['[]', [], false],
    ['null', null, false],
    ['a Date', new Date(), false],
    ['a string', 'x', false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isPlainObject(value)).toBe(expected)
  })
})

describe('toInteger', () => {
  test.each<[unknown, number | null]>([
    [2004, 2004],
    [-2301, -2301],
    [0, 0],
    [-0, 0],
    ['2004', 2004],
    ['-2301', -2301],
    ['+1101', 1101],
    [' 1101 ', 1101],
    ['0', 0],
    [2004.5, null],
    ['2004.5', null],
    ['1e3', null],
    ['0x7D4', null],
    ['12px', null],
    ['', null],
    ['  ', null],
    ['-', null],
    [NaN, null],
    [Infinity, null],
    [Number.MAX_SAFE_INTEGER + 2, null],
    ['99999999999999999999', null],
    [null, null],
    [undefined, null],
    [true, null],
    [{}, null],
    [[2004], null],
    [BigInt(2004), null],
  ])('%p → %p', (value, expected) => {
    expect(toInteger(value)).toBe(expected)
  })
})

describe('parseStateCode', () => {
  test.each<[string, unknown, number | null]>([
    ['pusher 1101 (weak uplink)', statechange(1101), 1101],
    ['pusher 1002 (push begins)', statechange(1002), 1002],
    ['pusher -1307 (gave up)', statechange(-1307), -1307],
    ['player 2004 as a string', statechange('2004'), 2004],
    ['player -2301 as a string', statechange('-2301'), -2301],
    ['0 (no error)', statechange(0), 0],
    ['an undocumented newer code', statechange(10005), 10005],
    ['the details variant', statechangeDetails(2103), 2103],
    ['the details variant, string code', statechangeDetails('-2301'), -2301],
    ['a fractional code', statechange(1101.5), null],
    ['a non-numeric string', statechange('PUSH_WARNING_NET_BUSY'), null],
    ['NaN', statechange(NaN), null],
    ['no code', { type: 'statechange', detail: {} }, null],
    ['code: null', statechange(null), null],
    ['no detail', { type: 'statechange' }, null],
    ['detail is a number', { type: 'statechange', detail: 1101 }, null],
    ['null event', null, null],
    ['undefined event', undefined, null],
    ['a bare number', 1101, null],
  ])('%s', (_name, e, expected) => {
    expect(parseStateCode(e)).toBe(expected)
  })
})

describe('parseErrorEvent', () => {
  test.each<[string, unknown, { errCode: number; errMsg: string } | null]>([
    ['camera denied', error(10001, 'operateLivePusher:fail camera authorize no response'), { errCode: 10001, errMsg: 'operateLivePusher:fail camera authorize no response' }],
    ['microphone denied', error(10002, 'record auth deny'), { errCode: 10002, errMsg: 'record auth deny' }],
    ['errCode as a string', error('10003', 'bgm'), { errCode: 10003, errMsg: 'bgm' }],
    ['no errMsg → ""', error(10004), { errCode: 10004, errMsg: '' }],
    ['non-string errMsg → ""', error(10001, { text: 'x' }), { errCode: 10001, errMsg: '' }],
    ['the details variant', errorDetails(10001, 'denied'), { errCode: 10001, errMsg: 'denied' }],
    ['the details variant, string code', errorDetails('10002'), { errCode: 10002, errMsg: '' }],
    ['an unknown errCode is still parsed', error(10005, 'new'), { errCode: 10005, errMsg: 'new' }],
    ['no errCode', { type: 'error', detail: { errMsg: 'x' } }, null],
    ['errCode not numeric', error('camera'), null],
    ['errCode fractional', error(10001.5), null],
    ['no detail', { type: 'error' }, null],
    ['null event', null, null],
    ['a string event', 'error', null],
  ])('%s', (_name, e, expected) => {
    expect(parseErrorEvent(e)).toEqual(expected)
  })
})

describe('parseFullScreenChange', () => {
  const event = (detail: unknown) => ({ type: 'fullscreenchange', timeStamp: 1, target: {}, currentTarget: {}, detail })
  test.each<[string, unknown, boolean | null]>([
    ['entering, as WeChat sends it', event({ direction: 90, fullScreen: true }), true],
    ['leaving', event({ direction: 0, fullScreen: false }), false],
    ['a stringified true', event({ fullScreen: 'true' }), true],
    ['a numeric 0', event({ fullScreen: 0 }), false],
    ['no fullScreen field', event({ direction: 90 }), null],
    ['garbage', event({ fullScreen: 'yes' }), null],
    ['no detail', { type: 'fullscreenchange' }, null],
    ['not an event', null, null],
  ])('%s → %s', (_name, e, expected) => {
    expect(parseFullScreenChange(e)).toBe(expected)
  })
})
