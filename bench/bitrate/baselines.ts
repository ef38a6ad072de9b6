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

/**
 * `gcc-like`: the best simple idea at the application level, the shape of
 * GCC's loss/rate-based controller (draft-ietf-rmcat-gcc §6, libwebrtc
 * aimd_rate_control) fed with what a netstatus carries:
 * - the link takes less than we produce (netSpeed, the send rate, below
 *   `deficitShare` × (videoBitrate + audioBitrate)) or 1101 → multiplicative
 *   decrease to `decreaseFactor` × what was sent, minus audio;
 * - the link takes it all (netSpeed ≥ `healthyShare` × produced) → increase
 *   by `increasePerS`, compounded over the time since the last tick;
 * - in between, or on the tick right after a decrease, hold.
 */
export const GCC_LIKE_TUNING = {
  deficitShare: 0.85,
  healthyShare: 0.95,
  decreaseFactor: 0.85,
  increasePerS: 0.08,
  /** A gap between ticks longer than this does not make a bigger raise. */
  maxRaiseDtMs: 2500,
} as const

export interface GccLikeState {
  readonly ceilingKbps: number
  readonly lastTickAtMs: number
  /** Last netSpeed and audioBitrate seen, for a 1101 decrease. */
  readonly sentKbps: number | null
  readonly audioKbps: number
  /** The previous input decreased: hold once so its effect can show. */
  readonly justDecreased: boolean
}

const finiteOrNull = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export const gccLikeController: BitrateController<GccLikeState> = {
  name: 'gcc-like',
  init: (preset, atMs) => ({
    state: { ceilingKbps: preset.maxBitrateKbps, lastTickAtMs: atMs, sentKbps: null, audioKbps: 0, justDecreased: false },
    decision: decisionFor(preset, preset.maxBitrateKbps, 'init'),
  }),
  step(state, input, preset) {
    const G = GCC_LIKE_TUNING
    const clamp = (kbps: number) => Math.round(Math.min(preset.maxBitrateKbps, Math.max(preset.minBitrateKbps, kbps)))
    const decrease = (from: number, reason: ControllerDecision['reason'], next: GccLikeState) => {
      const ceilingKbps = Math.min(state.ceilingKbps, clamp(G.decreaseFactor * from - next.audioKbps))
      return {
        state: { ...next, ceilingKbps, justDecreased: ceilingKbps < state.ceilingKbps },
        decision: decisionFor(preset, ceilingKbps, ceilingKbps < state.ceilingKbps ? reason : 'hold'),
      }
    }
    if (input.kind === 'code') {
      if (input.code !== 1101) return { state, decision: decisionFor(preset, state.ceilingKbps, 'hold') }
      return decrease(state.sentKbps ?? state.ceilingKbps + state.audioKbps, 'cut-net-busy', state)
    }
    const video = finiteOrNull(input.status.videoBitrate)
    const audio = finiteOrNull(input.status.audioBitrate) ?? 0
    const sent = finiteOrNull(input.status.netSpeed)
    const next: GccLikeState = { ...state, lastTickAtMs: input.atMs, sentKbps: sent ?? state.sentKbps, audioKbps: audio, justDecreased: false }
    const hold = { state: next, decision: decisionFor(preset, state.ceilingKbps, 'hold') }
    if (video === null || sent === null || video + audio <= 0) return hold
    const produced = video + audio
    if (sent < G.deficitShare * produced && !state.justDecreased) return decrease(sent, 'cut-deficit', next)
    if (sent >= G.healthyShare * produced && !state.justDecreased && state.ceilingKbps < preset.maxBitrateKbps) {
      const dtS = Math.min(Math.max(input.atMs - state.lastTickAtMs, 0), G.maxRaiseDtMs) / 1000
      const ceilingKbps = clamp(Math.floor(state.ceilingKbps * Math.pow(1 + G.increasePerS, dtS)))
      return { state: { ...next, ceilingKbps }, decision: decisionFor(preset, ceilingKbps, ceilingKbps > state.ceilingKbps ? 'recover' : 'hold') }
    }
    return hold
  },
}

/** Every controller the benchmark runs, the app's first. */
export const CONTROLLERS: ReadonlyArray<BitrateController<unknown>> = [
  appController as BitrateController<unknown>,
  staticController as BitrateController<unknown>,
  gccLikeController as BitrateController<unknown>,
  naiveController as BitrateController<unknown>,
]
