/**
 * Browser publishing: the ingest socket (`GET /v1/ingest`, WebSocket). A
 * browser streams the WebM its MediaRecorder produces; this relay pipes it
 * through ffmpeg (H.264 copied, Opus → AAC) into the participant's signed
 * RTMP push URL on the embedded media server, where it is an ordinary RTMP
 * publish: the same signature checks, revocation and players as a phone's.
 * Protocol: src/core/ingest.ts, docs/protocol.md §9.
 *
 * Authorisation: the `push` query must be exactly the push URL the service
 * issued to a participant who is still in the meeting, and ffmpeg is only
 * ever pointed at that participant's own URL as the service holds it — never
 * at anything the client chose. One ingest per participant: a newer socket
 * replaces the older one (a browser reconnecting after a network change
 * must not wait for the dead socket to time out).
 *
 * Lifetimes are tied both ways: the socket closing ends ffmpeg (stdin closed,
 * then SIGTERM, then SIGKILL), and ffmpeg ending closes the socket with
 * `relay_failed`. The service's shutdown waits until every ffmpeg has exited.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { WebSocket, type RawData } from 'ws'
import {
  INGEST_ERRORS,
  INGEST_PATH,
  INGEST_PROGRESS_EVERY_MS,
  INGEST_TRANSCODE_KBPS,
  parseIngestVideoCodec,
  type IngestErrorCode,
  type IngestServerMessage,
  type IngestVideoCodec,
} from '../../src/core/ingest'
import type { ServiceContext } from '../context'
import type { Logger } from '../logger'
import type { MemberRecord as Participant } from '../state/meeting'
import { LocalMediaProvider, type StreamEvent } from './local'

/** After stdin closes, ffmpeg gets this long to flush and exit before SIGTERM… */
const EXIT_GRACE_MS = 1000
/** …and this long after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2000
/** A socket told to go away (replaced, refused) is cut after this long if its close handshake is stuck behind a backlog. */
const CLOSE_GRACE_MS = 1000
/** ffmpeg's last stderr bytes kept for the error message and the log. */
const STDERR_TAIL_BYTES = 600

/**
 * Stream names are `m<meetingId>_<participantId>_<8 hex>` (newStreamName in
 * ./provider.ts): the push URL names its room and participant, so the lookup
 * needs no index of streams.
 */
const STREAM_NAME = /^m([0-9]{1,20})_([A-Za-z0-9]{1,40})_[0-9a-f]{8}$/

/** The ffmpeg command line for one ingest; exported for the tests and the docs. */
export function ffmpegArgs(pushUrl: string, video: IngestVideoCodec, transcodeKbps: number): string[] {
  const videoArgs =
    video === 'h264'
      ? ['-c:v', 'copy']
      : [
          // Browsers without an H.264 recorder: re-encode, tuned for latency
          // (no B-frames, no lookahead) with a keyframe every 2 s for late players.
          '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
          '-b:v', `${transcodeKbps}k`, '-maxrate', `${transcodeKbps}k`, '-bufsize', `${transcodeKbps * 2}k`,
          '-force_key_frames', 'expr:gte(t,n_forced*2)',
        ]
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    // The WebM header declares both tracks with their codec parameters, so
    // probing need not wait: without these two, ffmpeg spent ~3.5 s guessing
    // the frame rate before it published (measured socket-open → publishing:
    // 3.48 s → 0.54 s, Chromium 156, same output per ffprobe).
    // `-fflags nobuffer` does not help here (measured: no change).
    '-fpsprobesize', '0', '-analyzeduration', '100000',
    '-f', 'webm', '-i', 'pipe:0',
    ...videoArgs,
    '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', '-flvflags', 'no_duration_filesize',
    pushUrl,
  ]
}

export interface IngestRelayOptions {
  /** ffmpeg executable (FFMPEG_PATH). */
  readonly ffmpegPath: string
}

