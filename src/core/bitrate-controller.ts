/**
 * The app's uplink bitrate controller: a pure function of (state, observation,
 * preset) that decides the `<live-pusher>`'s `max-bitrate` ceiling.
 *
 * The pusher's engine runs its own fast rate control *under* this ceiling and
 * sees the network (per-packet feedback) far sooner and better than a
 * netstatus tick every ~2 s does. The benchmark (bench/bitrate, BENCHMARKS.md)
 * shows that no ceiling policy fed by netstatus beats the engine alone on what
 * a viewer feels, so this controller does as little as the product promises:
 * - it lowers the ceiling only when the pusher itself says the engine cannot
 *   keep up: state code 1101, or a send deficit (netSpeed, the send rate,
 *   below what the encoders produce) with frames piling up at the pusher
 *   (videoCache) on two ticks in a row; then to a fraction of what still
 *   gets out, so the engine does not re-probe a collapsed link and, at the
 *   preset minimum for 10 s, the audio-only offer fires;
 * - it moves nowhere else: never on one noisy tick, never on netJitter alone
 *   (the SDK itself calls it unreliable), never on a healthy link;
 * - on the first healthy tick (backlog gone, no deficit, no recent 1101) a few
 *   seconds after the cut it gives the ceiling back in one step, so the engine
 *   is free again: a low ceiling also holds back the engine's own probing, and
 *   each change can make the engine switch resolution on a phone (fewer
 *   changes, fewer switches).
 *
 * Everything is plain data: the state is serialisable, nothing reads a clock.
 */
import type { Preset } from './presets'
import type { NetStatus } from './netstatus'

/** The two bitrate attributes of `<live-pusher>`, kbps. */
export interface BitrateCeiling {
  readonly minBitrateKbps: number
  readonly maxBitrateKbps: number
}

/** One uplink observation: a pusher netstatus tick, or a pusher state code. */
export type ControllerInput =
  | { readonly kind: 'netstatus'; readonly atMs: number; readonly status: NetStatus }
  | { readonly kind: 'code'; readonly atMs: number; readonly code: number }

/**
 * Why the ceiling is what it is:
 * `init` start at the preset max · `hold` unchanged · `cut-deficit` lowered on a
 * send deficit with frames piling up · `cut-net-busy` lowered on 1101 ·
 * `recover` raised on a healthy link.
 */
export type DecisionReason = 'init' | 'hold' | 'cut-deficit' | 'cut-net-busy' | 'recover'

export interface ControllerDecision {
  readonly ceiling: BitrateCeiling
  readonly reason: DecisionReason
  /** The ceiling has sat at the preset minimum for ≥ 10 s: turning the camera off would keep the voice clear. */
  readonly audioOnlySuggested: boolean
}

/** A bitrate controller the store (and the benchmark) can swap. */
export interface BitrateController<S> {
  readonly name: string
  init(preset: Preset, atMs: number): { state: S; decision: ControllerDecision }
  step(state: S, input: ControllerInput, preset: Preset): { state: S; decision: ControllerDecision }
}

/** PUSH_WARNING_NET_BUSY: the uplink cannot keep up (platform-facts.md). */
export const PUSH_WARNING_NET_BUSY = 1101

/**
 * Tuning, chosen on the trace suite (`npm run bench:bitrate`); each note says
 * what bounds it.
 */
