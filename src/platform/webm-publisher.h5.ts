/**
 * The local camera in the browser, published into the meeting: getUserMedia →
 * MediaRecorder (WebM, H.264 + Opus where the browser records it) → the room
 * service's ingest socket (src/core/ingest.ts) → ffmpeg → the participant's
 * RTMP push URL. Reports `<live-pusher>` state codes and netstatus. The
 * decisions are pure (./h5/pusher-codes.ts, ./h5/recorder-policy.ts,
 * ./h5/net-busy.ts); this class carries them out.
 *
 * Settings, as `<live-pusher>` attributes:
 * - enableMic / enableCamera disable the tracks (the recorder keeps running,
 *   sending silence / black, so turning them back on is instant);
 * - devicePosition re-opens the camera with the other facingMode and
 *   restarts the publish (a recorder cannot change tracks);
 * - maxBitrateKbps re-creates the recorder on a coarse ladder, down after
 *   3 s, up after 20 s (see recorder-policy.ts for why), which restarts the
 *   publish: players stay attached, with a short gap.
 */
import {
  INGEST_MAX_FRAME_BYTES,
  ingestCloseIsRetryable,
  ingestSocketUrl,
  parseIngestServerMessage,
} from '../core/ingest'
import type { NetStatus } from '../core/netstatus'
import type { AudioQuality } from '../core/presets'
import { initialNetBusy, netBusyStep, type NetBusyState } from './h5/net-busy'
import { initialPusherMachine, isDeviceError, pusherStep, type PusherEvent, type PusherMachine } from './h5/pusher-codes'
import {
  audioBitsPerSecond,
  KEYFRAME_INTERVAL_MS,
  ladderStep,
  pickRecorderFormat,
  RECORDER_TIMESLICE_MS,
  recorderRestartDue,
  type RecorderFormat,
} from './h5/recorder-policy'
import { pusherNetStatus, queuedBytes, type PusherSample } from './h5/stats'

export interface PublishSettings {
  readonly url: string
  readonly maxBitrateKbps: number
  readonly audioQuality: AudioQuality
  readonly enableMic: boolean
  readonly enableCamera: boolean
  readonly devicePosition: 'front' | 'back'
}

export interface PublishSink {
  code(code: number): void
  netStatus(status: NetStatus): void
  /** The stream to preview (null when there is none). */
  preview(stream: MediaStream | null): void
}

const STATS_EVERY_MS = 1000

/** What `<live-pusher mode="RTC">` captures; the browser picks the nearest its camera offers. */
const VIDEO_CONSTRAINTS = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 30 } }
const AUDIO_CONSTRAINTS = { echoCancellation: true, noiseSuppression: true, autoGainControl: true }

export class WebmPublisher {
  private machine: PusherMachine = initialPusherMachine
  private settings: PublishSettings
  private stream: MediaStream | null = null
  private format: RecorderFormat | null = null
  private ws: WebSocket | null = null
  private recorder: MediaRecorder | null = null
  private recorderKbps = 0
  private recorderStartedAtMs = 0
  private wantedKbps = 0
  private wantedSinceMs = 0
  private producedBytes = 0
  /** The relay's latest `progress` for the current socket; null before the first. */
  private deliveredBytes: number | null = null
  private lastSample: PusherSample | null = null
  private busy: NetBusyState = initialNetBusy
  private statsTimer: ReturnType<typeof setInterval> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private destroyed = false
  /** Bumped on every capture, so a slow getUserMedia that lost the race is dropped. */
  private captureGeneration = 0

  constructor(
    settings: PublishSettings,
    private readonly sink: PublishSink,
    private readonly serviceUrl: string,
  ) {
    this.settings = settings
    this.wantedKbps = ladderStep(settings.maxBitrateKbps)
  }

  start(): void {
    this.statsTimer = setInterval(this.tick, STATS_EVERY_MS)
    void this.capture()
  }

  /** New attribute values from the store. */
  update(next: PublishSettings): void {
    const previous = this.settings
    this.settings = next
    if (this.destroyed) return
    this.applyTrackSwitches()
    if (next.devicePosition !== previous.devicePosition) {
      this.disconnect()
      void this.capture()
      return
    }
    if (next.url !== previous.url) {
      this.disconnect()
      if (next.url !== '' && this.stream !== null) this.connect()
      return
    }
    const wanted = ladderStep(next.maxBitrateKbps)
    if (wanted !== this.wantedKbps) {
      this.wantedKbps = wanted
      this.wantedSinceMs = Date.now()
    }
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.dispatch({ kind: 'stop' })
    if (this.statsTimer !== null) clearInterval(this.statsTimer)
    this.statsTimer = null
    this.disconnect()
    this.releaseCamera()
  }

