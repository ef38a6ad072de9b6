/**
 * The room service: HTTP and WebSocket on one fastify server, the room
 * registry over its state store (memory, or Redis shared with other
 * instances), the media provider, and the presence sweeper (which, with
 * Redis, also beats this instance's liveness key and takes over the members
 * of instances found dead). `startService` is what server/main.ts runs and
 * what the tests start on free ports.
 */
import { randomBytes } from 'node:crypto'
import websocket from '@fastify/websocket'
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify'
import { CLOSE_CODES, PATHS, type ErrorMessage } from '../src/core/protocol'
import { KeyedRateLimiter } from './auth/rate-limit'
import { TokenSigner } from './auth/token'
import type { Config, TrustProxy } from './config'
import type { ServiceContext } from './context'
import { ProtocolError, errorBody } from './errors'
import { registerRoutes } from './http/routes'
import { registerStatic } from './http/static'
import { DRAIN_SLICE, inSlices } from './drain'
import { createRootLogger, moduleLogger, type Logger } from './logger'
import { createMediaProvider, type MediaProvider } from './media'
import { registerIngest } from './media/ingest'
import { OpenFileBudget } from './open-files'
import { RoomRegistry } from './rooms/registry'
import { MemoryStore } from './state/memory-store'
import { RedisStore } from './state/redis-store'
import type { StateStore } from './state/store'
import { Connection } from './ws/connection'
import { releaseUpgrade } from './ws/upgrade'

export interface ServiceOptions {
  /** Defaults to a pino logger at `config.logLevel`. */
  readonly logger?: Logger
  /** Defaults to the provider `config.media` names. */
  readonly media?: MediaProvider
}

export interface RunningService {
  /** `http://host:port` as bound (the port resolved when 0 was asked for). */
  readonly url: string
  /** `ws://host:port/v1/ws`. */
  readonly socketUrl: string
  readonly port: number
  readonly media: MediaProvider
  readonly registry: RoomRegistry
  readonly store: StateStore
  /** This process's instance id. */
  readonly instance: string
  /**
   * Stop (SIGTERM), in slices so the event loop keeps serving: refuse new
   * meetings and joins (503 `shutting_down`) and new sockets (close 1012).
   * Alone (memory): end every meeting (`meeting_ended server_shutdown`,
   * close 1001). Sharing meetings (Redis): hand this instance's sockets over
   * (they close with 1012 and resume elsewhere) and leave the meetings
   * running. Sockets that never said hello close with 1012. Then close every
   * listener and the media server. Idempotent.
   */
  stop(): Promise<void>
}

/** Frames above this are cut by ws itself (close 1009); below it and above MAX_FRAME_BYTES they get `frame_too_large`. */
const hardFrameCap = (maxFrameBytes: number): number => Math.max(64 * 1024, 4 * maxFrameBytes)

/** How long shutdown waits for clients to answer the close handshake before cutting them. */
const CLOSE_HANDSHAKE_MS = 300

/** Creating a meeting and joining one: refused while stopping (leaving still works). */
const NEW_MEMBERS = /^\/v1\/meetings(\/[^/?]+\/join)?\/?(\?|$)/

