/**
 * TC3-HMAC-SHA256 against Tencent's documented worked example (签名方法 v3,
 * cloud.tencent.com/document/api/362/4208: CVM DescribeInstances at
 * 1551113065), and the TRTC API client against a local endpoint that checks
 * the signature as Tencent's gateway does.
 */
import { createRootLogger } from '../../server/logger'
import { signTc3, tc3Date } from '../../server/media/tc3'
import { TencentCloudTrtcApi, TrtcApiError } from '../../server/media/trtc-api'
import { startFakeTrtcApi, type FakeTrtcApi } from './helpers/fake-trtc-api'

const log = createRootLogger('silent')

describe('TC3-HMAC-SHA256: the documented example', () => {
  // The document's payload, byte for byte (Python json.dumps escapes the Chinese instance name).
  const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
  const example = { service: 'cvm', host: 'cvm.tencentcloudapi.com', timestamp: 1551113065, payload }

  test('canonical request and string to sign as printed in the document', () => {
    const signed = signTc3({ ...example, secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' })
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    )
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    )
  })

  test('current document key (…EXAMPLE) → Signature 72e494ea…5168 and its Authorization header', () => {
    const signed = signTc3({ ...example, secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' })
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168')
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    )
  })

  test('earlier edition of the document (key …*******) → Signature 2230eefd…652c', () => {
    const signed = signTc3({ ...example, secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******' })
    expect(signed.signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c')
  })

  test.each([
    // 1551113065 is 2019-02-26 00:44:25 in UTC+8: the document's own warning.
    [1551113065, '2019-02-25'],
    [0, '1970-01-01'],
    [1700000000, '2023-11-14'],
  ])('the scope date is the UTC date: %d → %s', (timestamp, date) => {
    expect(tc3Date(timestamp)).toBe(date)
  })
})

describe('TRTC API client against a signature-checking endpoint', () => {
  const SECRET_ID = 'AKIDtestTRTC0000000000000000000000000'
  const SECRET_KEY = 'test-api-secret-key-0123456789abcd'
  let fake: FakeTrtcApi

  beforeEach(async () => {
    fake = await startFakeTrtcApi(SECRET_ID, SECRET_KEY)
  })
  afterEach(() => fake.close())

  const client = (overrides: Partial<ConstructorParameters<typeof TencentCloudTrtcApi>[0]> = {}): TencentCloudTrtcApi =>
    new TencentCloudTrtcApi({
      sdkAppId: 1400000000,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      region: 'ap-guangzhou',
      endpoint: fake.url,
      log,
      ...overrides,
    })

  test('RemoveUserByStrRoomId: signed, with SdkAppId, the string room and the user ids', async () => {
    await client().removeUsers('123456789', ['p0a1b2c3d4e'])
    expect(fake.calls).toEqual([
      {
        action: 'RemoveUserByStrRoomId',
        region: 'ap-guangzhou',
        body: { SdkAppId: 1400000000, RoomId: '123456789', UserIds: ['p0a1b2c3d4e'] },
        signatureProblem: null,
      },
    ])
  })

  test('more than 10 users: one call per 10 (the API limit)', async () => {
    const users = Array.from({ length: 23 }, (_, i) => `p${String(i).padStart(10, '0')}`)
    await client().removeUsers('123456789', users)
    expect(fake.calls.map((c) => (c.body.UserIds as string[]).length)).toEqual([10, 10, 3])
    expect(fake.calls.flatMap((c) => c.body.UserIds as string[])).toEqual(users)
  })

  test('DismissRoomByStrRoomId: signed, with the string room', async () => {
    await client().dismissRoom('987654321')
    expect(fake.calls).toEqual([
      { action: 'DismissRoomByStrRoomId', region: 'ap-guangzhou', body: { SdkAppId: 1400000000, RoomId: '987654321' }, signatureProblem: null },
    ])
  })

  test('a wrong secret key is refused by the endpoint and surfaces as a non-retryable error', async () => {
    const error = await client({ secretKey: 'another-secret-key-0123456789' }).dismissRoom('1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TrtcApiError)
    expect((error as TrtcApiError).code).toBe('AuthFailure.SignatureFailure')
    expect(fake.calls).toHaveLength(1)
  })

  test('a clock 10 minutes off is refused (AuthFailure.SignatureExpire)', async () => {
    const error = await client({ now: () => Date.now() - 600_000 }).dismissRoom('1').catch((e: unknown) => e)
    expect((error as TrtcApiError).code).toBe('AuthFailure.SignatureExpire')
  })

  test('transient failures (InternalError, HTTP 502) are retried, then it succeeds', async () => {
    fake.failNext({ code: 'InternalError', message: 'try again' })
    fake.failNext({ status: 502 })
    await client().removeUsers('5', ['p1'])
    expect(fake.calls.map((c) => c.signatureProblem)).toEqual([null, null, null])
    expect(fake.calls).toHaveLength(3)
  })

  test('a parameter error is not retried', async () => {
    fake.failNext({ code: 'InvalidParameter.RoomId', message: 'bad room' })
    const error = await client().removeUsers('x', ['p1']).catch((e: unknown) => e)
    expect((error as TrtcApiError).code).toBe('InvalidParameter.RoomId')
    expect((error as TrtcApiError).requestId).toBe('fake-1')
    expect(fake.calls).toHaveLength(1)
  })

  test('an endpoint that is down: a retryable Network error after the attempts', async () => {
    const url = fake.url
    await fake.close()
    fake = await startFakeTrtcApi(SECRET_ID, SECRET_KEY)
    const error = await client({ endpoint: url, attempts: 2, timeoutMs: 1000 }).dismissRoom('1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TrtcApiError)
    expect((error as TrtcApiError).code).toBe('Network')
  })
})
