/**
 * One load-generator process of the capacity bench (started by cli.ts over
 * IPC, pinned to its own core). It plays whole rooms of participants the way
 * the app does: HTTP join, socket, hello, a ping every heartbeat, set_media
 * every 30 s in the steady phase, leave; and times what it sees.
 *
 * Whole rooms live in one process, so a fan-out (one participant's update
 * until every other member has it) is timed on one clock.
 */
import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import WebSocket from 'ws'
import type { FromGenerator, GeneratorPlan, ToGenerator } from './messages'

interface Room {
  readonly index: number
  meetingId: string | null
  hostKey: string | null
  ready: Promise<void> | null
  readonly members: Participant[]
}

interface Participant {
  readonly room: Room
  readonly source: string
  id: string | null
  socket: WebSocket | null
  micOn: boolean
  /** Index for spreading timers over their period. */
  readonly slot: number
}

interface Pending {
  readonly sentAt: number
  readonly expected: number
  got: number
}

const TICK_MS = 50
/**
 * Joins at the plan's rate, but never more than this many unanswered at once
 * per generator: a target slower than the rate then sets the pace (and its
 * join latency shows it) instead of an ever longer queue ending in timeouts.
 */
const MAX_JOINS_IN_FLIGHT = 24
const WELCOME_TIMEOUT_MS = 30_000

let plan: GeneratorPlan
let rooms: Room[] = []
let participants: Participant[] = []
const agents = new Map<string, Agent>()
let heartbeat: NodeJS.Timeout | null = null
let phase: 'join' | 'steady' | 'leave' | 'close' = 'join'

const pending = new Map<string, Pending>()
let fanoutMs: number[] = []
let updatesSent = 0
let deliveriesExpected = 0
let deliveriesLost = 0
const closes: Record<string, Record<string, number>> = { join: {}, steady: {}, leave: {}, close: {} }
let openSockets = 0
let lastCloseAt = 0
let onAllClosed: (() => void) | null = null

function send(message: FromGenerator): void {
  process.send?.(message)
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1
}

function agentFor(source: string): Agent {
  let agent = agents.get(source)
  if (agent === undefined) {
    agent = new Agent({ keepAlive: true, maxSockets: 4, localAddress: source })
    agents.set(source, agent)
  }
  return agent
}

function post<T>(path: string, body: unknown, source: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = request(
      plan.url + path,
      {
        method: 'POST',
        agent: agentFor(source),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          let parsed: unknown
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            parsed = undefined
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T })
        })
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

function ensureMeeting(room: Room, source: string): Promise<void> {
  room.ready ??= (async () => {
    const res = await post<{ meetingId: string; hostKey: string }>('/v1/meetings', {}, source)
    if (res.status !== 201 && res.status !== 200) throw new Error(`create ${res.status} ${JSON.stringify(res.body)}`)
    room.meetingId = res.body.meetingId
    room.hostKey = res.body.hostKey
  })()
  return room.ready
}