export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const root = options.logger ?? createRootLogger(config.logLevel)
  const log = moduleLogger(root, 'service')
  const media = options.media ?? createMediaProvider(config.media, moduleLogger(root, 'media'))
  await media.start()

  const now = (): number => Date.now()
  const instance = `i${randomBytes(5).toString('hex')}`
  let store: StateStore
  try {
    store =
      config.redisUrl === undefined
        ? new MemoryStore()
        : await RedisStore.connect({ url: config.redisUrl, log: moduleLogger(root, 'redis'), emptyTtlMs: config.emptyMeetingTtlMs })
  } catch (error) {
    await media.stop()
    throw error
  }
  const tokens = new TokenSigner(config.sessionSecret)
  const httpLimiter = new KeyedRateLimiter(config.httpRateBurst, config.httpRatePerMin / 60_000)
  const socketOpenLimiter = new KeyedRateLimiter(config.wsOpenBurst, config.wsOpenPerMin / 60_000)
  const registry = new RoomRegistry(
    {
      settings: {
        capacity: config.capacity,
        tokenTtlMs: config.tokenTtlS * 1000,
        mediaUrlTtlMs: config.mediaUrlTtlS * 1000,
        emptyTtlMs: config.emptyMeetingTtlMs,
        heartbeat: {
          intervalMs: config.heartbeatIntervalMs,
          timeoutMs: config.heartbeatTimeoutMs,
          resumeGraceMs: config.resumeGraceMs,
        },
      },
      media,
      tokens,
      store,
      instance,
      log: moduleLogger(root, 'rooms'),
      now,
    },
    moduleLogger(root, 'registry'),
  )
  const openFiles = new OpenFileBudget({ limit: config.maxOpenFiles, reserve: config.openFilesReserve })
  const ctx: ServiceContext = { config, registry, store, instance, tokens, media, now, openFiles }

  let app: FastifyInstance
  try {
    app = await buildApp(ctx)
    await app.listen({ host: config.host, port: config.port }).catch((error: Error) => {
      throw new Error(`cannot listen on ${config.host}:${config.port} (HOST, PORT): ${error.message}`)
    })
  } catch (error) {
    await store.close()
    await media.stop()
    throw error
  }
  openFiles.track(app.server)
  openFiles.refresh(now())
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host

  const sweepEveryMs = Math.max(10, Math.min(1000, Math.floor(Math.min(config.heartbeatTimeoutMs, config.resumeGraceMs) / 5)))
  const liveness = store.kind === 'redis' ? new Liveness(store, registry, instance, config.instanceTtlMs, log) : null
  let sweeping = false
  const sweeper = setInterval(() => {
    httpLimiter.prune(now())
    socketOpenLimiter.prune(now())
    openFiles.refresh(now())
    // One sweep at a time: with Redis a sweep awaits the store, which may be slow or away.
    if (sweeping) return
    sweeping = true
    const dead = liveness?.dead ?? new Set<string>()
    registry.sweep(now(), dead).finally(() => (sweeping = false))
  }, sweepEveryMs)
  liveness?.start()

  let stopping: Promise<void> | null = null
  /** Set by stop(): no new members or sockets. */
  let draining = false
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(sweeper)
      draining = true
      const clients = app.websocketServer.clients
      log.info({ sockets: clients.size, meetings: registry.size, state: store.kind }, 'stopping')
      // Both branches go a slice of meetings (~DRAIN_SLICE sockets) per turn
      // of the event loop, so requests and close handshakes keep being
      // served while 20,000 sockets go (registry.closeAll / handOff).
      if (liveness === null) {
        // Alone, the meetings live in this process: nowhere else could a
        // client resume them, so they end, and every member is told so.
        await registry.closeAll('server_shutdown')
      } else {
        // Die gracefully: the sockets resume elsewhere, and an expired
        // liveness key makes the others adopt this instance's members now.
        liveness.stop()
        const held = registry.ids()
        await registry.handOff()
        await store.beat(instance, 1, held).catch(() => undefined)
      }
      // What no meeting held (sockets that have not said hello yet): resume elsewhere, or learn there what became of the meeting.
      await inSlices(clients, DRAIN_SLICE, (socket) => {
        if (socket.readyState === socket.OPEN) socket.close(CLOSE_CODES.instance_stopping, 'instance stopping')
      })
      await waitForSockets(app, CLOSE_HANDSHAKE_MS)
      await inSlices(clients, DRAIN_SLICE, (socket) => socket.terminate())
      await app.close()
      await store.close()
      await media.stop()
      log.info('stopped')
    })()
    return stopping
  }

  log.info({ url: `http://${urlHost}:${port}`, media: media.kind, state: store.kind, instance }, 'room service listening')
  return {
    url: `http://${urlHost}:${port}`,
    socketUrl: `ws://${urlHost}:${port}${PATHS.socket}`,
    port,
    media,
    registry,
    store,
    instance,
    stop,
  }

  async function buildApp(context: ServiceContext): Promise<FastifyInstance> {
    const httpLog = moduleLogger(root, 'http')
    const wsLog = moduleLogger(root, 'ws')
    const instance = Fastify({
      loggerInstance: httpLog as FastifyBaseLogger,
      // Per-request lines would drown the room logs; handlers log what matters.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: Math.max(16 * 1024, config.maxFrameBytes),
      // Meetings are ended before the server closes; an HTTP request still
      // open then (a slow client) must not hold the shutdown.
      forceCloseConnections: true,
      // request.ip (the rate limits' key) is the TCP peer unless TRUST_PROXY names proxies to believe.
      trustProxy: fastifyTrustProxy(config.trustProxy),
    })
    instance.addHook('onRequest', async (request, reply) => {
      if (config.corsOrigin !== '') {
        reply.header('Access-Control-Allow-Origin', config.corsOrigin)
        if (request.method === 'OPTIONS') {
          reply
            .code(204)
            .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
            .header('Access-Control-Allow-Headers', 'Content-Type')
            .header('Access-Control-Max-Age', '600')
          return reply.send()
        }
      }
      // Upgrades are limited in the socket handler instead: an error thrown
      // here would leave the upgrading socket hanging outside the server's care.
      const upgrade = request.headers.upgrade?.toLowerCase() === 'websocket'
      if (draining && request.method === 'POST' && NEW_MEMBERS.test(request.url)) throw new ProtocolError('shutting_down')
      if (request.url.startsWith('/v1/') && !upgrade) {
        const wait = httpLimiter.check(request.ip, now())
        if (wait > 0) throw new ProtocolError('rate_limited', { retryAfterMs: wait })
      }
    })
    instance.setErrorHandler((error: FastifyError | ProtocolError, request, reply) => {
      if (error instanceof ProtocolError) return reply.code(error.status).send({ error: error.body() })
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.code(413).send({ error: errorBody('frame_too_large') })
      }
      const status = error.statusCode ?? 500
      if (status >= 400 && status < 500) {
        return reply.code(400).send({ error: errorBody('bad_message', { details: [error.message.slice(0, 200)] }) })
      }
      request.log.error({ err: error, url: request.url }, 'request failed')
      return reply.code(500).send({ error: errorBody('internal') })
    })
    instance.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: errorBody('not_found') }))

    await instance.register(websocket, {
      options: { maxPayload: hardFrameCap(config.maxFrameBytes) },
      // Meetings were already ended and their sockets closed politely; cut what is left.
      preClose(done) {
        for (const client of this.websocketServer.clients) client.terminate()
        this.websocketServer.close(() => done())
      },
    })
    let connections = 0
    instance.get(PATHS.socket, { websocket: true }, (socket, request) => {
      releaseUpgrade(socket, request, (error) => {
        wsLog.debug({ err: error }, 'socket error')
        socket.terminate()
      })
      if (draining) {
        socket.close(CLOSE_CODES.instance_stopping, 'instance stopping')
        return
      }
      const wait = socketOpenLimiter.check(request.ip, now())
      if (wait > 0) {
        const refusal: ErrorMessage = { type: 'error', ...errorBody('rate_limited', { retryAfterMs: wait }) }
        socket.send(JSON.stringify(refusal))
        socket.close(CLOSE_CODES.rate_limited, 'rate limited')
        return
      }
      connections += 1
      new Connection(socket, context, wsLog.child({ conn: connections, ip: request.ip }))
    })
    registerRoutes(instance, context)
    registerIngest(instance, context, moduleLogger(root, 'ingest'), { ffmpegPath: config.ffmpegPath })
    if (config.h5Dir !== undefined) await registerStatic(instance, config.h5Dir)
    return instance
  }
}

