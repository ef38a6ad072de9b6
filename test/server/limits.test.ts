/**
 * Rate limits sized for real meetings, over real sockets: with the shipped
 * defaults, fifty people behind one address (one NAT) get into a meeting at
 * once; TRUST_PROXY decides whose address a limit sees; and a participant's
 * frame budget follows the participant across sockets.
 */
import { PATHS, type ErrorResponse } from '../../src/core/protocol'
import { ConfigError, loadConfig, type Env } from '../../server/config'
import { startService, type RunningService } from '../../server/service'
import { closeAll, enter, TestClient } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import { startTestService, TENCENT_MEDIA_ENV, TEST_SESSION_SECRET } from './helpers/service'

/** The shipped limits: nothing lifted, unlike the other server tests. */
const DEFAULTS_ENV: Env = { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', SESSION_SECRET: TEST_SESSION_SECRET, ...TENCENT_MEDIA_ENV }

const opened: TestClient[] = []
afterEach(async () => {
  await closeAll(opened.splice(0))
})

describe('the default limits', () => {
  let service: RunningService
  beforeAll(async () => {
    service = await startService(loadConfig({ ...DEFAULTS_ENV, CAPACITY: '50' }))
  })
  afterAll(async () => {
    await service.stop()
  })

  it('let 50 people behind one address look the meeting up, join and connect at the same moment', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const people = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const info = await http('GET', service.url + PATHS.meeting(meetingId))
        expect(info.status).toBe(200)
        const m = await enter(service, meetingId, { nickname: `P${i}`, ...(i === 0 ? { hostKey } : {}) })
        opened.push(m.client)
        return m
      }),
    )
    expect(people.every((m) => m.welcome.type === 'welcome')).toBe(true)
    expect(service.registry.get(meetingId)?.size).toBe(50)
  })

  it('still stop a flood from one address', async () => {
    let status = 0
    let body: ErrorResponse | undefined
    for (let i = 0; i < 1000 && status !== 429; i++) {
      const res = await http<ErrorResponse>('GET', service.url + PATHS.meeting('123456789'))
      status = res.status
      body = res.body
    }
    expect(status).toBe(429)
    expect(body?.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
  })
})

describe('TRUST_PROXY', () => {
  /** Three requests, each claiming another client behind the proxy; the limit allows two per address. */
  async function statusesFor(trustProxy: string | undefined, forwardedFor: (i: number) => string): Promise<number[]> {
    const service = await startTestService({ HTTP_RATE_BURST: '2', HTTP_RATE_PER_MIN: '1', ...(trustProxy !== undefined ? { TRUST_PROXY: trustProxy } : {}) })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 3; i++) {
        const res = await http('GET', service.url + PATHS.meeting('123456789'), undefined, { 'x-forwarded-for': forwardedFor(i) })
        statuses.push(res.status)
      }
      return statuses
    } finally {
      await service.stop()
    }
  }

  it('is off by default: X-Forwarded-For is ignored and everyone behind the peer shares its bucket', async () => {
    expect(await statusesFor(undefined, (i) => `203.0.113.${i + 1}`)).toEqual([404, 404, 429])
  })

  it('naming the proxy gives each forwarded client its own bucket', async () => {
    expect(await statusesFor('127.0.0.1', (i) => `203.0.113.${i + 1}`)).toEqual([404, 404, 404])
    expect(await statusesFor('127.0.0.0/8', () => '203.0.113.9')).toEqual([404, 404, 429])
    expect(await statusesFor('1', (i) => `203.0.113.${i + 1}`)).toEqual([404, 404, 404])
  })

  it('a header from a peer that is not a trusted proxy is ignored', async () => {
    expect(await statusesFor('10.0.0.1', (i) => `203.0.113.${i + 1}`)).toEqual([404, 404, 429])
  })

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['127.0.0.1, 10.0.0.0/8,::1', ['127.0.0.1', '10.0.0.0/8', '::1']],
  ])('TRUST_PROXY=%j reads as %j', (value, expected) => {
    expect(loadConfig({ ...DEFAULTS_ENV, TRUST_PROXY: value }).trustProxy).toEqual(expected)
  })

  it.each(['yes', '10.0.0.0/33', 'proxy.example.com', '1.2.3.4/8/1'])('TRUST_PROXY=%j is refused naming the variable', (value) => {
    expect(() => loadConfig({ ...DEFAULTS_ENV, TRUST_PROXY: value })).toThrow(ConfigError)
    expect(() => loadConfig({ ...DEFAULTS_ENV, TRUST_PROXY: value })).toThrow(/TRUST_PROXY/)
  })
})

describe('the frame budget after hello', () => {
  let service: RunningService
  beforeAll(async () => {
    // Four frames, then one every 10 s: nothing refills during the test.
    service = await startTestService({ WS_RATE_BURST: '4', WS_RATE_PER_S: '0.1' })
  })
  afterAll(async () => {
    await service.stop()
  })

  it('belongs to the participant: a new socket does not refill it', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const m = await enter(service, meetingId, { nickname: 'Host', hostKey })
    opened.push(m.client)
    // hello took one token; three pings take the rest.
    for (let i = 0; i < 3; i++) expect(await m.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    expect(await m.client.request({ type: 'ping' })).toMatchObject({ type: 'error', code: 'rate_limited' })

    await m.client.terminate()
    const again = await TestClient.connect(service.socketUrl)
    opened.push(again)
    // A fresh socket may say hello (its own budget before hello) and resumes...
    expect((await again.hello(m.join.token)).resumed).toBe(true)
    // ...but from then on it spends the participant's budget, which is empty.
    expect(await again.request({ type: 'ping' })).toMatchObject({ type: 'error', code: 'rate_limited' })
  })

  it('is separate for each participant', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const a = await enter(service, meetingId, { nickname: 'A', hostKey })
    const b = await enter(service, meetingId, { nickname: 'B' })
    opened.push(a.client, b.client)
    for (let i = 0; i < 3; i++) await a.client.request({ type: 'ping' })
    expect(await a.client.request({ type: 'ping' })).toMatchObject({ code: 'rate_limited' })
    expect(await b.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
  })
})
