import { eventDetail, isPlainObject } from './wechat-event'

/**
 * `bindnetstatus` statistics of `<live-pusher>` / `<live-player>` (`e.detail.info`).
 * Every field is optional: WeChat versions and platforms omit some, and a
 * missing value must never be mistaken for a zero (a missing netSpeed is not
 * a dead uplink).
 */
export interface NetStatus {
  /** kbps the video encoder (pusher) or decoder (player) produces. */
  readonly videoBitrate?: number
  /** kbps of audio. */
  readonly audioBitrate?: number
  readonly videoFPS?: number
  /** Seconds between keyframes. */
  readonly videoGOP?: number
  /** kbps actually sent (pusher) or received (player). */
  readonly netSpeed?: number
  /** Unit-less; 0 = no jitter. The SDK itself calls it unreliable. */
  readonly netJitter?: number
  readonly videoWidth?: number
  readonly videoHeight?: number
  /** Pusher: frames piled up before sending (congestion). Player: buffered ms. */
  readonly videoCache?: number
  readonly audioCache?: number
  /** 0 undefined, 1 best … 6 unusable; only on room:// (TRTC) pushes. */
  readonly netQualityLevel?: number
}

/**
 * Every NetStatus key, once. Built from an object whose type requires exactly
 * the interface's keys, so adding a field to NetStatus without listing it
 * here is a compile error.
 */
const FIELD_PRESENCE: { readonly [K in keyof NetStatus]-?: true } = {
  videoBitrate: true,
  audioBitrate: true,
  videoFPS: true,
  videoGOP: true,
  netSpeed: true,
  netJitter: true,
  videoWidth: true,
  videoHeight: true,
  videoCache: true,
  audioCache: true,
  netQualityLevel: true,
}

/** The NetStatus keys that {@link parseNetStatusInfo} reads; everything else in `info` is ignored. */
export const NETSTATUS_FIELDS: readonly (keyof NetStatus)[] = Object.freeze(Object.keys(FIELD_PRESENCE) as (keyof NetStatus)[])

/** A plain decimal, optionally signed, optionally with a fraction; no hex, exponent or units. */
const DECIMAL_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)$/

/** A finite number ≥ 0 from a number or a numeric string, else undefined. */
function nonNegative(value: unknown): number | undefined {
  let n: number
  if (typeof value === 'number') n = value
  else if (typeof value === 'string' && DECIMAL_STRING.test(value.trim())) n = Number(value.trim())
  else return undefined
  // `+ 0` folds -0 into 0.
  return Number.isFinite(n) && n >= 0 ? n + 0 : undefined
}

/**
 * A NetStatus from `bindnetstatus`'s `detail.info`. Each known field is kept
 * only when it is a finite, non-negative number (numeric strings accepted,
 * since some clients stringify); a bad value is dropped rather than zeroed, so
 * it reads as "unknown", never as "dead". `null` when `info` is not an object
 * or nothing usable is left.
 */
export function parseNetStatusInfo(info: unknown): NetStatus | null {
  if (!isPlainObject(info)) return null
  const status: { -readonly [K in keyof NetStatus]?: number } = {}
  let kept = 0
  for (const field of NETSTATUS_FIELDS) {
    let raw: unknown
    try {
      raw = info[field]
    } catch {
      continue
    }
    const value = nonNegative(raw)
    if (value !== undefined) {
      status[field] = value
      kept++
    }
  }
  return kept > 0 ? status : null
}

/** The NetStatus of a `bindnetstatus` event (`e.detail.info`), or `null`. */
export function parseNetStatus(e: unknown): NetStatus | null {
  return parseNetStatusInfo(eventDetail(e)?.info)
}

/**
 * The network indicator on each tile, best to worst; `unknown` until a
 * netstatus tick gives something to judge.
 */
export type QualityLevel = 'unknown' | 'good' | 'fair' | 'poor' | 'bad'

/** The judged levels, best first (the order the tiles' bars count down). */
export const QUALITY_LEVELS = ['good', 'fair', 'poor', 'bad'] as const satisfies readonly Judged[]

/** Which component reported the NetStatus: the meaning of netSpeed and the caches differs. */
export type NetStatusKind = 'pusher' | 'player'

/** Ratios and frame rates below this many kbps are noise (netSpeed is sampled every ~2 s), so they are not judged. */
export const MIN_JUDGED_KBPS = 20
/** Sending/receiving under a fifth of what the codec produces: almost nothing gets through; the picture freezes. */
export const BAD_RATE_RATIO = 0.2
/** Sending/receiving under half of what the codec produces: the link cannot carry the stream. */
export const POOR_RATE_RATIO = 0.5
/** Under 80 %: the link is falling behind and the SDK will start cutting quality. */
export const FAIR_RATE_RATIO = 0.8
/** Under 1 fps while video bits still flow: frames are lost, the picture stands still. */
export const BAD_FPS = 1
/** Below 5 fps motion turns into a slideshow (the pusher's default is 15). */
export const POOR_FPS = 5
/** Below 10 fps motion is visibly jerky. */
export const FAIR_FPS = 10
/** Pusher: 60 unsent frames is ~4 s of backlog at 15 fps; what others see is seconds old or frozen. */
export const BAD_PUSHER_VIDEO_CACHE_FRAMES = 60
/** Pusher: 30 unsent frames is ~2 s of backlog at the default 15 fps; the uplink is congested. */
export const POOR_PUSHER_VIDEO_CACHE_FRAMES = 30
/** Pusher: 15 unsent frames (~1 s at 15 fps) means frames are starting to pile up. */
export const FAIR_PUSHER_VIDEO_CACHE_FRAMES = 15
/** Player: more than 3 s buffered is beyond even live mode's default max-cache; the conversation lags. */
export const POOR_PLAYER_VIDEO_CACHE_MS = 3000

