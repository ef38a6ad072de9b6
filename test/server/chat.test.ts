/**
 * Chat and raised hands over real sockets, on one in-memory instance and on
 * two instances sharing the meeting through a real redis-server (host on A,
 * guests on B): the history a late joiner gets, the text rule and the chat
 * budget with their documented codes, idempotent retries, and hands that the
 * host lowers, everyone sees, and that survive a resume.
 */
import { LIMITS, type ChatLine, type ParticipantView } from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import { startRedis, type RedisProcess } from '../../scripts/lib/redis-server'
import { membersOf } from './helpers/across'
import { closeAll, TestClient, type Member } from './helpers/client'
import { startTestService } from './helpers/service'

jest.setTimeout(30_000)

interface Setup {
  readonly a: RunningService
  readonly b: RunningService
  stop(): Promise<void>
}

/** A generous chat budget except where a test is about the budget (CHAT_BURST 5, 1/s: the defaults). */
const ROOMY = { CHAT_BURST: '1000', CHAT_RATE_PER_S: '1000' }

const setups: Array<[string, (env: Record<string, string>) => Promise<Setup>]> = [
  [
    'memory',
    async (env) => {
      const a = await startTestService(env)
      return { a, b: a, stop: () => a.stop() }
    },
  ],
  [
    'redis, two instances',
    async (env) => {
      const redis: RedisProcess = await startRedis()
      const a = await startTestService({ ...env, REDIS_URL: redis.url })
      const b = await startTestService({ ...env, REDIS_URL: redis.url })
      return {
        a,
        b,
        stop: async () => {
          await a.stop()
          await b.stop()
          await redis.stop()
        },
      }
    },
  ],
]

