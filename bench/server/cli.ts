/**
 * `npm run bench:server`: room-service capacity on loopback against a bare
 * `ws` fan-out server, in one run (issue 12, item 2).
 *
 * For each N and each target (the service, the bare server, and optionally
 * the service from another tree, `--base-dir`, for before/after figures) it
 * starts the target pinned to core 0 and generator processes pinned to core
 * 1, joins N participants in rooms of 9 at `--join-rate`, runs a steady
 * phase (ping every 10 s, set_media every 30 s each), then everyone leaves.
 * At the largest N it also stops a full service with SIGTERM and times the
 * drain. Results go to BENCHMARKS.md (section `server`) and stdout (JSON lines).
 *
 *   npm run bench:server                      # N = 1,000 5,000 10,000 19,899
 *   npm run bench:server -- --quick           # N = 900, short phases, no file written (also BENCH_QUICK=1)
 *   npm run bench:server -- --n 19899 --base-dir /tmp/base   # also the service as it was
 *   npm run bench:server -- --n 19899 --targets service --base-dir /tmp/base --only-drain --no-write
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { CloseReport, FromGenerator, GeneratorPlan, JoinReport, LeaveReport, SteadyReport, TargetKind, ToGenerator } from './messages'
import { renderServerSection, summarize, type RunResult, type DrainResult } from './report'
import { machineInfo } from '../bitrate/report'
import { SERVICE_ENV } from './service-env'
import { writeBenchSection } from '../lib/benchmarks-md'

const ROOT = resolve(__dirname, '../..')
const ROOM_SIZE = 9
const SOURCES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`)
const CLK_TCK = 100

interface Options {
  readonly ns: number[]
  readonly joinRate: number
  readonly steadyS: number
  readonly generators: number
  readonly targets: TargetName[]
  readonly baseDir: string | undefined
  readonly drain: boolean
  /** Only the SIGTERM runs (at the largest N), e.g. to time the drain of `--base-dir`'s service. */
  readonly onlyDrain: boolean
  readonly write: boolean
  /** The BENCHMARKS.md section to rewrite (\`server\`; e.g. \`server-rerun\` for a second run kept beside the first). */
  readonly section: string
}

type TargetName = 'service' | 'bare' | 'before'

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  // BENCH_QUICK=1: how `npm run bench` (scripts/bench.ts) asks for the quick mode.
  const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1'
  const baseDir = get('base-dir')
  const targets = (get('targets')?.split(',') ?? ['service', 'bare']) as TargetName[]
  if (baseDir !== undefined && !targets.includes('before')) targets.push('before')
  return {
    ns: (get('n') ?? (quick ? '900' : '1000,5000,10000,19899')).split(',').map(Number),
    joinRate: Number(get('join-rate') ?? 150),
    steadyS: Number(get('steady-s') ?? (quick ? 35 : 65)),
    generators: Number(get('generators') ?? 2),
    targets,
    baseDir: baseDir === undefined ? undefined : resolve(baseDir),
    drain: !argv.includes('--no-drain'),
    onlyDrain: argv.includes('--only-drain'),
    write: !quick && !argv.includes('--no-write'),
    section: get('section') ?? 'server',
  }
}

interface Target {
  readonly proc: ChildProcess
  readonly url: string
  readonly output: () => string
}

function startTarget(name: TargetName, options: Options): Promise<Target> {
  const dir = name === 'before' ? (options.baseDir as string) : ROOT
  const entry = name === 'bare' ? 'bench/server/bare-server.ts' : 'server/main.ts'
  // BENCH_TARGET_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": to see where a target's time goes.
  const nodeArgs = (process.env.BENCH_TARGET_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')
  const proc = spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs, '--import', 'tsx', entry], {
    cwd: dir,
    env: { ...process.env, ...SERVICE_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  let ready = false
  // Everything the target prints after it is ready goes to a file (a full pipe would block its writes, and the loop with them).
  const logPath = join(tmpdir(), `bench-server-${name}-${process.pid}.log`)
  const log = createWriteStream(logPath)
  return new Promise((done, fail) => {
    const onData = (data: Buffer): void => {
      if (ready) {
        log.write(data)
        return
      }
      output += data.toString('utf8')
      ready = true
      const service = /Room service ready at (http:\/\/\S+)/.exec(output)
      const bare = /^\{"port":(\d+)\}/m.exec(output)
      if (service !== null) done({ proc, url: service[1], output: () => output })
      else if (bare !== null) done({ proc, url: `http://127.0.0.1:${bare[1]}`, output: () => output })
      else ready = false
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    proc.once('exit', (code) => fail(new Error(`${name} exited (${code}) before it was ready:\n${output}`)))
  })
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12])
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))
  return Number(line?.replace(/\D+/g, '') ?? 0) / 1024
}

