/**
 * BENCHMARKS.md: each benchmark owns the text between its
 * `<!-- bench:NAME:start -->` / `<!-- bench:NAME:end -->` markers and
 * rewrites only that; everything else in the file is left alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export const BENCHMARKS_FILE = path.resolve(__dirname, '../../BENCHMARKS.md')

const FILE_HEADER = `# Benchmarks

Measured numbers and how to reproduce them. Each benchmark owns one section,
between its \`<!-- bench:NAME:start -->\` / \`<!-- bench:NAME:end -->\` markers,
which its command rewrites; everything outside the markers is left alone.
`

export const sectionMarkers = (name: string) => ({ start: `<!-- bench:${name}:start -->`, end: `<!-- bench:${name}:end -->` })

/** `existing` (null: no file yet) with the section `name` set to `body` (the text between the markers). */
export function withBenchSection(existing: string | null, name: string, body: string): string {
  const { start, end } = sectionMarkers(name)
  const section = `${start}\n${body.replace(/\s*$/, '')}\n${end}`
  if (existing === null || existing.trim() === '') return `${FILE_HEADER}\n${section}\n`
  const from = existing.indexOf(start)
  const to = existing.indexOf(end)
  if (from >= 0 && to > from) return existing.slice(0, from) + section + existing.slice(to + end.length)
  return `${existing.replace(/\s*$/, '')}\n\n${section}\n`
}

/** Rewrites the section `name` of `file` (read right before writing: other benchmarks own the rest). */
export function writeBenchSection(name: string, body: string, file = BENCHMARKS_FILE): void {
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : null
  writeFileSync(file, withBenchSection(existing, name, body))
}

/** One line naming the machine, for a section's "Machine:" entry. */
export function machineLine(): string {
  const cpus = os.cpus()
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${os.platform()} ${os.release()}, Node ${process.version}`
}

export const today = (): string => new Date().toISOString().slice(0, 10)

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(sorted.length, rank) - 1]
}
