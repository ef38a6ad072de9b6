/**
 * `npm run bench:bitrate` — run the shipped suite, print a summary and rewrite
 * this benchmark's section of BENCHMARKS.md.
 * `npm run bench:bitrate -- --trace PATH.json [--trace …]` — print one JSON
 * object per line per controller for each trace; nothing is written.
 * `npm run bench:bitrate -- --import-mahimahi FILE --scale 0.1 [--out PATH.json]`
 * — convert a Mahimahi recording into our trace format (stdout without --out).
 *
 * Exit status: 0 when `app` meets every target on every trace run, 1 when it
 * misses one, 2 on a usage error or a malformed trace.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { appController, type BitrateController } from '../../src/core/bitrate-controller'
import { staticController } from './baselines'
import { evidenceControllers } from './evidence'
import { renderSection, machineInfo, writeSection } from './report'
import { loadSuite, runOne, runTrace, type TraceRun } from './suite'
import { requiredMisses } from './targets'
import { TraceFormatError, loadTrace, type Trace } from './trace'
import { MAHIMAHI_DEFAULTS, formatTrace, importMahimahi } from './mahimahi'

const USAGE = `usage: npm run bench:bitrate [-- --trace PATH.json ...] [-- --benchmarks PATH.md]
       npm run bench:bitrate -- --import-mahimahi FILE --scale 0.1 [--name N] [--role host|participant] [--seed N]
                                [--bin-ms 500] [--recording TEXT] [--licence TEXT] [--out PATH.json]
  (no --trace)       run the shipped suite in bench/bitrate/traces (and traces/recorded) and rewrite the bench:bitrate section of BENCHMARKS.md
  --trace PATH       run one trace (repeatable) and print one JSON object per line per controller
  --benchmarks       where to write the section (default: BENCHMARKS.md at the repository root)
  --import-mahimahi  convert a Mahimahi packet-delivery trace; --scale multiplies its capacity (required);
                     --recording and --licence name its source in the trace; printed, or written to --out`

interface ImportOptions {
  readonly file: string
  readonly scale: number
  readonly name: string
  readonly role: string
  readonly seed: number
  readonly binMs: number
  readonly recording: string
  readonly licence: string
  readonly out: string | null
}

interface Options {
  readonly traces: string[]
  readonly benchmarks: string
  readonly import: ImportOptions | null
}

function numberArg(flag: string, value: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} needs a number, got ${JSON.stringify(value)}`)
  return n
}

function parseArgs(argv: readonly string[]): Options {
  const traces: string[] = []
  let benchmarks = path.resolve(__dirname, '../../BENCHMARKS.md')
  const imp: Partial<Record<keyof ImportOptions, string>> = {}
  const importFlags: Record<string, keyof ImportOptions> = {
    '--import-mahimahi': 'file',
    '--scale': 'scale',
    '--name': 'name',
    '--role': 'role',
    '--seed': 'seed',
    '--bin-ms': 'binMs',
    '--recording': 'recording',
    '--licence': 'licence',
    '--out': 'out',
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === '--trace') traces.push(value())
    else if (arg === '--benchmarks') benchmarks = path.resolve(value())
    else if (arg in importFlags) imp[importFlags[arg]] = value()
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  if (Object.keys(imp).length === 0) return { traces, benchmarks, import: null }
  if (imp.file === undefined) throw new Error(`${Object.keys(imp).join(', ')} only go with --import-mahimahi FILE`)
  if (imp.scale === undefined) throw new Error('--import-mahimahi needs --scale (0.1 brings the Mahimahi recordings into the presets\' range)')
  if (traces.length > 0) throw new Error('--import-mahimahi and --trace do not go together')
  return {
    traces,
    benchmarks,
    import: {
      file: imp.file,
      scale: numberArg('--scale', imp.scale),
      name: imp.name ?? path.basename(imp.file),
      role: imp.role ?? MAHIMAHI_DEFAULTS.role,
      seed: imp.seed === undefined ? MAHIMAHI_DEFAULTS.seed : numberArg('--seed', imp.seed),
      binMs: imp.binMs === undefined ? MAHIMAHI_DEFAULTS.binMs : numberArg('--bin-ms', imp.binMs),
      recording: imp.recording ?? imp.file,
      licence: imp.licence ?? MAHIMAHI_DEFAULTS.licence,
      out: imp.out ?? null,
    },
  }
}

function runImport(o: ImportOptions): void {
  let text: string
  try {
    text = readFileSync(o.file, 'utf8')
  } catch (error) {
    throw new TraceFormatError(o.file, `cannot read the file (${(error as Error).message})`)
  }
  const trace = importMahimahi(text, { ...o, role: o.role as Trace['role'] }, o.file)
  const json = formatTrace(trace)
  if (o.out === null) process.stdout.write(json)
  else {
    writeFileSync(o.out, json)
    console.error(`wrote ${o.out}: ${trace.capacityKbps.length} capacity steps over ${trace.durationS} s`)
  }
}

/** Seed offsets for the seed-spread table (the trace's own seed is 0). */
const SPREAD_SEEDS = [0, 1, 2, 3, 4] as const

