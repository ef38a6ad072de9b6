/**
 * `speaking` → `speaking_changed` over real sockets, on one in-memory
 * instance and on two instances sharing the meeting through a real
 * redis-server (host on A, guests on B): the report reaches the others and
 * not the reporter, carries no `seq` and is in no snapshot; the per-
 * participant budget answers `rate_limited`; a microphone that is off or
 * muted by the host cannot be speaking; bad payloads get `bad_message` and
 * the socket carries on.
 */
import { LIMITS } from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import { startRedis, type RedisProcess } from '../../scripts/lib/redis-server'
import { membersOf } from './helpers/across'
import { closeAll, sleep, TestClient, type Member } from './helpers/client'
import { startTestService } from './helpers/service'

jest.setTimeout(30_000)

interface Setup {
  readonly a: RunningService
  readonly b: RunningService
  stop(): Promise<void>
}

const setups: Array<[string, () => Promise<Setup>]> = [
  [
    'memory',
    async () => {
      const a = await startTestService({})
      return { a, b: a, stop: () => a.stop() }
    },
  ],
  [
    'redis, two instances',
    async () => {
      const redis: RedisProcess = await startRedis()
      const a = await startTestService({ REDIS_URL: redis.url })
      const b = await startTestService({ REDIS_URL: redis.url })
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

describe.each(setups)('speaking relay (%s)', (_name, start) => {
  let setup: Setup
  const opened: TestClient[] = []
  const { member, meetingAcross } = membersOf(opened)

  beforeAll(async () => {
    setup = await start()
  })
  afterEach(async () => {
    await closeAll(opened.splice(0))
  })
  afterAll(async () => {
    await setup?.stop()
  })

  const report = (m: Member, speaking: boolean) => m.client.request({ type: 'speaking', speaking })
  /** What `at` heard of who is speaking, in order. */
  const heard = (at: Member) => at.client.received('speaking_changed').map((e) => [e.participantId, e.speaking])

  test("a report reaches everyone else (on the other instance too), not the reporter; it is no room event and no one's state", async () => {
    const { meetingId, host, guest } = await meetingAcross(setup.a, setup.b)
    const other = await member(setup.b, meetingId, 'Other')
    const seqsBefore = other.client.seqs.length
    expect(await report(host, true)).toMatchObject({ type: 'ack', for: 'speaking' })
    expect(await guest.client.event('speaking_changed')).toEqual({ type: 'speaking_changed', participantId: host.id, speaking: true })
    expect(await other.client.event('speaking_changed')).toEqual({ type: 'speaking_changed', participantId: host.id, speaking: true })
    // No `seq` on it (TestClient records one for every numbered event) and nothing about it in the views.
    expect(other.client.seqs.length).toBe(seqsBefore)
    const late = await member(setup.b, meetingId, 'Late')
    expect(JSON.stringify(late.welcome)).not.toMatch(/speaking/)
    expect(late.welcome.missed).toBeUndefined()

    expect(await report(host, false)).toMatchObject({ type: 'ack', for: 'speaking' })
    expect(await late.client.event('speaking_changed')).toEqual({ type: 'speaking_changed', participantId: host.id, speaking: false })
    await guest.client.event('speaking_changed')
    expect(heard(guest)).toEqual([
      [host.id, true],
      [host.id, false],
    ])
    expect(host.client.received('speaking_changed')).toEqual([])
  })

  test(`the budget: a burst of ${LIMITS.speakingBurst}, then rate_limited with retryAfterMs (nothing relayed), then one per ${LIMITS.speakingRefillMs} ms`, async () => {
    const { host, guest } = await meetingAcross(setup.a, setup.b)
    for (let i = 0; i < LIMITS.speakingBurst; i++) expect(await report(guest, i % 2 === 0)).toMatchObject({ type: 'ack', for: 'speaking' })
    const refused = await report(guest, true)
    expect(refused).toMatchObject({ type: 'error', code: 'rate_limited', for: 'speaking' })
    const retryAfterMs = refused.type === 'error' ? refused.retryAfterMs ?? 0 : 0
    expect(retryAfterMs).toBeGreaterThan(0)
    expect(retryAfterMs).toBeLessThanOrEqual(LIMITS.speakingRefillMs)
    expect(guest.client.isOpen).toBe(true)
    await sleep(retryAfterMs + 20)
    expect(await report(guest, false)).toMatchObject({ type: 'ack', for: 'speaking' })
    // The last one follows the refused one on the same path, so had that been relayed it would be heard before.
    for (let i = 0; i <= LIMITS.speakingBurst; i++) await host.client.event('speaking_changed')
    expect(heard(host)).toEqual([
      [guest.id, true],
      [guest.id, false],
      [guest.id, true],
      [guest.id, false],
      [guest.id, false],
    ])
    // The budget is the reporter's alone: the host still has its whole burst.
    expect(await report(host, true)).toMatchObject({ type: 'ack', for: 'speaking' })
  })

  test('a microphone that is off, or muted by the host, cannot be speaking: true is acknowledged and dropped, false still goes', async () => {
    const { host, guest } = await meetingAcross(setup.a, setup.b)
    expect(await guest.client.request({ type: 'set_media', micOn: false })).toMatchObject({ type: 'ack' })
    await host.client.event('participant_updated')
    expect(await report(guest, true)).toMatchObject({ type: 'ack', for: 'speaking' })
    expect(await report(guest, false)).toMatchObject({ type: 'ack', for: 'speaking' })
    await host.client.event('speaking_changed')
    expect(heard(host)).toEqual([[guest.id, false]])

    expect(await guest.client.request({ type: 'set_media', micOn: true })).toMatchObject({ type: 'ack' })
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    await guest.client.event('host_action')
    expect(await report(guest, true)).toMatchObject({ type: 'ack', for: 'speaking' })
    expect(await report(guest, false)).toMatchObject({ type: 'ack', for: 'speaking' })
    await host.client.event('speaking_changed')
    expect(heard(host)).toEqual([
      [guest.id, false],
      [guest.id, false],
    ])
  })

  test.each([
    ['no speaking field', { type: 'speaking' }],
    ['a string for speaking', { type: 'speaking', speaking: 'yes' }],
    ['a number for speaking', { type: 'speaking', speaking: 1 }],
    ['null for speaking', { type: 'speaking', speaking: null }],
    ['an extra field', { type: 'speaking', speaking: true, participantId: 'someone-else' }],
  ])('%s: bad_message, nothing relayed, the socket carries on', async (_case, frame) => {
    const { host, guest } = await meetingAcross(setup.a, setup.b)
    expect(await guest.client.request({ ...frame, id: 'bad' })).toMatchObject({ type: 'error', code: 'bad_message', for: 'speaking', id: 'bad' })
    expect(await report(guest, true)).toMatchObject({ type: 'ack', for: 'speaking' })
    await host.client.event('speaking_changed')
    expect(heard(host)).toEqual([[guest.id, true]])
  })

  test('before hello: hello_required', async () => {
    const client = await TestClient.connect(setup.a.socketUrl)
    opened.push(client)
    expect(await client.request({ type: 'speaking', speaking: true })).toMatchObject({ type: 'error', code: 'hello_required', for: 'speaking' })
  })
})
