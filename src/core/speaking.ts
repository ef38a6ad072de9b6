/**
 * Who is speaking: pure policy for audio-level ticks (`bindaudiovolumenotify`
 * on the pusher and the players; a Web Audio level in the browser), all on
 * one 0..100 scale.
 *
 * Three decisions, each with its own memory kept by the caller
 * (src/services/speaking.ts), never in the render store:
 * - a level bucket (0..4) with hysteresis, so a level hovering on a border
 *   does not flip the volume bar;
 * - a "speaking" flag with an onset and a release hold (a voice is speech
 *   after ~300 ms above the threshold and stays speech across the pauses
 *   between words, ~800 ms), the same idea as livekit's `isSpeaking` /
 *   `ActiveSpeakersChanged` smoothing and jitsi's dominant-speaker detection,
 *   with our own numbers, chosen for WeChat's tick of a few hundred ms;
 * - a throttle: what the render layer sees changes at most once per
 *   {@link VOICE.minPublishIntervalMs} per tile and only when it differs.
 * And the active (dominant) speaker among the remotes, held ≥ 5 s.
 */

/** The tunables, one home (habit 2). Times in ms, levels on the 0..100 scale. */
export const VOICE = {
  /** At or above this level a tick counts as voice. Background hiss and fan noise stay well under it. */
  speakingLevel: 15,
  /** Voice must last this long before the tile says "speaking" (a cough or a click does not). */
  onsetMs: 300,
  /** Silence must last this long before "speaking" ends (pauses between words do not end it). */
  releaseMs: 800,
  /** A subject whose ticks stop (player unmounted, stream gone) is silent after this long. */
  staleMs: 1500,
  /** The render layer gets at most one change per tile per this interval (≤ 4 per second). */
  minPublishIntervalMs: 250,
  /** How far (in level) below a bucket's floor a level must fall before the bar drops a bucket. */
  hysteresis: 5,
  /** The active speaker keeps the place at least this long before another takes it. */
  activeHoldMs: 5000,
} as const

/** The volume bar's floors: bucket n when the level is at least `VOLUME_BUCKET_FLOORS[n]`. */
export const VOLUME_BUCKET_FLOORS = [0, 8, 25, 45, 65] as const

/** 0 (silent) … 4 (loud): what the tile's `tile__volume--N` class shows. */
export type VolumeBucket = 0 | 1 | 2 | 3 | 4

/** What a tile renders for one subject. */
export interface VoiceView {
  readonly bucket: VolumeBucket
  readonly speaking: boolean
}

export const SILENT: VoiceView = { bucket: 0, speaking: false }

/** The policy's memory for one subject (self or one remote). */
export interface VoiceState {
  /** The current decision, unthrottled. */
  readonly decided: VoiceView
  /** What the render layer was last given, and when (null: never). */
  readonly shown: VoiceView
  readonly shownAtMs: number | null
  /** The last tick's level, for picking the loudest speaker. */
  readonly level: number
  /** When the current run of voice ticks started (null: the last tick was quiet). */
  readonly voiceSinceMs: number | null
  readonly lastVoiceMs: number | null
  readonly lastTickMs: number | null
}

export const initialVoice: VoiceState = {
  decided: SILENT,
  shown: SILENT,
  shownAtMs: null,
  level: 0,
  voiceSinceMs: null,
  lastVoiceMs: null,
  lastTickMs: null,
}

/**
 * A level from an event: a finite number clamped into 0..100, rounded; `null`
 * for anything else (a string, NaN, an object), which the caller ignores.
 */
export function toVolumeLevel(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  return Math.round(Math.min(100, Math.max(0, value)))
}

/** The bucket a level falls in, without memory. */
export function bucketOf(level: number): VolumeBucket {
  let bucket = 0
  for (let n = 1; n < VOLUME_BUCKET_FLOORS.length; n++) if (level >= VOLUME_BUCKET_FLOORS[n]) bucket = n
  return bucket as VolumeBucket
}