  // -------------------------------------------------------------------------

  private async capture(): Promise<void> {
    const generation = ++this.captureGeneration
    this.releaseCamera()
    const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined
    if (media?.getUserMedia === undefined) {
      // No camera API at all: an insecure (non-HTTPS, non-localhost) page, or a very old browser.
      this.dispatch({ kind: 'device-failed', device: 'camera' })
      return
    }
    const video = { ...VIDEO_CONSTRAINTS, facingMode: { ideal: this.settings.devicePosition === 'front' ? 'user' : 'environment' } }
    let stream: MediaStream
    try {
      stream = await media.getUserMedia({ video, audio: AUDIO_CONSTRAINTS })
    } catch (error) {
      if (generation !== this.captureGeneration || this.destroyed) return
      const name = error instanceof Error || error instanceof DOMException ? error.name : ''
      // One prompt covered both devices; ask for the camera alone to learn which one failed.
      let device: 'camera' | 'microphone' = 'camera'
      if (isDeviceError(name)) {
        try {
          const videoOnly = await media.getUserMedia({ video })
          for (const track of videoOnly.getTracks()) track.stop()
          device = 'microphone'
        } catch {
          device = 'camera'
        }
      }
      if (generation !== this.captureGeneration || this.destroyed) return
      this.dispatch({ kind: 'device-failed', device })
      return
    }
    if (generation !== this.captureGeneration || this.destroyed) {
      for (const track of stream.getTracks()) track.stop()
      return
    }
    this.stream = stream
    this.applyTrackSwitches()
    this.sink.preview(stream)
    this.dispatch({ kind: 'camera-opened' })
    this.format = typeof MediaRecorder === 'undefined' ? null : pickRecorderFormat((type) => MediaRecorder.isTypeSupported(type))
    if (this.format === null) {
      this.dispatch({ kind: 'encoder-failed' })
      return
    }
    if (this.settings.url !== '') this.connect()
  }

  private releaseCamera(): void {
    const stream = this.stream
    this.stream = null
    if (stream === null) return
    this.sink.preview(null)
    for (const track of stream.getTracks()) track.stop()
  }

  private applyTrackSwitches(): void {
    if (this.stream === null) return
    for (const track of this.stream.getVideoTracks()) track.enabled = this.settings.enableCamera
    for (const track of this.stream.getAudioTracks()) track.enabled = this.settings.enableMic
  }

