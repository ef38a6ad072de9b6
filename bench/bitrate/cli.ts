/**
 * `npm run bench:bitrate` — run the shipped suite, print a summary and rewrite
 * this benchmark's section of BENCHMARKS.md.
 * `npm run bench:bitrate -- --trace PATH.json [--trace …]` — print one JSON
 * object per line per controller for each trace; nothing is written.
 *
 * Exit status: 0 when `app` meets every target on every trace run, 1 when it
 * misses one, 2 on a usage error or a malformed trace.
 */
import path from 'node:path'
import type { BitrateController } from '../../src/core/bitrate-controller'
import { v1Controller } from './ablation'
import { renderSection, machineInfo, writeSection } from './report'
import { LIMIT_TRACES, loadSuite, runOne, runTrace, type TraceRun } from './suite'
import { TraceFormatError, loadTrace, type Trace } from './trace'

const USAGE = `usage: npm run bench:bitrate [-- --trace PATH.json ...] [-- --benchmarks PATH.md]
  (no --trace)   run the shipped suite in bench/bitrate/traces and rewrite the bench:bitrate section of BENCHMARKS.md
  --trace PATH   run one trace (repeatable) and print one JSON object per line per controller
  --benchmarks   where to write the section (default: BENCHMARKS.md at the repository root)`

interface Options {
  readonly traces: string[]
  readonly benchmarks: string
}

function parseArgs(argv: readonly string[]): Options {
  const traces: string[] = []
  let benchmarks = path.resolve(__dirname, '../../BENCHMARKS.md')
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new Error(`${arg} needs a value`)
      return v
    }
    if (arg === '--trace') traces.push(value())
    else if (arg === '--benchmarks') benchmarks = path.resolve(value())
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else throw new Error(`unknown argument ${arg}`)
  }
  return { traces, benchmarks }
}

function appMissed(runs: readonly TraceRun[][]): boolean {
  return runs.some((r) => r.some((x) => x.run.controller === 'app' && x.targets.some((t) => !t.pass)))
}

function main(): number {
  let options: Options
  let traces: Trace[]
  try {
    options = parseArgs(process.argv.slice(2))
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
  const ablation = traces.map((trace) => runOne(trace, v1Controller as BitrateController<unknown>))
  const limits = LIMIT_TRACES.map((trace) => runTrace(trace))
  for (const perTrace of runs) {
    const summary = perTrace.map((r) => {
      const failed = r.targets.filter((t) => !t.pass).map((t) => t.id)
      return `${r.run.controller} ${failed.length === 0 ? 'ok' : `misses ${[...new Set(failed)].join(',')}`}`
    })
    console.log(`${perTrace[0].trace.name.padEnd(40)} ${summary.join(' · ')}`)
  }
  const section = renderSection(runs, machineInfo(), elapsedS, new Date().toISOString().slice(0, 10), { ablation, limits })
  writeSection(options.benchmarks, section)
  console.log(`\nwrote the bench:bitrate section of ${path.relative(process.cwd(), options.benchmarks) || options.benchmarks} (${elapsedS.toFixed(1)} s)`)
  return appMissed(runs) ? 1 : 0
}

process.exitCode = main()
