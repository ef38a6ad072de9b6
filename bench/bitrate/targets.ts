/**
 * The targets of issue 5, evaluated per trace. A target that does not apply to
 * a trace (no drop, not a stable link, …) is not listed for it.
 */
import { METRIC_RULES, type Analysis } from './metrics'
import type { RunResult } from './simulate'
import type { Trace } from './trace'

export type TargetId =
  | 'first-cut'
  | 'settle'
  | 'p95-queue'
  | 'no-downgrade'
  | 'stable'
  | 'utilization'
  | 'recover'
  | 'loss-ceiling'
  | 'jitter-spike'
  | 'floor'

export const TARGETS: { readonly [K in TargetId]: string } = {
  'first-cut': 'after a ≥ 50 % drop, first cut on the first tick at which the drop is observable (send deficit or 1101)',
  settle: 'after a ≥ 50 % drop, ceiling within [0.75, 1.0] × capacity within 3 ticks',
  'p95-queue': 'p95 queue delay under 300 ms through drop transients',
  'no-downgrade': 'stable link above the preset max, with jitter noise: zero downgrades',
  stable: 'stable link after convergence (30 s): ≤ 1 ceiling change per minute and zero flaps',
  utilization: 'utilization ≥ 85 % in steady windows',
  recover: 'after a rise: ceiling ≥ 90 % of min(capacity, preset max) within 10 s of a ≤ 2× step, 15 s of a larger one',
  'loss-ceiling': 'random loss ≤ 5 % without congestion: ceiling stays ≥ 0.8 × preset max',
  'jitter-spike': 'single-tick jitter spikes alone never cut',
  floor: 'the ceiling never leaves [preset min, preset max]',
}

export const TARGET_LIMITS = {
  p95QueueDelayMs: 300,
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

export function evaluateTargets(run: RunResult, analysis: Analysis): TargetResult[] {
  const { trace, preset, audioKbps } = run
  const { metrics } = analysis
  const maxTotal = preset.maxBitrateKbps + audioKbps
  const capacities = capacityValues(trace)
  const stable = capacities.length === 1
  const noCongestion = Math.min(...capacities) >= maxTotal
  const maxLoss = Math.max(...trace.lossPct.map(([, v]) => v))
  const results: TargetResult[] = []

  for (const drop of analysis.drops) {
    const at = `drop at ${s(drop.atMs)}`
    if (drop.observableAtMs === null) {
      results.push({ id: 'first-cut', pass: true, detail: `${at}: never observable in netstatus (the engine absorbed it)` })
    } else {
      const pass = drop.firstCutAtMs !== null && drop.firstCutAtMs <= drop.observableAtMs
      results.push({
        id: 'first-cut',
        pass,
        detail: `${at}: observable at tick ${drop.observableTick} (+${s(drop.observableAtMs - drop.atMs)}), first cut ${drop.firstCutAtMs === null ? 'never' : `at tick ${drop.ticksToFirstCut} (+${s(drop.firstCutAtMs - drop.atMs)})`}`,
      })
    }
    const deadline = drop.settleDeadlineMs ?? run.ticks.filter((t) => t.atMs > drop.atMs)[2]?.atMs ?? drop.endMs
    results.push({
      id: 'settle',
      pass: drop.settledAtMs !== null && drop.settledAtMs <= deadline,
      detail: `${at}: band [${Math.round(drop.band[0])}, ${Math.round(drop.band[1])}] kbps, entered ${drop.settledAtMs === null ? 'never' : `+${s(drop.settledAtMs - drop.atMs)}`}, deadline +${s(deadline - drop.atMs)}`,
    })
  }
  if (analysis.drops.length > 0) {
    results.push({
      id: 'p95-queue',
      pass: metrics.p95QueueDelayMs < L.p95QueueDelayMs,
      detail: `p95 ${metrics.p95QueueDelayMs} ms (whole run ${analysis.p95WholeRunMs.toFixed(1)} ms)`,
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
  if (metrics.utilization !== null) {
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