  private connect(): void {
    const format = this.format
    if (this.destroyed || this.stream === null || format === null || this.settings.url === '') return
    // After -1307 / -1301… only a remount (the app's restart-push) starts again.
    if (this.machine.phase === 'gave-up' || this.machine.phase === 'stopped') return
    this.dispatch({ kind: 'connecting' })
    const kbps = this.wantedKbps
    const ws = new WebSocket(ingestSocketUrl(this.serviceUrl, this.settings.url, format.video, kbps))
    this.ws = ws
    ws.onopen = () => {
      if (this.ws !== ws) return
      this.dispatch({ kind: 'opened' })
      this.startRecorder(ws, format, kbps)
    }
    ws.onmessage = (e: MessageEvent) => {
      if (this.ws !== ws) return
      const message = parseIngestServerMessage(e.data)
      if (message?.type === 'publishing') this.dispatch({ kind: 'publishing', atMs: Date.now() })
      else if (message?.type === 'progress') this.deliveredBytes = message.receivedBytes
      else if (message?.type === 'error') console.warn(`[pusher] ingest: ${message.code}: ${message.message}`)
    }
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return
      this.ws = null
      this.stopRecorder()
      this.dispatch({ kind: 'closed', retryable: ingestCloseIsRetryable(e.code) })
    }
  }

  /** Close the socket and the recorder on purpose (no codes). */
  private disconnect(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.stopRecorder()
    const ws = this.ws
    this.ws = null
    if (ws !== null && (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN)) ws.close(1000)
  }

  /** A new recorder and socket now, e.g. at a new bitrate. Players see a short gap. */
  private restart(): void {
    this.disconnect()
    this.connect()
  }

  private startRecorder(ws: WebSocket, format: RecorderFormat, kbps: number): void {
    const stream = this.stream
    if (stream === null) return
    const options = {
      mimeType: format.mimeType,
      videoBitsPerSecond: kbps * 1000,
      audioBitsPerSecond: audioBitsPerSecond(this.settings.audioQuality),
      // Chromium ≥ 127; ignored elsewhere (then the browser's own keyframe cadence applies).
      videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
    } as MediaRecorderOptions
    let recorder: MediaRecorder
    try {
      recorder = new MediaRecorder(stream, options)
    } catch {
      this.dispatch({ kind: 'encoder-failed' })
      return
    }
    this.recorder = recorder
    this.recorderKbps = kbps
    this.recorderStartedAtMs = Date.now()
    this.producedBytes = 0
    this.deliveredBytes = null
    this.lastSample = null
    this.busy = initialNetBusy
    recorder.ondataavailable = (e: BlobEvent) => {
      if (this.recorder !== recorder || ws.readyState !== WebSocket.OPEN || e.data.size === 0) return
      this.producedBytes += e.data.size
      // The service cuts frames above 64 KiB; a keyframe chunk can be larger.
      for (let offset = 0; offset < e.data.size; offset += INGEST_MAX_FRAME_BYTES) {
        ws.send(e.data.slice(offset, offset + INGEST_MAX_FRAME_BYTES))
      }
    }
    recorder.onerror = () => {
      if (this.recorder !== recorder) return
      // E.g. a track ended (camera unplugged): as a dropped connection, the retry reopens it.
      ws.close(1000)
      this.ws = null
      this.stopRecorder()
      this.dispatch({ kind: 'closed', retryable: true })
    }
    recorder.start(RECORDER_TIMESLICE_MS)
  }

  private stopRecorder(): void {
    const recorder = this.recorder
    this.recorder = null
    if (recorder === null) return
    recorder.ondataavailable = null
    recorder.onerror = null
    if (recorder.state !== 'inactive') {
      try {
        recorder.stop()
      } catch {
        // already stopping
      }
    }
  }

  private tick = (): void => {
    const now = Date.now()
    this.dispatch({ kind: 'tick', atMs: now })
    const ws = this.ws
    const recorder = this.recorder
    if (ws === null || recorder === null) return
    const track = this.stream?.getVideoTracks()[0]
    const settings = track !== undefined && track.enabled ? track.getSettings() : {}
    const audioBps = this.settings.enableMic ? audioBitsPerSecond(this.settings.audioQuality) : 0
    const sample: PusherSample = {
      atMs: now,
      producedBytes: this.producedBytes,
      bufferedBytes: ws.bufferedAmount,
      deliveredBytes: this.deliveredBytes,
      audioBps,
      videoTargetBps: this.recorderKbps * 1000,
      fps: settings.frameRate ?? 0,
      width: settings.width ?? 0,
      height: settings.height ?? 0,
    }
    const previous = this.lastSample
    this.lastSample = sample
    if (previous !== null) {
      const status = pusherNetStatus(previous, sample)
      if (status !== null) this.sink.netStatus(status)
    }
    const verdict = netBusyStep(this.busy, queuedBytes(sample), (this.recorderKbps * 1000 + audioBps) / 8, now)
    this.busy = verdict.state
    if (verdict.busy) this.dispatch({ kind: 'net-busy' })
    if (verdict.hopeless) {
      // Seconds of media stuck in the page: start over rather than deliver it late.
      this.disconnect()
      this.dispatch({ kind: 'closed', retryable: true })
      return
    }
    if (
      this.machine.phase === 'publishing' &&
      recorderRestartDue({
        currentKbps: this.recorderKbps,
        wantedKbps: this.wantedKbps,
        recorderStartedAtMs: this.recorderStartedAtMs,
        wantedSinceMs: this.wantedSinceMs,
        nowMs: now,
      })
    ) {
      this.restart()
    }
  }

  private dispatch(event: PusherEvent): void {
    const step = pusherStep(this.machine, event, Math.random())
    this.machine = step.machine
    for (const code of step.codes) this.sink.code(code)
    const action = step.action
    if (action === null) return
    this.disconnect()
    if (action.kind === 'reconnect') {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        this.connect()
      }, action.delayMs)
    }
  }
}