/** One live ingest: a socket and its ffmpeg. */
class Ingest {
  private child: ChildProcessByStdio<Writable, null, Readable> | null = null
  private stderrTail = ''
  private ended = false
  private publishingSent = false
  /**
   * Resolves once ffmpeg exited, or, for an ingest stopped before it started,
   * once start() was reached — i.e. after its own predecessor exited — so a
   * chain of replacements never runs two ffmpeg processes on one stream.
   */
  readonly exited: Promise<void>
  private markExited: () => void = () => {}
  private killTimers: NodeJS.Timeout[] = []
  /** WebM bytes taken from the socket (reported to the browser as `progress`). */
  private receivedBytes = 0
  private progressTimer: NodeJS.Timeout | null = null

  constructor(
    readonly key: string,
    private readonly socket: WebSocket,
    readonly participant: Participant,
    private readonly log: Logger,
  ) {
    this.exited = new Promise((resolve) => (this.markExited = resolve))
    // Nothing is read until ffmpeg runs (a replaced ingest may still be exiting).
    socket.pause()
  }

  /** Start ffmpeg and the data path. */
  start(ffmpegPath: string, args: readonly string[], onExit: () => void): void {
    if (this.ended) {
      this.markExited()
      onExit()
      return
    }
    // Its own process group, so a signal reaches a wrapper's children too (FFMPEG_PATH may be a script).
    const child = spawn(ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true })
    this.child = child
    let spawnFailed = false
    child.on('error', (error: NodeJS.ErrnoException) => {
      // ENOENT/EACCES: no ffmpeg at FFMPEG_PATH. 'exit' may not follow.
      spawnFailed = true
      this.log.error({ err: error, ffmpegPath }, 'cannot run ffmpeg for browser publishing (FFMPEG_PATH)')
      this.fail('ingest_unavailable', `cannot run ffmpeg (${error.code ?? error.message}); install ffmpeg or set FFMPEG_PATH`)
      this.finished(onExit)
    })
    child.on('exit', (code, signal) => {
      if (spawnFailed) return
      // Whatever the child left behind in its group goes with it.
      this.signal('SIGKILL')
      this.log.info({ code, signal, stderr: this.stderrTail.trim() || undefined }, 'ffmpeg exited')
      if (!this.ended) this.fail('relay_failed', `ffmpeg exited (${signal ?? `code ${String(code)}`}): ${this.stderrTail.trim().slice(-200)}`)
      this.finished(onExit)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES)
    })
    // EPIPE after ffmpeg died: its exit handler reports it.
    child.stdin.on('error', () => {})
    child.stdin.on('drain', () => {
      if (!this.ended) this.socket.resume()
    })
    this.socket.on('message', this.onMessage)
    this.socket.resume()
    this.progressTimer = setInterval(() => this.send({ type: 'progress', receivedBytes: this.receivedBytes }), INGEST_PROGRESS_EVERY_MS)
    this.log.info({ pid: child.pid }, 'ffmpeg started')
  }

  /** The media server session of this ingest's RTMP publish, once accepted. */
  private sessionId: string | null = null

  /** The media server accepted the RTMP publish of this participant's stream. */
  publishing(sessionId: string): void {
    if (this.publishingSent || this.ended) return
    this.publishingSent = true
    this.sessionId = sessionId
    this.send({ type: 'publishing' })
  }

  /**
   * The media server ended a publish (the participant left and its stream was
   * revoked, or the media server stopped). If it was this ingest's, end the
   * ingest now: an ffmpeg blocked reading its input would only notice the
   * dead RTMP connection on its next write.
   */
  publishEnded(sessionId: string): void {
    if (this.sessionId === sessionId) this.fail('relay_failed', 'the media server ended the stream')
  }

  /** End the ingest from our side: tell the browser why, close, stop ffmpeg. */
  fail(code: IngestErrorCode, message?: string): void {
    if (this.ended) return
    this.send({ type: 'error', code, message: message ?? INGEST_ERRORS[code].message })
    this.closeSocket(INGEST_ERRORS[code].close, code)
    this.stop()
  }

  /** Stop ffmpeg: end its input, then signal it if it lingers. Idempotent. */
  stop(): void {
    this.ended = true
    if (this.progressTimer !== null) clearInterval(this.progressTimer)
    this.progressTimer = null
    this.socket.off('message', this.onMessage)
    const child = this.child
    // Not started yet: start() will see `ended` and resolve `exited`.
    if (child === null) return
    if (child.exitCode !== null || child.signalCode !== null || this.killTimers.length > 0) return
    child.stdin.end()
    this.killTimers.push(
      setTimeout(() => this.signal('SIGTERM'), EXIT_GRACE_MS),
      setTimeout(() => this.signal('SIGKILL'), EXIT_GRACE_MS + KILL_GRACE_MS),
    )
  }

  /** Stop ffmpeg now (service shutdown). */
  kill(): void {
    this.stop()
    if (this.child !== null && this.child.exitCode === null && this.child.signalCode === null) this.signal('SIGKILL')
  }

  /** Signal ffmpeg's process group. */
  private signal(sig: NodeJS.Signals): void {
    const pid = this.child?.pid
    if (pid === undefined) return
    try {
      process.kill(-pid, sig)
    } catch {
      // the group is gone already
    }
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  private onMessage = (data: RawData, isBinary: boolean): void => {
    if (!isBinary) {
      this.fail('bad_message')
      return
    }
    const child = this.child
    if (child === null || this.ended) return
    const chunks = Array.isArray(data) ? data : [Buffer.isBuffer(data) ? data : Buffer.from(data)]
    let ok = true
    for (const chunk of chunks) {
      this.receivedBytes += chunk.length
      ok = child.stdin.write(chunk) && ok
    }
    // Backpressure: stop reading the socket until ffmpeg drained its input;
    // TCP then pushes back to the browser, whose bufferedAmount grows (1101).
    if (!ok) this.socket.pause()
  }

  private finished(onExit: () => void): void {
    this.ended = true
    if (this.progressTimer !== null) clearInterval(this.progressTimer)
    this.progressTimer = null
    for (const timer of this.killTimers) clearTimeout(timer)
    this.killTimers = []
    this.closeSocket(INGEST_ERRORS.relay_failed.close, 'relay_failed')
    this.markExited()
    onExit()
  }

  private send(message: IngestServerMessage): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message))
  }

  private closeSocket(code: number, reason: string): void {
    const socket = this.socket
    if (socket.readyState !== WebSocket.OPEN && socket.readyState !== WebSocket.CONNECTING) return
    socket.close(code, reason)
    // A browser with seconds of media queued answers the close only after
    // sending all of it; cut the connection so that backlog is dropped.
    setTimeout(() => {
      if (socket.readyState !== WebSocket.CLOSED) socket.terminate()
    }, CLOSE_GRACE_MS).unref()
  }
}

