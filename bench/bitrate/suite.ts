/**
 * The shipped trace suite and the runner shared by the CLI and the tests.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import type { BitrateController } from '../../src/core/bitrate-controller'
import { CONTROLLERS, staticController } from './baselines'
import { analyse, type Analysis } from './metrics'
import { simulate, type RunResult } from './simulate'
import { evaluateTargets, type Reference, type TargetResult } from './targets'
import { loadTrace, type Trace } from './trace'

export const TRACES_DIR = path.join(__dirname, 'traces')
/** Recorded networks (converted Mahimahi recordings; README.md names their source and licence). */
export const RECORDED_DIR = path.join(TRACES_DIR, 'recorded')

/** Every `*.json` trace of a directory, in file-name order. */
export function loadTraces(dir: string): Trace[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadTrace(path.join(dir, f)))
}

/** The shipped suite: the synthetic traces, then the recorded ones. */
export function loadSuite(dir: string = TRACES_DIR): Trace[] {
  const recorded = path.join(dir, 'recorded')
  return [...loadTraces(dir), ...(existsSync(recorded) ? loadTraces(recorded) : [])]
}

export interface TraceRun {
  readonly trace: Trace
  readonly run: RunResult
  readonly analysis: Analysis
  readonly targets: readonly TargetResult[]
}

/** The `static` run of a trace, the reference of the targets against it. */
export function referenceRun(trace: Trace): Reference {
  const run = simulate(trace, staticController as BitrateController<unknown>)
  return { run, analysis: analyse(run) }
}

/**
 * One controller on one trace. `reference` (the static run, or a function that
 * makes it) is only simulated when a target against `static` applies.
 */
export function runOne(trace: Trace, controller: BitrateController<unknown>, reference: Reference | (() => Reference) = () => referenceRun(trace)): TraceRun {
  const isStatic = controller === (staticController as BitrateController<unknown>)
  const ref = isStatic && typeof reference === 'function' ? reference() : reference
  const run = isStatic ? (ref as Reference).run : simulate(trace, controller)
  const analysis = isStatic ? (ref as Reference).analysis : analyse(run)
  return { trace, run, analysis, targets: evaluateTargets(run, analysis, ref) }
}

/** Run one trace with every controller (the app's first). */
export function runTrace(trace: Trace, controllers: ReadonlyArray<BitrateController<unknown>> = CONTROLLERS): TraceRun[] {
  const reference = referenceRun(trace)
  return controllers.map((c) => runOne(trace, c, reference))
}
