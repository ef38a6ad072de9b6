/**
 * Metrics of one run, exactly as issue 5 names them, plus the per-event detail
 * the target evaluation needs.
 *
 * Definitions (BENCHMARKS.md repeats them):
 * - effective capacity = min(capacity, preset max + audio): what this pusher can use.
 * - a **drop** is a capacity step to ≤ 50 % of the previous capacity that bites
 *   (the new capacity is below 90 % of the previous effective capacity); a
 *   **rise** is a step of the effective capacity by ≥ 1.5×. An event lasts until
 *   the next capacity step or the end of the trace.
 * - a drop is **observable** from the first tick after it whose netSpeed is
 *   below 75 % of videoBitrate + audioBitrate, or from a 1101, whichever is first.
 * - `ticksToFirstCut`: netstatus ticks after the drop up to the first lowering
 *   of the ceiling; `timeToFirstCutS` the same in seconds.
 * - `timeToSettleS`: until the ceiling is within [0.75, 1.0] × the new capacity
 *   (that band clamped into the preset's range).
 * - `timeToRecoverS`: after a rise, until the ceiling is ≥ 90 % of
 *   min(capacity, preset max).
 * - `utilization`: delivered ÷ (effective capacity × (1 − random loss)) in
 *   steady windows: not in the first 15 s, nor within 15 s of a ≥ 15 % step.
 * - `p95QueueDelayMs`: bottleneck queueing delay of admitted packets, the worst
 *   of the whole run and of each drop's 10 s transient; packets whose wait
 *   spanned an outage are left out (no sender could have spared them).
 * - `lossPct`: tail drops + random loss, of all packets offered.
 * - `flaps`: down-up-down within 30 s. `stallTicks`: ticks in which the
 *   receiver completed fewer than half the frames it should have.
 * What a viewer feels (from the frame log; README.md):
 * - a frame is *shown* when all its packets arrived; the receiver shows
 *   frames in capture order, each at max(its arrival, the previous one shown).
 *   Its one-way delay is shown − captured: the wait at the sender, the pacer,
 *   the bottleneck queue, the path delay and jitter.
 * - `delayOver200msPct`: share of the shown media (each frame is 1/fps s of
 *   it) whose one-way delay exceeds 200 ms. `p50DelayMs`, `p95DelayMs`: of the
 *   same delays.
 * - `frozenS`: the sum of the gaps between shown frames (from 0 s to the end
 *   of the trace) that last longer than 600 ms.
 * - `deliveredVideoKbps`: video bits of the shown frames ÷ the trace's duration.
 * On a recorded trace (one with a `source`) there are no designed steps: no
 * drop or rise events, and utilization leaves out only the first 15 s.
 * Per-event metrics report the worst event; `"never"` means the event's
 * window ended before it happened; `null` means no such event in the trace.
 */
import type { Schedule } from './trace'
import type { RunResult } from './simulate'

export type EventMetric = number | 'never' | null

export interface Metrics {
  readonly trace: string
  readonly controller: string
  readonly ticksToFirstCut: EventMetric
  readonly timeToFirstCutS: EventMetric
  readonly timeToSettleS: EventMetric
  readonly timeToRecoverS: EventMetric
  readonly utilization: number | null
  readonly p95QueueDelayMs: number
  readonly lossPct: number
  readonly ceilingChangesPerMin: number
  readonly flaps: number
  readonly stallTicks: number
  readonly minCeilingKbps: number
  readonly delayOver200msPct: number
  readonly frozenS: number
  readonly p50DelayMs: number
  readonly p95DelayMs: number
  readonly deliveredVideoKbps: number
}

export const METRIC_RULES = {
  dropShare: 0.5,
  dropBitesShare: 0.9,
  riseFactor: 1.5,
  observableDeficit: 0.25,
  bandLow: 0.75,
  bandHigh: 1.0,
  recoverShare: 0.9,
  steadyAfterMs: 15_000,
  steadyStepShare: 0.15,
  transientMs: 10_000,
  flapWindowMs: 30_000,
  convergenceMs: 30_000,
  lateDelayMs: 200,
  frozenGapMs: 600,
} as const

