/** Rewrite one benchmark's section of BENCHMARKS.md, between its `<!-- bench:NAME:start/end -->` markers; the rest is left alone. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

export const markers = (name: string): { start: string; end: string } => ({
  start: `<!-- bench:${name}:start -->`,
  end: `<!-- bench:${name}:end -->`,
})

/** `section` includes its markers. */
export function writeBenchSection(path: string, name: string, section: string): void {
  const { start, end } = markers(name)
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const from = existing.indexOf(start)
  const to = existing.indexOf(end)
  const next =
    from >= 0 && to > from
      ? existing.slice(0, from) + section + existing.slice(to + end.length)
      : `${existing.replace(/\s*$/, '')}\n\n${section}\n`
  writeFileSync(path, next)
}
