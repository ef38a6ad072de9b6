/**
 * One remote participant's playback in the browser: WS-FLV through mpegts.js
 * into a `<video>`, reporting `<live-player>` state codes and netstatus.
 * The decisions (codes, retries, stalls) are the pure machine in
 * ./h5/player-codes.ts; this class observes the media element and the socket
 * and carries them out.
 *
 * Latency: the WS-FLV loader passes each message straight on (no stash
 * buffer), mpegts.js keeps the live buffer short (liveSync speeds playback up
 * above 0.4 s behind until 0.2 s; latency chasing seeks above 1.5 s), and a
 * backstop here jumps to the live edge when a background tab comes back
 * seconds behind. Measured capture→screen with the H5 pusher: p50 ≈ 350–400
 * ms (docs/protocol.md §9.4); a 0.15 s target stalled, 0.3 s added ~150 ms.
 */
import mpegts from 'mpegts.js'
import type { NetStatus } from '../core/netstatus'
import { FlvTally } from './h5/flv-tally'
import { initialPlayerMachine, playerRetrying, playerStep, type PlayerEvent, type PlayerMachine } from './h5/player-codes'
import { playerNetStatus, type PlayerSample } from './h5/stats'
import { wsFlvUrlOf } from './h5/urls'

export interface PlaybackSink {
  code(code: number): void
  netStatus(status: NetStatus): void
}

/** How often the playhead is checked for stalls and drift. */
const WATCH_EVERY_MS = 250
/** netstatus cadence; `<live-player>` reports about every 1–2 s. */
const STATS_EVERY_MS = 1000
/** Further behind the live edge than this (s) and we jump, whatever mpegts.js is doing. */
const JUMP_BEHIND_S = 3
/** Where a jump lands, before the live edge (s). */
const JUMP_REMAIN_S = 0.3

/** mpegts.js settings for a meeting: latency over smoothness. */
const PLAYER_CONFIG: mpegts.Config = {
  isLive: true,
  enableWorker: false,
  enableStashBuffer: false,
  stashInitialSize: 64 * 1024,
  lazyLoad: false,
  deferLoadAfterSourceOpen: false,
  autoCleanupSourceBuffer: true,
  autoCleanupMaxBackwardDuration: 10,
  autoCleanupMinBackwardDuration: 5,
  liveBufferLatencyChasing: true,
  liveBufferLatencyMaxLatency: 1.5,
  liveBufferLatencyMinRemain: 0.3,
  liveSync: true,
  liveSyncMaxLatency: 0.4,
  liveSyncTargetLatency: 0.2,
  liveSyncPlaybackRate: 1.2,
  fixAudioTimestampGap: false,
  statisticsInfoReportInterval: 1000,
}

let loggingQuieted = false

/**
 * A mpegts.js loader for WS-FLV that counts what arrives (per-track bytes and
 * frames, for netstatus) and tells us when the socket opens (2001). mpegts.js
 * exposes only the total speed otherwise.
 */
function tallyingLoader(tally: FlvTally, onOpen: () => void): mpegts.CustomLoaderConstructor {
  const Base = mpegts.BaseLoader as unknown as new (type: string) => mpegts.BaseLoader
  class TallyingWebSocketLoader extends Base {
    private ws: WebSocket | null = null
    private received = 0
    private aborting = false

    constructor() {
      super('tallying-websocket-loader')
      // Each message goes straight to the demuxer.
      this._needStash = false
    }

    open(dataSource: mpegts.MediaSegment): void {
      const ws = new WebSocket(dataSource.url)
      this.ws = ws
      ws.binaryType = 'arraybuffer'
      this._status = 1 // kConnecting
      ws.onopen = () => {
        this._status = 2 // kBuffering
        onOpen()
      }
      ws.onmessage = (e: MessageEvent) => {
        if (!(e.data instanceof ArrayBuffer)) return
        const chunk = e.data
        tally.push(new Uint8Array(chunk))
        const start = this.received
        this.received += chunk.byteLength
        this.onDataArrival?.(chunk, start, this.received)
      }
      ws.onclose = () => {
        if (this.aborting) return
        this._status = 4 // kComplete
        this.onComplete?.(0, this.received - 1)
      }
      ws.onerror = () => {
        if (this.aborting) return
        this._status = 3 // kError
        this.onError?.('Exception' as unknown as mpegts.LoaderErrors, { code: -1, msg: 'WebSocket error' })
      }
    }

    abort(): void {
      const ws = this.ws
      if (ws !== null && (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN)) {
        this.aborting = true
        ws.close()
      }
      this.ws = null
      this._status = 4
    }

    destroy(): void {
      if (this.ws !== null) this.abort()
      super.destroy()
    }
  }
  return TallyingWebSocketLoader as unknown as mpegts.CustomLoaderConstructor
}

