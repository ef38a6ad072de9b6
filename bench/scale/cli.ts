/**
 * `npm run bench:scale`: participants in rooms of 9 over 1, 2 and 3
 * room-service instances sharing meetings through a real redis-server (and
 * the in-memory single process, for reference), on this machine, over real
 * sockets on loopback. Measures join latency (HTTP join → welcome), fan-out
 * latency (a participant's `set_media` → each other member's
 * `participant_updated`), lost deliveries, CPU and memory per instance
 * (/proc), and Redis operations per event (INFO commandstats). Rewrites its
 * section of BENCHMARKS.md, with the 100,000-participant estimate computed
 * from the measured per-participant costs.
 *
 *   npm run bench:scale                       # 20 rooms × 9, 15 s of fan-out per set-up
 *   npm run bench:scale -- --rooms 10 --seconds 5 --no-write
 *
 * Members of a room are spread round-robin over the instances (what a
 * balancer does to independent joins), so with 2 or 3 instances nearly every
 * event crosses Redis. Instances are child processes (`node server/main.ts`),
 * media URL signing only (no media server), logs off; the load generator runs
 * in this process on the same two cores.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { createClient } from 'redis'
import WebSocket from 'ws'
import { PATHS, type CreateMeetingResponse, type JoinResponse, type ServerMessage } from '../../src/core/protocol'
import { startRedis, type RedisProcess } from '../../scripts/lib/redis-server'
import { endServiceProcess, startServiceProcess, type ServiceProcess } from '../../scripts/lib/service-process'
import { machineInfo } from '../bitrate/report'
import { writeBenchSection } from '../lib/benchmarks-md'
import { renderScaleSection, type SetupResult } from './report'

const ROOM_SIZE = 9
/**
 * Commands the commit script runs for one event (HGET, HSET, PEXPIRE, XADD,
 * PEXPIRE, PUBLISH): commandstats counts them besides the EVAL itself, so
 * they are taken off to count round trips.
 */
const COMMANDS_PER_COMMIT = 6

/** utime + stime in ms, and RSS in bytes, from /proc. */
function usage(pid: number): { cpuMs: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1])
  return { cpuMs: (ticks * 1000) / 100, rssBytes: rssPages * 4096 }
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

interface Member {
  readonly id: string
  readonly socket: WebSocket
  room: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

interface RedisCounters {
  readonly calls: number
  /** Round trips that commit (one EVAL of the commit script each). */
  readonly evals: number
  /** Time Redis spent executing commands (excludes its network I/O). */
  readonly usec: number
  readonly usedMemory: number
}

async function redisCounters(url: string | undefined): Promise<RedisCounters> {
  if (url === undefined) return { calls: 0, evals: 0, usec: 0, usedMemory: 0 }
  const client = createClient({ url })
  await client.connect()
  const stats = await client.info('commandstats')
  const memory = await client.info('memory')
  await client.close()
  let calls = 0
  let evals = 0
  let usec = 0
  for (const m of stats.matchAll(/cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/g)) {
    if (m[1] === 'info') continue
    calls += Number(m[2])
    if (m[1] === 'eval' || m[1] === 'evalsha') evals += Number(m[2])
    // A script's own usec includes the commands it ran, which are listed (and timed) again on their own.
    if (m[1] !== 'eval' && m[1] !== 'evalsha') usec += Number(m[3])
  }
  return { calls, evals, usec, usedMemory: Number(/used_memory:(\d+)/.exec(memory)?.[1] ?? 0) }
}

async function runSetup(name: string, instances: number, redis: RedisProcess | null, rooms: number, seconds: number): Promise<SetupResult> {
  const secret = randomBytes(24).toString('hex')
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: secret,
    MEDIA_PROVIDER: 'tencent-css',
    TENCENT_PUSH_DOMAIN: 'push.example.com',
    TENCENT_PLAY_DOMAIN: 'play.example.com',
    TENCENT_PUSH_KEY: 'bench-push-key-0123456789',
    WS_RATE_PER_S: '1000',
    WS_RATE_BURST: '1000',
    HTTP_RATE_PER_MIN: '1000000',
    HTTP_RATE_BURST: '100000',
    ...(redis !== null ? { REDIS_URL: redis.url } : {}),
  }
  const procs: ServiceProcess[] = []
  for (let i = 0; i < instances; i++) procs.push(await startServiceProcess({ ...process.env, ...env }))
  await new Promise((r) => setTimeout(r, 500))
  const base = procs.map((p) => usage(p.child.pid!))
  const redisBase = await redisCounters(redis?.url)

