/** Summaries of the capacity bench's runs and its BENCHMARKS.md section. */
import type { MachineInfo } from '../bitrate/report'

export interface RawRun {
  readonly name: string
  readonly n: number
  readonly joinMs: readonly number[]
  readonly failures: Record<string, number>
  readonly rssIdle: number
  readonly rssLoaded: number
  readonly cpuPct?: number
  readonly fanoutMs?: readonly number[]
  readonly updatesSent?: number
  readonly deliveriesExpected?: number
  readonly deliveriesLost?: number
  readonly steadyCloses?: Record<string, number>
  readonly leaveCloses?: Record<string, number>
  /** The machine's 1-minute load average at the end of the joins and of the steady phase (it is shared). */
  readonly load?: readonly number[]
}

export interface RunResult {
  readonly name: string
  readonly n: number
  readonly admitted: number
  readonly failures: Record<string, number>
  readonly joinP50: number
  readonly joinP99: number
  readonly fanoutP50: number | null
  readonly fanoutP99: number | null
  readonly fanoutMax: number | null
  readonly updatesSent: number
  readonly deliveriesExpected: number
  readonly deliveriesLost: number
  readonly cpuPct: number | null
  readonly rssMiB: number
  /** (RSS loaded − RSS idle) / admitted participants. */
  readonly kibPerParticipant: number
  readonly steadyCloses: Record<string, number>
  readonly leaveCloses: Record<string, number>
  readonly load: readonly number[]
}

export interface DrainResult {
  readonly connected: number
  readonly rssBefore: number
  readonly closes: Record<string, number>
  readonly lastCloseMs: number
  readonly stillOpen: number
  readonly exitMs: number
  readonly worstProbeMs: number
}

/** Nearest-rank percentile (q in 0..1); null for no samples. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]
}

const round = (v: number | null, digits = 1): number | null => (v === null ? null : Number(v.toFixed(digits)))

export function summarize(raw: RawRun): RunResult {
  const admitted = raw.joinMs.length
  const fanout = raw.fanoutMs ?? []
  return {
    name: raw.name,
    n: raw.n,
    admitted,
    failures: raw.failures,
    joinP50: round(percentile(raw.joinMs, 0.5)) ?? 0,
    joinP99: round(percentile(raw.joinMs, 0.99)) ?? 0,
    fanoutP50: round(percentile(fanout, 0.5)),
    fanoutP99: round(percentile(fanout, 0.99)),
    fanoutMax: round(fanout.length === 0 ? null : Math.max(...fanout)),
    updatesSent: raw.updatesSent ?? 0,
    deliveriesExpected: raw.deliveriesExpected ?? 0,
    deliveriesLost: raw.deliveriesLost ?? 0,
    cpuPct: round(raw.cpuPct ?? null),
    rssMiB: round(raw.rssLoaded) ?? 0,
    kibPerParticipant: round(admitted === 0 ? 0 : ((raw.rssLoaded - raw.rssIdle) * 1024) / admitted) ?? 0,
    steadyCloses: raw.steadyCloses ?? {},
    leaveCloses: raw.leaveCloses ?? {},
    load: (raw.load ?? []).map((l) => Number(l.toFixed(1))),
  }
}

/** The budget at the largest N: 0 lost deliveries, and within 1.5× of the bare server on fan-out p99, CPU and RSS. */
export const BUDGET_RATIO = 1.5

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b)
const fmt = (v: number | null, digits = 1): string => (v === null ? '—' : v.toFixed(digits))
const codes = (r: Record<string, number>): string =>
  Object.keys(r).length === 0 ? '—' : Object.entries(r).map(([k, v]) => `${k}×${v}`).join(', ')

export interface SectionInput {
  /** The section's marker name (\`server\`, or another for a rerun kept beside it). */
  readonly name: string
  /** The command line of this run. */
  readonly command: string
  readonly results: readonly RunResult[]
  readonly drains: ReadonlyArray<{ readonly name: string; readonly n: number; readonly drain: DrainResult }>
  readonly options: { readonly joinRate: number; readonly steadyS: number; readonly generators: number }
  readonly machine: MachineInfo
  readonly elapsedS: number
  readonly date: string
}

