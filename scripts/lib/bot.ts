/**
 * A synthetic participant: joins through the room service's API exactly as
 * the app does (HTTP join → WebSocket `hello` → `ping` every advertised
 * interval; resume with backoff and jitter when the socket drops; join again
 * when the service no longer knows its token), and publishes a pre-encoded
 * test-pattern clip to its signed push URL (./flv-loop.ts).
 *
 * It answers host actions as an attendee would: muted → it sends silence and
 * reports `micOn:false`; unmute requested → it turns the microphone back on;
 * camera off → black frames and `cameraOn:false`; removed or meeting ended →
 * it stops. `stop()` leaves cleanly (`leave`, close, stop publishing).
 */
import { EventEmitter } from 'node:events'
import { join } from 'node:path'
import WebSocket from 'ws'
import {
  CLOSE_CODES,
  shouldResume,
  type ClientMessage,
  type HostActionKind,
  type ParticipantView,
  type ReplyMessage,
  type ServerMessage,
  type SessionSnapshot,
} from '../../src/core/protocol'
import type { Role } from '../../src/core/presets'
import { backoffDelay, type BackoffOptions } from '../../src/core/backoff'
import {
  FlvLoopPublisher,
  assertSwappable,
  loadClip,
  type FlvClip,
  type FlvLoopPublisherOptions,
  type PublisherState,
} from './flv-loop'
import {
  ServiceError,
  getMeeting,
  joinMeeting,
  leaveMeeting,
  socketUrlOf,
  type ServiceErrorCode,
} from './service-api'

/** Why a bot stopped. */
export type BotEnd =
  /** `stop()`: it left. */
  | 'left'
  | 'removed'
  | 'meeting_ended'
  /** The service shut down (close 1001). */
  | 'server_shutdown'
  /** Its session continued on another socket (close 4001). */
  | 'replaced'
  /** It could not stay in the meeting (rejoin refused, service gone for too long). */
  | 'failed'

export interface MediaReport {
  readonly micOn?: boolean
  readonly cameraOn?: boolean
}

export interface BotEvents {
  /** A `welcome` arrived (`resumed` true after a reconnect). */
  welcome: [{ resumed: boolean }]
  host_action: [HostActionKind]
  /** A `set_media` the bot sent was acknowledged. */
  reported: [MediaReport]
  publisher: [PublisherState, string | undefined]
  ended: [BotEnd]
}

export interface BotOptions {
  /** `http://127.0.0.1:8787` */
  readonly serviceUrl: string
  readonly meetingId: string
  readonly nickname: string
  /** The clip to publish; null joins without publishing. */
  readonly clip: FlvClip | null
  /** Black frames and silence for camera off / muted. */
  readonly idle?: FlvClip
  readonly passcode?: string
  /** One line per notable event. */
  readonly log?: (line: string) => void
  /** Socket reconnect delays. Default 0.5 s doubling to 8 s, as the app. */
  readonly backoff?: BackoffOptions
  /** Passed to the publisher (tests fast-forward with `aheadMs`). */
  readonly publisher?: Pick<FlvLoopPublisherOptions, 'tickMs' | 'aheadMs'>
  /** A chat line to send once, after the first welcome (the demo shows chat); the bot answers nothing. */
  readonly chatLine?: string
}

/** The line demo bots greet the meeting with. */
export function greetingOf(nickname: string): string {
  return `大家好，我是 ${nickname} 👋 Hi, I'm ${nickname}`
}

/** Close codes after which the participant is gone without having left: join again. */
const REJOIN_AFTER_CLOSE: ReadonlySet<number> = new Set([CLOSE_CODES.heartbeat_timeout, CLOSE_CODES.auth_failed])
/** `hello` errors meaning the token no longer names a participant: join again. */
const REJOIN_ERRORS: ReadonlySet<string> = new Set(['not_in_meeting', 'token_expired', 'bad_token'])
/** A bot that cannot get back in for this long gives up. */
const GIVE_UP_AFTER_MS = 120_000
const REQUEST_TIMEOUT_MS = 5_000

