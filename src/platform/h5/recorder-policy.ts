/**
 * MediaRecorder choices of the H5 pusher. Pure.
 *
 * - Format: WebM with H.264 + Opus when the browser records it (Chromium
 *   does), because the relay then copies the video into FLV untouched; else
 *   WebM VP8/VP9 + Opus, which the relay re-encodes to H.264.
 * - Bitrate: MediaRecorder fixes `videoBitsPerSecond` at construction, so
 *   following the bitrate controller's ceiling means a new recorder — and,
 *   since a WebM stream cannot restart mid-way, a new ingest socket and RTMP
 *   publish (players stay attached through node-media-server's publish grace
 *   but see a ~1–3 s gap). So the ceiling is followed on a coarse ladder, down
 *   promptly (congestion) and up reluctantly.
 */
import type { IngestVideoCodec } from '../../core/ingest'

export interface RecorderFormat {
  readonly mimeType: string
  readonly video: IngestVideoCodec
}

/** In order of preference. */
export const RECORDER_FORMATS: readonly RecorderFormat[] = [
  { mimeType: 'video/webm;codecs=h264,opus', video: 'h264' },
  { mimeType: 'video/webm;codecs=avc1,opus', video: 'h264' },
  { mimeType: 'video/x-matroska;codecs=avc1,opus', video: 'h264' },
  { mimeType: 'video/webm;codecs=vp8,opus', video: 'vp8' },
  { mimeType: 'video/webm;codecs=vp9,opus', video: 'vp9' },
]

/** The first format the browser can record, or null (e.g. Safari, which records only MP4). */
export function pickRecorderFormat(isTypeSupported: (mimeType: string) => boolean): RecorderFormat | null {
  for (const format of RECORDER_FORMATS) {
    try {
      if (isTypeSupported(format.mimeType)) return format
    } catch {
      // an odd browser throwing on an unknown type: try the next
    }
  }
  return null
}

/**
 * Video bitrates (kbps) the recorder is created with. They cover both
 * presets (host 200–1000, participant 150–300, src/core/presets.ts) in steps
 * of roughly a third, so one step is a visible change and a ceiling never
 * sits more than ~25 % above its step.
 */
export const BITRATE_LADDER_KBPS: readonly number[] = [150, 200, 250, 300, 400, 500, 650, 800, 1000]

/** The highest step at or under `ceilingKbps` (never below the lowest step). */
export function ladderStep(ceilingKbps: number): number {
  let chosen = BITRATE_LADDER_KBPS[0]
  for (const step of BITRATE_LADDER_KBPS) if (step <= ceilingKbps) chosen = step
  return chosen
}

/** A lower step is applied once the recorder has run this long (a cut is congestion: act, but do not thrash). */
export const DOWN_AFTER_MS = 3000
/** A higher step is applied once the recorder has run this long… */
export const UP_AFTER_MS = 20_000
/** …and the controller has wanted it for this long. */
export const UP_STABLE_MS = 5000

export interface RestartInput {
  /** The step the running recorder was created with. */
  readonly currentKbps: number
  /** ladderStep of the controller's latest ceiling. */
  readonly wantedKbps: number
  readonly recorderStartedAtMs: number
  /** Since when the ceiling has mapped to `wantedKbps`. */
  readonly wantedSinceMs: number
  readonly nowMs: number
}

/** Whether to re-create the recorder at `wantedKbps` now. */
export function recorderRestartDue(input: RestartInput): boolean {
  const { currentKbps, wantedKbps, recorderStartedAtMs, wantedSinceMs, nowMs } = input
  if (wantedKbps === currentKbps) return false
  const running = nowMs - recorderStartedAtMs
  if (wantedKbps < currentKbps) return running >= DOWN_AFTER_MS
  return running >= UP_AFTER_MS && nowMs - wantedSinceMs >= UP_STABLE_MS
}

/** Opus bitrate per the preset's audio quality (the relay re-encodes to AAC 64 kbps either way). */
export function audioBitsPerSecond(quality: 'high' | 'low'): number {
  return quality === 'high' ? 48_000 : 24_000
}

/**
 * MediaRecorder hands out a chunk this often (ms). Each chunk waits this long
 * in the page at worst, so it is part of the capture→screen latency. 100 →
 * 50 ms went together with the player's lower buffer target, which together
 * took the measured p50 from ~510–580 to ~350–400 ms (docs/protocol.md §9.4).
 */
export const RECORDER_TIMESLICE_MS = 50

/**
 * A keyframe at least this often (ms; `videoKeyFrameIntervalDuration`,
 * Chromium ≥ 127). Players that join, and players that reconnect, start at a
 * keyframe from node-media-server's GOP cache, so this bounds their wait.
 */
export const KEYFRAME_INTERVAL_MS = 1000
