/**
 * Evidence for the one target no controller meets (`late-vs-static`): what
 * ceilings that no netstatus-fed controller could beat achieve on the recorded
 * traces. Bench-only, never run by the app, and not baselines: the "oracle"
 * reads the trace's true capacity, which no phone knows.
 * - `fixed-K`: the ceiling pinned at K kbps for the whole trace (the best
 *   constant ceiling, chosen in hindsight, is among them);
 * - `oracle-S`: at every input the ceiling is S × the true capacity at that
 *   moment, minus audio: a perfect, instant capacity estimate, changed as
 *   often as the inputs come (far more than twice a minute).
 */
import type { BitrateController, ControllerDecision } from '../../src/core/bitrate-controller'
import type { Preset } from '../../src/core/presets'
import { AUDIO_KBPS } from './pusher'
import { valueAt, type Trace } from './trace'

function ceiling(preset: Preset, kbps: number): ControllerDecision {
  const max = Math.round(Math.min(preset.maxBitrateKbps, Math.max(preset.minBitrateKbps, kbps)))
  return { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: max }, reason: 'hold', audioOnlySuggested: false }
}

export function fixedCeiling(kbps: number): BitrateController<null> {
  return {
    name: `fixed-${kbps}`,
    init: (preset) => ({ state: null, decision: ceiling(preset, kbps) }),
    step: (state, _input, preset) => ({ state, decision: ceiling(preset, kbps) }),
  }
}

export function oracleCeiling(trace: Trace, share: number): BitrateController<null> {
  const at = (preset: Preset, atMs: number) => ceiling(preset, share * valueAt(trace.capacityKbps, atMs / 1000) - AUDIO_KBPS[preset.audioQuality])
  return {
    name: `oracle-${share}`,
    init: (preset, atMs) => ({ state: null, decision: at(preset, atMs) }),
    step: (state, input, preset) => ({ state, decision: at(preset, input.atMs) }),
  }
}

export const EVIDENCE_FIXED_KBPS = [900, 800, 700, 600, 500, 400] as const
export const EVIDENCE_ORACLE_SHARES = [1, 0.9, 0.8, 0.7] as const

export function evidenceControllers(trace: Trace): Array<BitrateController<unknown>> {
  return [
    ...EVIDENCE_FIXED_KBPS.map((k) => fixedCeiling(k) as BitrateController<unknown>),
    ...EVIDENCE_ORACLE_SHARES.map((s) => oracleCeiling(trace, s) as BitrateController<unknown>),
  ]
}