/**
 * With Redis: this instance's liveness key, beaten every third of its TTL
 * with the meetings it holds, and the watch for dead instances. A dead
 * instance is claimed by one live instance, which opens the dead one's
 * meetings; the sweep of every instance holding those meetings then adopts
 * the orphaned members (their resume window starts), and removes them when
 * it ends unless they resumed somewhere.
 */
/** Held meetings' idle expiry is pushed back at least this often (it is a day). */
const MEETINGS_REFRESH_MS = 10 * 60_000

class Liveness {
  /** Instances found dead at the last check. */
  dead: ReadonlySet<string> = new Set()
  private timer: NodeJS.Timeout | null = null
  private busy = false
  /** The meeting list last written, and when: rewritten when it changes, and every MEETINGS_REFRESH_MS (idle expiry). */
  private sentMeetings = ''
  private sentAt = 0

  constructor(
    private readonly store: StateStore,
    private readonly registry: RoomRegistry,
    private readonly instance: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.tick()
    this.timer = setInterval(() => void this.tick(), Math.max(100, Math.floor(this.ttlMs / 3)))
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
  }

  private async tick(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      const ids = this.registry.ids().sort()
      const listed = ids.join(',')
      const due = listed !== this.sentMeetings || Date.now() - this.sentAt > MEETINGS_REFRESH_MS
      await this.store.beat(this.instance, this.ttlMs, due ? ids : null)
      if (due) {
        this.sentMeetings = listed
        this.sentAt = Date.now()
      }
      const all = await this.store.instances()
      const dead = all.filter((i) => !i.alive && i.id !== this.instance)
      // Kept once seen: after one instance claims a dead one it leaves the
      // store's list, but members recorded under it may still be swept here.
      // One that beats again (it was only stalled) is alive, and reclaims its sockets.
      const alive = new Set(all.filter((i) => i.alive).map((i) => i.id))
      this.dead = new Set([...this.dead, ...dead.map((i) => i.id)].filter((id) => !alive.has(id)))
      for (const gone of dead) {
        // Open its meetings first: once claimed, its meeting list is gone.
        await Promise.all(gone.meetings.map((id) => this.registry.open(id)))
        if (await this.store.claimDead(gone.id)) {
          this.log.warn({ instance: gone.id, meetings: gone.meetings.length }, 'instance gone; adopting its members')
        }
      }
    } catch (error) {
      // Redis away: the client reconnects by itself; the next tick tries again.
      this.log.debug({ err: error }, 'liveness tick failed')
    } finally {
      this.busy = false
    }
  }
}

/** Fastify's types lack the hop count its runtime takes; a function trusting that many hops says the same. */
function fastifyTrustProxy(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return typeof trust === 'boolean' ? trust : [...trust]
}

async function waitForSockets(app: FastifyInstance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (app.websocketServer.clients.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