export interface DropOutcome {
  readonly atMs: number
  readonly endMs: number
  readonly fromKbps: number
  readonly toKbps: number
  readonly outage: boolean
  readonly band: readonly [number, number]
  /** When the drop first became observable, and as which tick (0 = by 1101 before any tick); null if never. */
  readonly observableAtMs: number | null
  readonly observableTick: number | null
  readonly firstCutAtMs: number | null
  readonly ticksToFirstCut: number | 'never'
  readonly settledAtMs: number | null
  /** Time of the third tick counting the first observable one; null if there was none. */
  readonly settleDeadlineMs: number | null
  readonly p95QueueDelayMs: number | null
}

export interface RiseOutcome {
  readonly atMs: number
  readonly endMs: number
  readonly factor: number
  readonly targetCeilingKbps: number
  readonly recoveredAtMs: number | null
}

export interface CeilingChange {
  readonly atMs: number
  readonly fromKbps: number
  readonly toKbps: number
}

export interface Analysis {
  readonly metrics: Metrics
  readonly drops: readonly DropOutcome[]
  readonly rises: readonly RiseOutcome[]
  readonly changes: readonly CeilingChange[]
  readonly cuts: number
  readonly changesAfterConvergencePerMin: number
  readonly flapsAfterConvergence: number
  readonly p95WholeRunMs: number
}

const R = METRIC_RULES

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Nearest-rank percentile (q in (0, 1]); 0 for no samples. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return 0
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]
}

/** Nearest-rank p95; 0 for no samples. */
export function p95(values: ArrayLike<number>): number {
  return percentile(values, 0.95)
}

export interface ViewerOutcome {
  readonly delayOver200msPct: number
  readonly frozenS: number
  readonly p50DelayMs: number
  readonly p95DelayMs: number
  readonly deliveredVideoKbps: number
}

/** What the viewer sees, from the frame log (definitions at the top of this file). */
export function viewerOutcome(run: Pick<RunResult, 'frames' | 'trace'>): ViewerOutcome {
  const { frames } = run
  const durationMs = run.trace.durationS * 1000
  const delays: number[] = []
  let shownAtMs = 0
  let frozenMs = 0
  let bits = 0
  const gap = (toMs: number) => {
    if (toMs - shownAtMs > R.frozenGapMs) frozenMs += toMs - shownAtMs
  }
  for (let i = 0; i < frames.count; i++) {
    const arrival = frames.arrivalMs[i]
    if (Number.isNaN(arrival)) continue
    const shown = Math.max(arrival, shownAtMs)
    gap(shown)
    shownAtMs = shown
    delays.push(shown - frames.captureMs[i])
    bits += frames.bits[i]
  }
  gap(durationMs)
  const late = delays.filter((d) => d > R.lateDelayMs).length
  return {
    delayOver200msPct: delays.length > 0 ? round((100 * late) / delays.length, 2) : 0,
    frozenS: round(frozenMs / 1000, 2),
    p50DelayMs: round(percentile(delays, 0.5), 1),
    p95DelayMs: round(percentile(delays, 0.95), 1),
    deliveredVideoKbps: round(bits / durationMs, 1),
  }
}

/** Worst of several per-event values: "never" beats any number; null if there were no events. */
export function worst(values: ReadonlyArray<number | 'never'>): EventMetric {
  if (values.length === 0) return null
  if (values.includes('never')) return 'never'
  return Math.max(...(values as number[]))
}

/** Ceiling changes (in the order the controller made them). */
export function ceilingChanges(run: RunResult): CeilingChange[] {
  const changes: CeilingChange[] = []
  let current = run.initialCeilingKbps
  for (const d of run.decisions) {
    if (d.ceilingKbps !== current) changes.push({ atMs: d.atMs, fromKbps: current, toKbps: d.ceilingKbps })
    current = d.ceilingKbps
  }
  return changes
}

/** Down-up-down sequences whose two downs are within the flap window; counted at the second down. */
export function countFlaps(changes: readonly CeilingChange[], fromMs = 0): number {
  let flaps = 0
  let lastDownBeforeUpMs: number | null = null
  let lastDownMs: number | null = null
  let sawUpSinceDown = false
  for (const c of changes) {
    if (c.atMs < fromMs) continue
    if (c.toKbps > c.fromKbps) {
      if (lastDownMs !== null) {
        sawUpSinceDown = true
        lastDownBeforeUpMs = lastDownMs
      }
      continue
    }
    if (sawUpSinceDown && lastDownBeforeUpMs !== null && c.atMs - lastDownBeforeUpMs <= R.flapWindowMs) flaps++
    lastDownMs = c.atMs
    sawUpSinceDown = false
  }
  return flaps
}