/** The section's text between its markers (bench/lib/benchmarks-md.ts adds them). */
export function renderServerSection(input: SectionInput): string {
  const { results, drains, options, machine } = input
  const title = input.name === 'server' ? '' : ` — ${input.name}`
  const lines: string[] = [`## Room-service capacity against a bare ws server (issue 12)${title}`, '', `This run: \`${input.command}\`.`, '']
  lines.push(
    '`server/` (the room service, `npm run server` with the limits lifted by configuration, `MEDIA_PROVIDER=tencent-css` so',
    'no media server runs) and `bench/server/bare-server.ts` (the same wire traffic on plain `node:http` + `ws`: no auth,',
    'no validation, no presence, no logs) driven by the same protocol-aware load generator on loopback.',
    '',
    '- Reproduce: `npm run bench:server` (rewrites this section; ~25 min), `npm run bench:server -- --quick` (900',
    '  participants, prints only), `--n 19899`, `--base-dir DIR` (adds the service of another tree, e.g. `git archive` of',
    '  an older commit with `node_modules` linked, as `before`).',
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}; open files capped at 20,000 per`,
    '  process. Shared with other engineers during the run, so figures move ±25 % between runs: compare within one run.',
    `  The run took ${Math.round(input.elapsedS / 60)} min on ${input.date}.`,
    `- Traffic: N participants in rooms of 9, joining at up to ${options.joinRate}/s with at most 24 joins unanswered per generator`,
    '  (HTTP create/join, socket, `hello` → `welcome`; a slow target sets the pace),',
    `  \`ping\` every 10 s, in a ${options.steadyS} s steady phase one \`set_media\` every 30 s each (first at a random offset), then`,
    '  `leave`. The target runs on core 0 (`taskset -c 0`), the generators (' + String(options.generators) + ' processes, whole rooms each) on core 1;',
    '  client sockets are spread over 127.0.0.2–127.0.0.9.',
    '- Join: HTTP join request until `welcome`. Fan-out: a `set_media` sent until every other member of its room has the',
    '  `participant_updated`; lost = deliveries missing 5 s after the phase. CPU: the target\'s user+system time over the',
    '  steady phase, % of one core. RSS: the target\'s peak during the steady phase; KiB/participant = (RSS − RSS before',
    '  the joins) / N. Machine load: the 1-minute load average (2 cores) after the joins → after the steady phase; above',
    '  2, other engineers\' work competed for the cores, and a target that needs more CPU than its share queues (its',
    '  latencies grow by seconds while its CPU % stays at what it was given).',
    '',
    '| N | target | admitted | join p50 / p99 ms | fan-out p50 / p99 / max ms | lost / expected | CPU % | RSS MiB | KiB / participant | machine load |',
    '|---|---|---|---|---|---|---|---|---|---|',
  )
  for (const r of results) {
    const refused = Object.keys(r.failures).length > 0 ? ` (refused: ${codes(r.failures)})` : ''
    lines.push(
      `| ${r.n.toLocaleString('en-US')} | ${r.name} | ${r.admitted}${refused} | ${fmt(r.joinP50)} / ${fmt(r.joinP99)} | ${fmt(r.fanoutP50)} / ${fmt(r.fanoutP99)} / ${fmt(r.fanoutMax)} | ${r.deliveriesLost} / ${r.deliveriesExpected} | ${fmt(r.cpuPct)} | ${fmt(r.rssMiB)} | ${fmt(r.kibPerParticipant)} | ${r.load.join(' → ') || '—'} |`,
    )
  }
  lines.push('', '### Ratios to the bare server, and the budget', '')
  lines.push('| N | target | fan-out p99 | CPU | RSS | lost | budget (≤ 1.5× on each, 0 lost; at the largest N) |', '|---|---|---|---|---|---|---|')
  const biggest = Math.max(...results.map((r) => r.n))
  for (const r of results) {
    if (r.name === 'bare') continue
    const bare = results.find((b) => b.name === 'bare' && b.n === r.n)
    if (bare === undefined) continue
    const rs = [ratio(r.fanoutP99, bare.fanoutP99), ratio(r.cpuPct, bare.cpuPct), ratio(r.rssMiB, bare.rssMiB)]
    const within = rs.every((x) => x !== null && x <= BUDGET_RATIO) && r.deliveriesLost === 0
    const verdict = r.n === biggest ? (within ? 'met' : `**not met** (${budgetGap(rs, r.deliveriesLost)})`) : '—'
    lines.push(
      `| ${r.n.toLocaleString('en-US')} | ${r.name} | ${fmt(rs[0], 2)}× | ${fmt(rs[1], 2)}× | ${fmt(rs[2], 2)}× | ${r.deliveriesLost} | ${verdict} |`,
    )
  }
  if (drains.length > 0) {
    lines.push('', '### SIGTERM with everyone connected', '')
    lines.push(
      'The target is stopped with N participants in; a health probe every 10 ms over a kept-alive connection measures how long',
      'the event loop stalls.',
      '',
      '| N | target | sockets | longest health probe ms | last socket closed ms | exit ms | close codes |',
      '|---|---|---|---|---|---|---|',
    )
    for (const { name, n, drain } of drains) {
      lines.push(
        `| ${n.toLocaleString('en-US')} | ${name} | ${drain.connected} | ${fmt(drain.worstProbeMs)} | ${fmt(drain.lastCloseMs, 0)} | ${fmt(drain.exitMs, 0)} | ${codes(drain.closes)}${drain.stillOpen > 0 ? `, still open ${drain.stillOpen}` : ''} |`,
      )
    }
  }
  return lines.join('\n')
}

function budgetGap(rs: ReadonlyArray<number | null>, lost: number): string {
  const names = ['fan-out p99', 'CPU', 'RSS']
  const over = rs.flatMap((x, i) => (x !== null && x > BUDGET_RATIO ? [`${names[i]} ${x.toFixed(2)}×`] : []))
  if (lost > 0) over.push(`${lost} lost`)
  return over.join(', ')
}
