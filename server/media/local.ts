/**
 * The `local` media provider: node-media-server 4.x embedded in this process.
 * RTMP in; RTMP, HTTP-FLV and WS-FLV out; loopback by default; no admin
 * console, no API, no recording, no store on disk.
 *
 * URLs are signed the Tencent way (./tencent-sign.ts) with a push key and a
 * play key, and checked in node-media-server's `prePublish` / `prePlay`
 * events. Those events are notifications, not vetoes, so a refusal has to cut
 * the session itself:
 * - RTMP: destroy the socket. `session.close()` only half-closes it (`end()`),
 *   and frames the client already sent are still relayed.
 * - The parser may still hold frames from the same TCP read, and
 *   node-media-server goes on to register the session and fire `postPublish`
 *   for it, so the session's packet and send callbacks are replaced by no-ops
 *   first and its later events are ignored.
 * - HTTP-FLV: answer 403 (with `Connection: close`); WS-FLV: terminate.
 *
 * node-media-server keeps its state in module-level singletons (Context), so
 * there is one local provider per process at a time.
 */
import { EventEmitter, once } from 'node:events'
import type { Server as NetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import NodeMediaServer from 'node-media-server'
import Context from 'node-media-server/src/core/context.js'
import nmsLogger from 'node-media-server/src/core/logger.js'
import type { LocalMediaConfig } from '../config'
import type { Logger } from '../logger'
import type { MediaProvider, StreamUrls } from './provider'
import { signedQuery, verifySignedQuery, type SignatureVerdict } from './tencent-sign'

type Session = NodeMediaServer.Session

/** Why a publish or play was refused. */
export type RefusalReason =
  /** Publishing over HTTP/WS-FLV: only RTMP ingest is offered. */
  | 'not_rtmp'
  /** Another app than the configured one, or a malformed stream name. */
  | 'bad_path'
  /** The stream's participant is gone. */
  | 'revoked'
  | Extract<SignatureVerdict, { ok: false }>['reason']

export interface StreamEvent {
  readonly streamName: string
  readonly sessionId: string
  readonly protocol: string
}

export interface RefusalEvent extends StreamEvent {
  readonly reason: RefusalReason
}

/** What the provider observed; the tests and the logs listen. */
export interface LocalMediaEvents {
  'publish-accepted': [StreamEvent]
  'publish-refused': [RefusalEvent]
  'publish-ended': [StreamEvent]
  'play-accepted': [StreamEvent]
  'play-refused': [RefusalEvent]
}

/** Ports the embedded server actually listens on (after a 0 was resolved). */
export interface LocalMediaPorts {
  readonly rtmp: number
  readonly httpFlv: number
}

const STREAM_NAME = /^[A-Za-z0-9_-]{1,128}$/

/**
 * node-media-server creates a listener only for a truthy port; we create it
 * with this placeholder and then listen ourselves on the configured port
 * (0 included), so that a busy port is an error we handle instead of its
 * `process.exit(1)`.
 */
const PLACEHOLDER_PORT = 1

/** The token of the provider currently owning node-media-server's singletons. */
let activeOwner: symbol | null = null

const noop = (): void => {}

export class LocalMediaProvider implements MediaProvider {
  readonly kind = 'local'
  readonly events = new EventEmitter<LocalMediaEvents>()
  /** Random per provider when not configured. */
  readonly pushKey: string
  readonly playKey: string

  private nms: NodeMediaServer | null = null
  private boundPorts: LocalMediaPorts | null = null
  private readonly revoked = new Map<string, number>()
  /** Sessions we cut; node-media-server keeps firing their events. */
  private readonly refused = new WeakSet<Session>()
  private readonly owner = Symbol('local media provider')
  private readonly listeners: ReadonlyArray<[NodeMediaServer.SessionEvent, (session: Session) => void]>

  constructor(
    private readonly config: LocalMediaConfig,
    private readonly log: Logger,
  ) {
    this.pushKey = config.pushKey ?? randomBytes(16).toString('hex')
    this.playKey = config.playKey ?? randomBytes(16).toString('hex')
    this.listeners = [
      ['prePublish', this.onPrePublish],
      ['postPublish', this.onPostPublish],
      ['donePublish', this.onDonePublish],
      ['prePlay', this.onPrePlay],
      ['postPlay', this.onPostPlay],
    ]
  }

  /** The bound ports; throws before `start()`. */
  get ports(): LocalMediaPorts {
    if (this.boundPorts === null) throw new Error('local media server is not running')
    return this.boundPorts
  }

  async start(): Promise<void> {
    if (activeOwner !== null) {
      throw new Error('A local media server is already running in this process (node-media-server state is process-wide)')
    }
    activeOwner = this.owner
    routeNmsLogs(this.log)
    try {
      const nms = new NodeMediaServer({
        bind: this.config.bind,
        rtmp: { port: this.config.rtmpPort || PLACEHOLDER_PORT },
        http: { port: this.config.httpFlvPort || PLACEHOLDER_PORT },
        webadmin: { enable: false },
        record: { auto: false },
        // Never opened (we do not call run()), so nothing is written; still
        // one path per instance, in case a future version touches it.
        store: { path: join(tmpdir(), `room-service-nms-${process.pid}-${randomBytes(4).toString('hex')}`) },
      })
      this.nms = nms
      for (const [event, listener] of this.listeners) Context.eventEmitter.on(event, listener)
      const rtmpServer = nms.rtmpServer.tcpServer
      const httpServer = nms.httpServer.httpServer
      if (rtmpServer === undefined || httpServer === undefined) throw new Error('node-media-server did not create its listeners')
      // Its own handler calls process.exit(1) on a listen error.
      httpServer.removeAllListeners('error')
      httpServer.on('error', (error) => this.log.error({ err: error }, 'HTTP-FLV server error'))
      rtmpServer.on('error', (error) => this.log.error({ err: error }, 'RTMP server error'))
      const rtmp = await listen(rtmpServer, this.config.rtmpPort, this.config.bind, 'RTMP_PORT')
      const httpFlv = await listen(httpServer, this.config.httpFlvPort, this.config.bind, 'HTTP_FLV_PORT')
      this.boundPorts = { rtmp, httpFlv }
      Context.config.rtmp = { port: rtmp }
      Context.config.http = { port: httpFlv }
      this.log.info({ bind: this.config.bind, rtmp, httpFlv }, 'local media server listening')
    } catch (error) {
      await this.stop()
      throw error
    }
  }

  async stop(): Promise<void> {
    const nms = this.nms
    if (nms === null) {
      this.release()
      return
    }
    this.nms = null
    for (const [event, listener] of this.listeners) Context.eventEmitter.off(event, listener)
    const servers = [nms.rtmpServer.tcpServer, nms.httpServer.httpServer].filter(
      (s): s is NetServer => s !== undefined && s.listening,
    )
    const closed = servers.map((s) => once(s, 'close'))
    for (const client of nms.httpServer.wsServer?.clients ?? []) client.terminate()
    await nms.stop()
    // HTTP-FLV players hold their responses open; close() alone would wait for them.
    nms.httpServer.httpServer?.closeAllConnections()
    await Promise.all(closed)
    Context.sessions.clear()
    Context.broadcasts.clear()
    this.boundPorts = null
    this.release()
  }

  urls(streamName: string, expiresAt: number): StreamUrls {
    const { publicHost, app } = this.config
    const { rtmp, httpFlv } = this.ports
    return {
      pushUrl: `rtmp://${publicHost}:${rtmp}/${app}/${streamName}?${signedQuery(this.pushKey, streamName, expiresAt)}`,
      playUrl: `http://${publicHost}:${httpFlv}/${app}/${streamName}.flv?${signedQuery(this.playKey, streamName, expiresAt)}`,
      expiresAt,
    }
  }

  revoke(streamName: string, until: number): void {
    const now = Date.now()
    for (const [name, expiry] of this.revoked) if (expiry <= now) this.revoked.delete(name)
    if (until > now) this.revoked.set(streamName, until)
    for (const session of Context.sessions.values()) {
      if (session.streamApp === this.config.app && session.streamName === streamName && session.ip !== '') {
        this.log.info({ streamName, sessionId: session.id, publisher: session.isPublisher }, 'cutting a revoked stream')
        const wasPublishing = session.isPublisher && !this.refused.has(session)
        this.cut(session)
        // cut() makes node-media-server's own donePublish for this session be
        // ignored, so say here that the publish ended (the ingest relay ends
        // its ffmpeg on it: an idle ffmpeg would not notice the cut).
        if (wasPublishing) this.events.emit('publish-ended', describeSession(session))
      }
    }
  }

  describe(): string {
    const { rtmp, httpFlv } = this.ports
    const { publicHost, bind, app } = this.config
    return `local (node-media-server, bound to ${bind}): push rtmp://${publicHost}:${rtmp}/${app}/…, play http://${publicHost}:${httpFlv}/${app}/….flv`
  }

  // -------------------------------------------------------------------------

  private onPrePublish = (session: Session): void => {
    const reason =
      session.protocol !== 'rtmp' ? 'not_rtmp' : this.refusal(session, this.pushKey)
    if (reason === null) return
    this.cut(session)
    this.log.warn({ streamPath: session.streamPath, ip: session.ip, reason }, 'publish refused')
    this.events.emit('publish-refused', { ...describeSession(session), reason })
  }

  private onPostPublish = (session: Session): void => {
    if (this.refused.has(session)) return
    this.log.info({ streamPath: session.streamPath, ip: session.ip }, 'publish accepted')
    this.events.emit('publish-accepted', describeSession(session))
  }

  private onDonePublish = (session: Session): void => {
    if (this.refused.has(session)) return
    this.events.emit('publish-ended', describeSession(session))
  }

  private onPrePlay = (session: Session): void => {
    const reason = this.refusal(session, this.playKey)
    if (reason === null) return
    this.cut(session)
    this.log.warn({ streamPath: session.streamPath, ip: session.ip, reason }, 'play refused')
    this.events.emit('play-refused', { ...describeSession(session), reason })
  }

  private onPostPlay = (session: Session): void => {
    if (this.refused.has(session)) return
    this.events.emit('play-accepted', describeSession(session))
  }

  /** Why this session may not publish/play, or null when its URL checks out. */
  private refusal(session: Session, key: string): RefusalReason | null {
    const name = session.streamName
    if (session.streamApp !== this.config.app || typeof name !== 'string' || !STREAM_NAME.test(name)) return 'bad_path'
    const revokedUntil = this.revoked.get(name)
    if (revokedUntil !== undefined && revokedUntil > Date.now()) return 'revoked'
    const verdict = verifySignedQuery(key, name, session.streamQuery ?? {}, Date.now())
    return verdict.ok ? null : verdict.reason
  }

  /** Stop a session before (more) media flows through it; see the module comment. */
  private cut(session: Session): void {
    this.refused.add(session)
    session.sendBuffer = noop
    session.onPacket = noop
    if (session.rtmp) session.rtmp.onPacketCallback = noop
    if (session.flv) session.flv.onPacketCallback = noop
    if (session.socket) {
      session.socket.destroy()
      return
    }
    const res = session.res
    if (res === undefined) return
    if ('terminate' in res) {
      res.terminate()
    } else {
      if (!res.headersSent) res.writeHead(403, { 'Content-Type': 'text/plain', Connection: 'close' })
      res.end('forbidden\n')
      session.req?.socket.destroySoon()
    }
  }

  private release(): void {
    if (activeOwner === this.owner) activeOwner = null
  }
}

function describeSession(session: Session): StreamEvent {
  return { streamName: session.streamName, sessionId: session.id, protocol: session.protocol }
}

/** Listen; a failure names the setting to change. */
function listen(server: NetServer, port: number, host: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(new Error(`cannot listen on ${host}:${port} (${setting}): ${error.message}`))
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    })
  })
}

/** Where node-media-server's log lines go: the latest provider's logger. */
let nmsSink: Logger | null = null

/**
 * node-media-server logs with console.log at debug level; send its lines to
 * our logger instead, one level down (its "error"s are mostly client faults
 * such as a refused publish). Installed once and left in place, because its
 * sessions may still log while their sockets finish closing after stop().
 */
function routeNmsLogs(log: Logger): void {
  if (nmsSink === null) {
    nmsLogger.log = (message: string, level = 'info') => {
      if (level === 'error' || level === 'warn') nmsSink?.warn(message)
      else if (level === 'info') nmsSink?.debug(message)
      else nmsSink?.trace(message)
    }
  }
  nmsSink = log
}
