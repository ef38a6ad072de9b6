/**
 * The app's uplink bitrate controller: a pure function of (state, observation,
 * preset) that decides the `<live-pusher>`'s `max-bitrate` ceiling.
 *
 * The pusher's engine runs its own fast rate control *under* this ceiling, so
 * the ceiling is a guard rail, not a second rate controller:
 * - it is cut quickly, to a fraction of the rate that actually gets through,
 *   when the uplink collapses (a send deficit corroborated by frames piling up
 *   at the pusher, or state code 1101);
 * - it never moves on a healthy link where the engine is not pressing against
 *   it ("never fight the engine");
 * - it reopens multiplicatively once the link is healthy and the encoder is
 *   pinned at the ceiling: carefully (≤ 8 %/s) right after a cut, faster when
 *   the last cut is long ago.
 *
 * netJitter alone never cuts: the SDK itself calls it unreliable, and the
 * benchmark (bench/bitrate, BENCHMARKS.md) shows single-tick spikes in it on
 * perfectly good links. It only stands in for videoCache when that is missing.
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
 * Tuning. The values were chosen on the trace suite of issue 5
 * (`npm run bench:bitrate`); each note says what bounds it.
 */
export const APP_CONTROLLER_TUNING = {
  /**
   * A single tick cuts only with at least this send deficit (1 − netSpeed ÷
   * encoder output). A keyframe burst still queued at the tick explains up to
   * ~20 % at 15 fps on a 1 s tick, a 5 % random loss another 5 %.
   */
  strongDeficit: 0.25,
  /**
   * …or this deficit with at least cacheCollapsed frames piled up: a full
   * queue, more than a keyframe burst leaves behind.
   */
  strongDeficitWithFullQueue: 0.2,
  cacheCollapsed: 4,
  /** Two consecutive ticks at this deficit, with frames piling up, also cut (keyframe bursts do not persist). */
  persistentDeficit: 0.12,
  /** videoCache (frames piled up at the pusher) at which a deficit is congestion, not random loss. */
  cacheCongested: 2,
  /**
   * Raising stops while the link is loaded: this many frames piled up, or
   * cacheCongested with at least refineDeficit of deficit. A lone keyframe
   * burst (2 frames, no deficit) does not stop it.
   */
  cacheLoaded: 3,
  /** On the tick after a cut, a deficit this big means the link is still saturated: netSpeed is its capacity. */
  refineDeficit: 0.05,
  /** Without videoCache, netJitter at or above this on two ticks stands in for it (v1 rule). */
  jitterHigh: 40,
  /** The cut leaves the video this share of what got through after audio… */
  cutVideoShare: 0.85,
  /** …but never less than this share of the whole delivered rate (small links, where audio is a big share). */
  cutTotalShare: 0.8,
  /** A refinement must lower the ceiling by at least this factor, so it never dithers. */
  refineMinStep: 0.93,
  /**
   * Random loss shows as a send deficit with nothing queued. Ticks with
   * videoCache ≤ this feed an average of that "loss floor", which is taken off
   * the deficit before it is judged, so a lossy but uncongested link is not cut.
   */
  lossFloorCache: 1,
  lossFloorWeight: 0.2,
  lossFloorMax: 0.3,
  /** 1101 after this long since the last cut means our cut was not enough. */
  netBusyCooldownMs: 2000,
  /** Without a recent netSpeed, a 1101 cuts by this factor. */
  netBusyFallbackFactor: 0.75,
  /** A recent tick's netSpeed is usable for a 1101 cut for this long. */
  deliveredFreshMs: 3000,
  /** No raise for this long after a 1101. */
  netBusyBlocksRaiseMs: 3000,
  /** Healthy ticks in a row before a raise: one good tick changes nothing. */
  healthyTicksToRaise: 2,
  /** The encoder is "pinned" at the ceiling (the ceiling is what limits it) above this share. */
  pinnedShare: 0.9,
  /** Right after a cut the ceiling reopens carefully… */
  carefulWindowMs: 5000,
  carefulRatePerS: 0.08,
  /** …afterwards, with the encoder pinned on a healthy link, faster (a 3× capacity step in < 15 s). */
  fastRatePerS: 0.2,
  /**
   * Long after the last cut, a link healthy for this many ticks in a row is
   * reopened even if the engine is not at the ceiling yet, so the ceiling is
   * out of the way when capacity comes back.
   */
  reopenAfterMs: 10_000,
  healthyTicksToReopen: 3,
  /** A gap between ticks longer than this does not make a bigger raise. */
  maxRaiseDtMs: 2500,
  /** Ceiling at the preset minimum this long ⇒ suggest audio only. */
  audioOnlyAfterMs: 10_000,
} as const