/** HTTP join → socket → hello → welcome; resolves with the ms it took. */
async function enter(p: Participant, isFirst: boolean): Promise<number> {
  const startedAt = performance.now()
  await ensureMeeting(p.room, p.source)
  const joined = await post<{ participantId?: string; token?: string; error?: { code: string } }>(
    `/v1/meetings/${p.room.meetingId}/join`,
    { nickname: `b${p.room.index}-${p.room.members.indexOf(p)}`, ...(isFirst && p.room.hostKey !== null ? { hostKey: p.room.hostKey } : {}) },
    p.source,
  )
  if (joined.status !== 200 || joined.body.token === undefined) {
    throw new Error(`http ${joined.status} ${joined.body.error?.code ?? ''}`.trim())
  }
  p.id = joined.body.participantId ?? null
  const token = joined.body.token
  const wsUrl = `${plan.url.replace(/^http/, 'ws')}/v1/ws`
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { localAddress: p.source, perMessageDeflate: false })
    p.socket = socket
    let welcomed = false
    const timer = setTimeout(() => {
      if (!welcomed) reject(new Error('welcome timeout'))
    }, WELCOME_TIMEOUT_MS)
    socket.on('open', () => {
      openSockets += 1
      socket.send(JSON.stringify({ type: 'hello', token }))
    })
    socket.on('message', (data: Buffer) => {
      const text = data.toString('utf8')
      if (!welcomed) {
        if (text.includes('"type":"welcome"')) {
          welcomed = true
          clearTimeout(timer)
          resolve(performance.now() - startedAt)
        }
        return
      }
      onMessage(p, text)
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!welcomed) {
        clearTimeout(timer)
        reject(new Error(`ws ${error.code ?? error.message}`))
      }
    })
    socket.on('close', (code) => {
      if (socket.readyState === WebSocket.CLOSED && p.socket === socket) p.socket = null
      openSockets = Math.max(0, openSockets - 1)
      lastCloseAt = performance.now()
      count(closes[phase], String(code))
      if (!welcomed) {
        clearTimeout(timer)
        reject(new Error(`ws closed ${code}`))
      }
      if (openSockets === 0) onAllClosed?.()
    })
  })
}

/** Only room updates matter here; replies (ack, pong) and other events are let through. */
function onMessage(receiver: Participant, text: string): void {
  if (!text.startsWith('{"type":"participant_updated"')) return
  const message = JSON.parse(text) as { participant: { id: string } }
  const subject = message.participant.id
  if (subject === receiver.id) return
  const update = pending.get(subject)
  if (update === undefined) return
  update.got += 1
  if (update.got === update.expected) {
    fanoutMs.push(performance.now() - update.sentAt)
    pending.delete(subject)
  }
}

function connectedOthers(p: Participant): number {
  let n = 0
  for (const m of p.room.members) if (m !== p && m.socket?.readyState === WebSocket.OPEN) n += 1
  return n
}

function setMedia(p: Participant): void {
  if (p.socket?.readyState !== WebSocket.OPEN || p.id === null) return
  const previous = pending.get(p.id)
  if (previous !== undefined) deliveriesLost += previous.expected - previous.got
  p.micOn = !p.micOn
  const expected = connectedOthers(p)
  deliveriesExpected += expected
  updatesSent += 1
  if (expected > 0) pending.set(p.id, { sentAt: performance.now(), expected, got: 0 })
  p.socket.send(JSON.stringify({ type: 'set_media', micOn: p.micOn }))
}

/** Spread a periodic action over its period: participant `slot` acts in tick `slot mod ticks`. */
function periodic(periodMs: number, act: (p: Participant) => void, offsetOf: (p: Participant) => number): NodeJS.Timeout {
  const ticks = Math.max(1, Math.round(periodMs / TICK_MS))
  const buckets: Participant[][] = Array.from({ length: ticks }, () => [])
  for (const p of participants) buckets[offsetOf(p) % ticks].push(p)
  let tick = 0
  return setInterval(() => {
    for (const p of buckets[tick]) act(p)
    tick = (tick + 1) % ticks
  }, TICK_MS)
}

async function joinAll(): Promise<void> {
  const startedAt = performance.now()
  const joinMs: number[] = []
  const failures: Record<string, number> = {}
  heartbeat = periodic(
    plan.heartbeatMs,
    (p) => {
      if (p.socket?.readyState === WebSocket.OPEN) p.socket.send('{"type":"ping"}')
    },
    (p) => p.slot,
  )
  const everyMs = 1000 / plan.joinsPerS
  const attempts: Promise<void>[] = []
  let inFlight = 0
  await new Promise<void>((done) => {
    let next = 0
    const timer = setInterval(() => {
      const due = Math.min(participants.length, Math.floor((performance.now() - startedAt) / everyMs) + 1)
      for (; next < due && inFlight < MAX_JOINS_IN_FLIGHT; next++) {
        const p = participants[next]
        inFlight += 1
        attempts.push(
          enter(p, p.room.members[0] === p)
            .then(
              (ms) => void joinMs.push(ms),
              (error: Error) => {
                count(failures, error.message)
                p.socket?.terminate()
              },
            )
            .finally(() => {
              inFlight -= 1
            }),
        )
      }
      if (next >= participants.length) {
        clearInterval(timer)
        done()
      }
    }, 5)
  })
  await Promise.all(attempts)
  send({ evt: 'joined', joinMs, failures, elapsedMs: performance.now() - startedAt })
}