  // Joins: rooms in parallel, members of a room one after another, spread round-robin.
  const joinMs: number[] = []
  const members: Member[][] = []
  const perInstance = new Array<number>(instances).fill(0)
  const meetings = await Promise.all(Array.from({ length: rooms }, () => post<CreateMeetingResponse>(procs[0].url + PATHS.meetings, {})))
  const handlers = new Map<WebSocket, (m: ServerMessage) => void>()
  await Promise.all(
    meetings.map(async (meeting, r) => {
      const room: Member[] = []
      for (let j = 0; j < ROOM_SIZE; j++) {
        const at = (r + j) % instances
        perInstance[at] += 1
        const began = performance.now()
        const joined = await post<JoinResponse>(procs[at].url + PATHS.join(meeting.meetingId), { nickname: `P${j}`, ...(j === 0 ? { hostKey: meeting.hostKey } : {}) })
        const socket = new WebSocket(procs[at].url.replace(/^http/, 'ws') + PATHS.socket)
        await new Promise<void>((resolve, reject) => {
          socket.once('error', reject)
          socket.on('message', (data) => {
            const m = JSON.parse(data.toString()) as ServerMessage
            if (m.type === 'welcome') {
              joinMs.push(performance.now() - began)
              resolve()
            }
            handlers.get(socket)?.(m)
          })
          socket.once('open', () => socket.send(JSON.stringify({ type: 'hello', token: joined.token })))
        })
        room.push({ id: joined.participantId, socket, room: r })
      }
      members[r] = room
    }),
  )
  // Let the joins' garbage go before reading RSS.
  await new Promise((r) => setTimeout(r, seconds === 0 ? 3000 : 300))
  const afterJoin = procs.map((p) => usage(p.child.pid!))
  const redisJoined = await redisCounters(redis?.url)

  // Fan-out: per room, one member toggles its camera every 250 ms; the other 8 must each hear it.
  const fanoutMs: number[] = []
  let expected = 0
  let delivered = 0
  let events = 0
  const pending = new Map<string, { t0: number; cameraOn: boolean }>()
  for (const room of members) {
    for (const m of room) {
      handlers.set(m.socket, (msg) => {
        if (msg.type !== 'participant_updated' || msg.participant.id === m.id) return
        const p = pending.get(msg.participant.id)
        if (p === undefined || p.cameraOn !== msg.participant.cameraOn) return
        delivered += 1
        fanoutMs.push(performance.now() - p.t0)
      })
    }
  }
  const cameras = new Map<string, boolean>()
  const endAt = performance.now() + seconds * 1000
  await Promise.all(
    members.map(async (room, r) => {
      let turn = r
      while (performance.now() < endAt) {
        const sender = room[turn++ % room.length]
        const cameraOn = !(cameras.get(sender.id) ?? true)
        cameras.set(sender.id, cameraOn)
        pending.set(sender.id, { t0: performance.now(), cameraOn })
        sender.socket.send(JSON.stringify({ type: 'set_media', cameraOn }))
        events += 1
        expected += ROOM_SIZE - 1
        await new Promise((res) => setTimeout(res, 250))
      }
    }),
  )
  await new Promise((r) => setTimeout(r, 500))
  const after = procs.map((p) => usage(p.child.pid!))
  const redisAfter = await redisCounters(redis?.url)

