/**
 * The targets, evaluated per trace: what a viewer feels against `static`
 * (issue 11) and the ceiling's behaviour (issue 5's that still make sense). A
 * target that does not apply to a trace (no drop, not a stable link, …) is not
 * listed for it.
 */
import { METRIC_RULES, type Analysis } from './metrics'
import type { RunResult } from './simulate'
import type { Trace } from './trace'

export type TargetId =
  | 'utilization-vs-static'
  | 'p95-delay-vs-static'
  | 'stalls-vs-static'
  | 'late-vs-static'
  | 'frozen-vs-static'
  | 'calm'
  | 'reacts'
  | 'no-downgrade'
  | 'stable'
  | 'utilization'
  | 'recover'
  | 'loss-ceiling'
  | 'jitter-spike'
  | 'floor'

export interface TargetDefinition {
  readonly text: string
  /**
   * false for a target the benchmark shows no controller can meet with the
   * signals a phone gives (BENCHMARKS.md has the evidence): it is still
   * evaluated and reported, but a miss does not fail the run.
   */
  readonly required: boolean
}

/** Targets on what a viewer feels, against `static`, apply to every recorded trace and every trace with a synthetic drop. */
export const TARGETS: { readonly [K in TargetId]: TargetDefinition } = {
  'utilization-vs-static': { text: 'utilization ≥ 0.97 × `static`\'s', required: true },
  'p95-delay-vs-static': { text: 'p95 one-way delay ≤ 1.05 × `static`\'s', required: true },
  'stalls-vs-static': { text: 'stall ticks ≤ `static`\'s', required: true },
  'late-vs-static': { text: 'delayOver200msPct ≤ 0.8 × `static`\'s', required: false },
  'frozen-vs-static': { text: 'frozenS ≤ `static`\'s', required: true },
  calm: { text: 'recorded trace: ≤ 2 ceiling changes per minute and ≤ 1 flap per (started) 10 minutes', required: true },
  reacts: { text: 'the first 1101 of a synthetic drop or a recorded trace is answered by a cut at once (sustained congestion brings the ceiling down)', required: true },
  'no-downgrade': { text: 'stable link above the preset max, with jitter noise: zero downgrades', required: true },
  stable: { text: 'stable link after convergence (30 s): ≤ 1 ceiling change per minute and zero flaps', required: true },
  utilization: { text: 'synthetic trace: utilization ≥ 85 % in steady windows', required: true },
  recover: { text: 'after a rise: ceiling ≥ 90 % of min(capacity, preset max) within 10 s of a ≤ 2× step, 15 s of a larger one', required: true },
  'loss-ceiling': { text: 'random loss ≤ 5 % without congestion: ceiling stays ≥ 0.8 × preset max', required: true },
  'jitter-spike': { text: 'single-tick jitter spikes alone never cut', required: true },
  floor: { text: 'the ceiling never leaves [preset min, preset max]', required: true },
}

export const TARGET_LIMITS = {
  changesPerMin: 1,
  utilization: 0.85,
  recoverSmallStepS: 10,
  recoverLargeStepS: 15,
  smallStepFactor: 2,
  lossCeilingShare: 0.8,
  maxLossPctForCeiling: 5,
  /** A jitter segment at most this long, well above its neighbours, is a spike. */
  spikeMaxMs: 2000,
  spikeFactor: 4,
  vsStatic: { utilization: 0.97, p95DelayMs: 1.05, delayOver200msPct: 0.8 },
  recordedChangesPerMin: 2,
  recordedFlapsPer10Min: 1,
} as const

export interface TargetResult {
  readonly id: TargetId
  readonly pass: boolean
  readonly detail: string
}

const L = TARGET_LIMITS

function capacityValues(trace: Trace): number[] {
  return trace.capacityKbps.filter(([start]) => start < trace.durationS).map(([, v]) => v)
}

