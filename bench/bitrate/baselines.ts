/**
 * Baselines measured next to the app's controller, through the same
 * BitrateController interface.
 */
import { appController, type BitrateController, type ControllerDecision } from '../../src/core/bitrate-controller'
import type { Preset } from '../../src/core/presets'

function decisionFor(preset: Preset, maxBitrateKbps: number, reason: ControllerDecision['reason']): ControllerDecision {
  return { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps }, reason, audioOnlySuggested: false }
}

/** `static`: the ceiling fixed at the preset max; the engine alone adapts. */
export const staticController: BitrateController<null> = {
  name: 'static',
  init: (preset) => ({ state: null, decision: decisionFor(preset, preset.maxBitrateKbps, 'init') }),
  step: (state, _input, preset) => ({ state, decision: decisionFor(preset, preset.maxBitrateKbps, 'hold') }),
}

export const NAIVE_TUNING = {
  /** netJitter above this is "bad". */
  jitterThreshold: 30,
  /** Calm ticks before the ceiling is restored to the preset max. */
  calmTicksToRestore: 5,
} as const

export interface NaiveState {
  readonly ceilingKbps: number
  readonly calmTicks: number
}

/** `naive`: halve the ceiling when netJitter exceeds a threshold, restore the max after N calm ticks. */
export const naiveController: BitrateController<NaiveState> = {
  name: 'naive',
  init: (preset) => ({
    state: { ceilingKbps: preset.maxBitrateKbps, calmTicks: 0 },
    decision: decisionFor(preset, preset.maxBitrateKbps, 'init'),
  }),
  step(state, input, preset) {
    if (input.kind !== 'netstatus') return { state, decision: decisionFor(preset, state.ceilingKbps, 'hold') }
    const jitter = input.status.netJitter
    if (typeof jitter === 'number' && jitter > NAIVE_TUNING.jitterThreshold) {
      const ceilingKbps = Math.max(preset.minBitrateKbps, Math.round(state.ceilingKbps / 2))
      return {
        state: { ceilingKbps, calmTicks: 0 },
        decision: decisionFor(preset, ceilingKbps, ceilingKbps < state.ceilingKbps ? 'cut-deficit' : 'hold'),
      }
    }
    const calmTicks = state.calmTicks + 1
    if (calmTicks >= NAIVE_TUNING.calmTicksToRestore && state.ceilingKbps < preset.maxBitrateKbps) {
      return { state: { ceilingKbps: preset.maxBitrateKbps, calmTicks }, decision: decisionFor(preset, preset.maxBitrateKbps, 'recover') }
    }
    return { state: { ceilingKbps: state.ceilingKbps, calmTicks }, decision: decisionFor(preset, state.ceilingKbps, 'hold') }
  },
}

/** Every controller the benchmark runs, the app's first. */
export const CONTROLLERS: ReadonlyArray<BitrateController<unknown>> = [
  appController as BitrateController<unknown>,
  staticController as BitrateController<unknown>,
  naiveController as BitrateController<unknown>,
]