class Generators {
  private readonly procs: ChildProcess[] = []
  private readonly inbox: FromGenerator[][] = []
  private readonly waiters: Array<() => void> = []

  constructor(count: number) {
    for (let g = 0; g < count; g++) {
      const proc = spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', 'bench/server/generator.ts'], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      this.inbox.push([])
      proc.on('message', (message: FromGenerator) => {
        this.inbox[g].push(message)
        for (const w of this.waiters.splice(0)) w()
      })
      this.procs.push(proc)
    }
  }

  get size(): number {
    return this.procs.length
  }

  send(g: number, message: ToGenerator): void {
    this.procs[g].send(message)
  }

  broadcast(message: ToGenerator): void {
    for (let g = 0; g < this.procs.length; g++) this.send(g, message)
  }

  /** One message of this kind from every generator. */
  async collect<T extends FromGenerator>(evt: T['evt']): Promise<T[]> {
    for (;;) {
      const found = this.inbox.map((box) => box.findIndex((m) => m.evt === evt))
      if (found.every((i) => i >= 0)) return found.map((i, g) => this.inbox[g].splice(i, 1)[0] as T)
      await new Promise<void>((wake) => this.waiters.push(wake))
    }
  }

  stop(): void {
    for (const p of this.procs) if (p.exitCode === null) p.kill('SIGTERM')
  }
}

function plans(kind: TargetKind, url: string, n: number, options: Options, generators: number): GeneratorPlan[] {
  const roomCount = Math.ceil(n / ROOM_SIZE)
  return Array.from({ length: generators }, (_, g) => ({
    kind,
    url,
    rooms: Array.from({ length: roomCount }, (_, index) => ({ index, size: Math.min(ROOM_SIZE, n - index * ROOM_SIZE) })).filter(
      (r) => r.index % generators === g,
    ),
    joinsPerS: options.joinRate / generators,
    sources: SOURCES,
    heartbeatMs: 10_000,
    setMediaEveryMs: 30_000,
  }))
}

const merge = (records: Array<Record<string, number>>): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v
  return out
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

async function stopTarget(target: Target): Promise<void> {
  if (target.proc.exitCode !== null) return
  const exited = new Promise((r) => target.proc.once('exit', r))
  target.proc.kill('SIGTERM')
  await Promise.race([exited, sleep(15_000)])
  if (target.proc.exitCode === null) target.proc.kill('SIGKILL')
}

/** Join N, hold them through the steady phase, then leave (or, for a drain run, SIGTERM the target with everyone in). */
async function run(name: TargetName, n: number, options: Options, drain: boolean): Promise<{ result: RunResult; drain?: DrainResult }> {
  const target = await startTarget(name, options)
  const pid = target.proc.pid as number
  const generators = new Generators(options.generators)
  try {
    await sleep(1000)
    const rssIdle = rssMiB(pid)
    const kind: TargetKind = name === 'bare' ? 'bare' : 'service'
    plans(kind, target.url, n, options, generators.size).forEach((plan, g) => generators.send(g, { cmd: 'join', plan }))
    const joined = await generators.collect<JoinReport>('joined')
    const joinMs = joined.flatMap((j) => j.joinMs)
    const failures = merge(joined.map((j) => j.failures))
    await sleep(2000)

    if (drain) {
      const result = await measureDrain(target, generators, joinMs.length)
      return { result: summarize({ name, n, joinMs, failures, rssIdle, rssLoaded: result.rssBefore }), drain: result }
    }

    const loadAtJoin = loadavg()[0]
    const cpu0 = cpuTicks(pid)
    const t0 = performance.now()
    let rssMax = 0
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssMiB(pid))), 1000)
    generators.broadcast({ cmd: 'steady', durationMs: options.steadyS * 1000, graceMs: 5000 })
    const steady = await generators.collect<SteadyReport>('steady')
    clearInterval(sampler)
    const cpuPct = ((cpuTicks(pid) - cpu0) / CLK_TCK / ((performance.now() - t0) / 1000)) * 100
    const rssLoaded = Math.max(rssMax, rssMiB(pid))
    const load = [loadAtJoin, loadavg()[0]]

    generators.broadcast({ cmd: 'leave' })
    const left = await generators.collect<LeaveReport>('left')
    const result = summarize({
      name,
      n,
      joinMs,
      failures,
      rssIdle,
      rssLoaded,
      cpuPct,
      fanoutMs: steady.flatMap((s) => s.fanoutMs),
      updatesSent: steady.reduce((a, s) => a + s.updatesSent, 0),
      deliveriesExpected: steady.reduce((a, s) => a + s.deliveriesExpected, 0),
      deliveriesLost: steady.reduce((a, s) => a + s.deliveriesLost, 0),
      steadyCloses: merge(steady.map((s) => s.closes)),
      leaveCloses: merge(left.map((l) => l.closes)),
      load,
    })
    return { result }
  } finally {
    generators.stop()
    await stopTarget(target)
  }
}