export const APP_CONTROLLER_TUNING = {
  /**
   * A tick shows the engine pressed when the send deficit (1 − netSpeed ÷
   * (videoBitrate + audioBitrate)) is at least this… A keyframe still queued
   * at the tick explains ~10 % on a 2 s tick.
   */
  pressedDeficit: 0.15,
  /** …with at least this many frames piled up at the pusher (a lone keyframe burst leaves fewer). */
  cacheCongested: 2,
  /** Without videoCache, netJitter at or above this on two ticks stands in for it. */
  jitterHigh: 40,
  /** The cut leaves the video this share of what got out after audio… */
  cutVideoShare: 0.85,
  /** …but never less than this share of the whole sent rate (small links, where audio is a big share). */
  cutTotalShare: 0.8,
  /** After a cut (by a tick or 1101), another 1101 this soon is the same congestion, not more of it. */
  netBusyCooldownMs: 4000,
  /** Without a recent netSpeed, a 1101 cuts by this factor; with one, the cut is at least this deep. */
  netBusyFallbackFactor: 0.75,
  /** A tick's netSpeed is usable for a 1101 cut for this long. */
  deliveredFreshMs: 5000,
  /** No reopening for this long after a 1101. */
  netBusyBlocksRaiseMs: 3000,
  /** Frames piled up that, even without a deficit, mean the link is not healthy yet. */
  cacheLoaded: 3,
  /** Healthy ticks in a row before the ceiling is given back (one: the tick shows the backlog gone and no deficit). */
  healthyTicksToReopen: 1,
  /**
   * The ceiling is given back no sooner than this after the last cut, but not
   * much later either: a low ceiling starves the engine's probing (it never
   * estimates far above what gets through), so every second held costs
   * utilization once the link is back (outage-10s-host in BENCHMARKS.md).
   */
  reopenAfterMs: 6000,
  /** Ceiling at the preset minimum this long ⇒ suggest audio only. */
  audioOnlyAfterMs: 10_000,
} as const

/** What the controller remembers of the previous netstatus tick. */
export interface PreviousTick {
  readonly atMs: number
  /** The tick showed the engine pressed (see APP_CONTROLLER_TUNING.pressedDeficit); false right after a cut. */
  readonly pressed: boolean
  readonly jitter: number | null
}

/** The app controller's state: plain, serialisable data. */
export interface AppControllerState {
  readonly ceilingKbps: number
  /** Time of init or of the last netstatus tick. */
  readonly lastTickAtMs: number
  readonly previous: PreviousTick | null
  readonly lastCutAtMs: number | null
  readonly lastNetBusyAtMs: number | null
  /** netSpeed and audioBitrate of the latest tick that had them, for a 1101 cut. */
  readonly delivered: { readonly atMs: number; readonly totalKbps: number; readonly audioKbps: number } | null
  readonly healthyStreak: number
  /** Since when the ceiling has sat at the preset minimum, or null. */
  readonly atFloorSinceMs: number | null
}

const T = APP_CONTROLLER_TUNING

function finite(value: number | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function clampCeiling(kbps: number, preset: Preset): number {
  return Math.round(Math.min(preset.maxBitrateKbps, Math.max(preset.minBitrateKbps, kbps)))
}

/** Ceiling after a cut: a fraction of what got out, never a fixed factor of the old ceiling. */
function cutTarget(sentKbps: number, audioKbps: number): number {
  return Math.max(T.cutVideoShare * (sentKbps - audioKbps), T.cutTotalShare * sentKbps)
}

function decide(
  state: AppControllerState,
  ceilingKbps: number,
  reason: DecisionReason,
  atMs: number,
  preset: Preset,
): { state: AppControllerState; decision: ControllerDecision } {
  // A cut that would leave less than one more cut's worth above the floor goes
  // to the floor: a last step of a few kbps would only add a change.
  const nearFloor = ceilingKbps < state.ceilingKbps && ceilingKbps * T.netBusyFallbackFactor < preset.minBitrateKbps
  const ceiling = nearFloor ? preset.minBitrateKbps : clampCeiling(ceilingKbps, preset)
  const lowered = ceiling < state.ceilingKbps
  const raised = ceiling > state.ceilingKbps
  const atFloor = ceiling <= preset.minBitrateKbps && preset.minBitrateKbps < preset.maxBitrateKbps
  const atFloorSinceMs = atFloor ? (state.atFloorSinceMs ?? atMs) : null
  const next: AppControllerState = {
    ...state,
    ceilingKbps: ceiling,
    lastCutAtMs: lowered ? atMs : state.lastCutAtMs,
    atFloorSinceMs,
  }
  return {
    state: next,
    decision: {
      ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: ceiling },
      reason: lowered || raised ? reason : 'hold',
      audioOnlySuggested: atFloorSinceMs !== null && atMs - atFloorSinceMs >= T.audioOnlyAfterMs,
    },
  }
}

