/**
 * The size of a production weapp build (dist/weapp): total, main package and
 * each subpackage (the `subPackages` roots of app.json), against our budget
 * of 450 KiB for the main package (issue 12; WeChat's own limit is 2 MiB per
 * package, 20 MiB in all). `npm test` runs it after the weapp build, so CI
 * fails a build over budget. Exit code 1 when over.
 *
 *   tsx scripts/weapp-report.ts [DIST] [--json] [--benchmarks]
 *
 * `--json` prints the numbers as JSON; `--benchmarks` also rewrites the
 * `size` section of BENCHMARKS.md (`npm run bench:size`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { machineLine, today, writeBenchSection } from '../bench/lib/benchmarks-md'

const KIB = 1024
/** Our budget for the main package (what every user downloads before the first page). */
export const MAIN_PACKAGE_BUDGET = 450 * KIB
/** WeChat's limits. */
export const PACKAGE_LIMIT = 2 * KIB * KIB
export const TOTAL_LIMIT = 20 * KIB * KIB

export interface PackageSize {
  /** `main`, or the subpackage root. */
  readonly name: string
  readonly bytes: number
  readonly files: number
}

export interface WeappSize {
  readonly total: number
  readonly files: number
  readonly main: PackageSize
  readonly subpackages: readonly PackageSize[]
  /** The largest files of the main package, biggest first. */
  readonly largest: readonly { file: string; bytes: number }[]
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

/** Measures a build directory; its app.json says which folders are subpackages. */
export function measureWeapp(dist: string): WeappSize {
  const app = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[]
    subpackages?: { root: string }[]
  }
  const roots = (app.subPackages ?? app.subpackages ?? []).map((s) => s.root.replace(/^\/|\/$/g, ''))
  const files = walk(dist).map((f) => ({ file: path.relative(dist, f).split(path.sep).join('/'), bytes: statSync(f).size }))
  const rootOf = (file: string): string | undefined => roots.find((r) => file === r || file.startsWith(`${r}/`))
  const sum = (list: typeof files): number => list.reduce((n, f) => n + f.bytes, 0)
  const mainFiles = files.filter((f) => rootOf(f.file) === undefined)
  return {
    total: sum(files),
    files: files.length,
    main: { name: 'main', bytes: sum(mainFiles), files: mainFiles.length },
    subpackages: roots.map((r) => {
      const own = files.filter((f) => rootOf(f.file) === r)
      return { name: r, bytes: sum(own), files: own.length }
    }),
    largest: [...mainFiles].sort((a, b) => b.bytes - a.bytes).slice(0, 6),
  }
}

/** What is over a budget or a limit, in words (empty: all within). */
export function sizeProblems(size: WeappSize): string[] {
  const problems: string[] = []
  if (size.main.bytes > MAIN_PACKAGE_BUDGET) {
    problems.push(`the main package is ${size.main.bytes} bytes, over its ${MAIN_PACKAGE_BUDGET / KIB} KiB budget`)
  }
  for (const s of size.subpackages) {
    if (s.bytes > PACKAGE_LIMIT) problems.push(`subpackage ${s.name} is ${s.bytes} bytes, over WeChat's 2 MiB limit`)
  }
  if (size.total > TOTAL_LIMIT) problems.push(`the build is ${size.total} bytes, over WeChat's 20 MiB limit`)
  return problems
}

const kib = (n: number): string => `${(n / KIB).toFixed(1)} KiB`

export function renderSizeSection(size: WeappSize): string {
  const lines = [
    '## Mini program package size (issue 12, item 3)',
    '',
    `Main package **${size.main.bytes} bytes** (${kib(size.main.bytes)}) of a ${MAIN_PACKAGE_BUDGET / KIB} KiB budget: ratio ` +
      `**${(size.main.bytes / MAIN_PACKAGE_BUDGET).toFixed(2)}** (WeChat's limit: 2048 KiB). Whole build ${size.total} bytes in ${size.files} files.`,
    '',
    '| package | bytes | KiB | files | budget | ratio |',
    '|---|---:|---:|---:|---|---:|',
    `| main | ${size.main.bytes} | ${(size.main.bytes / KIB).toFixed(1)} | ${size.main.files} | ${MAIN_PACKAGE_BUDGET / KIB} KiB | ${(size.main.bytes / MAIN_PACKAGE_BUDGET).toFixed(2)} |`,
    ...size.subpackages.map(
      (s) => `| ${s.name} | ${s.bytes} | ${(s.bytes / KIB).toFixed(1)} | ${s.files} | 2048 KiB (WeChat) | ${(s.bytes / PACKAGE_LIMIT).toFixed(2)} |`,
    ),
    '',
    `Largest files of the main package: ${size.largest.map((f) => `\`${f.file}\` ${kib(f.bytes)}`).join(', ')}.`,
    '',
    '- Reproduce: `npm run bench:size` (a production `npm run build:weapp`, then `tsx scripts/weapp-report.ts --benchmarks`).',
    '  `npm test` runs the same check after its weapp build and fails over budget, so CI does.',
    `- Machine: ${machineLine()}; measured on ${today()}.`,
    '- No subpackage: the app has two pages, the home form and the room, and every user opens both, so moving either out',
    '  would only add a download before the meeting starts.',
  ]
  return lines.join('\n')
}

function main(argv: string[]): void {
  const flags = new Set(argv.filter((a) => a.startsWith('--')))
  const dist = path.resolve(argv.find((a) => !a.startsWith('--')) ?? 'dist/weapp')
  const size = measureWeapp(dist)
  if (flags.has('--json')) console.log(JSON.stringify(size, null, 2))
  console.log(
    `weapp output: ${size.total} bytes in ${size.files} files; main package ${size.main.bytes} bytes ` +
      `(${kib(size.main.bytes)}; budget ${MAIN_PACKAGE_BUDGET / KIB} KiB)` +
      size.subpackages.map((s) => `; ${s.name} ${s.bytes} bytes`).join(''),
  )
  if (flags.has('--benchmarks')) writeBenchSection('size', renderSizeSection(size))
  const problems = sizeProblems(size)
  if (problems.length > 0) {
    problems.forEach((p) => console.error(`weapp-report: ${p}`))
    process.exit(1)
  }
}

if (require.main === module) main(process.argv.slice(2))
