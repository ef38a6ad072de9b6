/**
 * Publish a pre-encoded FLV clip to an RTMP URL forever, without re-encoding:
 * the clip's H.264 and AAC frames are sent in real time, looped, with
 * rewritten, monotonically increasing timestamps. A bot's whole media cost is
 * a timer and a socket write per tick, so many bots fit on one core.
 *
 * - Each track loops on its own period (`frames × mean frame interval`): a
 *   10 s clip's AAC frames (46.4 ms each) do not divide 10 s, so a shared
 *   period would make audio timestamps go backwards at the seam.
 * - "Camera off" and "muted" switch to an idle clip encoded with the same
 *   settings (black frames, silence; same frame count, keyframe positions
 *   and sequence headers), frame by frame at the same timeline position:
 *   video switches at the next keyframe, audio at once. The stream itself
 *   never stops, as a phone's pusher keeps pushing with its camera off.
 * - Each RTMP connection starts its own timeline at 0, as an encoder does;
 *   node-media-server shifts a resumed publish past the previous one.
 * - The connection is retried with backoff until `stop()` (media server
 *   restarted, network dropped, publish refused).
 *
 * The RTMP client is the one node-media-server bundles, so nothing beyond the
 * project's dependencies (and no ffmpeg) runs.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { performance } from 'node:perf_hooks'
import { backoffDelay, type BackoffOptions } from '../../src/core/backoff'
import type NodeMediaServer from 'node-media-server'
import RtmpClient from 'node-media-server/src/protocol/rtmp_client.js'

type AvPacket = NodeMediaServer.AvPacket

const TAG_AUDIO = 8
const TAG_VIDEO = 9
const TAG_SCRIPT = 18
const CODEC_AVC = 7
const CODEC_AAC = 10

/** One audio or video frame of a clip. */
export interface ClipFrame {
  /** Decode timestamp in the clip, ms. */
  readonly ts: number
  /** Composition time offset (pts - dts), ms; 0 without B-frames. */
  readonly cts: number
  /** The FLV tag body, as sent in the RTMP message. */
  readonly data: Buffer
  /** Video: an IDR frame (a place a player can start). Audio: always true. */
  readonly key: boolean
}

export interface ClipTrack {
  readonly kind: 'audio' | 'video'
  /** AVC decoder configuration / AAC AudioSpecificConfig tag body. */
  readonly header: Buffer
  readonly frames: readonly ClipFrame[]
  /** The track's loop period: frame count × mean frame interval, ms (fractional). */
  readonly loopMs: number
}

export interface FlvClip {
  readonly name: string
  readonly video: ClipTrack
  readonly audio: ClipTrack
  /** From the AVC sequence header's SPS when it could be read, else 0. */
  readonly width: number
  readonly height: number
  readonly frameRate: number
  /** Average bits per second over one loop (both tracks). */
  readonly bitrate: number
}

/** Parse an FLV file holding H.264 + AAC (script tags and the end-of-sequence tag are dropped). */
export function parseFlv(flv: Buffer, name = 'clip'): FlvClip {
  if (flv.length < 13 || flv.toString('latin1', 0, 3) !== 'FLV') throw new Error(`${name} is not an FLV file`)
  let videoHeader: Buffer | null = null
  let audioHeader: Buffer | null = null
  const video: ClipFrame[] = []
  const audio: ClipFrame[] = []
  let offset = flv.readUInt32BE(5) + 4
  while (offset + 11 <= flv.length) {
    const type = flv[offset]
    const size = flv.readUIntBE(offset + 1, 3)
    const ts = flv.readUIntBE(offset + 4, 3) | (flv[offset + 7] << 24)
    if (offset + 11 + size > flv.length) throw new Error(`${name}: truncated tag at byte ${offset}`)
    const data = Buffer.from(flv.subarray(offset + 11, offset + 11 + size))
    offset += 11 + size + 4
    if (type === TAG_SCRIPT || size < 2) continue
    if (type === TAG_VIDEO) {
      if ((data[0] & 0x0f) !== CODEC_AVC) throw new Error(`${name}: video is not H.264`)
      if (data[1] === 0) videoHeader ??= data
      else if (data[1] === 1) video.push({ ts, cts: data.readIntBE(2, 3), data, key: data[0] >> 4 === 1 })
      // 2: end of sequence; a live stream never sends it mid-stream.
    } else if (type === TAG_AUDIO) {
      if (data[0] >> 4 !== CODEC_AAC) throw new Error(`${name}: audio is not AAC`)
      if (data[1] === 0) audioHeader ??= data
      else audio.push({ ts, cts: 0, data, key: true })
    }
  }
  if (videoHeader === null || video.length < 2) throw new Error(`${name}: no H.264 track (sequence header and frames)`)
  if (audioHeader === null || audio.length < 2) throw new Error(`${name}: no AAC track (sequence header and frames)`)
  if (!video[0].key) throw new Error(`${name}: the video does not start with a keyframe`)
  const videoTrack = track('video', videoHeader, video)
  const audioTrack = track('audio', audioHeader, audio)
  const bytes = [...video, ...audio].reduce((sum, f) => sum + f.data.length, 0)
  const { width, height } = avcDimensions(videoHeader)
  return {
    name,
    video: videoTrack,
    audio: audioTrack,
    width,
    height,
    frameRate: Math.round((video.length * 1000) / videoTrack.loopMs),
    bitrate: Math.round((bytes * 8 * 1000) / videoTrack.loopMs),
  }
}

