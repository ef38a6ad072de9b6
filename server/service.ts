/**
 * The room service: HTTP and WebSocket on one fastify server, the room
 * registry, the media provider, and the presence sweeper. `startService` is
 * what server/main.ts runs and what the tests start on free ports.
 */
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
import { inSlices } from './drain'
import { createRootLogger, moduleLogger, type Logger } from './logger'
import { createMediaProvider, type MediaProvider } from './media'
import { registerIngest } from './media/ingest'
import { OpenFileBudget } from './open-files'
import { RoomRegistry } from './rooms/registry'
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
  /**
   * Drain and stop (SIGTERM): refuse new meetings and joins (503
   * `shutting_down`), close every socket with 1012 `service_restart` in
   * slices (clients resume elsewhere; meetings are not ended), then the
   * listeners and the media server. Idempotent.
   */
  stop(): Promise<void>
}

/** Frames above this are cut by ws itself (close 1009); below it and above MAX_FRAME_BYTES they get `frame_too_large`. */
const hardFrameCap = (maxFrameBytes: number): number => Math.max(64 * 1024, 4 * maxFrameBytes)

/** How long shutdown waits for clients to answer the close handshake before cutting them. */
const CLOSE_HANDSHAKE_MS = 300

/** Creating a meeting and joining one: refused while draining (leaving still works). */
const NEW_MEMBERS = /^\/v1\/meetings(\/[^/?]+\/join)?\/?(\?|$)/

/** Sockets closed per turn of the event loop while draining (~5 ms of work). */
const DRAIN_SLICE = 500

export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const root = options.logger ?? createRootLogger(config.logLevel)
  const log = moduleLogger(root, 'service')
  const media = options.media ?? createMediaProvider(config.media, moduleLogger(root, 'media'))
  await media.start()

  const now = (): number => Date.now()
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
      log: moduleLogger(root, 'rooms'),
      now,
    },
    moduleLogger(root, 'registry'),
  )
  const openFiles = new OpenFileBudget({ limit: config.maxOpenFiles, reserve: config.openFilesReserve })
  const ctx: ServiceContext = { config, registry, tokens, media, now, openFiles }

  let app: FastifyInstance
  try {
    app = await buildApp(ctx)
    await app.listen({ host: config.host, port: config.port }).catch((error: Error) => {
      throw new Error(`cannot listen on ${config.host}:${config.port} (HOST, PORT): ${error.message}`)
    })
  } catch (error) {
    await media.stop()
    throw error
  }
  openFiles.track(app.server)
  openFiles.refresh(now())
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : config.port
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host

  const sweepEveryMs = Math.max(10, Math.min(1000, Math.floor(Math.min(config.heartbeatTimeoutMs, config.resumeGraceMs) / 5)))
  const sweeper = setInterval(() => {
    registry.sweep(now())
    httpLimiter.prune(now())
    socketOpenLimiter.prune(now())
    openFiles.refresh(now())
  }, sweepEveryMs)

  let stopping: Promise<void> | null = null
  /** Set by stop(): no new members or sockets. */
  let draining = false
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(sweeper)
      draining = true
      // The meetings are not ended: each client is told to resume elsewhere
      // (another instance, or this one restarted) and keeps its place if the
      // meeting's state outlives this process. In slices, so the loop keeps
      // serving the close handshakes and requests while 20,000 sockets go.
      const clients = app.websocketServer.clients
      log.info({ sockets: clients.size }, 'draining')
      await inSlices(clients, DRAIN_SLICE, (socket) => socket.close(CLOSE_CODES.service_restart, 'service restart'))
      await waitForSockets(app, CLOSE_HANDSHAKE_MS)
      await inSlices(clients, DRAIN_SLICE, (socket) => socket.terminate())
      await app.close()
      await media.stop()
      log.info('stopped')
    })()
    return stopping
  }

  log.info({ url: `http://${urlHost}:${port}`, media: media.kind }, 'room service listening')
  return {
    url: `http://${urlHost}:${port}`,
    socketUrl: `ws://${urlHost}:${port}${PATHS.socket}`,
    port,
    media,
    registry,
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
        socket.close(CLOSE_CODES.service_restart, 'service restart')
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
