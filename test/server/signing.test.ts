/**
 * URL signing against Tencent's documented example, the two providers' URL
 * formats, session tokens, and configuration errors.
 */
import { TokenSigner } from '../../server/auth/token'
import { ConfigError, loadConfig } from '../../server/config'
import { createRootLogger } from '../../server/logger'
import { TencentCssProvider } from '../../server/media/tencent-css'
import { signedQuery, txSecretFor, txTimeFor, verifySignedQuery } from '../../server/media/tencent-sign'
import { LIMITS, PATHS, normalizeNickname, shouldResume, CLOSE_CODES } from '../../src/core/protocol'

const log = createRootLogger('silent')

describe('Tencent anti-leech signing (防盗链计算)', () => {
  // cloud.tencent.com/document/product/267/32735 worked example.
  const KEY = 'e12c46f2612d5106e2034781ab261ca3'

  test('documented vector: key, stream "test", txTime 5C271099 → f85a2ab363fe4deaffef9754d79da6fe', () => {
    expect(txSecretFor(KEY, 'test', '5C271099')).toBe('f85a2ab363fe4deaffef9754d79da6fe')
  })

  test('txTime is the expiry as upper-case hex UNIX seconds', () => {
    expect(txTimeFor(0x5c271099 * 1000)).toBe('5C271099')
    expect(txTimeFor(0x5c271099 * 1000 + 999)).toBe('5C271099')
    expect(signedQuery(KEY, 'test', 0x5c271099 * 1000)).toBe('txSecret=f85a2ab363fe4deaffef9754d79da6fe&txTime=5C271099')
  })

  const beforeExpiry = (0x5c271099 - 60) * 1000
  test.each([
    ['the documented signature before expiry', { txSecret: 'f85a2ab363fe4deaffef9754d79da6fe', txTime: '5C271099' }, beforeExpiry, { ok: true }],
    ['no query at all', {}, beforeExpiry, { ok: false, reason: 'unsigned' }],
    ['a wrong secret', { txSecret: 'f85a2ab363fe4deaffef9754d79da6ff', txTime: '5C271099' }, beforeExpiry, { ok: false, reason: 'bad_signature' }],
    ['a shifted txTime', { txSecret: 'f85a2ab363fe4deaffef9754d79da6fe', txTime: '5C27109A' }, beforeExpiry, { ok: false, reason: 'bad_signature' }],
    ['txTime missing', { txSecret: 'f85a2ab363fe4deaffef9754d79da6fe' }, beforeExpiry, { ok: false, reason: 'bad_signature' }],
    ['a repeated key (array)', { txSecret: ['a', 'b'], txTime: '5C271099' }, beforeExpiry, { ok: false, reason: 'bad_signature' }],
    ['non-hex txTime', { txSecret: 'f85a2ab363fe4deaffef9754d79da6fe', txTime: 'zz' }, beforeExpiry, { ok: false, reason: 'bad_signature' }],
    ['the documented signature after expiry', { txSecret: 'f85a2ab363fe4deaffef9754d79da6fe', txTime: '5C271099' }, 0x5c271099 * 1000, { ok: false, reason: 'expired' }],
  ])('verify: %s', (_name, query, now, verdict) => {
    expect(verifySignedQuery(KEY, 'test', query, now)).toEqual(verdict)
  })

  test('a signature for one stream does not verify another', () => {
    expect(verifySignedQuery(KEY, 'other', { txSecret: 'f85a2ab363fe4deaffef9754d79da6fe', txTime: '5C271099' }, beforeExpiry))
      .toEqual({ ok: false, reason: 'bad_signature' })
  })
})

describe('tencent-css provider URLs', () => {
  const provider = new TencentCssProvider(
    {
      provider: 'tencent-css',
      pushDomain: 'push.example.com',
      playDomain: 'play.example.com',
      app: 'live',
      pushKey: 'e12c46f2612d5106e2034781ab261ca3',
      playKey: 'play-key-0123456789abcdef',
      playScheme: 'https',
    },
    log,
  )

  test('push: rtmp://<push-domain>/live/<stream>?txSecret&txTime; play: https://<play-domain>/live/<stream>.flv?…', () => {
    const urls = provider.urls('test', 0x5c271099 * 1000)
    expect(urls.pushUrl).toBe('rtmp://push.example.com/live/test?txSecret=f85a2ab363fe4deaffef9754d79da6fe&txTime=5C271099')
    expect(urls.playUrl).toBe(
      `https://play.example.com/live/test.flv?txSecret=${txSecretFor('play-key-0123456789abcdef', 'test', '5C271099')}&txTime=5C271099`,
    )
  })

  test('play URLs are unsigned when the play domain has no key', () => {
    const unsigned = new TencentCssProvider(
      { provider: 'tencent-css', pushDomain: 'p.example.com', playDomain: 'v.example.com', app: 'live', pushKey: 'k'.repeat(16), playKey: undefined, playScheme: 'http' },
      log,
    )
    expect(unsigned.urls('s1', 0x5c271099 * 1000).playUrl).toBe('http://v.example.com/live/s1.flv')
  })
})

