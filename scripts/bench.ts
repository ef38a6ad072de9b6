/**
 * `npm run bench`: every benchmark of the project, one after the other (they
 * share two cores), each by its own npm script, each rewriting its own
 * section of BENCHMARKS.md. A benchmark whose script does not exist in
 * package.json is skipped; one that fails does not stop the others, and the
 * run exits 1 at the end.
 *
 *   npm run bench                 # all
 *   npm run bench -- ui size      # only these (names after `bench:`)
 *
 * The server capacity bench runs in its quick mode here: the script
 * `bench:server:quick` when package.json has it, else `bench:server` with
 * BENCH_QUICK=1 in its environment.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')
/** In this order: the fast, deterministic ones first. */
export const BENCHES = ['size', 'ui', 'bitrate', 'server', 'scale', 'e2e'] as const

export interface BenchStep {
  readonly name: string
  readonly script: string
  readonly env: Record<string, string>
}

/** The steps to run for the npm scripts that exist; `only` limits them by name. */
export function benchSteps(scripts: Record<string, string>, only: readonly string[] = []): { steps: BenchStep[]; missing: string[] } {
  const unknown = only.filter((name) => !(BENCHES as readonly string[]).includes(name))
  if (unknown.length > 0) throw new Error(`unknown bench ${unknown.join(', ')}: pick from ${BENCHES.join(', ')}`)
  const steps: BenchStep[] = []
  const missing: string[] = []
  for (const name of BENCHES) {
    if (only.length > 0 && !only.includes(name)) continue
    if (name === 'server' && scripts['bench:server:quick'] !== undefined) {
      steps.push({ name, script: 'bench:server:quick', env: {} })
    } else if (scripts[`bench:${name}`] !== undefined) {
      steps.push({ name, script: `bench:${name}`, env: name === 'server' ? { BENCH_QUICK: '1' } : {} })
    } else {
      missing.push(name)
    }
  }
  return { steps, missing }
}

function main(argv: string[]): void {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  const { steps, missing } = benchSteps(scripts, argv)
  for (const name of missing) console.log(`== bench:${name}: no such npm script, skipped`)
  const results: { name: string; ok: boolean; seconds: number }[] = []
  for (const step of steps) {
    console.log(`\n== npm run ${step.script}`)
    const began = Date.now()
    const run = spawnSync('npm', ['run', step.script], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...step.env } })
    results.push({ name: step.script, ok: run.status === 0, seconds: (Date.now() - began) / 1000 })
  }
  console.log('\n== benchmarks')
  for (const r of results) console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds.toFixed(0)} s)`)
  console.log('BENCHMARKS.md: each bench rewrote its own section.')
  if (results.some((r) => !r.ok)) process.exit(1)
}

if (require.main === module) main(process.argv.slice(2))