export function hasJitterSpikes(trace: Trace): boolean {
  const j = trace.jitterMs
  return j.some(([start, v], i) => {
    if (i === 0) return false
    const end = i + 1 < j.length ? j[i + 1][0] : trace.durationS
    return (end - start) * 1000 <= L.spikeMaxMs && v >= L.spikeFactor * Math.max(j[i - 1][1], 1)
  })
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** The run of `static` on the same trace, for the targets against it. */
export interface Reference {
  readonly run: RunResult
  readonly analysis: Analysis
}

/**
 * `reference` may be a function, called only when a target against `static`
 * applies (a recorded trace or one with a drop), so a stable trace is not
 * simulated twice.
 */
export function evaluateTargets(run: RunResult, analysis: Analysis, referenceOrLazy: Reference | (() => Reference) | null = null): TargetResult[] {
  const { trace, preset, audioKbps } = run
  const { metrics } = analysis
  const maxTotal = preset.maxBitrateKbps + audioKbps
  const capacities = capacityValues(trace)
  const recorded = trace.source !== undefined
  const stable = capacities.length === 1
  const noCongestion = Math.min(...capacities) >= maxTotal
  const maxLoss = Math.max(...trace.lossPct.map(([, v]) => v))
  const results: TargetResult[] = []
  const V = L.vsStatic

  if (referenceOrLazy && (recorded || analysis.drops.length > 0)) {
    const reference = typeof referenceOrLazy === 'function' ? referenceOrLazy() : referenceOrLazy
    const base = reference.analysis.metrics
    const vs = (id: TargetId, pass: boolean, mine: number | null, theirs: number | null) =>
      results.push({ id, pass, detail: `${mine} vs static ${theirs}` })
    const util = metrics.utilization ?? 0
    vs('utilization-vs-static', util >= V.utilization * (base.utilization ?? 0), metrics.utilization, base.utilization)
    vs('p95-delay-vs-static', metrics.p95DelayMs <= V.p95DelayMs * base.p95DelayMs, metrics.p95DelayMs, base.p95DelayMs)
    vs('stalls-vs-static', metrics.stallTicks <= base.stallTicks, metrics.stallTicks, base.stallTicks)
    vs('late-vs-static', metrics.delayOver200msPct <= V.delayOver200msPct * base.delayOver200msPct, metrics.delayOver200msPct, base.delayOver200msPct)
    vs('frozen-vs-static', metrics.frozenS <= base.frozenS, metrics.frozenS, base.frozenS)
  }
  if (recorded) {
    const allowedFlaps = L.recordedFlapsPer10Min * Math.ceil(trace.durationS / 600)
    results.push({
      id: 'calm',
      pass: metrics.ceilingChangesPerMin <= L.recordedChangesPerMin && metrics.flaps <= allowedFlaps,
      detail: `${metrics.ceilingChangesPerMin} changes/min, ${metrics.flaps} flaps (≤ ${allowedFlaps})`,
    })
  }
  const firstCutAfter = (fromMs: number, toMs: number) =>
    run.decisions.find((d, i) => d.atMs >= fromMs && d.atMs < toMs && d.ceilingKbps < (i === 0 ? run.initialCeilingKbps : run.decisions[i - 1].ceilingKbps))?.atMs ?? null
  const windows: Array<[number, number]> = recorded ? [[0, trace.durationS * 1000]] : analysis.drops.map((d) => [d.atMs, d.endMs])
  for (const [fromMs, toMs] of windows) {
    const busy = run.netBusyAtMs.find((b) => b >= fromMs && b < toMs)
    if (busy === undefined) continue
    const cut = firstCutAfter(fromMs, toMs)
    results.push({
      id: 'reacts',
      pass: cut !== null && cut <= busy,
      detail: `first 1101 at ${s(busy)}, first cut ${cut === null ? 'never' : `at ${s(cut)}`}`,
    })
  }
  if (stable && noCongestion) {
    results.push({ id: 'no-downgrade', pass: analysis.cuts === 0, detail: `${analysis.cuts} downgrades` })
  }
  if (stable) {
    results.push({
      id: 'stable',
      pass: analysis.changesAfterConvergencePerMin <= L.changesPerMin && analysis.flapsAfterConvergence === 0,
      detail: `${analysis.changesAfterConvergencePerMin} changes/min, ${analysis.flapsAfterConvergence} flaps after ${METRIC_RULES.convergenceMs / 1000} s`,
    })
  }
  if (metrics.utilization !== null && !recorded) {
    results.push({ id: 'utilization', pass: metrics.utilization >= L.utilization, detail: `${(metrics.utilization * 100).toFixed(1)} %` })
  }
  for (const rise of analysis.rises) {
    const limitS = rise.factor <= L.smallStepFactor ? L.recoverSmallStepS : L.recoverLargeStepS
    const tookMs = rise.recoveredAtMs === null ? null : rise.recoveredAtMs - rise.atMs
    const factor = Number.isFinite(rise.factor) ? `${rise.factor.toFixed(2)}×` : 'from outage'
    results.push({
      id: 'recover',
      pass: tookMs !== null && tookMs <= limitS * 1000,
      detail: `rise at ${s(rise.atMs)} (${factor}): ≥ ${Math.round(rise.targetCeilingKbps)} kbps ${tookMs === null ? 'never' : `after ${s(tookMs)}`}, limit ${limitS} s`,
    })
  }
  if (noCongestion && maxLoss > 0 && maxLoss <= L.maxLossPctForCeiling) {
    const floor = L.lossCeilingShare * preset.maxBitrateKbps
    results.push({ id: 'loss-ceiling', pass: metrics.minCeilingKbps >= floor, detail: `min ceiling ${metrics.minCeilingKbps} kbps (≥ ${floor})` })
  }
  if (noCongestion && hasJitterSpikes(trace)) {
    results.push({ id: 'jitter-spike', pass: analysis.cuts === 0, detail: `${analysis.cuts} cuts` })
  }
  const maxCeiling = Math.max(run.initialCeilingKbps, ...run.decisions.map((d) => d.ceilingKbps))
  results.push({
    id: 'floor',
    pass: metrics.minCeilingKbps >= preset.minBitrateKbps && maxCeiling <= preset.maxBitrateKbps,
    detail: `ceiling in [${metrics.minCeilingKbps}, ${maxCeiling}] kbps, preset [${preset.minBitrateKbps}, ${preset.maxBitrateKbps}]`,
  })
  return results
}

/** The targets a run misses that count (required ones). */
export function requiredMisses(results: readonly TargetResult[]): TargetResult[] {
  return results.filter((t) => !t.pass && TARGETS[t.id].required)
}
