/**
 * The shipped trace suite and the runner shared by the CLI and the tests.
 */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { BitrateController } from '../../src/core/bitrate-controller'
import { CONTROLLERS } from './baselines'
import { analyse, type Analysis } from './metrics'
import { simulate, type RunResult } from './simulate'
import { evaluateTargets, type TargetResult } from './targets'
import { loadTrace, parseTrace, type Trace } from './trace'

export const TRACES_DIR = path.join(__dirname, 'traces')

/** Every `*.json` trace of a directory, in file-name order. */
export function loadSuite(dir: string = TRACES_DIR): Trace[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadTrace(path.join(dir, f)))
}

export interface TraceRun {
  readonly trace: Trace
  readonly run: RunResult
  readonly analysis: Analysis
  readonly targets: readonly TargetResult[]
}

export function runOne(trace: Trace, controller: BitrateController<unknown>): TraceRun {
  const run = simulate(trace, controller)
  const analysis = analyse(run)
  return { trace, run, analysis, targets: evaluateTargets(run, analysis) }
}

/** Run one trace with every controller (the app's first). */
export function runTrace(trace: Trace, controllers: ReadonlyArray<BitrateController<unknown>> = CONTROLLERS): TraceRun[] {
  return controllers.map((c) => runOne(trace, c))
}

/**
 * Traces outside the suite that show a limit of the set-up rather than of a
 * controller (see BENCHMARKS.md): the 50 % step drop behind deeper buffers.
 */
export const LIMIT_TRACES: readonly Trace[] = [600, 1000].map((queueMs) =>
  parseTrace(
    { name: `step-drop-58-queue-${queueMs}ms`, role: 'host', durationS: 100, seed: 28, capacityKbps: [[0, 1200], [35, 500], [70, 1200]], queueMs },
    `limit trace (queue ${queueMs} ms)`,
  ),
)