function track(kind: 'audio' | 'video', header: Buffer, frames: ClipFrame[]): ClipTrack {
  for (let i = 1; i < frames.length; i++) {
    if (frames[i].ts < frames[i - 1].ts) throw new Error(`${kind} timestamps go backwards at frame ${i}`)
  }
  const span = frames[frames.length - 1].ts - frames[0].ts
  if (span <= 0) throw new Error(`${kind} frames all have the same timestamp`)
  return { kind, header, frames, loopMs: (span / (frames.length - 1)) * frames.length }
}

export function loadClip(file: string): FlvClip {
  return parseFlv(readFileSync(file), basename(file))
}

/**
 * Throws unless `idle` can stand in for `clip` frame by frame: same frame
 * counts, keyframe positions and sequence headers on both tracks.
 */
export function assertSwappable(clip: FlvClip, idle: FlvClip): void {
  for (const kind of ['video', 'audio'] as const) {
    const a = clip[kind]
    const b = idle[kind]
    const same =
      a.frames.length === b.frames.length &&
      a.header.equals(b.header) &&
      a.frames.every((f, i) => f.key === b.frames[i].key && f.ts === b.frames[i].ts)
    if (!same) throw new Error(`${idle.name} cannot stand in for ${clip.name}: its ${kind} track differs (frames, keyframes or sequence header)`)
  }
}

/** Width and height from the first SPS of an AVCDecoderConfigurationRecord tag body; 0×0 if unreadable. */
export function avcDimensions(tagBody: Buffer): { width: number; height: number } {
  try {
    // tag body: [frame/codec][packet type][cts ×3] then the record: version, profile, compat, level, lengthSize, numSps, spsLen(2), sps
    const record = tagBody.subarray(5)
    const spsLength = record.readUInt16BE(6)
    const sps = unescapeRbsp(record.subarray(8, 8 + spsLength))
    return readSpsDimensions(sps)
  } catch {
    return { width: 0, height: 0 }
  }
}

function unescapeRbsp(nal: Buffer): Buffer {
  const out: number[] = []
  for (let i = 0; i < nal.length; i++) {
    if (i >= 2 && nal[i] === 3 && nal[i - 1] === 0 && nal[i - 2] === 0) continue
    out.push(nal[i])
  }
  return Buffer.from(out)
}