type Outgoing = ClientMessage extends infer M ? (M extends ClientMessage ? Omit<M, 'id'> : never) : never
type Pending = { resolve(reply: ReplyMessage): void; reject(error: Error): void; timer: NodeJS.Timeout }

export class Bot {
  readonly events = new EventEmitter<BotEvents>()
  /** Resolves once the bot has stopped, with why. */
  readonly ended: Promise<BotEnd>

  participantId: string | null = null
  role: Role | null = null
  micOn = true
  cameraOn = true
  /** The latest session snapshot (join or welcome). */
  snapshot: SessionSnapshot | null = null
  publisher: FlvLoopPublisher | null = null

  private socket: WebSocket | null = null
  private authenticated = false
  private heartbeat: NodeJS.Timeout | null = null
  private retryTimer: NodeJS.Timeout | null = null
  private attempt = 0
  private lastHeardAt = 0
  private lostAt: number | null = null
  private requestId = 0
  private readonly pending = new Map<string, Pending>()
  private firstWelcome: { resolve(): void; reject(error: Error): void } | null = null
  private endReason: BotEnd | null = null
  private leaving = false
  private resolveEnded: (reason: BotEnd) => void = () => {}
  private readonly backoff: BackoffOptions

  constructor(readonly options: BotOptions) {
    this.backoff = options.backoff ?? { baseMs: 500, maxMs: 8_000 }
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve))
    if (options.clip !== null && options.idle !== undefined) assertSwappable(options.clip, options.idle)
  }

  get nickname(): string {
    return this.options.nickname
  }

  get stopped(): boolean {
    return this.endReason !== null
  }

  /** Join, say hello and start publishing. Rejects with a {@link ServiceError} when the service refuses. */
  async start(): Promise<void> {
    const { serviceUrl, meetingId, nickname, passcode } = this.options
    const snapshot = await joinMeeting(serviceUrl, meetingId, { nickname, ...(passcode !== undefined ? { passcode } : {}) })
    this.applySnapshot(snapshot)
    let timer: NodeJS.Timeout | undefined
    const welcomed = new Promise<void>((resolve, reject) => {
      this.firstWelcome = { resolve, reject }
      timer = setTimeout(() => reject(new ServiceError('network', `no welcome within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS)
    })
    this.connect()
    try {
      await welcomed
    } catch (error) {
      await leaveMeeting(serviceUrl, meetingId, snapshot.token).catch(() => {})
      await this.finish('failed')
      throw error
    } finally {
      clearTimeout(timer)
    }
    this.startPublisher()
    this.log(`joined as ${snapshot.participantId}${this.options.clip !== null ? `, publishing ${this.options.clip.name}` : ''}`)
    const { chatLine } = this.options
    if (chatLine !== undefined) {
      // A fixed clientMsgId: should this be sent twice, the service keeps one line.
      this.request({ type: 'chat_send', text: chatLine, clientMsgId: 'greeting' }).then(
        (reply) => {
          if (reply.type === 'error') this.log(`chat line refused: ${reply.code}`)
        },
        (error: unknown) => this.log(`chat line not sent: ${error instanceof Error ? error.message : String(error)}`),
      )
    }
  }

  /** Leave the meeting (if still in it), close the socket, stop publishing. Idempotent. */
  async stop(): Promise<BotEnd> {
    if (this.endReason !== null) return this.ended
    this.clearRetry()
    this.leaving = true
    // Stop pushing first, as the app does: leaving revokes the stream and would cut the push anyway.
    await this.publisher?.stop()
    const socket = this.socket
    if (socket !== null && socket.readyState === WebSocket.OPEN && this.authenticated) {
      let timer: NodeJS.Timeout | undefined
      const closed = new Promise<void>((resolve) => {
        socket.once('close', () => resolve())
        timer = setTimeout(resolve, 2_000)
      })
      this.send({ type: 'leave' })
      await closed
      clearTimeout(timer)
    } else if (this.snapshot !== null) {
      await leaveMeeting(this.options.serviceUrl, this.options.meetingId, this.snapshot.token).catch(() => {})
    }
    await this.finish('left')
    return this.ended
  }

  // -------------------------------------------------------------------------

  private applySnapshot(snapshot: SessionSnapshot): void {
    const pushChanged = this.snapshot !== null && this.snapshot.pushUrl !== snapshot.pushUrl
    this.snapshot = snapshot
    this.participantId = snapshot.participantId
    this.role = snapshot.role
    const self = snapshot.participants.find((p) => p.id === snapshot.participantId)
    if (self !== undefined) this.applySelf(self)
    if (pushChanged && this.publisher !== null) {
      void this.publisher.stop()
      this.publisher = null
      this.startPublisher()
    }
  }

  private applySelf(view: ParticipantView): void {
    this.role = view.role
    this.micOn = view.micOn
    this.cameraOn = view.cameraOn
    if (this.publisher !== null) {
      this.publisher.audio = view.micOn
      this.publisher.video = view.cameraOn
    }
  }

  private startPublisher(): void {
    const { clip, idle } = this.options
    if (clip === null || this.snapshot === null || this.endReason !== null || this.publisher !== null) return
    const publisher = new FlvLoopPublisher({
      url: this.snapshot.pushUrl,
      ...this.options.publisher,
      clip,
      idle,
      onState: (state, detail) => {
        this.events.emit('publisher', state, detail)
        // A removal or the meeting's end cuts the push a moment before the socket says so: wait before complaining.
        if (state === 'retrying') {
          setTimeout(() => {
            if (this.endReason === null && !this.leaving) this.log(`publish interrupted (${detail ?? 'closed'}); retrying`)
          }, 300).unref()
        }
      },
    })
    publisher.audio = this.micOn
    publisher.video = this.cameraOn
    this.publisher = publisher
    publisher.start()
  }

  private connect(): void {
    if (this.endReason !== null) return
    this.authenticated = false
    const socket = new WebSocket(socketUrlOf(this.options.serviceUrl))
    this.socket = socket
    socket.on('open', () => {
      if (this.socket !== socket || this.snapshot === null) return
      this.lastHeardAt = Date.now()
      this.send({ type: 'hello', token: this.snapshot.token })
    })
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (this.socket !== socket || isBinary) return
      this.lastHeardAt = Date.now()
      let message: ServerMessage
      try {
        message = JSON.parse(data.toString('utf8')) as ServerMessage
      } catch {
        return
      }
      this.onMessage(message)
    })
    socket.on('close', (code: number) => {
      if (this.socket === socket) this.onClose(code)
    })
    socket.on('error', () => {
      // a close follows
    })
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome': {
        const resumed = this.lostAt !== null || message.resumed
        this.authenticated = true
        this.attempt = 0
        this.lostAt = null
        this.applySnapshot(message)
        this.startHeartbeat(message.heartbeat.intervalMs)
        this.settle(message)
        this.firstWelcome?.resolve()
        this.firstWelcome = null
        if (resumed) this.log('back in the meeting')
        this.events.emit('welcome', { resumed: message.resumed })
        return
      }
      case 'pong':
      case 'ack':
        this.settle(message)
        return
      case 'error':
        if (message.for === 'hello') {
          this.settle(message)
          if (this.firstWelcome !== null) {
            this.firstWelcome.reject(new ServiceError(message.code, `hello refused: ${message.message}`))
            this.firstWelcome = null
          } else if (REJOIN_ERRORS.has(message.code)) {
            void this.rejoin()
          }
          return
        }
        this.settle(message)
        return
      case 'participant_updated':
        if (message.participant.id === this.participantId) this.applySelf(message.participant)
        return
      case 'host_action':
        this.onHostAction(message.action)
        return
      case 'removed':
        this.log('removed by the host; stopping')
        void this.finish('removed')
        return
      case 'meeting_ended':
        this.log(message.reason === 'ended_by_host' ? 'the host ended the meeting; stopping' : 'the service is shutting down; stopping')
        void this.finish(message.reason === 'ended_by_host' ? 'meeting_ended' : 'server_shutdown')
        return
      default:
        return
    }
  }

  private onHostAction(action: HostActionKind): void {
    this.events.emit('host_action', action)
    switch (action) {
      case 'mute_mic':
      case 'mute_all':
        this.log('the host muted the microphone: sending silence, reporting micOn false')
        this.micOn = false
        if (this.publisher !== null) this.publisher.audio = false
        void this.report({ micOn: false })
        return
      case 'unmute_mic':
        this.log('the host lifted the mute: turning the microphone back on')
        void this.report({ micOn: true }).then((ok) => {
          if (!ok) return
          this.micOn = true
          if (this.publisher !== null) this.publisher.audio = true
        })
        return
      case 'camera_off':
        this.log('the host turned the camera off: sending black frames, reporting cameraOn false')
        this.cameraOn = false
        if (this.publisher !== null) this.publisher.video = false
        void this.report({ cameraOn: false })
        return
    }
  }

  /** `set_media`; true when acknowledged. */
  private async report(media: MediaReport): Promise<boolean> {
    try {
      const reply = await this.request({ type: 'set_media', ...media })
      if (reply.type === 'ack') {
        this.events.emit('reported', media)
        return true
      }
      this.log(`set_media ${JSON.stringify(media)} refused: ${reply.type === 'error' ? reply.code : reply.type}`)
    } catch (error) {
      this.log(`set_media ${JSON.stringify(media)} not answered: ${error instanceof Error ? error.message : String(error)}`)
    }
    return false
  }

  private onClose(code: number): void {
    this.socket = null
    this.authenticated = false
    this.stopHeartbeat()
    this.failPending(new Error(`socket closed (${code})`))
    if (this.endReason !== null) return
    if (this.firstWelcome !== null) {
      this.firstWelcome.reject(new ServiceError('network', `the socket closed (${code}) before welcome`))
      this.firstWelcome = null
      return
    }
    if (REJOIN_AFTER_CLOSE.has(code)) {
      void this.rejoin()
      return
    }
    const final: Partial<Record<number, BotEnd>> = {
      [CLOSE_CODES.normal]: 'left',
      [CLOSE_CODES.going_away]: 'server_shutdown',
      [CLOSE_CODES.replaced]: 'replaced',
      [CLOSE_CODES.removed]: 'removed',
      [CLOSE_CODES.meeting_ended]: 'meeting_ended',
    }
    const reason = final[code]
    if (reason !== undefined || !shouldResume(code)) {
      void this.finish(reason ?? 'failed')
      return
    }
    this.lostAt ??= Date.now()
    if (this.attempt === 0) this.log(`connection lost (${code}); resuming`)
    this.scheduleRetry(() => this.connect())
  }

  /** The service no longer knows our token: join again as a new participant with the same name. */
  private async rejoin(): Promise<void> {
    if (this.endReason !== null) return
    const socket = this.socket
    this.socket = null
    socket?.close(CLOSE_CODES.normal, 'rejoining')
    this.stopHeartbeat()
    this.lostAt ??= Date.now()
    const { serviceUrl, meetingId, nickname, passcode } = this.options
    try {
      const snapshot = await joinMeeting(serviceUrl, meetingId, {
        nickname,
        micOn: this.micOn,
        cameraOn: this.cameraOn,
        ...(passcode !== undefined ? { passcode } : {}),
      })
      if (this.endReason !== null) return
      this.log(`joined again as ${snapshot.participantId}`)
      this.applySnapshot(snapshot)
      this.connect()
    } catch (error) {
      const code: ServiceErrorCode = error instanceof ServiceError ? error.code : 'network'
      if (code === 'unknown_meeting') {
        this.log('the meeting is gone; stopping')
        void this.finish('meeting_ended')
      } else if (code === 'network' || code === 'rate_limited') {
        this.scheduleRetry(() => void this.rejoin())
      } else {
        this.log(`cannot join again (${code}); stopping`)
        void this.finish('failed')
      }
    }
  }

  private scheduleRetry(retry: () => void): void {
    if (this.endReason !== null || this.retryTimer !== null) return
    if (this.lostAt !== null && Date.now() - this.lostAt > GIVE_UP_AFTER_MS) {
      this.log(`could not get back in for ${GIVE_UP_AFTER_MS / 1000} s; stopping`)
      void this.finish('failed')
      return
    }
    const delay = backoffDelay(this.attempt, this.backoff, Math.random)
    this.attempt += 1
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      retry()
    }, delay)
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat()
    const every = Math.max(20, intervalMs)
    this.heartbeat = setInterval(() => {
      const socket = this.socket
      if (socket === null) return
      // Nothing heard for two intervals, not even a pong: the socket is dead even if TCP did not say so.
      if (Date.now() - this.lastHeardAt > 2 * every + 1_000) {
        socket.terminate()
        return
      }
      this.send({ type: 'ping' })
    }, every)
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat)
    this.heartbeat = null
  }

  private send(message: Outgoing): string {
    const id = `b${++this.requestId}`
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ ...message, id }))
    return id
  }

  private request(message: Outgoing): Promise<ReplyMessage> {
    return new Promise((resolve, reject) => {
      if (this.socket?.readyState !== WebSocket.OPEN || !this.authenticated) {
        reject(new Error('not connected'))
        return
      }
      const id = this.send(message)
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new Error(`no reply to ${message.type} within ${REQUEST_TIMEOUT_MS} ms`))
      }, REQUEST_TIMEOUT_MS)
      this.pending.set(id, { resolve, reject, timer })
    })
  }

  private settle(reply: ReplyMessage): void {
    if (reply.id === undefined) return
    const pending = this.pending.get(reply.id)
    if (pending === undefined) return
    this.pending.delete(reply.id)
    clearTimeout(pending.timer)
    pending.resolve(reply)
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer)
      pending.reject(error)
    }
    this.pending.clear()
  }

  private async finish(reason: BotEnd): Promise<void> {
    if (this.endReason !== null) return
    this.endReason = reason
    this.clearRetry()
    this.stopHeartbeat()
    this.failPending(new Error('bot stopped'))
    this.firstWelcome?.reject(new Error('bot stopped'))
    this.firstWelcome = null
    const socket = this.socket
    this.socket = null
    if (socket !== null && socket.readyState !== WebSocket.CLOSED) socket.close(CLOSE_CODES.normal, 'bot stopped')
    await this.publisher?.stop()
    this.resolveEnded(reason)
    this.events.emit('ended', reason)
  }

  private log(line: string): void {
    this.options.log?.(`${this.options.nickname}: ${line}`)
  }
}

// ---------------------------------------------------------------------------
// Several bots

/** The committed clips: bot-1.flv … bot-9.flv and idle.flv (see scripts/assets/bots/README.md). */
export const DEFAULT_CLIPS_DIR = join(__dirname, '..', 'assets', 'bots')
export const CLIP_COUNT = 9
export const MAX_BOTS = 50

export interface BotClips {
  /** bot-1 … bot-9: clip n shows "Bot n". */
  readonly clips: readonly FlvClip[]
  readonly idle: FlvClip
}

let clipCache: { dir: string; clips: BotClips } | null = null

/** Load (once per process) the bots' clips. */
export function loadBotClips(dir = DEFAULT_CLIPS_DIR): BotClips {
  if (clipCache?.dir === dir) return clipCache.clips
  const idle = loadClip(join(dir, 'idle.flv'))
  const clips = Array.from({ length: CLIP_COUNT }, (_, i) => loadClip(join(dir, `bot-${i + 1}.flv`)))
  for (const clip of clips) assertSwappable(clip, idle)
  clipCache = { dir, clips: { clips, idle } }
  return clipCache.clips
}

/** A refusal before any bot joined, worded for the command line. */
export class FleetError extends Error {
  constructor(
    message: string,
    readonly code: ServiceErrorCode | 'capacity' | 'usage' | 'aborted',
  ) {
    super(message)
    this.name = 'FleetError'
  }
}

/**
 * Check that `count` bots can join: the service answers, the meeting exists,
 * is not locked, has room, and the passcode question is settled.
 */
export async function preflight(serviceUrl: string, meetingId: string, count: number, passcode?: string): Promise<void> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_BOTS) {
    throw new FleetError(`--count must be a whole number from 1 to ${MAX_BOTS} (got ${String(count)})`, 'usage')
  }
  let info
  try {
    info = await getMeeting(serviceUrl, meetingId)
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    if (error.code === 'unknown_meeting') throw new FleetError(`meeting ${meetingId} does not exist`, error.code)
    if (error.code === 'network') {
      throw new FleetError(
        `${error.message}. Is it running? Start it with "npm start" (or "npm run server"), or point --service at it.`,
        error.code,
      )
    }
    throw new FleetError(`the room service refused: ${error.message} (${error.code})`, error.code)
  }
  const { meeting, participantCount } = info
  if (meeting.locked) throw new FleetError(`meeting ${meetingId} is locked: the host has to unlock it first`, 'room_locked')
  if (meeting.passcodeRequired && passcode === undefined) {
    throw new FleetError(`meeting ${meetingId} needs a passcode: pass --passcode`, 'wrong_passcode')
  }
  const room = meeting.capacity - participantCount
  if (count > room) {
    throw new FleetError(
      `meeting ${meetingId} has room for ${Math.max(0, room)} more (capacity ${meeting.capacity}, ${participantCount} in it); asked for ${count} bots`,
      'capacity',
    )
  }
}

export interface FleetOptions {
  readonly serviceUrl: string
  readonly meetingId: string
  readonly count: number
  /** Nicknames are `<prefix> <n>`. Default "Bot". */
  readonly namePrefix?: string
  /** The first bot's number (default 1); bot n publishes clip ((n - 1) mod 9) + 1. */
  readonly firstNumber?: number
  readonly passcode?: string
  /** Default: the committed clips. Null: join without publishing. */
  readonly clips?: BotClips | null
  readonly log?: (line: string) => void
  /** Abort the start (Ctrl-C): the bots that joined leave, and startBots rejects with a FleetError 'aborted'. */
  readonly signal?: AbortSignal
  /** Each bot sends one greeting line ({@link greetingOf}) after joining. */
  readonly chat?: boolean
}

export interface BotFleet {
  readonly bots: readonly Bot[]
  /** Resolves once every bot has stopped (for any reason). */
  readonly allEnded: Promise<BotEnd[]>
  /** Every bot leaves. */
  stop(): Promise<void>
}

/** Check, then start `count` bots one after the other (so they join in name order). */
export async function startBots(options: FleetOptions): Promise<BotFleet> {
  const { serviceUrl, meetingId, count, passcode } = options
  await preflight(serviceUrl, meetingId, count, passcode)
  const media = options.clips === undefined ? loadBotClips() : options.clips
  const prefix = options.namePrefix ?? 'Bot'
  const first = options.firstNumber ?? 1
  const bots: Bot[] = []
  try {
    for (let i = 0; i < count; i++) {
      if (options.signal?.aborted === true) throw new FleetError('stopped before every bot joined', 'aborted')
      const n = first + i
      const bot = new Bot({
        serviceUrl,
        meetingId,
        nickname: `${prefix} ${n}`,
        clip: media === null ? null : media.clips[(n - 1) % media.clips.length],
        idle: media?.idle,
        passcode,
        log: options.log,
        ...(options.chat === true ? { chatLine: greetingOf(`${prefix} ${n}`) } : {}),
      })
      bots.push(bot)
      await bot.start()
    }
  } catch (error) {
    await Promise.all(bots.map((b) => b.stop()))
    if (error instanceof ServiceError) {
      throw new FleetError(`${bots[bots.length - 1]?.nickname ?? 'a bot'} could not join: ${error.message} (${error.code})`, error.code)
    }
    throw error
  }
  return {
    bots,
    allEnded: Promise.all(bots.map((b) => b.ended)),
    stop: async () => {
      await Promise.all(bots.map((b) => b.stop()))
    },
  }
}