export class FlvPlayback {
  private machine: PlayerMachine = initialPlayerMachine
  private player: mpegts.Player | null = null
  private tally = new FlvTally()
  private lastSample: PlayerSample | null = null
  private lastTime = 0
  private lastProgressAtMs = 0
  private watchTimer: ReturnType<typeof setInterval> | null = null
  private statsTimer: ReturnType<typeof setInterval> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private frameCallback: number | null = null
  private unmuteOnGesture: (() => void) | null = null
  private readonly url: string | null

  constructor(
    private readonly video: HTMLVideoElement,
    src: string,
    private readonly sink: PlaybackSink,
  ) {
    this.url = wsFlvUrlOf(src)
  }

  start(): void {
    if (!loggingQuieted) {
      // mpegts.js logs every reconnect and seek at info level.
      mpegts.LoggingControl.applyConfig({ enableDebug: false, enableVerbose: false, enableInfo: false })
      loggingQuieted = true
    }
    if (this.url === null || !mpegts.getFeatureList().mseLivePlayback) {
      // Nothing we can play here (an rtmp:// URL, or no MSE): as a player that cannot connect.
      this.dispatch({ kind: 'failed', atMs: Date.now() })
      return
    }
    this.video.addEventListener('timeupdate', this.onTimeUpdate)
    this.video.addEventListener('playing', this.onTimeUpdate)
    this.watchTimer = setInterval(this.watch, WATCH_EVERY_MS)
    this.statsTimer = setInterval(this.sampleStats, STATS_EVERY_MS)
    this.connect()
  }

  /** Stop everything; the element is left empty. Idempotent. */
  destroy(): void {
    this.dispatch({ kind: 'stop' })
    if (this.watchTimer !== null) clearInterval(this.watchTimer)
    if (this.statsTimer !== null) clearInterval(this.statsTimer)
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.watchTimer = this.statsTimer = this.retryTimer = null
    this.video.removeEventListener('timeupdate', this.onTimeUpdate)
    this.video.removeEventListener('playing', this.onTimeUpdate)
    this.removeGestureListener()
    this.disconnect()
  }

  private connect(): void {
    if (this.url === null) return
    this.tally = new FlvTally()
    this.lastSample = null
    this.lastTime = 0
    this.lastProgressAtMs = Date.now()
    const player = mpegts.createPlayer(
      { type: 'flv', isLive: true, url: this.url },
      { ...PLAYER_CONFIG, customLoader: tallyingLoader(this.tally, () => this.dispatch({ kind: 'opened', atMs: Date.now() })) },
    )
    this.player = player
    player.on(mpegts.Events.ERROR, this.onPlayerError)
    // The server closed the stream (publisher gone, stream revoked, server restart).
    player.on(mpegts.Events.LOADING_COMPLETE, this.onPlayerError)
    player.attachMediaElement(this.video)
    player.load()
    this.play()
    this.watchFrames()
  }

  private disconnect(): void {
    const player = this.player
    this.player = null
    if (this.frameCallback !== null && 'cancelVideoFrameCallback' in this.video) this.video.cancelVideoFrameCallback(this.frameCallback)
    this.frameCallback = null
    if (player === null) return
    player.off(mpegts.Events.ERROR, this.onPlayerError)
    player.off(mpegts.Events.LOADING_COMPLETE, this.onPlayerError)
    try {
      player.pause()
      player.unload()
      player.detachMediaElement()
      player.destroy()
    } catch {
      // a player that failed half-way may throw on teardown; it is dropped either way
    }
    this.video.removeAttribute('src')
  }