/** Enough of an H.264 SPS parser for the frame size. */
function readSpsDimensions(sps: Buffer): { width: number; height: number } {
  let bit = 8 // skip the NAL header
  const u = (n: number): number => {
    let v = 0
    for (let i = 0; i < n; i++, bit++) {
      if (bit >> 3 >= sps.length) throw new Error('SPS ended early')
      v = (v << 1) | ((sps[bit >> 3] >> (7 - (bit & 7))) & 1)
    }
    return v
  }
  const ue = (): number => {
    let zeros = 0
    while (u(1) === 0) zeros++
    return (1 << zeros) - 1 + (zeros > 0 ? u(zeros) : 0)
  }
  const se = (): number => {
    const k = ue()
    return k & 1 ? (k + 1) / 2 : -(k / 2)
  }
  const profile = u(8)
  u(16) // constraint flags, level
  ue() // seq_parameter_set_id
  let chroma = 1
  if ([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135].includes(profile)) {
    chroma = ue()
    if (chroma === 3) u(1)
    ue()
    ue()
    u(1)
    if (u(1)) {
      for (let i = 0; i < (chroma !== 3 ? 8 : 12); i++) {
        if (u(1)) {
          let last = 8
          let next = 8
          for (let j = 0; j < (i < 6 ? 16 : 64); j++) {
            if (next !== 0) next = (last + se() + 256) % 256
            last = next === 0 ? last : next
          }
        }
      }
    }
  }
  ue() // log2_max_frame_num_minus4
  const pocType = ue()
  if (pocType === 0) ue()
  else if (pocType === 1) {
    u(1)
    se()
    se()
    const n = ue()
    for (let i = 0; i < n; i++) se()
  }
  ue() // max_num_ref_frames
  u(1)
  const widthMbs = ue() + 1
  const heightMapUnits = ue() + 1
  const frameMbsOnly = u(1)
  if (!frameMbsOnly) u(1)
  u(1)
  let crop = [0, 0, 0, 0]
  if (u(1)) crop = [ue(), ue(), ue(), ue()]
  const cropX = chroma === 0 ? 1 : 2
  const cropY = (chroma === 1 ? 2 : 1) * (2 - frameMbsOnly)
  return {
    width: widthMbs * 16 - cropX * (crop[0] + crop[1]),
    height: (2 - frameMbsOnly) * heightMapUnits * 16 - cropY * (crop[2] + crop[3]),
  }
}

// ---------------------------------------------------------------------------
// The looping timeline

/** A frame due on the stream: which track, which clip frame, and its stream timestamp. */
export interface DueFrame {
  readonly kind: 'audio' | 'video'
  readonly index: number
  /** Stream timestamp (ms since the start of this timeline). */
  readonly ts: number
}

/**
 * The clip's frames repeated forever, each track on its own period, merged in
 * timestamp order. Pure: the publisher asks for what is due by a time.
 */
export class LoopTimeline {
  private readonly cursors: Record<'audio' | 'video', { loop: number; index: number }> = {
    audio: { loop: 0, index: 0 },
    video: { loop: 0, index: 0 },
  }

  constructor(private readonly clip: FlvClip) {}

  /** The next frame (earliest stream timestamp across tracks) if it is due by `untilMs`; advances past it. */
  take(untilMs: number): DueFrame | null {
    const a = this.peek('audio')
    const v = this.peek('video')
    const next = v.ts <= a.ts ? v : a
    if (next.ts > untilMs) return null
    const cursor = this.cursors[next.kind]
    cursor.index += 1
    if (cursor.index === this.clip[next.kind].frames.length) {
      cursor.index = 0
      cursor.loop += 1
    }
    return next
  }

  private peek(kind: 'audio' | 'video'): DueFrame {
    const { loop, index } = this.cursors[kind]
    const track = this.clip[kind]
    return { kind, index, ts: Math.round(loop * track.loopMs) + track.frames[index].ts }
  }
}

// ---------------------------------------------------------------------------
// The publisher

export type PublisherState = 'connecting' | 'publishing' | 'retrying' | 'stopped'

export interface PublisherStats {
  /** RTMP connections that reached "publishing". */
  readonly connects: number
  readonly framesSent: number
  readonly bytesSent: number
  /** Frames dropped because the socket could not keep up. */
  readonly framesDropped: number
  /** Stream timestamp of the last frame sent on the current connection, ms. */
  readonly lastTs: number
}

export type { BackoffOptions }

export interface FlvLoopPublisherOptions {
  /** `rtmp://host:port/app/stream?query` (the query rides on the stream name, as ffmpeg sends it). */
  readonly url: string
  readonly clip: FlvClip
  /** Black frames and silence for camera off / muted; without it those frames are still sent from `clip`. */
  readonly idle?: FlvClip
  /** How often due frames are sent. Default 50 ms. */
  readonly tickMs?: number
  /** Send frames up to this far ahead of real time. Default: one tick. (Tests fast-forward with it.) */
  readonly aheadMs?: number
  /** Reconnect delays. Default 0.5 s doubling to 5 s. */
  readonly backoff?: BackoffOptions
  /** Give up a connection attempt that has not reached "publishing" after this long. Default 5 s. */
  readonly setupTimeoutMs?: number
  readonly onState?: (state: PublisherState, detail?: string) => void
}

