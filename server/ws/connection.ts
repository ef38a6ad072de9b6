/**
 * One WebSocket: its rate limit, its hello deadline, and the session it
 * carries once `hello` succeeded. Frames go to the dispatcher; the room talks
 * back through the `Link` methods (send, close).
 */
import { WebSocket, type RawData } from 'ws'
import { CLOSE_CODES, type CloseCode, type ServerMessage } from '../../src/core/protocol'
import { TokenBucket } from '../auth/rate-limit'
import type { ServiceContext } from '../context'
import { errorBody } from '../errors'
import type { Logger } from '../logger'
import { serialize, type Frame, type Link, type Participant } from '../rooms/participant'
import type { Room } from '../rooms/room'
import { dispatch } from './dispatcher'

export interface Session {
  readonly room: Room
  readonly participant: Participant
}

/** Unread output beyond this means the client stopped reading: close it rather than buffer without end. */
const MAX_BUFFERED_BYTES = 1 << 20

/** Each participant's frame bucket, across its sockets; forgotten with the participant. */
const participantBuckets = new WeakMap<Participant, TokenBucket>()

export class Connection implements Link {
  /** Set by a successful hello; cleared when the room lets go of this socket. */
  session: Session | null = null
  /** This socket's own until hello; then the participant's (see bind). */
  bucket: TokenBucket
  private helloTimer: NodeJS.Timeout | null
  private closing = false

  constructor(
    private readonly socket: WebSocket,
    readonly service: ServiceContext,
    readonly log: Logger,
  ) {
    const { config } = service
    this.bucket = new TokenBucket(config.wsRateBurst, config.wsRatePerS / 1000, service.now())
    socket.on('message', this.onMessage)
    socket.on('close', this.onClose)
    socket.on('error', (error) => log.debug({ err: error }, 'socket error'))
    this.helloTimer = setTimeout(this.onHelloTimeout, config.heartbeatTimeoutMs)
  }

  /** Bind the session after a successful hello. */
  bind(session: Session): void {
    this.session = session
    // Frames are limited per participant from now on, so reconnecting does not buy a fresh burst.
    const kept = participantBuckets.get(session.participant)
    if (kept !== undefined) this.bucket = kept
    else participantBuckets.set(session.participant, this.bucket)
    if (this.helloTimer !== null) clearTimeout(this.helloTimer)
    this.helloTimer = null
  }

  send(message: ServerMessage): void {
    this.sendFrame(serialize(message))
  }

  sendFrame(frame: Frame): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn({ buffered: this.socket.bufferedAmount }, 'slow consumer; closing')
      // Unlike the room's own closes, the participant stays: it may resume.
      const session = this.session
      if (session !== null) session.room.detach(session.participant, this)
      this.close(CLOSE_CODES.slow_consumer, 'slow consumer')
      return
    }
    // A Buffer with binary: false goes out as a text frame without ws re-encoding a string per socket.
    this.socket.send(frame, { binary: false })
  }

  /** Close after what was sent; no further frames are processed and the session is let go. */
  close(code: CloseCode, reason: string): void {
    this.closing = true
    this.session = null
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code, reason)
    }
  }

  private onMessage = (data: RawData, isBinary: boolean): void => {
    if (this.closing) return
    const session = this.session
    if (session !== null && session.participant.link === this) session.room.touch(session.participant)
    dispatch(this, toBuffer(data), isBinary)
  }

  private onClose = (code: number): void => {
    if (this.helloTimer !== null) clearTimeout(this.helloTimer)
    this.helloTimer = null
    const session = this.session
    this.session = null
    this.closing = true
    if (session !== null) session.room.detach(session.participant, this)
    this.log.debug({ code }, 'socket closed')
  }

  private onHelloTimeout = (): void => {
    this.helloTimer = null
    if (this.session !== null || this.closing) return
    this.send({ type: 'error', ...errorBody('hello_timeout') })
    this.close(CLOSE_CODES.hello_timeout, 'hello timeout')
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