/**
 * The bucket after `previous`, given a new level: up at once when the level
 * reaches a higher floor; down only when it is {@link VOICE.hysteresis}
 * below the current floor, and then to where it (plus the margin) lands.
 */
export function nextBucket(previous: VolumeBucket, level: number): VolumeBucket {
  const plain = bucketOf(level)
  if (plain >= previous) return plain
  return Math.min(previous, bucketOf(level + VOICE.hysteresis)) as VolumeBucket
}

function sameView(a: VoiceView, b: VoiceView): boolean {
  return a.bucket === b.bucket && a.speaking === b.speaking
}

/** What one step decided. */
export interface VoiceStep {
  readonly state: VoiceState
  /** The view to hand to the render layer now, or null (unchanged, or throttled). */
  readonly publish: VoiceView | null
  /** Call {@link voiceTimePassed} at this time (null: nothing pending). */
  readonly wakeAtMs: number | null
}

function decideSpeaking(previous: boolean, s: Pick<VoiceState, 'voiceSinceMs' | 'lastVoiceMs'>, atMs: number): boolean {
  if (previous) return s.lastVoiceMs !== null && atMs - s.lastVoiceMs < VOICE.releaseMs
  return s.voiceSinceMs !== null && atMs - s.voiceSinceMs >= VOICE.onsetMs
}

/** Publish the decision unless it is unchanged or the throttle holds it back; say when to look again. */
function settle(state: VoiceState, decided: VoiceView, atMs: number): VoiceStep {
  let next: VoiceState = { ...state, decided }
  let publish: VoiceView | null = null
  let throttledUntil: number | null = null
  if (!sameView(decided, state.shown)) {
    const openAt = state.shownAtMs === null ? atMs : state.shownAtMs + VOICE.minPublishIntervalMs
    if (atMs >= openAt) {
      publish = decided
      next = { ...next, shown: decided, shownAtMs: atMs }
    } else {
      throttledUntil = openAt
    }
  }
  const wakes: number[] = []
  if (throttledUntil !== null) wakes.push(throttledUntil)
  // Speaking ends by the release hold even if no quiet tick comes.
  if (decided.speaking && next.lastVoiceMs !== null) wakes.push(next.lastVoiceMs + VOICE.releaseMs)
  // Ticks that stop (player unmounted, stream gone) would leave the bar up: the stale deadline silences it.
  if ((decided.bucket > 0 || decided.speaking) && next.lastTickMs !== null) wakes.push(next.lastTickMs + VOICE.staleMs)
  const future = wakes.filter((w) => w > atMs)
  return { state: next, publish, wakeAtMs: future.length > 0 ? Math.min.apply(null, future) : null }
}

/** One level tick for a subject. */
export function voiceTick(state: VoiceState, level: number, atMs: number): VoiceStep {
  const voice = level >= VOICE.speakingLevel
  const memory = {
    level,
    lastTickMs: atMs,
    voiceSinceMs: voice ? state.voiceSinceMs ?? atMs : null,
    lastVoiceMs: voice ? atMs : state.lastVoiceMs,
  }
  const decided: VoiceView = {
    bucket: nextBucket(state.decided.bucket, level),
    speaking: decideSpeaking(state.decided.speaking, memory, atMs),
  }
  return settle({ ...state, ...memory }, decided, atMs)
}

/** Time passed with no tick (the wake the last step asked for). */
export function voiceTimePassed(state: VoiceState, atMs: number): VoiceStep {
  const stale = state.lastTickMs === null || atMs - state.lastTickMs >= VOICE.staleMs
  const memory = stale ? { level: 0, voiceSinceMs: null } : {}
  const s = { ...state, ...memory }
  const decided: VoiceView = {
    bucket: stale ? 0 : state.decided.bucket,
    speaking: stale ? false : decideSpeaking(state.decided.speaking, s, atMs),
  }
  return settle(s, decided, atMs)
}