  for (const room of members) for (const m of room) m.socket.terminate()
  await Promise.all(procs.map((p) => endServiceProcess(p.child, 'SIGKILL')))
  joinMs.sort((a, b) => a - b)
  fanoutMs.sort((a, b) => a - b)
  return {
    name,
    instances,
    participants: rooms * ROOM_SIZE,
    joinP50: percentile(joinMs, 50),
    joinP99: percentile(joinMs, 99),
    fanoutP50: percentile(fanoutMs, 50),
    fanoutP99: percentile(fanoutMs, 99),
    events,
    seconds,
    expected,
    lost: expected - delivered,
    perInstance: procs.map((_, i) => ({
      participants: perInstance[i],
      cpuPctFanout: ((after[i].cpuMs - afterJoin[i].cpuMs) / (seconds * 1000 + 500)) * 100,
      cpuMsPerEvent: (after[i].cpuMs - afterJoin[i].cpuMs) / events,
      rssMb: after[i].rssBytes / 2 ** 20,
      rssPerParticipantKb: (afterJoin[i].rssBytes - base[i].rssBytes) / 1024 / perInstance[i],
    })),
    redis:
      redis === null
        ? null
        : {
            opsPerEvent: (redisAfter.calls - redisJoined.calls) / events,
            roundTripsPerEvent: (redisAfter.calls - redisJoined.calls - (redisAfter.evals - redisJoined.evals) * COMMANDS_PER_COMMIT) / events,
            usecPerEvent: (redisAfter.usec - redisJoined.usec) / events,
            opsPerJoin: (redisJoined.calls - redisBase.calls) / (rooms * ROOM_SIZE),
            memoryPerRoomKb: (redisJoined.usedMemory - redisBase.usedMemory) / 1024 / rooms,
            logBytesPerEvent: (redisAfter.usedMemory - redisJoined.usedMemory) / events,
          },
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rooms: { type: 'string' }, seconds: { type: 'string' }, 'no-write': { type: 'boolean' } },
    strict: true,
  })
  const rooms = Number(values.rooms ?? 20)
  const seconds = Number(values.seconds ?? 15)
  if (!Number.isInteger(rooms) || rooms < 1 || rooms > 200) throw new Error('--rooms must be 1..200')
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 120) throw new Error('--seconds must be 1..120')
  const loadBefore = os.loadavg()[0]
  const results: SetupResult[] = []
  results.push(await runSetup('memory, 1 instance', 1, null, rooms, seconds))
  for (const n of [1, 2, 3]) {
    const redis = await startRedis()
    try {
      results.push(await runSetup(`Redis, ${n} instance${n > 1 ? 's' : ''}`, n, redis, rooms, seconds))
    } finally {
      await redis.stop()
    }
    process.stderr.write(`${JSON.stringify(results.at(-1))}\n`)
  }
  // Memory per participant: RSS growth over many joins on one instance (over a few, GC noise drowns it).
  const probeRooms = 100
  const redis = await startRedis()
  let probe: SetupResult
  try {
    probe = await runSetup('memory probe', 1, redis, probeRooms, 0)
  } finally {
    await redis.stop()
  }
  const memory = { participants: probe.participants, kbPerParticipant: probe.perInstance[0].rssPerParticipantKb, baseMb: probe.perInstance[0].rssMb - (probe.perInstance[0].rssPerParticipantKb * probe.participants) / 1024 }
  const section = renderScaleSection(results, memory, {
    rooms,
    seconds,
    machine: machineInfo(),
    date: new Date().toISOString().slice(0, 10),
    load: [loadBefore, os.loadavg()[0]],
  })
  process.stdout.write(`${section}\n`)
  if (values['no-write'] !== true) writeBenchSection('scale', section)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:scale failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