/** Above this many unsent bytes the publisher drops frames (and restarts video at a keyframe). */
const MAX_BUFFERED_BYTES = 512 * 1024
/** A connection that lived this long resets the backoff. */
const HEALTHY_CONNECTION_MS = 5_000

export class FlvLoopPublisher {
  /** Send real audio (true) or the idle clip's silence (false). Applies from the next frame. */
  audio = true
  /** Send real video (true) or the idle clip's black frames (false). Applies from the next keyframe. */
  video = true

  private client: RtmpClient | null = null
  private timeline: LoopTimeline | null = null
  private startedAt = 0
  private videoSource: FlvClip
  private needKeyframe = true
  private stopped = false
  private running: Promise<void> | null = null
  private wake: (() => void) | null = null
  private state: PublisherState = 'connecting'
  private stats = { connects: 0, framesSent: 0, bytesSent: 0, framesDropped: 0, lastTs: 0 }

  constructor(private readonly options: FlvLoopPublisherOptions) {
    if (options.idle !== undefined) assertSwappable(options.clip, options.idle)
    this.videoSource = options.clip
  }

  get currentState(): PublisherState {
    return this.state
  }

  get statistics(): PublisherStats {
    return { ...this.stats }
  }

  /** Start connecting and publishing; reconnects until `stop()`. */
  start(): void {
    this.running ??= this.run()
  }

  /** Disconnect and stop retrying. */
  async stop(): Promise<void> {
    this.stopped = true
    this.wake?.()
    this.client?.disconnect()
    await this.running
    this.setState('stopped')
  }

  private async run(): Promise<void> {
    const backoff = this.options.backoff ?? { baseMs: 500, maxMs: 5_000 }
    let attempt = 0
    while (!this.stopped) {
      const began = performance.now()
      let detail: string
      try {
        detail = await this.publishOnce()
      } catch (error) {
        detail = error instanceof Error ? error.message : String(error)
      }
      if (this.stopped) break
      if (performance.now() - began > HEALTHY_CONNECTION_MS) attempt = 0
      const delay = backoffDelay(attempt, backoff, Math.random)
      attempt += 1
      this.setState('retrying', detail)
      await this.sleep(delay)
    }
  }

  /** One RTMP connection: set up, publish until it closes. Resolves with why it ended. */
  private async publishOnce(): Promise<string> {
    this.setState('connecting')
    const client = new RtmpClient()
    this.client = client
    let closeReason = 'connection closed'
    const closed = new Promise<void>((resolve) => {
      client.onCloseCallback = () => resolve()
    })
    client.onErrorCallback = (error) => {
      closeReason = error.message
    }
    let ticker: (() => void) | null = null
    let setupTimer: NodeJS.Timeout | undefined
    try {
      const setupTimeout = new Promise<never>((_, reject) => {
        setupTimer = setTimeout(() => reject(new Error('RTMP setup timed out')), this.options.setupTimeoutMs ?? 5_000)
      })
      const closedEarly = closed.then((): never => {
        throw new Error(closeReason)
      })
      // Only the race below listens; later settlements are expected.
      setupTimeout.catch(() => {})
      closedEarly.catch(() => {})
      const setup = (async () => {
        await client.connect(this.options.url)
        await client.sendConnect()
        await client.sendCreateStream()
        const { streamName, query } = RtmpClient.parseUrl(this.options.url)
        const search = new URLSearchParams(query).toString()
        await client.sendPublish(search === '' ? streamName : `${streamName}?${search}`)
      })()
      setup.catch(() => {})
      await Promise.race([setup, setupTimeout, closedEarly])
      clearTimeout(setupTimer)
      if (this.stopped) return 'stopped'
      this.beginTimeline(client)
      this.stats.connects += 1
      this.setState('publishing')
      ticker = () => this.tick(client)
      addTicker(ticker, this.options.tickMs ?? 50)
      await closed
      return closeReason
    } finally {
      clearTimeout(setupTimer)
      if (ticker !== null) removeTicker(ticker)
      if (this.client === client) this.client = null
      client.disconnect()
    }
  }