describe.each(setups)('chat and hands (%s)', (_name, start) => {
  let roomy: Setup
  let strict: Setup
  const opened: TestClient[] = []
  const { member, meetingAcross } = membersOf(opened)

  beforeAll(async () => {
    roomy = await start(ROOMY)
    strict = await start({})
  })
  afterEach(async () => {
    await closeAll(opened.splice(0))
  })
  afterAll(async () => {
    await roomy?.stop()
    await strict?.stop()
  })

  const send = (m: Member, text: string, clientMsgId: string) => m.client.request({ type: 'chat_send', text, clientMsgId })
  const texts = (lines: readonly ChatLine[] | undefined) => (lines ?? []).map((l) => l.text)

  test('a line reaches everyone, the sender included, with who wrote it; the text is trimmed and normalised', async () => {
    const { host, guest } = await meetingAcross(roomy.a, roomy.b)
    expect(await send(guest, '  hello\r\nworld  ', 'g1')).toMatchObject({ type: 'ack', for: 'chat_send' })
    const atHost = await host.client.event('chat_message')
    const atGuest = await guest.client.event('chat_message')
    expect(atHost).toMatchObject({ text: 'hello\nworld', clientMsgId: 'g1', from: { id: guest.id, nickname: 'Guest', role: 'participant' } })
    expect(atGuest).toEqual(atHost)
    expect(atHost.id).toMatch(/^c\d+$/)
    expect(atHost.atMs).toBeGreaterThan(Date.now() - 10_000)
  })

  test('a late joiner gets exactly the last 100 of 120 lines, in order; later lines come as events', async () => {
    const { meetingId, host, guest } = await meetingAcross(roomy.a, roomy.b)
    for (let i = 1; i <= 120; i++) {
      const from = i % 2 === 0 ? host : guest
      expect(await send(from, `line ${i}`, `m${i}`)).toMatchObject({ type: 'ack' })
    }
    const late = await member(roomy.b, meetingId, 'Late')
    const expected = Array.from({ length: LIMITS.chatHistory }, (_, k) => `line ${k + 21}`)
    expect(texts(late.welcome.chat)).toEqual(expected)
    const seqs = (late.welcome.chat ?? []).map((l) => l.atSeq)
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs)
    expect(new Set((late.welcome.chat ?? []).map((l) => l.id)).size).toBe(LIMITS.chatHistory)
    // The same history from the other instance, and on a resume.
    const another = await member(roomy.a, meetingId, 'Another')
    expect(texts(another.welcome.chat)).toEqual(expected)
    await late.client.terminate()
    const again = await TestClient.connect(roomy.a.socketUrl)
    opened.push(again)
    const resumed = await again.hello(late.join.token)
    expect(resumed.resumed).toBe(true)
    expect(texts(resumed.chat)).toEqual(expected)
    await send(host, 'after', 'after')
    expect((await again.event('chat_message')).text).toBe('after')
  })

  test.each([
    ['empty', ''],
    ['only spaces and newlines', '  \n \n '],
    ['only invisible characters', '\u200b\u2060\ufeff'],
    ['501 characters', 'a'.repeat(LIMITS.chatTextMaxLength + 1)],
    ['501 emoji (code points, not UTF-16 units)', '😀'.repeat(LIMITS.chatTextMaxLength + 1)],
    ['a bell character', 'ding\u0007'],
    ['a tab', 'a\tb'],
    ['a line separator', 'a\u2028b'],
    ['an unpaired surrogate', 'a\ud800b'],
  ])('text that is %s is refused with chat_invalid, nothing is sent, the socket stays', async (_what, text) => {
    const { host, guest } = await meetingAcross(roomy.a, roomy.b)
    const reply = await send(guest, text, 'bad')
    expect(reply).toMatchObject({ type: 'error', code: 'chat_invalid', for: 'chat_send' })
    // The next line goes through, and it is the only one anybody saw.
    expect(await send(guest, 'ok', 'good')).toMatchObject({ type: 'ack' })
    expect((await host.client.event('chat_message')).text).toBe('ok')
    expect(host.client.received('chat_message')).toHaveLength(1)
    expect(guest.client.isOpen).toBe(true)
  })

  test('500 emoji and a multi-line text are accepted as they are', async () => {
    const { host, guest } = await meetingAcross(roomy.a, roomy.b)
    const long = '😀'.repeat(LIMITS.chatTextMaxLength)
    expect(await send(guest, long, 'long')).toMatchObject({ type: 'ack' })
    expect(await send(guest, '第一行\n第二行', 'zh')).toMatchObject({ type: 'ack' })
    expect((await host.client.event('chat_message')).text).toBe(long)
    expect((await host.client.event('chat_message')).text).toBe('第一行\n第二行')
  })

  test('a text over the schema bound is bad_message; the socket stays', async () => {
    const { guest } = await meetingAcross(roomy.a, roomy.b)
    expect(await send(guest, 'a'.repeat(LIMITS.chatTextMaxLength * 4 + 1), 'x')).toMatchObject({ type: 'error', code: 'bad_message' })
    expect(guest.client.isOpen).toBe(true)
  })

  test('the chat budget: a burst of 5, then chat_rate_limited with retryAfterMs; nothing lost that was acknowledged', async () => {
    const { host, guest } = await meetingAcross(strict.a, strict.b)
    for (let i = 1; i <= LIMITS.chatBurst; i++) expect(await send(guest, `burst ${i}`, `b${i}`)).toMatchObject({ type: 'ack' })
    const refused = await send(guest, 'one too many', 'b6')
    expect(refused).toMatchObject({ type: 'error', code: 'chat_rate_limited', for: 'chat_send' })
    const retryAfterMs = (refused as { retryAfterMs?: number }).retryAfterMs ?? 0
    expect(retryAfterMs).toBeGreaterThan(0)
    expect(retryAfterMs).toBeLessThanOrEqual(LIMITS.chatRefillMs)
    // Other messages are not held back by the chat budget.
    expect(await guest.client.request({ type: 'hand_raise', raised: true })).toMatchObject({ type: 'ack' })
    await new Promise((resolve) => setTimeout(resolve, retryAfterMs + 50))
    expect(await send(guest, 'one too many', 'b6')).toMatchObject({ type: 'ack' })
    await host.client.event('chat_message')
    for (let i = 0; i < LIMITS.chatBurst; i++) await host.client.event('chat_message')
    expect(texts(host.client.received('chat_message'))).toEqual(['burst 1', 'burst 2', 'burst 3', 'burst 4', 'burst 5', 'one too many'])
  })

  test('a retry with the same clientMsgId is acknowledged without a second line', async () => {
    const { meetingId, host, guest } = await meetingAcross(roomy.a, roomy.b)
    expect(await send(guest, 'once', 'same')).toMatchObject({ type: 'ack' })
    expect(await send(guest, 'once', 'same')).toMatchObject({ type: 'ack' })
    expect(await send(guest, 'twice', 'other')).toMatchObject({ type: 'ack' })
    await host.client.event('chat_message')
    await host.client.event('chat_message')
    expect(texts(host.client.received('chat_message'))).toEqual(['once', 'twice'])
    const late = await member(roomy.a, meetingId, 'Late')
    expect(texts(late.welcome.chat)).toEqual(['once', 'twice'])
  })

  test('a participant muted by the host may still chat', async () => {
    const { host, guest } = await meetingAcross(roomy.a, roomy.b)
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    expect(await send(guest, 'still here', 'm')).toMatchObject({ type: 'ack' })
    expect((await host.client.event('chat_message')).text).toBe('still here')
  })

  const handOf = async (m: Member, id: string, raised: boolean): Promise<ParticipantView> => {
    for (;;) {
      const { participant } = await m.client.event('participant_updated')
      if (participant.id === id && participant.handRaised === raised) return participant
    }
  }

  test('a raised hand: everyone sees it; a non-host cannot lower it; the host lowers it and everyone sees that', async () => {
    const { meetingId, host, guest } = await meetingAcross(roomy.a, roomy.b)
    const third = await member(roomy.b, meetingId, 'Third')
    expect(await guest.client.request({ type: 'hand_raise', raised: true })).toMatchObject({ type: 'ack', for: 'hand_raise' })
    const seen = await handOf(host, guest.id, true)
    expect(seen.handRaisedAt).toEqual(expect.any(Number))
    await handOf(third, guest.id, true)
    await handOf(guest, guest.id, true)

    expect(await third.client.request({ type: 'hand_lower', participantId: guest.id })).toMatchObject({ type: 'error', code: 'not_host' })
    expect(await third.client.request({ type: 'hands_lower_all' })).toMatchObject({ type: 'error', code: 'not_host' })
    expect(await host.client.request({ type: 'hand_lower', participantId: host.id })).toMatchObject({ type: 'error', code: 'bad_target' })
    expect(await host.client.request({ type: 'hand_lower', participantId: 'p0000000000' })).toMatchObject({ type: 'error', code: 'unknown_participant' })

    expect(await host.client.request({ type: 'hand_lower', participantId: guest.id })).toMatchObject({ type: 'ack' })
    for (const m of [host, guest, third]) expect((await handOf(m, guest.id, false)).handRaisedAt).toBeNull()
  })

  test('the host lowers every hand at once', async () => {
    const { meetingId, host, guest } = await meetingAcross(roomy.a, roomy.b)
    const third = await member(roomy.a, meetingId, 'Third')
    for (const m of [host, guest, third]) expect(await m.client.request({ type: 'hand_raise', raised: true })).toMatchObject({ type: 'ack' })
    await handOf(host, third.id, true)
    expect(await host.client.request({ type: 'hands_lower_all' })).toMatchObject({ type: 'ack' })
    for (const m of [host, guest, third]) await handOf(guest, m.id, false)
  })

  test('raising a raised hand keeps its place; a raised hand survives a resume on the other instance and is in the snapshot', async () => {
    const { meetingId, host, guest } = await meetingAcross(roomy.a, roomy.b)
    await guest.client.request({ type: 'hand_raise', raised: true })
    const first = await handOf(host, guest.id, true)
    expect(await guest.client.request({ type: 'hand_raise', raised: true })).toMatchObject({ type: 'ack' })
    await guest.client.terminate()
    const again = await TestClient.connect(roomy.a.socketUrl)
    opened.push(again)
    const welcome = await again.hello(guest.join.token)
    expect(welcome.resumed).toBe(true)
    expect(welcome.participants.find((p) => p.id === guest.id)).toMatchObject({ handRaised: true, handRaisedAt: first.handRaisedAt })
    const late = await member(roomy.b, meetingId, 'Late')
    expect(late.welcome.participants.find((p) => p.id === guest.id)).toMatchObject({ handRaised: true, handRaisedAt: first.handRaisedAt })
    expect(late.welcome.participants.find((p) => p.id === host.id)).toMatchObject({ handRaised: false, handRaisedAt: null })
  })
})
