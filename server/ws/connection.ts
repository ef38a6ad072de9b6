/**
 * One WebSocket: its rate limit, its hello deadline, and the session it
 * carries once `hello` succeeded. Frames go to the dispatcher; the room talks
 * back through the `Link` methods (send, close).
 */
import { randomBytes } from 'node:crypto'
import { WebSocket, type RawData } from 'ws'
import { CLOSE_CODES, type CloseCode, type ServerMessage } from '../../src/core/protocol'
import { TokenBucket } from '../auth/rate-limit'
import type { ServiceContext } from '../context'
import { errorBody } from '../errors'
import type { Logger } from '../logger'
import { serialize, type Frame, type Link } from '../rooms/participant'
import type { Room } from '../rooms/room'
import { dispatch } from './dispatcher'

export interface Session {
  readonly room: Room
  readonly participantId: string
}

/** Unread output beyond this means the client stopped reading: close it rather than buffer without end. */
const MAX_BUFFERED_BYTES = 1 << 20

export class Connection implements Link {
  /** Set by a successful hello; cleared when the room lets go of this socket. */
  session: Session | null = null
  /** This socket's own until hello; then the participant's (see bind). */
  bucket: TokenBucket
  /** This socket's id in the meeting record (`MemberRecord.link`). */
  readonly linkId = randomBytes(6).toString('base64url')
  /** Frames are handled one at a time, so replies keep the frames' order while a handler awaits the store. */
  private queue: Promise<void> = Promise.resolve()
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
    this.bucket = session.room.frameBucket(session.participantId, this.bucket)
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
      this.letGo()
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
    this.session?.room.touch(this.linkId)
    const frame = toBuffer(data)
    this.queue = this.queue.then(() => (this.closing ? undefined : dispatch(this, frame, isBinary)))
  }

  /**
   * The room stops holding this socket; if it still held it, the member's
   * resume window starts (it may resume here or on another instance).
   */
  private letGo(): void {
    const session = this.session
    this.session = null
    if (session === null || !session.room.unhold(this.linkId)) return
    session.room
      .mutate((tx) => {
        const m = tx.member(session.participantId)
        if (m !== undefined) tx.detach(m, this.linkId)
      })
      .catch((error: unknown) => this.log.debug({ err: error }, 'detach not recorded'))
  }

  private onClose = (code: number): void => {
    if (this.helloTimer !== null) clearTimeout(this.helloTimer)
    this.helloTimer = null
    this.closing = true
    this.letGo()
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
