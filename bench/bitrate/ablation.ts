/**
 * `v1`: the controller rules of the meeting-client issue, implemented
 * literally, for the "what made the difference" part of the report. Not a
 * baseline of issue 5 and not shipped in the app.
 *
 * - downgrade when netJitter is high on two ticks in a row together with a
 *   send deficit (netSpeed below what the encoder produces), or at once on 1101;
 * - recover stepwise, at most +8 %/s, when the link is healthy (two calm ticks).
 * The v1 text does not say how deep to cut; a fixed factor is the obvious reading.
 */
import type { BitrateController, ControllerDecision } from '../../src/core/bitrate-controller'
import type { NetStatus } from '../../src/core/netstatus'
import type { Preset } from '../../src/core/presets'

export const V1_RULES = {
  jitterHigh: 30,
  /** netSpeed below this share of the encoder output is a deficit. */
  deficitShare: 0.9,
  cutFactor: 0.75,
  recoverPerS: 0.08,
  calmTicks: 2,
} as const

export interface V1State {
  readonly ceilingKbps: number
  readonly badTicks: number
  readonly calmTicks: number
  readonly lastAtMs: number
}

function decision(preset: Preset, ceilingKbps: number, reason: ControllerDecision['reason']): ControllerDecision {
  return { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: ceilingKbps }, reason, audioOnlySuggested: false }
}

function clamp(kbps: number, preset: Preset): number {
  return Math.round(Math.min(preset.maxBitrateKbps, Math.max(preset.minBitrateKbps, kbps)))
}

function deficitOf(s: NetStatus): boolean {
  if (s.netSpeed === undefined || s.videoBitrate === undefined) return false
  return s.netSpeed < V1_RULES.deficitShare * (s.videoBitrate + (s.audioBitrate ?? 0))
}

export const v1Controller: BitrateController<V1State> = {
  name: 'v1',
  init: (preset, atMs) => ({
    state: { ceilingKbps: preset.maxBitrateKbps, badTicks: 0, calmTicks: 0, lastAtMs: atMs },
    decision: decision(preset, preset.maxBitrateKbps, 'init'),
  }),
  step(state, input, preset) {
    if (input.kind === 'code') {
      if (input.code !== 1101) return { state, decision: decision(preset, state.ceilingKbps, 'hold') }
      const ceilingKbps = clamp(state.ceilingKbps * V1_RULES.cutFactor, preset)
      return { state: { ...state, ceilingKbps, calmTicks: 0 }, decision: decision(preset, ceilingKbps, ceilingKbps < state.ceilingKbps ? 'cut-net-busy' : 'hold') }
    }
    const s = input.status
    const jitterHigh = s.netJitter !== undefined && s.netJitter >= V1_RULES.jitterHigh
    const bad = jitterHigh && deficitOf(s)
    const badTicks = bad ? state.badTicks + 1 : 0
    const calmTicks = !jitterHigh && !deficitOf(s) ? state.calmTicks + 1 : 0
    const base = { ...state, badTicks, calmTicks, lastAtMs: input.atMs }
    if (badTicks >= 2) {
      const ceilingKbps = clamp(state.ceilingKbps * V1_RULES.cutFactor, preset)
      return { state: { ...base, ceilingKbps, badTicks: 0 }, decision: decision(preset, ceilingKbps, ceilingKbps < state.ceilingKbps ? 'cut-deficit' : 'hold') }
    }
    if (calmTicks >= V1_RULES.calmTicks && state.ceilingKbps < preset.maxBitrateKbps) {
      const dtS = Math.min(input.atMs - state.lastAtMs, 2500) / 1000
      const ceilingKbps = clamp(Math.floor(state.ceilingKbps * Math.pow(1 + V1_RULES.recoverPerS, dtS)), preset)
      return { state: { ...base, ceilingKbps }, decision: decision(preset, ceilingKbps, 'recover') }
    }
    return { state: base, decision: decision(preset, state.ceilingKbps, 'hold') }
  },
}