/** SIGTERM with everyone connected: how long the loop stalls (a health probe every 10 ms), how sockets end, when the process exits. */
async function measureDrain(target: Target, generators: Generators, connected: number): Promise<DrainResult> {
  const pid = target.proc.pid as number
  const rssBefore = rssMiB(pid)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  let probing = true
  let worstProbeMs = 0
  const probe = async (): Promise<void> => {
    while (probing) {
      const startedAt = performance.now()
      const ok = await new Promise<boolean>((done) => {
        const req = request(`${target.url}/healthz`, { agent }, (res) => {
          res.resume()
          res.on('end', () => done(true))
        })
        req.on('error', () => done(false))
        req.end()
      })
      if (!ok) return
      worstProbeMs = Math.max(worstProbeMs, performance.now() - startedAt)
      await sleep(10)
    }
  }
  const probing$ = probe()
  await sleep(200)
  generators.broadcast({ cmd: 'watch_close', timeoutMs: 20_000 })
  const sentAt = performance.now()
  const exited = new Promise<number>((done) => target.proc.once('exit', () => done(performance.now() - sentAt)))
  target.proc.kill('SIGTERM')
  const closed = await generators.collect<CloseReport>('closed')
  const exitMs = await Promise.race([exited, sleep(20_000).then(() => Number.NaN)])
  probing = false
  await probing$
  agent.destroy()
  return {
    connected,
    rssBefore,
    closes: merge(closed.map((c) => c.closes)),
    lastCloseMs: Math.max(...closed.map((c) => c.lastCloseMs)),
    stillOpen: closed.reduce((a, c) => a + c.stillOpen, 0),
    exitMs,
    worstProbeMs,
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  const startedAt = performance.now()
  const results: RunResult[] = []
  const drains: Array<{ name: TargetName; n: number; drain: DrainResult }> = []
  for (const n of options.onlyDrain ? [] : options.ns) {
    for (const name of options.targets) {
      process.stderr.write(`[bench:server] ${name} N=${n}…\n`)
      const { result } = await run(name, n, options, false)
      results.push(result)
      process.stdout.write(`${JSON.stringify(result)}\n`)
    }
  }
  const biggest = Math.max(...options.ns)
  if (options.drain) {
    for (const name of options.targets.filter((t) => t !== 'bare')) {
      process.stderr.write(`[bench:server] drain ${name} N=${biggest}…\n`)
      const { drain } = await run(name, biggest, options, true)
      if (drain !== undefined) {
        drains.push({ name, n: biggest, drain })
        process.stdout.write(`${JSON.stringify({ drain: name, n: biggest, ...drain })}\n`)
      }
    }
  }
  const elapsedS = (performance.now() - startedAt) / 1000
  const section = renderServerSection({
    name: options.section,
    command: `npm run bench:server${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    results,
    drains,
    options,
    machine: machineInfo(),
    elapsedS,
    date: new Date().toISOString().slice(0, 10),
  })
  if (options.write) writeBenchSection(options.section, section, resolve(ROOT, 'BENCHMARKS.md'))
  else process.stdout.write(`\n${section}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
