import {
  INGEST_ERRORS,
  INGEST_PATH,
  ingestCloseIsRetryable,
  ingestSocketUrl,
  parseIngestServerMessage,
  parseIngestVideoCodec,
} from '../../../src/core/ingest'

const PUSH = 'rtmp://127.0.0.1:1935/live/m123456789_pabcdef0123_0a1b2c3d?txSecret=f85a&txTime=5C271099'

describe('ingestSocketUrl', () => {
  test.each([
    ['http service', 'http://127.0.0.1:8787', 'ws://127.0.0.1:8787'],
    ['https service', 'https://meet.example.com', 'wss://meet.example.com'],
    ['trailing slashes', 'http://h:1//', 'ws://h:1'],
    ['path prefix', 'https://h/api', 'wss://h/api'],
  ])('%s', (_name, service, base) => {
    const url = new URL(ingestSocketUrl(service, PUSH, 'h264'))
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(`${base}${INGEST_PATH}`)
    // The push URL survives the round trip byte for byte: the service compares it exactly.
    expect(url.searchParams.get('push')).toBe(PUSH)
    expect(url.searchParams.get('video')).toBe('h264')
    expect(url.searchParams.has('kbps')).toBe(false)
  })

  test('kbps is rounded and only sent when given', () => {
    expect(new URL(ingestSocketUrl('http://h', PUSH, 'vp8', 299.6)).searchParams.get('kbps')).toBe('300')
    expect(new URL(ingestSocketUrl('http://h', PUSH, 'vp8', Number.NaN)).searchParams.has('kbps')).toBe(false)
  })
})

describe('parseIngestServerMessage', () => {
  test.each([
    ['publishing', '{"type":"publishing"}', { type: 'publishing' }],
    ['a known error', '{"type":"error","code":"bad_push_url","message":"no"}', { type: 'error', code: 'bad_push_url', message: 'no' }],
    ['an error without message', '{"type":"error","code":"relay_failed"}', { type: 'error', code: 'relay_failed', message: '' }],
    ['progress', '{"type":"progress","receivedBytes":12345}', { type: 'progress', receivedBytes: 12345 }],
  ])('%s', (_name, text, expected) => {
    expect(parseIngestServerMessage(text)).toEqual(expected)
  })

  test.each([
    ['an unknown error code', '{"type":"error","code":"constructor"}'],
    ['an unknown type', '{"type":"welcome"}'],
    ['progress without a count', '{"type":"progress"}'],
    ['progress with a negative count', '{"type":"progress","receivedBytes":-1}'],
    ['not JSON', 'publishing'],
    ['JSON null', 'null'],
    ['binary', new ArrayBuffer(4)],
  ])('%s → null', (_name, input) => {
    expect(parseIngestServerMessage(input)).toBeNull()
  })
})

describe('close codes', () => {
  test('every error has its own 41xx close code', () => {
    const codes = Object.values(INGEST_ERRORS).map((e) => e.close)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toBeGreaterThanOrEqual(4100)
  })

  test.each([
    [INGEST_ERRORS.relay_failed.close, true],
    [INGEST_ERRORS.bad_push_url.close, false],
    [INGEST_ERRORS.ingest_unavailable.close, false],
    [INGEST_ERRORS.ingest_replaced.close, false],
    [INGEST_ERRORS.bad_message.close, false],
    [1006, true],
    [1001, true],
    [1000, false],
  ])('close %i → retry %s', (code, retry) => {
    expect(ingestCloseIsRetryable(code)).toBe(retry)
  })
})

test.each([
  ['h264', 'h264'],
  ['vp8', 'vp8'],
  ['vp9', 'vp9'],
  ['H264', null],
  ['av1', null],
  [undefined, null],
])('parseIngestVideoCodec(%j) → %j', (input, expected) => {
  expect(parseIngestVideoCodec(input)).toBe(expected)
})
