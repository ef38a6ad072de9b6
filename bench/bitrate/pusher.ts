/**
 * The pusher model: the engine's own rate control under our ceiling, and the
 * encoder that follows min(ceiling, engine target).
 *
 * The engine is a simplified GCC (libwebrtc `aimd_rate_control.cc`): on
 * over-use it cuts its estimate to 0.85 × the delivered rate and holds while
 * the queue drains; otherwise it grows 8 %/s, but never past
 * 1.5 × delivered + 10 kbps (so an estimate held back by our ceiling stays
 * "warm" only up to that bound). It sees the network `reactionLagMs` late
 * (feedback plus detection time).
 */
import type { AudioQuality, Preset } from '../../src/core/presets'

/**
 * Audio bitrate per `audio-quality`. The live-pusher documents only the sample
 * rates (high = 48 kHz, low = 16 kHz); the kbps are TRTC's for the same rates:
 * TRTCAudioQualityDefault 48 kHz mono 50 kbps, TRTCAudioQualitySpeech 16 kHz
 * mono 16 kbps (TRTCCloudDef).
 */
export const AUDIO_KBPS: { readonly [Q in AudioQuality]: number } = { high: 50, low: 16 }

export const PUSHER_MODEL = {
  /** `fps` default of `<live-pusher>` (platform-facts.md). */
  fps: 15,
  /** Seconds between keyframes (videoGOP). */
  gopS: 2,
  /** A keyframe is this many P-frames big; the GOP average still meets the target rate. */
  keyframeFactor: 4,
  /** ± VBR noise on every frame. */
  vbrNoise: 0.05,
  /** Encoder follows its target with this first-order time constant (reconfiguration, rate-control window). */
  encoderLagMs: 500,
  /** Engine: delay between the network's state and the engine acting on it. */
  reactionLagMs: 1000,
  /** Engine update period. */
  engineIntervalMs: 100,
  /**
   * Over-use: the standing queue (the oldest queued packet's wait, minimum over
   * `filterWindowMs`) grew by more than `growthThresholdMs` in each of the last
   * two `growthWindowMs` windows. Requiring growth twice is our stand-in for
   * GCC's trendline filter and adaptive threshold: a keyframe burst raises the
   * queue once and then drains, so it does not count; a rate above capacity
   * keeps raising it.
   */
  growthThresholdMs: 8,
  growthWindowMs: 300,
  filterWindowMs: 250,
  /** …or the standing queue is above this share of the buffer (stands in for GCC's loss-based part: tail drops at a full queue). */
  standingQueueShare: 0.6,
  /** The queue drains (estimate held) when the wait shrank this much over the growth window. */
  drainThresholdMs: 5,
  decreaseFactor: 0.85,
  increasePerS: 0.08,
  /** Window over which the engine measures the delivered rate. */
  deliveredWindowMs: 500,
  /** Pacer sends at this multiple of the media rate (libwebrtc's default pacing factor). */
  pacingFactor: 2.5,
  /**
   * The transport keeps at most estimate × (min RTT + this) in flight, and the
   * rest waits at the sender: TCP's window on an rtmp:// push, libwebrtc's
   * congestion window (goog_cc congestion-window pushback, 350 ms queue
   * allowance by default) on an RTC push. This is what makes frames pile up
   * *at the pusher* (videoCache) when the link cannot take them.
   */
  windowQueueMs: 350,
  /** The window never shrinks below this many packets (both transports keep a few in flight). */
  windowMinPackets: 4,
  /**
   * The encoder skips a frame while this many frames already wait at the
   * sender (the SDK drops frames rather than queue seconds of video; videoFPS
   * falls, as on a congested phone).
   */
  senderQueueLimitFrames: 15,
  /** Payload bits per packet. */
  packetBits: 1200 * 8,
  audioFrameMs: 20,
} as const

export interface EngineObservation {
  /** Standing queue (filtered wait of the oldest queued packet) now, one and two `growthWindowMs` earlier, all `reactionLagMs` ago. */
  readonly sojournMs: number
  readonly sojournBeforeMs: number
  readonly sojournTwoBeforeMs: number
  /** Delivered kbps over `deliveredWindowMs`, `reactionLagMs` ago. */
  readonly deliveredKbps: number
  readonly queueMs: number
}

/** The engine's estimate of the total send rate (video + audio), kbps. */
export class Engine {
  estimateKbps: number
  private lastDecreaseMs = -Infinity
  private readonly floorKbps: number

  constructor(startKbps: number, floorKbps: number) {
    this.estimateKbps = startKbps
    this.floorKbps = floorKbps
  }

  update(atMs: number, o: EngineObservation): void {
    const m = PUSHER_MODEL
    const growth = o.sojournMs - o.sojournBeforeMs
    const growing = growth > m.growthThresholdMs && o.sojournBeforeMs - o.sojournTwoBeforeMs > m.growthThresholdMs
    const overuse = growing || o.sojournMs > m.standingQueueShare * o.queueMs
    if (overuse) {
      // One decrease per reaction time: the effect of the last one is not visible before.
      if (atMs - this.lastDecreaseMs >= m.reactionLagMs + 2 * m.engineIntervalMs) {
        const decreased = m.decreaseFactor * o.deliveredKbps
        if (decreased < this.estimateKbps) this.estimateKbps = Math.max(this.floorKbps, decreased)
        this.lastDecreaseMs = atMs
      }
      return
    }
    if (growth < -m.drainThresholdMs) return // hold while the queue drains
    const limit = Math.max(this.estimateKbps, 1.5 * o.deliveredKbps + 10)
    this.estimateKbps = Math.min(limit, this.estimateKbps * Math.pow(1 + m.increasePerS, m.engineIntervalMs / 1000))
  }
}

/** Video target the encoder follows: min(ceiling, engine estimate − audio), never below min-bitrate. */
export function encoderTarget(ceilingKbps: number, engineKbps: number, audioKbps: number, preset: Preset): number {
  return Math.max(preset.minBitrateKbps, Math.min(ceilingKbps, engineKbps - audioKbps))
}

/** Resolution the pusher reports for a video bitrate (a simple ladder; only shown in netstatus). */
export function resolutionFor(videoKbps: number): { width: number; height: number } {
  if (videoKbps >= 700) return { width: 540, height: 960 }
  if (videoKbps >= 250) return { width: 360, height: 640 }
  return { width: 270, height: 480 }
}