type Judged = Exclude<QualityLevel, 'unknown'>

const RANK: Readonly<Record<Judged, number>> = { good: 0, fair: 1, poor: 2, bad: 3 }

function worst(levels: readonly Judged[]): QualityLevel {
  if (levels.length === 0) return 'unknown'
  return levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a))
}

/**
 * netQualityLevel as the indicator: TRTC's 1 excellent / 2 good → good,
 * 3 poor → fair, 4 bad → poor, 5 very bad / 6 down → bad. 0 (undefined) and
 * anything else → undefined.
 */
function fromNetQualityLevel(level: number | undefined): Judged | undefined {
  if (level === undefined || !Number.isInteger(level) || level < 1 || level > 6) return undefined
  if (level <= 2) return 'good'
  if (level === 3) return 'fair'
  if (level === 4) return 'poor'
  return 'bad'
}

/** How the actual rate compares with what the codec produces; undefined when either is missing or too small. */
function rateVerdict(netSpeed: number | undefined, streamKbps: number | undefined): Judged | undefined {
  if (netSpeed === undefined || streamKbps === undefined || streamKbps < MIN_JUDGED_KBPS) return undefined
  const ratio = netSpeed / streamKbps
  if (ratio < BAD_RATE_RATIO) return 'bad'
  if (ratio < POOR_RATE_RATIO) return 'poor'
  if (ratio < FAIR_RATE_RATIO) return 'fair'
  return 'good'
}

/** Frame rate, judged only while video is flowing: a camera that is off legitimately reports 0 fps. */
function fpsVerdict(status: NetStatus): Judged | undefined {
  const { videoFPS, videoBitrate } = status
  if (videoFPS === undefined || videoBitrate === undefined || videoBitrate <= 0) return undefined
  if (videoFPS < BAD_FPS) return 'bad'
  if (videoFPS < POOR_FPS) return 'poor'
  if (videoFPS < FAIR_FPS) return 'fair'
  return 'good'
}

function streamKbps(status: NetStatus): number | undefined {
  if (status.videoBitrate === undefined && status.audioBitrate === undefined) return undefined
  return (status.videoBitrate ?? 0) + (status.audioBitrate ?? 0)
}

/**
 * The tile's network indicator. Uses `netQualityLevel` when it is 1..6 (the SDK's
 * own judgement on room:// pushes); otherwise derives one from the raw fields,
 * because netQualityLevel is undefined for rtmp:// pushes. The worst signal
 * wins; `unknown` when nothing can be judged.
 */
export function qualityFromNetStatus(status: NetStatus | null | undefined, kind: NetStatusKind): QualityLevel {
  if (!status) return 'unknown'
  const reported = fromNetQualityLevel(status.netQualityLevel)
  if (reported) return reported

  const verdicts: Judged[] = []
  const push = (v: Judged | undefined): void => {
    if (v) verdicts.push(v)
  }
  push(rateVerdict(status.netSpeed, streamKbps(status)))
  push(fpsVerdict(status))

  const { videoCache, videoBitrate } = status
  if (kind === 'pusher') {
    // Pusher videoCache counts frames encoded but not yet sent.
    if (videoCache !== undefined) {
      push(
        videoCache >= BAD_PUSHER_VIDEO_CACHE_FRAMES
          ? 'bad'
          : videoCache >= POOR_PUSHER_VIDEO_CACHE_FRAMES
            ? 'poor'
            : videoCache >= FAIR_PUSHER_VIDEO_CACHE_FRAMES
              ? 'fair'
              : 'good',
      )
    }
  } else if (videoCache !== undefined && videoBitrate !== undefined && videoBitrate > 0) {
    // Player videoCache is buffered ms. Empty while video flows = about to
    // stall; only judged with video flowing, since a camera-off stream buffers nothing.
    push(videoCache > POOR_PLAYER_VIDEO_CACHE_MS ? 'poor' : videoCache === 0 ? 'fair' : 'good')
  }
  return worst(verdicts)
}

/**
 * The `requestFullScreen` direction for a stream: 90 (landscape) when its
 * picture is wider than tall, else 0 (portrait, also while the size is not
 * known yet: a phone meeting's cameras are upright by default).
 */
export function fullScreenDirection(status: NetStatus | null | undefined): 0 | 90 {
  const w = status?.videoWidth
  const h = status?.videoHeight
  return w !== undefined && h !== undefined && w > h ? 90 : 0
}
