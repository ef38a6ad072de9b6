/**
 * Stopping (SIGTERM → stop()), over real sockets, in both of its branches.
 * With in-memory state the meetings end with the process, so every member
 * is told (`meeting_ended server_shutdown`, close 1001, final). With Redis
 * the meetings go on: this instance's members are told to resume elsewhere
 * (close 1012, resumable) and do, keeping their place, and nobody hears
 * anyone leave. Either way, while it stops, new meetings, joins and sockets
 * are refused clearly, and the work goes a slice of meetings per turn of
 * the event loop.
 */
import { connect, type Socket } from 'node:net'
import { CLOSE_CODES, PATHS, shouldResume, type ErrorResponse, type ServerMessage } from '../../src/core/protocol'
import { DRAIN_SLICE, inSlices } from '../../server/drain'
import { createRootLogger } from '../../server/logger'
import { createMediaProvider } from '../../server/media'
import type { Frame, Link } from '../../server/rooms/participant'
import { RoomRegistry } from '../../server/rooms/registry'
import type { RunningService } from '../../server/service'
import { MemoryStore } from '../../server/state/memory-store'
import { startRedis, type RedisProcess } from '../../scripts/lib/redis-server'
import { membersOf } from './helpers/across'
import { closeAll, enter, TestClient, type Member } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import { startTestService, testConfig } from './helpers/service'

jest.setTimeout(30_000)

/** A WebSocket that never answers the close handshake, so the stop has to wait for it and then cut it. */
function unresponsiveSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${PATHS.socket} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      )
    })
    socket.once('data', (data) => (/^HTTP\/1.1 101/.test(data.toString()) ? resolve(socket) : reject(new Error(data.toString()))))
    socket.on('error', () => undefined)
  })
}

/** What reaches a stopping service while it stops: a join, a new meeting, a new socket. */
async function newcomersDuring(service: RunningService, meetingId: string) {
  // All three at once, right after stop() began (it refuses newcomers from its
  // first synchronous step): one after the other, the last could arrive after
  // the listener has closed, which is not what this checks.
  const [join, create, late] = await Promise.all([
    http<ErrorResponse>('POST', service.url + PATHS.join(meetingId), { nickname: 'Late' }),
    http<ErrorResponse>('POST', service.url + PATHS.meetings, {}),
    TestClient.connect(service.socketUrl),
  ])
  return { join, create, lateClose: await late.closed }
}

function expectNewcomersRefused({ join, create, lateClose }: Awaited<ReturnType<typeof newcomersDuring>>): void {
  expect(join.status).toBe(503)
  expect(join.body.error.code).toBe('shutting_down')
  expect(create.status).toBe(503)
  expect(create.body.error.code).toBe('shutting_down')
  expect(lateClose.code).toBe(CLOSE_CODES.instance_stopping)
  expect(shouldResume(CLOSE_CODES.instance_stopping)).toBe(true)
}

describe('stop() with in-memory state', () => {
  let service: RunningService
  const members: Member[] = []
  let silent: Socket | undefined

  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    silent?.destroy()
    await closeAll(members.map((m) => m.client))
    await service.stop()
  })

  it('ends every meeting, telling each member, and refuses newcomers meanwhile', async () => {
    for (let r = 0; r < 3; r++) {
      const { meetingId, hostKey } = await createMeeting(service.url)
      for (let i = 0; i < 9; i++) members.push(await enter(service, meetingId, { nickname: `R${r}P${i}`, ...(i === 0 ? { hostKey } : {}) }))
    }
    const meetingId = members[0].join.meeting.id
    silent = await unresponsiveSocket(service.port)
    const silentClosed = new Promise<void>((resolve) => silent?.once('close', () => resolve()))

    const stopped = service.stop()
    const newcomers = await newcomersDuring(service, meetingId)
    const closes = await Promise.all(members.map((m) => m.client.closed))
    await stopped

    // The state lives in this process: nowhere to resume it, so the meeting ends and everyone knows.
    expect(closes.every((c) => c.code === CLOSE_CODES.going_away)).toBe(true)
    expect(shouldResume(CLOSE_CODES.going_away)).toBe(false)
    for (const m of members) {
      expect(m.client.received('meeting_ended')).toMatchObject([{ reason: 'server_shutdown' }])
      expect(m.client.received('participant_left')).toEqual([])
    }
    expect(service.registry.size).toBe(0)
    expectNewcomersRefused(newcomers)
    // A socket that never said hello nor answered the close handshake is cut: it does not hold the stop.
    await silentClosed
  })
})

describe('stop() with Redis', () => {
  let redis: RedisProcess
  let a: RunningService
  let c: RunningService
  const opened: TestClient[] = []
  const { member } = membersOf(opened)

  beforeAll(async () => {
    redis = await startRedis()
    const env = { REDIS_URL: redis.url, RESUME_GRACE_MS: '5000', INSTANCE_TTL_MS: '600' }
    a = await startTestService(env)
    c = await startTestService(env)
  })
  afterAll(async () => {
    await closeAll(opened)
    await a?.stop()
    await c?.stop()
    await redis?.stop()
  })

  it("hands its members over (1012): the meeting goes on, nobody hears them leave, and they resume on another instance", async () => {
    const { meetingId, hostKey } = await createMeeting(a.url)
    const host = await member(a, meetingId, 'Host', hostKey)
    const onC: Member[] = []
    for (let i = 0; i < 8; i++) onC.push(await member(c, meetingId, `C${i}`))
    for (let i = 0; i < 8; i++) await host.client.event('participant_joined')
    // Holds the stop in its close-handshake wait, as a real slow client does, while the newcomers knock.
    const silent = await unresponsiveSocket(c.port)
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()))

    const stopped = c.stop()
    const newcomers = await newcomersDuring(c, meetingId)
    const closes = await Promise.all(onC.map((m) => m.client.closed))
    await stopped
    await silentClosed

    expect(closes.every((x) => x.code === CLOSE_CODES.instance_stopping)).toBe(true)
    expectNewcomersRefused(newcomers)
    for (const m of onC) {
      const again = await TestClient.connect(a.socketUrl)
      opened.push(again)
      expect(await again.hello(m.welcome.token)).toMatchObject({ resumed: true, participantId: m.id })
    }
    expect(host.client.received('participant_left')).toEqual([])
    expect(host.client.received('meeting_ended')).toEqual([])
  })
})

