/**
 * The browser's `bindaudiovolumenotify`: the audio level of a MediaStream
 * (the local camera's, or a player's `video.captureStream()`), measured with
 * a Web Audio AnalyserNode and reported on the weapp event's 0..100 scale a
 * few times a second.
 *
 * One AudioContext for the page, shared by every meter (browsers cap or
 * slow down many contexts), closed when the last meter goes. The analyser is
 * never connected to the destination: it only listens, so nothing is played
 * twice and the element keeps its own output.
 */

/** How often a level is reported: WeChat's notify comes every few hundred ms too. */
export const LEVEL_SAMPLE_MS = 250

/** Levels below this many dBFS count as 0 (a quiet room's mic floor sits around -60…-50). */
const FLOOR_DB = -50

/**
 * RMS of the samples in dBFS, mapped linearly from [FLOOR_DB, 0] onto
 * [0, 100]: speech near -20 dBFS lands around 60, silence at 0.
 */
export function levelFromSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0
  let sum = 0
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i]
  const rms = Math.sqrt(sum / samples.length)
  if (!(rms > 0)) return 0
  const db = 20 * Math.log10(rms)
  return Math.round(Math.min(100, Math.max(0, ((db - FLOOR_DB) / -FLOOR_DB) * 100)))
}

type AudioContextClass = typeof AudioContext

let shared: AudioContext | null = null
let users = 0

function audioContextClass(): AudioContextClass | null {
  const w = globalThis as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass }
  return w.AudioContext ?? w.webkitAudioContext ?? null
}

function acquire(): AudioContext | null {
  const Ctx = audioContextClass()
  if (Ctx === null) return null
  if (shared === null || shared.state === 'closed') {
    try {
      shared = new Ctx()
    } catch {
      return null
    }
  }
  users += 1
  // Created without a gesture the context starts suspended; joining was a tap, so resuming is allowed.
  if (shared.state === 'suspended') void shared.resume().catch(() => undefined)
  return shared
}

function release(): void {
  users = Math.max(0, users - 1)
  if (users === 0 && shared !== null) {
    const ctx = shared
    shared = null
    void ctx.close().catch(() => undefined)
  }
}

/** Measures one stream at a time; `attach` again for a new stream, `destroy` on unmount. */
export class AudioLevelMeter {
  private ctx: AudioContext | null = null
  private source: MediaStreamAudioSourceNode | null = null
  private analyser: AnalyserNode | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private buffer: Float32Array<ArrayBuffer> | null = null
  private destroyed = false

  constructor(private readonly onLevel: (level: number) => void) {}

  /** Listen to `stream`'s audio (replacing any earlier one); a stream without audio is measured as silence. */
  attach(stream: MediaStream | null): void {
    if (this.destroyed) return
    this.disconnect()
    if (stream === null || stream.getAudioTracks().length === 0) return
    if (this.ctx === null) this.ctx = acquire()
    const ctx = this.ctx
    if (ctx === null) return
    try {
      const analyser = ctx.createAnalyser()
      analyser.fftSize = 1024
      const source = ctx.createMediaStreamSource(stream)
      source.connect(analyser)
      this.source = source
      this.analyser = analyser
      this.buffer = new Float32Array(analyser.fftSize)
    } catch {
      // A stream whose audio track ended between the check and here: nothing to measure.
      this.disconnect()
      return
    }
    this.timer = setInterval(() => this.sample(), LEVEL_SAMPLE_MS)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.disconnect()
    if (this.ctx !== null) release()
    this.ctx = null
  }

  private sample(): void {
    if (this.analyser === null || this.buffer === null) return
    this.analyser.getFloatTimeDomainData(this.buffer)
    this.onLevel(levelFromSamples(this.buffer))
  }

  private disconnect(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    try {
      this.source?.disconnect()
      this.analyser?.disconnect()
    } catch {
      // Already disconnected.
    }
    this.source = null
    this.analyser = null
    this.buffer = null
  }
}

/**
 * What a playing `<video>` outputs, as a MediaStream (Chrome/Edge/Safari
 * `captureStream`, Firefox `mozCaptureStream`): the element keeps playing
 * to the speakers, unlike `createMediaElementSource`, which would reroute
 * it. `null` where the browser has neither.
 */
export function captureElementStream(video: HTMLVideoElement): MediaStream | null {
  const v = video as HTMLVideoElement & { captureStream?: () => MediaStream; mozCaptureStream?: () => MediaStream }
  try {
    if (typeof v.captureStream === 'function') return v.captureStream()
    if (typeof v.mozCaptureStream === 'function') return v.mozCaptureStream()
  } catch {
    // A cross-origin or not yet playing element refuses; the caller tries again when it plays.
  }
  return null
}