function ceilingAt(run: RunResult, atMs: number): number {
  let ceiling = run.initialCeilingKbps
  for (const d of run.decisions) {
    if (d.atMs > atMs) break
    ceiling = d.ceilingKbps
  }
  return ceiling
}

/** First time in [fromMs, toMs) at which the ceiling satisfies `ok`, or null. */
function firstCeilingTime(run: RunResult, fromMs: number, toMs: number, ok: (kbps: number) => boolean): number | null {
  if (ok(ceilingAt(run, fromMs))) return fromMs
  for (const d of run.decisions) {
    if (d.atMs <= fromMs) continue
    if (d.atMs >= toMs) break
    if (ok(d.ceilingKbps)) return d.atMs
  }
  return null
}

function clampToRange(kbps: number, run: RunResult): number {
  return Math.min(run.preset.maxBitrateKbps, Math.max(run.preset.minBitrateKbps, kbps))
}

/** valueAt for non-decreasing times, in O(1) amortised (recorded traces have hundreds of steps). */
function scheduleCursor(schedule: Schedule): (atS: number) => number {
  let i = 0
  return (atS) => {
    while (i + 1 < schedule.length && schedule[i + 1][0] <= atS) i++
    return schedule[i][1]
  }
}

export function analyse(run: RunResult): Analysis {
  const { trace, preset, audioKbps } = run
  const durationMs = trace.durationS * 1000
  const maxTotal = preset.maxBitrateKbps + audioKbps
  const effective = (kbps: number) => Math.min(kbps, maxTotal)
  const changes = ceilingChanges(run)
  const steps = trace.capacityKbps

  const drops: DropOutcome[] = []
  const rises: RiseOutcome[] = []
  const recorded = trace.source !== undefined
  for (let i = 1; i < steps.length && !recorded; i++) {
    const atMs = steps[i][0] * 1000
    if (atMs >= durationMs) break
    const endMs = i + 1 < steps.length ? Math.min(durationMs, steps[i + 1][0] * 1000) : durationMs
    const from = steps[i - 1][1]
    const to = steps[i][1]
    if (to <= R.dropShare * from && to < R.dropBitesShare * effective(from)) {
      drops.push(analyseDrop(run, atMs, endMs, from, to))
    }
    const fromEff = effective(from)
    const toEff = effective(to)
    if (toEff >= R.riseFactor * fromEff && toEff > 0) {
      const targetCeilingKbps = R.recoverShare * Math.min(to, preset.maxBitrateKbps)
      rises.push({
        atMs,
        endMs,
        factor: fromEff > 0 ? toEff / fromEff : Infinity,
        targetCeilingKbps,
        recoveredAtMs: firstCeilingTime(run, atMs, endMs, (c) => c >= targetCeilingKbps),
      })
    }
  }

  // Queueing delay: whole run and drop transients, outage-stranded packets left out.
  const wholeRun: number[] = []
  for (let i = 0; i < run.packetCount; i++) if (!run.packetInOutage[i]) wholeRun.push(run.packetQueueMs[i])
  const p95WholeRunMs = p95(wholeRun)
  const p95Transients = drops.map((d) => d.p95QueueDelayMs ?? 0)

  // Utilization over steady windows.
  const stepMs = run.stepMs
  const unsteady: Array<[number, number]> = [[0, R.steadyAfterMs]]
  for (let i = 1; i < steps.length && !recorded; i++) {
    const a = effective(steps[i - 1][1])
    const b = effective(steps[i][1])
    if (Math.abs(b - a) >= R.steadyStepShare * Math.max(a, b)) unsteady.push([steps[i][0] * 1000, steps[i][0] * 1000 + R.steadyAfterMs])
  }
  let delivered = 0
  let achievable = 0
  const capacityAt = scheduleCursor(steps)
  const lossAt = scheduleCursor(trace.lossPct)
  for (let s = 0; s * stepMs < durationMs; s++) {
    const t = s * stepMs
    if (unsteady.some(([a, b]) => t >= a && t < b)) continue
    const bitsPossible = effective(capacityAt(t / 1000)) * (1 - lossAt(t / 1000) / 100) * stepMs
    if (bitsPossible <= 0) continue
    delivered += run.deliveredBits[s]
    achievable += bitsPossible
  }

  const minutes = durationMs / 60_000
  const convergedMinutes = Math.max(durationMs - R.convergenceMs, 1) / 60_000
  const metrics: Metrics = {
    trace: trace.name,
    controller: run.controller,
    ticksToFirstCut: worst(drops.map((d) => d.ticksToFirstCut)),
    timeToFirstCutS: worst(drops.map((d) => (d.firstCutAtMs === null ? 'never' : round((d.firstCutAtMs - d.atMs) / 1000, 2)))),
    timeToSettleS: worst(drops.map((d) => (d.settledAtMs === null ? 'never' : round((d.settledAtMs - d.atMs) / 1000, 2)))),
    timeToRecoverS: worst(rises.map((r) => (r.recoveredAtMs === null ? 'never' : round((r.recoveredAtMs - r.atMs) / 1000, 2)))),
    utilization: achievable > 0 ? round(delivered / achievable, 3) : null,
    p95QueueDelayMs: round(Math.max(p95WholeRunMs, ...p95Transients), 1),
    lossPct: round(run.totals.offered > 0 ? (100 * (run.totals.tailDropped + run.totals.randomLost)) / run.totals.offered : 0, 2),
    ceilingChangesPerMin: round(changes.length / minutes, 2),
    flaps: countFlaps(changes),
    stallTicks: run.ticks.filter((t) => t.stall).length,
    minCeilingKbps: Math.min(run.initialCeilingKbps, ...run.decisions.map((d) => d.ceilingKbps)),
    ...viewerOutcome(run),
  }
  return {
    metrics,
    drops,
    rises,
    changes,
    cuts: changes.filter((c) => c.toKbps < c.fromKbps).length,
    changesAfterConvergencePerMin: round(changes.filter((c) => c.atMs >= R.convergenceMs).length / convergedMinutes, 2),
    flapsAfterConvergence: countFlaps(changes, R.convergenceMs),
    p95WholeRunMs,
  }
}