describe('the registry stops a slice of meetings per turn of the event loop', () => {
  const log = createRootLogger('silent')
  const config = testConfig()

  /** `meetings` meetings of nine, each member's socket a Link that records what reaches it. */
  async function registryWith(meetings: number) {
    const registry = new RoomRegistry(
      {
        settings: {
          capacity: 9,
          tokenTtlMs: 3600_000,
          mediaUrlTtlMs: 3600_000,
          emptyTtlMs: 60_000,
          heartbeat: { intervalMs: 10_000, timeoutMs: 25_000, resumeGraceMs: 30_000 },
        },
        media: createMediaProvider(config.media, log),
        tokens: { sign: () => 'token' } as never,
        store: new MemoryStore(),
        instance: 'i-test',
        log,
        now: Date.now,
      },
      log,
    )
    const closed: { meeting: number; code: number; messages: ServerMessage[] }[] = []
    for (let r = 0; r < meetings; r++) {
      const { room } = await registry.create(null)
      for (let i = 0; i < 9; i++) {
        const messages: ServerMessage[] = []
        const link: Link = {
          send: (message) => messages.push(message),
          sendFrame: (frame: Frame) => messages.push(JSON.parse(frame.toString('utf8')) as ServerMessage),
          close: (code) => closed.push({ meeting: r, code, messages }),
        }
        const p = await room.mutate((tx) => tx.join({ nickname: `R${r}P${i}` }))
        const linkId = `link-${r}-${i}`
        room.hold(linkId, p.id, link)
        await room.mutate((tx) => tx.attach(tx.actor(p.id), linkId))
        room.markAttached(linkId)
      }
    }
    return { registry, closed }
  }

  it.each([
    ['closeAll (in-memory state: the meetings end)', 'closeAll', CLOSE_CODES.going_away],
    ['handOff (shared state: the sockets resume elsewhere)', 'handOff', CLOSE_CODES.instance_stopping],
  ] as const)('%s', async (_name, method, code) => {
    // Enough meetings of nine for two slices, and a few over.
    const meetings = Math.ceil(DRAIN_SLICE / 9) + 4
    const { registry, closed } = await registryWith(meetings)
    let closedAtFirstTurn = -1
    setImmediate(() => (closedAtFirstTurn = closed.length))
    await (method === 'closeAll' ? registry.closeAll('server_shutdown') : registry.handOff())

    expect(closed).toHaveLength(meetings * 9)
    expect(closed.every((x) => x.code === code)).toBe(true)
    if (method === 'closeAll') {
      expect(closed.every((x) => x.messages.at(-1)?.type === 'meeting_ended')).toBe(true)
    } else {
      expect(closed.every((x) => x.messages.every((m) => m.type !== 'meeting_ended' && m.type !== 'participant_left'))).toBe(true)
    }
    // The loop had a turn after the first slice (about DRAIN_SLICE sockets, whole meetings), before the rest.
    expect(closedAtFirstTurn).toBeGreaterThanOrEqual(DRAIN_SLICE)
    expect(closedAtFirstTurn).toBeLessThan(meetings * 9)
    expect(closedAtFirstTurn % 9).toBe(0)
  })
})

describe('inSlices', () => {
  it('gives the event loop a turn between slices, not before the first', async () => {
    const seen: Array<number | string> = []
    await inSlices(Array.from({ length: 7 }, (_, i) => i), 3, (i) => {
      if (i === 0) setImmediate(() => seen.push('turn'))
      seen.push(i)
    })
    expect(seen).toEqual([0, 1, 2, 'turn', 3, 4, 5, 6])
  })

  it('works from a snapshot, so items removed from the live set as they go are all visited once', async () => {
    const live = new Set([1, 2, 3, 4, 5])
    const visited: number[] = []
    await inSlices(live, 2, (n) => {
      visited.push(n)
      live.delete(n)
    })
    expect(visited).toEqual([1, 2, 3, 4, 5])
    expect(live.size).toBe(0)
  })

  it('fills a slice by weight and waits for its promises before the next', async () => {
    const seen: string[] = []
    let turn = 0
    const weights = [4, 4, 1, 1, 6]
    await inSlices(
      weights.map((w, i) => ({ w, i })),
      5,
      async ({ i }) => {
        if (i === 0) setImmediate(() => (turn += 1))
        await Promise.resolve()
        seen.push(`${i}@${turn}`)
      },
      ({ w }) => w,
    )
    // 4+4 reaches 5: items 0 and 1; then 1+1+6: items 2, 3, 4 after one turn.
    expect(seen).toEqual(['0@0', '1@0', '2@1', '3@1', '4@1'])
  })
})