function appMissed(runs: readonly TraceRun[][]): boolean {
  return runs.some((r) => r.some((x) => x.run.controller === 'app' && requiredMisses(x.targets).length > 0))
}

function main(): number {
  let options: Options
  let traces: Trace[]
  try {
    options = parseArgs(process.argv.slice(2))
    if (options.import !== null) {
      runImport(options.import)
      return 0
    }
    traces = options.traces.length > 0 ? options.traces.map((p) => loadTrace(p)) : loadSuite()
  } catch (error) {
    console.error(error instanceof TraceFormatError ? `malformed trace: ${error.message}` : `${(error as Error).message}\n${USAGE}`)
    return 2
  }

  if (options.traces.length > 0) {
    const runs = traces.map((trace) => runTrace(trace))
    for (const perTrace of runs) for (const r of perTrace) process.stdout.write(`${JSON.stringify(r.analysis.metrics)}\n`)
    return appMissed(runs) ? 1 : 0
  }

  const started = Date.now()
  const runs = traces.map((trace) => runTrace(trace))
  const elapsedS = (Date.now() - started) / 1000
  // The evidence for the target no controller meets: static first, then the evidence ceilings (evidence.ts).
  const evidence = runs
    .filter((perTrace) => perTrace[0].trace.source !== undefined)
    .map((perTrace) => {
      const staticRun = perTrace.find((r) => r.run.controller === 'static')!
      const reference = { run: staticRun.run, analysis: staticRun.analysis }
      return [staticRun, ...evidenceControllers(staticRun.trace).map((c) => runOne(staticRun.trace, c, reference))]
    })
  // Where `app` misses a required target against `static`, the same comparison on other seeds of that trace.
  const seeds = runs
    .map((perTrace) => perTrace.find((r) => r.run.controller === 'app')!)
    .filter((appRun) => requiredMisses(appRun.targets).some((t) => t.id.endsWith('-vs-static')))
    .map((appRun) => SPREAD_SEEDS.map((offset) => runTrace({ ...appRun.trace, seed: appRun.trace.seed + offset }, [appController as BitrateController<unknown>, staticController as BitrateController<unknown>])))
  for (const perTrace of runs) {
    const summary = perTrace.map((r) => {
      const failed = requiredMisses(r.targets).map((t) => t.id)
      return `${r.run.controller} ${failed.length === 0 ? 'ok' : `misses ${[...new Set(failed)].join(',')}`}`
    })
    console.log(`${perTrace[0].trace.name.padEnd(40)} ${summary.join(' · ')}`)
  }
  const section = renderSection(runs, machineInfo(), elapsedS, new Date().toISOString().slice(0, 10), { evidence, seeds })
  writeSection(options.benchmarks, section)
  console.log(`\nwrote the bench:bitrate section of ${path.relative(process.cwd(), options.benchmarks) || options.benchmarks} (${elapsedS.toFixed(1)} s)`)
  return appMissed(runs) ? 1 : 0
}

process.exitCode = main()