  /** Autoplay with sound; if the browser refuses (no user gesture yet), play muted and unmute on the first gesture. */
  private play(): void {
    const attempt = this.video.play()
    attempt?.catch((error: unknown) => {
      if (!(error instanceof DOMException) || error.name !== 'NotAllowedError' || this.player === null) return
      this.video.muted = true
      void this.video.play()?.catch(() => {})
      if (this.unmuteOnGesture !== null) return
      this.unmuteOnGesture = () => {
        this.video.muted = false
        this.removeGestureListener()
      }
      document.addEventListener('pointerdown', this.unmuteOnGesture, { once: true })
      document.addEventListener('keydown', this.unmuteOnGesture, { once: true })
    })
  }

  private removeGestureListener(): void {
    if (this.unmuteOnGesture === null) return
    document.removeEventListener('pointerdown', this.unmuteOnGesture)
    document.removeEventListener('keydown', this.unmuteOnGesture)
    this.unmuteOnGesture = null
  }

  /** A presented frame is progress (and, the first time, 2004 play begin). */
  private watchFrames(): void {
    if (!('requestVideoFrameCallback' in this.video)) return
    const onFrame = (): void => {
      if (this.player === null) return
      this.progress()
      this.frameCallback = this.video.requestVideoFrameCallback(onFrame)
    }
    this.frameCallback = this.video.requestVideoFrameCallback(onFrame)
  }

  private onTimeUpdate = (): void => {
    if (this.player === null) return
    const t = this.video.currentTime
    if (t > this.lastTime + 0.01) {
      this.lastTime = t
      this.progress()
    }
  }

  private progress(): void {
    this.lastProgressAtMs = Date.now()
    this.dispatch({ kind: 'progress', atMs: this.lastProgressAtMs })
  }

  private watch = (): void => {
    if (this.player === null) return
    const now = Date.now()
    this.onTimeUpdate()
    // A hidden tab may not render frames; judge only what the user could see.
    if (document.hidden) {
      this.lastProgressAtMs = now
      return
    }
    this.dispatch({ kind: 'no-progress', forMs: now - this.lastProgressAtMs, atMs: now })
    const end = bufferedEnd(this.video)
    if (end !== null && end - this.video.currentTime > JUMP_BEHIND_S) this.video.currentTime = end - JUMP_REMAIN_S
  }

  private sampleStats = (): void => {
    if (this.player === null) return
    const totals = this.tally.current
    const quality = typeof this.video.getVideoPlaybackQuality === 'function' ? this.video.getVideoPlaybackQuality() : null
    const end = bufferedEnd(this.video)
    const sample: PlayerSample = {
      atMs: Date.now(),
      bytes: totals.bytes,
      videoBytes: totals.videoBytes,
      audioBytes: totals.audioBytes,
      receivedVideoFrames: totals.videoFrames,
      decodedFrames: quality?.totalVideoFrames,
      videoWidth: this.video.videoWidth,
      videoHeight: this.video.videoHeight,
      bufferedMs: end === null ? 0 : Math.max(0, (end - this.video.currentTime) * 1000),
    }
    const previous = this.lastSample
    this.lastSample = sample
    if (previous === null || totals.bytes === 0) return
    const status = playerNetStatus(previous, sample)
    if (status !== null) this.sink.netStatus(status)
  }

  private onPlayerError = (): void => {
    if (this.player === null) return
    this.dispatch({ kind: 'failed', atMs: Date.now() })
  }

  private dispatch(event: PlayerEvent): void {
    const step = playerStep(this.machine, event, Math.random())
    this.machine = step.machine
    for (const code of step.codes) this.sink.code(code)
    const action = step.action
    if (action === null) return
    this.disconnect()
    if (action.kind === 'reconnect') {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null
        this.machine = playerRetrying(this.machine)
        this.connect()
      }, action.delayMs)
    }
  }
}

/** End of the buffered range holding the playhead (or the last range), in seconds. */
function bufferedEnd(video: HTMLVideoElement): number | null {
  const ranges = video.buffered
  if (ranges.length === 0) return null
  for (let i = 0; i < ranges.length; i++) {
    if (video.currentTime >= ranges.start(i) - 0.1 && video.currentTime <= ranges.end(i)) return ranges.end(i)
  }
  return ranges.end(ranges.length - 1)
}