function steady(durationMs: number, graceMs: number): void {
  phase = 'steady'
  fanoutMs = []
  updatesSent = 0
  deliveriesExpected = 0
  deliveriesLost = 0
  const offsets = new Map(participants.map((p) => [p, Math.floor(Math.random() * 1e9)]))
  const timer = periodic(plan.setMediaEveryMs, setMedia, (p) => offsets.get(p) ?? 0)
  setTimeout(() => {
    clearInterval(timer)
    setTimeout(() => {
      for (const update of pending.values()) deliveriesLost += update.expected - update.got
      pending.clear()
      send({ evt: 'steady', fanoutMs, updatesSent, deliveriesExpected, deliveriesLost, closes: closes.steady })
    }, graceMs)
  }, durationMs)
}

async function leaveAll(): Promise<void> {
  phase = 'leave'
  const startedAt = performance.now()
  // Heartbeats go on until each has left: leaving 20,000 takes longer than the heartbeat timeout.
  const open = participants.filter((p) => p.socket?.readyState === WebSocket.OPEN)
  await new Promise<void>((done) => {
    if (openSockets === 0) return done()
    onAllClosed = done
    // Leaving at four times the join rate: a meeting's end is spread over a while too, and leaving is cheap.
    let next = 0
    const perTick = Math.max(1, Math.round((4 * plan.joinsPerS) / 100))
    const timer = setInterval(() => {
      for (let k = 0; k < perTick && next < open.length; k++, next++) open[next].socket?.send('{"type":"leave"}')
      if (next >= open.length) clearInterval(timer)
    }, 10)
    setTimeout(done, 60_000)
  })
  onAllClosed = null
  if (heartbeat !== null) clearInterval(heartbeat)
  send({ evt: 'left', closes: closes.leave, elapsedMs: performance.now() - startedAt })
}

function watchClose(timeoutMs: number): void {
  phase = 'close'
  const startedAt = performance.now()
  const report = (): void => {
    onAllClosed = null
    send({ evt: 'closed', closes: closes.close, lastCloseMs: Math.max(0, lastCloseAt - startedAt), stillOpen: openSockets })
  }
  if (openSockets === 0) return report()
  const timer = setTimeout(report, timeoutMs)
  onAllClosed = () => {
    clearTimeout(timer)
    report()
  }
}

process.on('message', (message: ToGenerator) => {
  switch (message.cmd) {
    case 'join': {
      plan = message.plan
      rooms = plan.rooms.map(({ index }) => ({ index, meetingId: null, hostKey: null, ready: null, members: [] }))
      participants = []
      for (const [r, room] of rooms.entries()) {
        for (let i = 0; i < plan.rooms[r].size; i++) {
          const slot = participants.length
          const p: Participant = { room, source: plan.sources[slot % plan.sources.length], id: null, socket: null, micOn: true, slot }
          room.members.push(p)
          participants.push(p)
        }
      }
      void joinAll()
      return
    }
    case 'steady':
      steady(message.durationMs, message.graceMs)
      return
    case 'leave':
      void leaveAll()
      return
    case 'watch_close':
      if (heartbeat !== null) clearInterval(heartbeat)
      watchClose(message.timeoutMs)
      return
  }
})
process.on('disconnect', () => process.exit(0))