function analyseDrop(run: RunResult, atMs: number, endMs: number, fromKbps: number, toKbps: number): DropOutcome {
  const ticksAfter = run.ticks.filter((t) => t.atMs > atMs && t.atMs < endMs)
  const observableTickIndex = ticksAfter.findIndex((t) => {
    const { netSpeed, videoBitrate, audioBitrate } = t.status
    return netSpeed !== undefined && videoBitrate !== undefined && netSpeed < (1 - R.observableDeficit) * (videoBitrate + (audioBitrate ?? 0))
  })
  const busy = run.netBusyAtMs.find((b) => b > atMs && b < endMs) ?? null
  const tickObservableAt = observableTickIndex >= 0 ? ticksAfter[observableTickIndex].atMs : null
  const observableAtMs = tickObservableAt === null ? busy : busy === null ? tickObservableAt : Math.min(busy, tickObservableAt)
  const ticksUpTo = (ms: number) => ticksAfter.filter((t) => t.atMs <= ms).length
  const observableTick = observableAtMs === null ? null : ticksUpTo(observableAtMs)

  const cut = run.decisions.find((d, i) => {
    if (d.atMs <= atMs || d.atMs >= endMs) return false
    const before = i === 0 ? run.initialCeilingKbps : run.decisions[i - 1].ceilingKbps
    return d.ceilingKbps < before
  })
  const firstCutAtMs = cut?.atMs ?? null

  const low = clampToRange(R.bandLow * toKbps, run)
  const high = clampToRange(R.bandHigh * toKbps, run)
  const settledAtMs = firstCeilingTime(run, atMs, endMs, (c) => c >= low && c <= high)
  const deadlineTick = observableTick === null ? null : Math.max(observableTick, 1) + 2
  const settleDeadlineMs = deadlineTick === null ? null : (ticksAfter[deadlineTick - 1]?.atMs ?? endMs)

  const windowDelays: number[] = []
  for (let i = 0; i < run.packetCount; i++) {
    const sent = run.packetSendMs[i]
    if (sent >= atMs && sent < atMs + R.transientMs && !run.packetInOutage[i]) windowDelays.push(run.packetQueueMs[i])
  }
  return {
    atMs,
    endMs,
    fromKbps,
    toKbps,
    outage: toKbps === 0,
    band: [low, high],
    observableAtMs,
    observableTick,
    firstCutAtMs,
    ticksToFirstCut: firstCutAtMs === null ? 'never' : ticksUpTo(firstCutAtMs),
    settledAtMs,
    settleDeadlineMs,
    p95QueueDelayMs: windowDelays.length > 0 ? p95(windowDelays) : null,
  }
}
