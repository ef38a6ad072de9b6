/**
 * Bad input over real sockets: every case gets an `error` with a stable code,
 * the connection stays usable, and the other member of the room notices
 * nothing. Floods hit the per-socket and per-IP rate limits.
 */
import { CLOSE_CODES, ERRORS, PATHS, shouldResume, type ErrorMessage, type ErrorResponse } from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import { closeAll, enter, sleep, TestClient, type Member } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import { startTestService } from './helpers/service'

const opened: TestClient[] = []

afterEach(async () => {
  await closeAll(opened.splice(0))
})

async function pair(service: RunningService): Promise<{ host: Member; guest: Member }> {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await enter(service, meetingId, { nickname: 'Host', hostKey })
  const guest = await enter(service, meetingId, { nickname: 'Guest' })
  opened.push(host.client, guest.client)
  await host.client.event('participant_joined')
  return { host, guest }
}

describe('malformed frames', () => {
  let service: RunningService
  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    await service.stop()
  })

  test.each<[string, string | Record<string, unknown>, keyof typeof ERRORS, string | undefined]>([
    ['malformed JSON', '{"type": "ping"', 'bad_message', undefined],
    ['a JSON array', '[1, 2, 3]', 'bad_message', undefined],
    ['a JSON number', '42', 'bad_message', undefined],
    ['null', 'null', 'bad_message', undefined],
    ['no type', { id: 'x' }, 'bad_message', undefined],
    ['a non-string type', { type: 7 }, 'bad_message', undefined],
    ['an unknown type', { type: 'dance' }, 'unknown_type', 'dance'],
    ['a prototype key as type', { type: '__proto__' }, 'unknown_type', '__proto__'],
    ['a wrong field type', { type: 'set_media', micOn: 'yes' }, 'bad_message', 'set_media'],
    ['an empty set_media', { type: 'set_media' }, 'bad_message', 'set_media'],
    ['an unexpected field', { type: 'ping', extra: true }, 'bad_message', 'ping'],
    ['a missing target', { type: 'mute_mic' }, 'bad_message', 'mute_mic'],
    ['a numeric request id', { type: 'ping', id: 5 }, 'bad_message', undefined],
    ['an over-long request id', { type: 'ping', id: 'x'.repeat(65) }, 'bad_message', undefined],
  ])('%s → %s; the socket and the room stay healthy', async (_name, frame, code, forType) => {
    const { host, guest } = await pair(service)
    const reply = (await guest.client.request(frame)) as ErrorMessage
    expect(reply).toMatchObject({ type: 'error', code, message: expect.any(String) })
    expect(reply.for).toBe(forType)
    expect(await guest.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    expect(await host.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    expect(host.client.received('participant_left')).toEqual([])
  })

  test('bad_message lists what did not validate', async () => {
    const { guest } = await pair(service)
    const reply = (await guest.client.request({ type: 'lock_room', locked: 'yes', id: 'q' })) as ErrorMessage
    expect(reply).toMatchObject({ code: 'bad_message', id: 'q', for: 'lock_room' })
    expect(reply.details?.[0]).toMatch(/^locked: /)
  })

  test('a binary frame → bad_message', async () => {
    const { guest } = await pair(service)
    guest.client.send(Buffer.from('{"type":"ping"}'), { binary: true })
    expect(await guest.client.reply()).toMatchObject({ type: 'error', code: 'bad_message' })
    expect(await guest.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
  })

  test('an oversized frame → frame_too_large; the connection stays open', async () => {
    const { host, guest } = await pair(service)
    expect(await guest.client.request({ type: 'ping', id: 'x'.repeat(10_000) })).toMatchObject({ type: 'error', code: 'frame_too_large' })
    expect(await guest.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    expect(host.client.received('participant_left')).toEqual([])
  })

  test('a frame over the hard cap closes the socket with 1009; the participant resumes', async () => {
    const { host, guest } = await pair(service)
    guest.client.send('x'.repeat(300_000))
    const closed = await guest.client.closed
    expect(closed.code).toBe(CLOSE_CODES.too_big)
    expect(shouldResume(closed.code)).toBe(true)
    const back = await TestClient.connect(service.socketUrl)
    opened.push(back)
    expect((await back.hello(guest.join.token)).resumed).toBe(true)
    expect(host.client.received('participant_left')).toEqual([])
  })
})

describe('floods', () => {
  let service: RunningService
  beforeAll(async () => {
    service = await startTestService({ WS_RATE_PER_S: '10', WS_RATE_BURST: '5', HTTP_RATE_BURST: '40', HTTP_RATE_PER_MIN: '60', WS_OPEN_BURST: '4', WS_OPEN_PER_MIN: '1' })
  })
  afterAll(async () => {
    await service.stop()
  })

  test('a socket flood: each frame past the burst gets rate_limited; the sender recovers; the other member is unaffected', async () => {
    const { host, guest } = await pair(service)
    for (let i = 0; i < 30; i++) guest.client.send({ type: 'ping', id: `f${i}` })
    const replies = []
    for (let i = 0; i < 30; i++) replies.push(await guest.client.reply())
    expect(replies.map((r) => r.id)).toEqual(Array.from({ length: 30 }, (_, i) => `f${i}`))
    const limited = replies.filter((r) => r.type === 'error')
    expect(limited.length).toBeGreaterThanOrEqual(20)
    for (const r of limited) expect(r).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
    // The burst (5) less the hello's token.
    expect(replies.slice(0, 4).every((r) => r.type === 'pong')).toBe(true)

    expect(await host.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    await sleep(250)
    expect(await guest.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    expect(host.client.received('participant_left')).toEqual([])
  })

  test('an HTTP flood from one address gets 429 rate_limited', async () => {
    const statuses: number[] = []
    let limited: ErrorResponse | undefined
    for (let i = 0; i < 45; i++) {
      const res = await http<ErrorResponse>('GET', service.url + PATHS.meeting('123456789'))
      statuses.push(res.status)
      if (res.status === 429) limited = res.body
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
    expect(limited?.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
    const health = await http('GET', service.url + PATHS.health)
    expect(health.status).toBe(200)
  })

  test('socket opens from one address have their own budget: past it the socket opens, says why, and closes (resumable)', async () => {
    // The HTTP flood above spent the address's HTTP budget; sockets still open (pair() opened 2 of 4).
    const open = [await TestClient.connect(service.socketUrl), await TestClient.connect(service.socketUrl)]
    opened.push(...open)
    expect(await open[1].request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    const refused = await TestClient.connect(service.socketUrl)
    opened.push(refused)
    expect(await refused.event('error')).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
    expect((await refused.closed).code).toBe(CLOSE_CODES.rate_limited)
    expect(shouldResume(CLOSE_CODES.rate_limited)).toBe(true)
  })
})