  private beginTimeline(client: RtmpClient): void {
    const { clip } = this.options
    const metaSender = client as unknown as { sendMetaData?: (data: object) => void }
    metaSender.sendMetaData?.({
      width: clip.width,
      height: clip.height,
      framerate: clip.frameRate,
      videocodecid: CODEC_AVC,
      audiocodecid: CODEC_AAC,
      videodatarate: Math.round(clip.bitrate / 1000),
      encoder: 'taro-meeting bots (pre-encoded clip, looped)',
    })
    client.sendPacket(packet('video', clip.video.header, 0, 0, 'header'))
    client.sendPacket(packet('audio', clip.audio.header, 0, 0, 'header'))
    this.timeline = new LoopTimeline(clip)
    this.startedAt = performance.now()
    this.needKeyframe = true
    this.stats.lastTs = 0
  }

  /** Send everything due by now + one tick. */
  private tick(client: RtmpClient): void {
    const timeline = this.timeline
    const socket = client.socket
    if (timeline === null || socket === null || socket.destroyed) return
    const until = performance.now() - this.startedAt + (this.options.aheadMs ?? this.options.tickMs ?? 50)
    socket.cork()
    try {
      for (let due = timeline.take(until); due !== null; due = timeline.take(until)) this.send(client, due, socket.writableLength)
    } finally {
      socket.uncork()
    }
  }

  private send(client: RtmpClient, due: DueFrame, buffered: number): void {
    const { clip, idle } = this.options
    const real = clip[due.kind].frames[due.index]
    if (buffered > MAX_BUFFERED_BYTES) {
      this.stats.framesDropped += 1
      if (due.kind === 'video') this.needKeyframe = true
      return
    }
    let frame = real
    if (due.kind === 'video') {
      if (this.needKeyframe && !real.key) {
        this.stats.framesDropped += 1
        return
      }
      if (real.key) {
        this.needKeyframe = false
        this.videoSource = this.video || idle === undefined ? clip : idle
      }
      frame = this.videoSource.video.frames[due.index]
    } else if (!this.audio && idle !== undefined) {
      frame = idle.audio.frames[due.index]
    }
    client.sendPacket(packet(due.kind, frame.data, due.ts, frame.cts, frame.key ? 'key' : 'inter'))
    this.stats.framesSent += 1
    this.stats.bytesSent += frame.data.length
    this.stats.lastTs = due.ts
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wake = done
    })
  }

  private setState(state: PublisherState, detail?: string): void {
    if (this.state === state && state !== 'retrying') return
    this.state = state
    this.options.onState?.(state, detail)
  }
}

/** node-media-server's packet flags: 0 audio header, 1 audio frame, 2 video header, 3 keyframe, 4 inter frame. */
function packet(kind: 'audio' | 'video', data: Buffer, ts: number, cts: number, what: 'header' | 'key' | 'inter'): AvPacket {
  const video = kind === 'video'
  const flags = video ? (what === 'header' ? 2 : what === 'key' ? 3 : 4) : what === 'header' ? 0 : 1
  return {
    codec_id: video ? CODEC_AVC : CODEC_AAC,
    codec_type: video ? TAG_VIDEO : TAG_AUDIO,
    flags,
    pts: ts + cts,
    dts: ts,
    size: data.length,
    data,
  }
}

// ---------------------------------------------------------------------------
// One timer for every publisher in the process: nine bots wake once per tick, not nine times.

const tickers = new Set<() => void>()
let tickTimer: NodeJS.Timeout | null = null
let tickPeriod = 0

function addTicker(ticker: () => void, periodMs: number): void {
  tickers.add(ticker)
  ticker()
  if (tickTimer !== null && periodMs >= tickPeriod) return
  if (tickTimer !== null) clearInterval(tickTimer)
  tickPeriod = periodMs
  tickTimer = setInterval(() => {
    for (const t of tickers) t()
  }, periodMs)
}

function removeTicker(ticker: () => void): void {
  tickers.delete(ticker)
  if (tickers.size === 0 && tickTimer !== null) {
    clearInterval(tickTimer)
    tickTimer = null
    tickPeriod = 0
  }
}