function onNetBusy(state: AppControllerState, atMs: number, preset: Preset) {
  const marked: AppControllerState = { ...state, lastNetBusyAtMs: atMs, healthyStreak: 0 }
  // The pusher judges 1101 over the last seconds: right after our cut it still
  // reports the congestion the cut answered, and a second cut would overshoot.
  if (state.lastCutAtMs !== null && atMs - state.lastCutAtMs < T.netBusyCooldownMs) {
    return decide(marked, state.ceilingKbps, 'hold', atMs, preset)
  }
  const fresh = state.delivered !== null && atMs - state.delivered.atMs <= T.deliveredFreshMs ? state.delivered : null
  const fromSent = fresh ? cutTarget(fresh.totalKbps, fresh.audioKbps) : Infinity
  // The link is busy at the current ceiling, so the cut is at least the fallback factor.
  const target = Math.min(fromSent, state.ceilingKbps * T.netBusyFallbackFactor)
  const previous = state.previous ? { ...state.previous, pressed: false } : null
  return decide({ ...marked, previous }, target, 'cut-net-busy', atMs, preset)
}

function onNetStatus(state: AppControllerState, atMs: number, status: NetStatus, preset: Preset) {
  const video = finite(status.videoBitrate)
  const audio = finite(status.audioBitrate) ?? 0
  const sentKbps = finite(status.netSpeed)
  const cache = finite(status.videoCache)
  const jitter = finite(status.netJitter)
  const produced = video !== null ? video + audio : null
  // A missing field is never a deficit: without both sides there is nothing to compare.
  const deficit = produced !== null && produced > 0 && sentKbps !== null ? 1 - sentKbps / produced : null
  const prev = state.previous
  const jitterHighTwice = jitter !== null && jitter >= T.jitterHigh && prev?.jitter != null && prev.jitter >= T.jitterHigh
  /** Frames piling up at the pusher: it is the link that cannot take them. */
  const queueEvidence = cache !== null ? cache >= T.cacheCongested : jitterHighTwice
  const pressed = deficit !== null && deficit >= T.pressedDeficit && queueEvidence
  const sustained = pressed && prev !== null && prev.pressed
  const loaded = pressed || (cache !== null && cache >= T.cacheLoaded)
  const netBusyRecently = state.lastNetBusyAtMs !== null && atMs - state.lastNetBusyAtMs < T.netBusyBlocksRaiseMs
  const healthy = !loaded && !netBusyRecently

  const observed: AppControllerState = {
    ...state,
    lastTickAtMs: atMs,
    previous: { atMs, pressed, jitter },
    delivered: sentKbps !== null ? { atMs, totalKbps: sentKbps, audioKbps: audio } : state.delivered,
    healthyStreak: healthy ? state.healthyStreak + 1 : 0,
  }

  if (sustained && sentKbps !== null) {
    const target = cutTarget(sentKbps, audio)
    // Two more pressed ticks are needed for another cut: the next one still shows this congestion.
    if (target < state.ceilingKbps) return decide({ ...observed, previous: { atMs, pressed: false, jitter } }, target, 'cut-deficit', atMs, preset)
  }
  const sinceCutMs = state.lastCutAtMs === null ? Infinity : atMs - state.lastCutAtMs
  if (healthy && observed.healthyStreak >= T.healthyTicksToReopen && sinceCutMs >= T.reopenAfterMs && state.ceilingKbps < preset.maxBitrateKbps) {
    return decide(observed, preset.maxBitrateKbps, 'recover', atMs, preset)
  }
  return decide(observed, state.ceilingKbps, 'hold', atMs, preset)
}

/** The controller the app runs (the store's subscription) and the benchmark measures as `app`. */
export const appController: BitrateController<AppControllerState> = {
  name: 'app',
  init(preset, atMs) {
    const state: AppControllerState = {
      ceilingKbps: preset.maxBitrateKbps,
      lastTickAtMs: atMs,
      previous: null,
      lastCutAtMs: null,
      lastNetBusyAtMs: null,
      delivered: null,
      healthyStreak: 0,
      atFloorSinceMs: null,
    }
    return {
      state,
      decision: {
        ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: preset.maxBitrateKbps },
        reason: 'init',
        audioOnlySuggested: false,
      },
    }
  },
  step(state, input, preset) {
    if (input.kind === 'code') {
      if (input.code === PUSH_WARNING_NET_BUSY) return onNetBusy(state, input.atMs, preset)
      return decide(state, state.ceilingKbps, 'hold', input.atMs, preset)
    }
    return onNetStatus(state, input.atMs, input.status, preset)
  },
}