/** The active (dominant) speaker and since when. */
export interface ActiveSpeaker {
  readonly id: string
  readonly sinceMs: number
}

/** A remote's current voice, for choosing the active speaker. */
export interface SpeakerCandidate {
  readonly id: string
  readonly speaking: boolean
  readonly level: number
}

/**
 * The active speaker after this moment: the loudest remote that is speaking
 * (ties: the current one, then the earlier in the list). It keeps the place
 * for at least {@link VOICE.activeHoldMs}, and after that as long as nobody
 * else speaks (a silent room keeps the last speaker, as Zoom does). Someone
 * who is no longer a candidate (left) loses it at once.
 */
export function nextActiveSpeaker(
  current: ActiveSpeaker | null,
  candidates: readonly SpeakerCandidate[],
  atMs: number,
): ActiveSpeaker | null {
  const present = current !== null && candidates.some((c) => c.id === current.id) ? current : null
  const loudest = candidates.reduce<SpeakerCandidate | null>(
    (best, c) => (c.speaking && (best === null || c.level > best.level || (c.level === best.level && c.id === present?.id)) ? c : best),
    null,
  )
  if (loudest === null) return present
  if (present === null) return { id: loudest.id, sinceMs: atMs }
  if (loudest.id === present.id) return present
  if (atMs - present.sinceMs < VOICE.activeHoldMs) return present
  return { id: loudest.id, sinceMs: atMs }
}

/**
 * Who is brought onto the first page, and who waits to be. A speaker is
 * only heard (and measured) while their player is mounted, i.e. while the
 * viewer looks at their page; moving them off that page at once would take
 * their tile, and their voice, away from under the viewer. So a speaker from
 * a later page is remembered (`pending`) and brought onto the first page
 * when the viewer is there (at once if they already are). Someone already on
 * the first page speaking changes nothing (the brought-in speaker keeps the
 * place). The order is the same on every page, so everyone stays reachable.
 */
export interface FeaturedSpeaker {
  readonly featured: string | null
  readonly pending: string | null
}

export const noFeatured: FeaturedSpeaker = { featured: null, pending: null }

export interface FeaturedInput {
  /** The active speaker (already held ≥ {@link VOICE.activeHoldMs}). */
  readonly activeId: string | null
  /** The remote order as joined (not arranged). */
  readonly order: readonly string[]
  readonly pageSize: number
  /** The page the viewer looks at (0-based, clamped). */
  readonly viewedPage: number
}

export function nextFeatured(state: FeaturedSpeaker, input: FeaturedInput): FeaturedSpeaker {
  const { activeId, order, pageSize, viewedPage } = input
  if (!(pageSize >= 1) || order.length <= pageSize) return state.featured === null && state.pending === null ? state : noFeatured
  const present = (id: string | null) => (id !== null && order.includes(id) ? id : null)
  let featured = present(state.featured)
  let pending = present(state.pending)
  if (activeId !== null && activeId !== featured && order.indexOf(activeId) >= pageSize) pending = activeId
  if (viewedPage === 0 && pending !== null) {
    featured = pending
    pending = null
  }
  return featured === state.featured && pending === state.pending ? state : { featured, pending }
}

/**
 * The remote order as the grid pages it, with the featured speaker
 * ({@link nextFeatured}) on the first page. Tiles never reshuffle: a speaker
 * from a later page swaps with the last tile of the first page (everyone
 * else stays put, and the swapped tile takes the speaker's old slot).
 * Nothing changes when everyone fits on one page. Returns `order` itself
 * when nothing changes.
 */
export function arrangeForSpeaker(order: readonly string[], pageSize: number, featuredId: string | null): readonly string[] {
  if (featuredId === null || !(pageSize >= 1) || order.length <= pageSize) return order
  const at = order.indexOf(featuredId)
  if (at < pageSize) return order
  const arranged = order.slice()
  arranged[at] = order[pageSize - 1]
  arranged[pageSize - 1] = featuredId
  return arranged
}