/** What the controller remembers of the previous netstatus tick. */
export interface PreviousTick {
  readonly atMs: number
  /** 1 − delivered ÷ sent, or null when either was missing. */
  readonly deficit: number | null
  readonly cache: number | null
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
  /** The previous decision raised the ceiling: keep opening while the link stays healthy. */
  readonly opening: boolean
  /**
   * The previous input cut (a tick or 1101): the next tick may refine the cut
   * once. A cutting tick averages pre- and post-drop delivery; if the link is
   * still saturated on the next one, its netSpeed is the capacity itself.
   */
  readonly refinable: boolean
  /** Average send deficit on ticks with nothing queued: random loss, not congestion. */
  readonly lossFloor: number
  /** Ticks that fed lossFloor so far (a plain mean until there are enough for the moving average). */
  readonly lossSamples: number
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

/**
 * Ceiling after a cut: a fraction of what got through (scaled up by the random
 * loss the link shows anyway), never a fixed factor of the old ceiling.
 */
function cutTarget(deliveredKbps: number, audioKbps: number, lossFloor: number): number {
  const capacity = deliveredKbps / (1 - lossFloor)
  return Math.max(T.cutVideoShare * (capacity - audioKbps), T.cutTotalShare * capacity)
}

function decide(
  state: AppControllerState,
  ceilingKbps: number,
  reason: DecisionReason,
  atMs: number,
  preset: Preset,
): { state: AppControllerState; decision: ControllerDecision } {
  const ceiling = clampCeiling(ceilingKbps, preset)
  const lowered = ceiling < state.ceilingKbps
  const raised = ceiling > state.ceilingKbps
  const atFloor = ceiling <= preset.minBitrateKbps && preset.minBitrateKbps < preset.maxBitrateKbps
  const atFloorSinceMs = atFloor ? (state.atFloorSinceMs ?? atMs) : null
  const next: AppControllerState = {
    ...state,
    ceilingKbps: ceiling,
    lastCutAtMs: lowered ? atMs : state.lastCutAtMs,
    opening: raised,
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
  // The queue was over half full for 2 s: if we cut less than 2 s ago, that cut
  // has not shown yet; a second one would overshoot.
  if (state.lastCutAtMs !== null && atMs - state.lastCutAtMs < T.netBusyCooldownMs) {
    return decide(marked, state.ceilingKbps, 'hold', atMs, preset)
  }
  const fresh = state.delivered !== null && atMs - state.delivered.atMs <= T.deliveredFreshMs ? state.delivered : null
  const fromDelivered = fresh ? cutTarget(fresh.totalKbps, fresh.audioKbps, state.lossFloor) : Infinity
  // The link is still busy at the current ceiling, so the cut is at least the fallback factor.
  const target = Math.min(fromDelivered, state.ceilingKbps * T.netBusyFallbackFactor)
  return decide({ ...marked, refinable: true }, target, 'cut-net-busy', atMs, preset)
}

function onNetStatus(state: AppControllerState, atMs: number, status: NetStatus, preset: Preset) {
  const video = finite(status.videoBitrate)
  const audio = finite(status.audioBitrate) ?? 0
  const delivered = finite(status.netSpeed)
  const cache = finite(status.videoCache)
  const jitter = finite(status.netJitter)
  const sent = video !== null ? video + audio : null
  // A missing field is never a deficit: without both sides there is nothing to compare.
  const rawDeficit = sent !== null && sent > 0 && delivered !== null ? 1 - delivered / sent : null
  const nothingQueued = cache !== null && cache <= T.lossFloorCache
  const feedsLossFloor = rawDeficit !== null && nothingQueued
  const lossWeight = Math.max(T.lossFloorWeight, 1 / (state.lossSamples + 1))
  const lossFloor = feedsLossFloor
    ? Math.min(T.lossFloorMax, Math.max(0, state.lossFloor + lossWeight * (rawDeficit - state.lossFloor)))
    : state.lossFloor
  /** The deficit random loss does not explain. */
  const deficit = rawDeficit === null ? null : rawDeficit - state.lossFloor
  const prev = state.previous

  const jitterHighTwice = jitter !== null && jitter >= T.jitterHigh && prev?.jitter != null && prev.jitter >= T.jitterHigh
  /** Frames piling up: the deficit is congestion, not random loss. */
  const queueEvidence = cache !== null ? cache >= T.cacheCongested : jitterHighTwice
  const strong =
    deficit !== null &&
    ((deficit >= T.strongDeficit && queueEvidence) || (deficit >= T.strongDeficitWithFullQueue && cache !== null && cache >= T.cacheCollapsed))
  // Persistent: two ticks in a row with a deficit and frames piling up (keyframe
  // bursts and random loss never do both twice).
  const prevQueueEvidence = cache !== null ? prev?.cache != null && prev.cache >= T.cacheCongested : jitterHighTwice
  const persistent =
    deficit !== null &&
    deficit >= T.persistentDeficit &&
    prev?.deficit != null &&
    prev.deficit >= T.persistentDeficit &&
    queueEvidence &&
    prevQueueEvidence
  const deficitOver = (limit: number) => deficit !== null && deficit >= limit
  const loaded =
    cache !== null
      ? cache >= T.cacheLoaded || (cache >= T.cacheCongested && deficitOver(T.refineDeficit))
      : deficitOver(T.persistentDeficit) && jitterHighTwice
  const netBusyRecently = state.lastNetBusyAtMs !== null && atMs - state.lastNetBusyAtMs < T.netBusyBlocksRaiseMs
  const healthy = !loaded && !netBusyRecently

  const observed: AppControllerState = {
    ...state,
    lastTickAtMs: atMs,
    previous: { atMs, deficit, cache, jitter },
    delivered: delivered !== null ? { atMs, totalKbps: delivered, audioKbps: audio } : state.delivered,
    healthyStreak: healthy ? state.healthyStreak + 1 : 0,
    lossFloor,
    lossSamples: feedsLossFloor ? state.lossSamples + 1 : state.lossSamples,
    refinable: false,
  }

  if ((strong || persistent) && delivered !== null) {
    const target = cutTarget(delivered, audio, state.lossFloor)
    if (target < state.ceilingKbps) return decide({ ...observed, refinable: true }, target, 'cut-deficit', atMs, preset)
  }
  // Refine the previous input's cut (see AppControllerState.refinable).
  if (state.refinable && delivered !== null && (loaded || deficitOver(T.refineDeficit))) {
    const target = cutTarget(delivered, audio, state.lossFloor)
    if (target <= state.ceilingKbps * T.refineMinStep) {
      return decide({ ...observed, refinable: false }, target, 'cut-deficit', atMs, preset)
    }
  }
  if (!healthy) return decide(observed, state.ceilingKbps, 'hold', atMs, preset)

  const sinceCutMs = state.lastCutAtMs === null ? Infinity : atMs - state.lastCutAtMs

  // Raise when the ceiling is what holds the encoder back, when we are already
  // reopening, or when the link has long been healthy since the last cut; an
  // engine below a ceiling on a link that was just cut needs nothing from us.
  const pinned = video === null || video >= T.pinnedShare * state.ceilingKbps
  const settledHealthy = sinceCutMs >= T.reopenAfterMs && observed.healthyStreak >= T.healthyTicksToReopen
  if (
    observed.healthyStreak >= T.healthyTicksToRaise &&
    (pinned || state.opening || settledHealthy) &&
    state.ceilingKbps < preset.maxBitrateKbps
  ) {
    const ratePerS = sinceCutMs < T.carefulWindowMs ? T.carefulRatePerS : T.fastRatePerS
    const dtS = Math.min(Math.max(atMs - state.lastTickAtMs, 0), T.maxRaiseDtMs) / 1000
    // Round down so the raise never exceeds the rate limit.
    const raised = Math.floor(state.ceilingKbps * Math.pow(1 + ratePerS, dtS))
    return decide({ ...observed, refinable: false }, Math.min(raised, preset.maxBitrateKbps), 'recover', atMs, preset)
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
      opening: false,
      refinable: false,
      lossFloor: 0,
      lossSamples: 0,
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