/** The running relays; what the tests inspect. */
export interface IngestRelay {
  /** ffmpeg process ids of the live ingests. */
  pids(): number[]
  /** Resolves when no ingest is left (every ffmpeg exited). */
  idle(): Promise<void>
}

/**
 * Register the ingest route on the room service. The relays are stopped,
 * and their ffmpeg processes awaited, when the server closes.
 */
export function registerIngest(app: FastifyInstance, ctx: ServiceContext, log: Logger, options: IngestRelayOptions): IngestRelay {
  const live = new Map<string, Ingest>()
  const all = new Set<Ingest>()
  const media = ctx.media instanceof LocalMediaProvider ? ctx.media : null

  const onPublishAccepted = (event: StreamEvent): void => {
    for (const ingest of live.values()) if (ingest.participant.streamName === event.streamName) ingest.publishing(event.sessionId)
  }
  const onPublishEnded = (event: StreamEvent): void => {
    for (const ingest of all) ingest.publishEnded(event.sessionId)
  }
  media?.events.on('publish-accepted', onPublishAccepted)
  media?.events.on('publish-ended', onPublishEnded)

  app.get(INGEST_PATH, { websocket: true }, (socket, request) => {
    const query = request.query as Record<string, unknown>
    const refuse = (code: IngestErrorCode, message?: string): void => {
      log.warn({ ip: request.ip, code }, 'ingest refused')
      const body: IngestServerMessage = { type: 'error', code, message: message ?? INGEST_ERRORS[code].message }
      socket.send(JSON.stringify(body))
      socket.close(INGEST_ERRORS[code].close, code)
    }
    if (media === null) {
      refuse('ingest_unavailable', `browser publishing needs MEDIA_PROVIDER=local (this service uses ${ctx.media.kind})`)
      return
    }
    const video = parseIngestVideoCodec(query.video ?? 'h264')
    if (video === null) {
      refuse('bad_message', 'video must be one of h264, vp8, vp9')
      return
    }
    const participant = participantOf(ctx, query.push)
    if (participant === null) {
      refuse('bad_push_url')
      return
    }
    const kbps = clampKbps(query.kbps)
    const key = participant.streamName
    const ingestLog = log.child({ participant: participant.id, stream: key, video })
    const ingest = new Ingest(key, socket, participant, ingestLog)
    all.add(ingest)
    const previous = live.get(key)
    live.set(key, ingest)
    // It stays in `live` until ffmpeg exited, so a reconnect waits for the stream to be free.
    socket.on('close', () => ingest.stop())
    socket.on('error', (error) => ingestLog.debug({ err: error }, 'ingest socket error'))
    const begin = (): void =>
      ingest.start(options.ffmpegPath, ffmpegArgs(participant.urls.pushUrl, video, kbps), () => {
        all.delete(ingest)
        if (live.get(key) === ingest) live.delete(key)
      })
    if (previous === undefined) {
      begin()
    } else {
      // The stream has one publisher: the old ffmpeg must be gone before the new
      // one publishes. A still-open previous socket is told it was replaced.
      ingestLog.info('waiting for the previous ingest of this participant to end')
      previous.fail('ingest_replaced')
      void previous.exited.then(begin)
    }
  })

  app.addHook('onClose', async () => {
    media?.events.off('publish-accepted', onPublishAccepted)
    media?.events.off('publish-ended', onPublishEnded)
    for (const ingest of all) ingest.kill()
    await Promise.all([...all].map((ingest) => ingest.exited))
  })

  return {
    pids: () => [...all].map((i) => i.pid).filter((pid): pid is number => pid !== undefined),
    idle: async () => {
      while (all.size > 0) await Promise.all([...all].map((ingest) => ingest.exited))
    },
  }
}

/** The current participant whose push URL is exactly `push`, or null. */
function participantOf(ctx: ServiceContext, push: unknown): Participant | null {
  if (typeof push !== 'string' || push.length > 2048) return null
  let url: URL
  try {
    url = new URL(push)
  } catch {
    return null
  }
  const streamName = url.pathname.split('/').pop() ?? ''
  const match = STREAM_NAME.exec(streamName)
  if (match === null) return null
  const participant = ctx.registry.get(match[1])?.participant(match[2])
  if (participant === undefined || participant.streamName !== streamName) return null
  // The URL as issued (and re-signed on resume), byte for byte: a signature
  // alone is not enough, the participant must still hold this URL.
  return participant.urls.pushUrl === push ? participant : null
}

function clampKbps(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : NaN
  if (!Number.isFinite(n)) return INGEST_TRANSCODE_KBPS.default
  return Math.round(Math.min(INGEST_TRANSCODE_KBPS.max, Math.max(INGEST_TRANSCODE_KBPS.min, n)))
}