describe('session tokens', () => {
  const signer = new TokenSigner('a-secret-of-sufficient-length')
  const claims = { meetingId: '123456789', participantId: 'p0123456789', expiresAt: 2_000_000 }

  test('round trip', () => {
    expect(signer.verify(signer.sign(claims), 1_000_000)).toEqual({ ok: true, claims })
  })

  test('expired tokens are told apart from forged ones', () => {
    expect(signer.verify(signer.sign(claims), 2_000_000)).toEqual({ ok: false, code: 'token_expired' })
  })

  test.each([
    ['another secret', new TokenSigner('another-secret-of-sufficient-length').sign(claims)],
    ['a tampered payload', (() => {
      const [payload, mac] = signer.sign(claims).split('.')
      const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('p0123456789', 'p9999999999')).toString('base64url')
      return `${forged}.${mac}`
    })()],
    ['garbage', 'not-a-token'],
    ['two dots', 'a.b.c'],
    ['too long', 'x'.repeat(600)],
  ])('rejects %s as bad_token', (_name, token) => {
    expect(signer.verify(token, 1_000_000)).toEqual({ ok: false, code: 'bad_token' })
  })
})

describe('configuration', () => {
  test('defaults: local media on loopback, capacity 9, 30 s grace, heartbeat timeout ≤ 30 s', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8787, capacity: 9, resumeGraceMs: 30_000 })
    expect(config.heartbeatTimeoutMs).toBeLessThanOrEqual(30_000)
    expect(config.media).toMatchObject({ provider: 'local', bind: '127.0.0.1', publicHost: '127.0.0.1', app: 'live' })
  })

  test('every bad variable is named in one clear error, secrets redacted', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'eighty', CAPACITY: '0', HEARTBEAT_TIMEOUT_MS: '60000', MEDIA_PUSH_KEY: 'short' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    expect(message).toMatch(/^Invalid configuration:/)
    for (const name of ['PORT', 'CAPACITY', 'HEARTBEAT_TIMEOUT_MS', 'MEDIA_PUSH_KEY']) expect(message).toContain(`${name}:`)
    expect(message).toContain('"eighty"')
    expect(message).not.toContain('short')
  })

  test('tencent-css needs its domains and push key', () => {
    expect(() => loadConfig({ MEDIA_PROVIDER: 'tencent-css' })).toThrow(/TENCENT_PUSH_DOMAIN:[\s\S]*TENCENT_PUSH_KEY:/)
  })

  test('an unknown provider is refused', () => {
    expect(() => loadConfig({ MEDIA_PROVIDER: 'wowza' })).toThrow(/MEDIA_PROVIDER/)
  })

  test('the heartbeat interval must be below the timeout', () => {
    expect(() => loadConfig({ HEARTBEAT_INTERVAL_MS: '5000', HEARTBEAT_TIMEOUT_MS: '4000' })).toThrow(/HEARTBEAT_INTERVAL_MS/)
  })
})

describe('shared protocol helpers', () => {
  test('paths', () => {
    expect(PATHS.join('123456789')).toBe('/v1/meetings/123456789/join')
    expect(PATHS.leave('123456789')).toBe('/v1/meetings/123456789/leave')
    expect(PATHS.meeting('123456789')).toBe('/v1/meetings/123456789')
  })

  test.each([
    ['  Ada  ', 'Ada'],
    ['李雷', '李雷'],
    ['👩‍💻 dev', '👩‍💻 dev'],
    ['x'.repeat(LIMITS.nicknameMaxLength), 'x'.repeat(LIMITS.nicknameMaxLength)],
    ['', null],
    ['   ', null],
    ['\u200b\u200b', null],
    ['x'.repeat(LIMITS.nicknameMaxLength + 1), null],
    ['tab\tname', null],
    ['new\nline', null],
    ['lone \ud800 surrogate', null],
    [42, null],
  ])('normalizeNickname(%j) → %j', (input, expected) => {
    expect(normalizeNickname(input)).toBe(expected)
  })

  test.each([
    [1006, true],
    [CLOSE_CODES.hello_timeout, true],
    [CLOSE_CODES.slow_consumer, true],
    [CLOSE_CODES.too_big, true],
    [CLOSE_CODES.normal, false],
    [CLOSE_CODES.removed, false],
    [CLOSE_CODES.meeting_ended, false],
    [CLOSE_CODES.auth_failed, false],
    [CLOSE_CODES.replaced, false],
  ])('shouldResume(%i) → %s', (code, expected) => {
    expect(shouldResume(code)).toBe(expected)
  })
})
