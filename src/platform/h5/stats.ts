/**
 * netstatus for the H5 media views, computed from two samples taken about a
 * second apart, in the units `<live-pusher>` / `<live-player>` use
 * (src/core/netstatus.ts), so the store, the bitrate controller and the tiles
 * cannot tell a browser from a phone. Pure.
 */
import type { NetStatus } from '../../core/netstatus'

/** What the H5 player measures at one instant. */
export interface PlayerSample {
  readonly atMs: number
  /** Totals received since the stream (re)started (FlvTally). */
  readonly bytes: number
  readonly videoBytes: number
  readonly audioBytes: number
  readonly receivedVideoFrames: number
  /** `getVideoPlaybackQuality().totalVideoFrames`, when the browser has it. */
  readonly decodedFrames?: number
  readonly videoWidth: number
  readonly videoHeight: number
  /** Media buffered ahead of the playhead, ms. */
  readonly bufferedMs: number
}

/** What the H5 pusher measures at one instant. */
export interface PusherSample {
  readonly atMs: number
  /** Bytes MediaRecorder produced since the recorder started. */
  readonly producedBytes: number
  /** Bytes still queued in the WebSocket (`bufferedAmount`). */
  readonly bufferedBytes: number
  /**
   * Bytes the relay reported taken in (ingest `progress`), when it has
   * reported; null before. Preferred over `bufferedBytes`, which misses what
   * sits in kernel buffers and in flight.
   */
  readonly deliveredBytes: number | null
  /** The recorder's audio bitrate, bps, when the microphone is on; 0 when it is off. */
  readonly audioBps: number
  /** The recorder's video bitrate (its target), bps. */
  readonly videoTargetBps: number
  /** From the camera track's settings; 0 when the camera is off. */
  readonly fps: number
  readonly width: number
  readonly height: number
}

/** Fewer than this many ms between samples gives rates that are mostly noise. */
const MIN_INTERVAL_MS = 200

const kbps = (bytes: number, ms: number): number => Math.max(0, Math.round((bytes * 8) / ms))

/** Counters that went backwards (a restarted stream) count from zero. */
const delta = (current: number, previous: number): number => (current >= previous ? current - previous : current)

/**
 * Player netstatus: bitrates and netSpeed (kbps) from bytes received, videoFPS
 * from frames decoded (received frames when the browser does not count
 * decoded ones), size from the video element, videoCache/audioCache as ms
 * buffered ahead of the playhead (the player's meaning of those fields).
 * null when the samples are too close together to mean anything.
 */
export function playerNetStatus(previous: PlayerSample, current: PlayerSample): NetStatus | null {
  const ms = current.atMs - previous.atMs
  if (ms < MIN_INTERVAL_MS) return null
  const frames =
    current.decodedFrames !== undefined && previous.decodedFrames !== undefined
      ? delta(current.decodedFrames, previous.decodedFrames)
      : delta(current.receivedVideoFrames, previous.receivedVideoFrames)
  const bufferedMs = Math.max(0, Math.round(current.bufferedMs))
  return {
    videoBitrate: kbps(delta(current.videoBytes, previous.videoBytes), ms),
    audioBitrate: kbps(delta(current.audioBytes, previous.audioBytes), ms),
    netSpeed: kbps(delta(current.bytes, previous.bytes), ms),
    videoFPS: Math.round((frames * 1000) / ms),
    videoWidth: current.videoWidth,
    videoHeight: current.videoHeight,
    videoCache: bufferedMs,
    audioCache: bufferedMs,
  }
}

/**
 * Bytes produced but not yet taken in by the relay: what the relay has not
 * acknowledged when it reports, else the socket's own queue.
 */
export function queuedBytes(sample: Pick<PusherSample, 'producedBytes' | 'bufferedBytes' | 'deliveredBytes'>): number {
  if (sample.deliveredBytes === null) return sample.bufferedBytes
  return Math.max(sample.bufferedBytes, sample.producedBytes - sample.deliveredBytes)
}

/**
 * Pusher netstatus. MediaRecorder produces one muxed stream, so the split is
 * an estimate: audio is what the recorder was asked for (Opus runs close to
 * its target), video the rest. netSpeed is what actually reached the relay
 * (its `progress` reports; before the first one, bytes produced minus the
 * growth of the socket's queue). videoCache is the queue in frames, as
 * `<live-pusher>` counts it: queued bytes over the bytes one frame takes at
 * the target rate.
 */
export function pusherNetStatus(previous: PusherSample, current: PusherSample): NetStatus | null {
  const ms = current.atMs - previous.atMs
  if (ms < MIN_INTERVAL_MS) return null
  const produced = delta(current.producedBytes, previous.producedBytes)
  const sent =
    current.deliveredBytes !== null && previous.deliveredBytes !== null
      ? delta(current.deliveredBytes, previous.deliveredBytes)
      : Math.max(0, produced - (current.bufferedBytes - previous.bufferedBytes))
  const total = kbps(produced, ms)
  const audio = Math.min(total, Math.round(current.audioBps / 1000))
  return {
    videoBitrate: total - audio,
    audioBitrate: audio,
    netSpeed: kbps(sent, ms),
    videoFPS: Math.round(current.fps),
    videoWidth: current.width,
    videoHeight: current.height,
    videoCache: queuedFrames(queuedBytes(current), current),
  }
}

/** A queue of bytes in frames at the recorder's target rate; 0 without video. */
export function queuedFrames(bytes: number, rate: Pick<PusherSample, 'audioBps' | 'videoTargetBps' | 'fps'>): number {
  const bytesPerSecond = (rate.videoTargetBps + rate.audioBps) / 8
  if (rate.fps <= 0 || bytesPerSecond <= 0) return 0
  return Math.round((bytes / bytesPerSecond) * rate.fps)
}
