/**
 * A meeting room: its members, lock and host, and the primitives the message
 * handlers build on (join, attach/detach a socket, update, remove, close),
 * each of which tells the other members what changed.
 *
 * Every method runs to completion synchronously, so no other request can see
 * a half-applied change (Node runs one callback at a time); nothing here
 * awaits.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import {
  CLOSE_CODES,
  type HeartbeatSettings,
  type LeaveReason,
  type MeetingEndReason,
  type MeetingView,
  type ServerMessage,
  type SessionSnapshot,
} from '../../src/core/protocol'
import type { TokenSigner } from '../auth/token'
import { ProtocolError, errorBody } from '../errors'
import type { Logger } from '../logger'
import { newStreamName, type MediaProvider } from '../media/provider'
import { newParticipantId, Participant, serialize, type Frame, type Link } from './participant'

export interface RoomSettings {
  readonly capacity: number
  readonly tokenTtlMs: number
  readonly mediaUrlTtlMs: number
  readonly heartbeat: HeartbeatSettings
  /** A room nobody joined is dropped after this long. */
  readonly emptyTtlMs: number
}

export interface RoomDeps {
  readonly settings: RoomSettings
  readonly media: MediaProvider
  readonly tokens: TokenSigner
  readonly log: Logger
  readonly now: () => number
  /** Called once when the room closes, so the registry can drop it. */
  readonly onClosed: (room: Room) => void
}

export interface JoinInput {
  readonly nickname: string
  readonly passcode?: string
  readonly hostKey?: string
  readonly micOn?: boolean
  readonly cameraOn?: boolean
}

export type MediaPatch = Partial<Pick<Participant, 'micOn' | 'cameraOn' | 'mutedByHost'>>

export class Room {
  readonly createdAt: number
  /** Dropped at this time if nobody has joined. */
  readonly expiresAt: number
  locked = false
  hostId: string | null = null
  closed = false

  private readonly members = new Map<string, Participant>()
  private hostKeyHash: Buffer | null
  private hadMembers = false
  private readonly log: Logger

  constructor(
    readonly id: string,
    hostKey: string,
    private readonly passcode: string | null,
    private readonly deps: RoomDeps,
  ) {
    this.createdAt = deps.now()
    this.expiresAt = this.createdAt + deps.settings.emptyTtlMs
    this.hostKeyHash = sha256(hostKey)
    this.log = deps.log.child({ meetingId: id })
  }

  get size(): number {
    return this.members.size
  }

  view(): MeetingView {
    return {
      id: this.id,
      hostId: this.hostId,
      locked: this.locked,
      capacity: this.deps.settings.capacity,
      passcodeRequired: this.passcode !== null,
    }
  }

  participant(id: string): Participant | undefined {
    return this.members.get(id)
  }

  /** Members in join order. */
  participants(): Participant[] {
    return [...this.members.values()]
  }

  /**
   * Admit a new participant. The host key (single use) makes the joiner host
   * and skips the lock and passcode; otherwise the lock is checked before the
   * passcode, and capacity last, so a wrong passcode learns nothing more.
   */
  join(input: JoinInput): Participant {
    if (this.closed) throw new ProtocolError('unknown_meeting')
    const asHost = input.hostKey !== undefined
    if (asHost) {
      if (!this.claimableBy(input.hostKey)) throw new ProtocolError('bad_host_key')
    } else {
      if (this.locked) throw new ProtocolError('room_locked')
      if (this.passcode !== null && !sameSecret(input.passcode, this.passcode)) throw new ProtocolError('wrong_passcode')
    }
    if (this.members.size >= this.deps.settings.capacity) throw new ProtocolError('room_full')

    const now = this.deps.now()
    let id = newParticipantId()
    while (this.members.has(id)) id = newParticipantId()
    const streamName = newStreamName(this.id, id)
    const p = new Participant({
      id,
      nickname: input.nickname,
      role: asHost ? 'host' : 'participant',
      micOn: input.micOn ?? true,
      cameraOn: input.cameraOn ?? true,
      streamName,
      urls: this.deps.media.urls(streamName, now + this.deps.settings.mediaUrlTtlMs),
      now,
    })
    this.members.set(p.id, p)
    this.hadMembers = true
    if (asHost) {
      // Joins as host outright, so nobody sees it join as a participant first.
      this.hostKeyHash = null
      this.demoteHost()
      this.hostId = p.id
    }
    this.broadcast({ type: 'participant_joined', participant: p.view() }, p)
    if (asHost) this.broadcast({ type: 'meeting_updated', meeting: this.view() }, p)
    this.log.info({ participantId: p.id, role: p.role, size: this.members.size }, 'joined')
    return p
  }

  /** The state a client rebuilds from, with a fresh token. */
  snapshot(p: Participant): SessionSnapshot {
    const tokenExpiresAt = this.deps.now() + this.deps.settings.tokenTtlMs
    return {
      meeting: this.view(),
      participantId: p.id,
      role: p.role,
      token: this.deps.tokens.sign({ meetingId: this.id, participantId: p.id, expiresAt: tokenExpiresAt }),
      tokenExpiresAt,
      pushUrl: p.urls.pushUrl,
      pushUrlExpiresAt: p.urls.expiresAt,
      participants: this.participants().map((m) => m.view()),
      heartbeat: this.deps.settings.heartbeat,
    }
  }

  /**
   * Attach a socket (first hello or a resume). An older socket of the same
   * participant is told and closed; the other members hear nothing, so a
   * resume causes no left/joined flicker.
   */
  attach(p: Participant, link: Link): { resumed: boolean } {
    const now = this.deps.now()
    const previous = p.link
    const resumed = p.everConnected
    p.link = link
    p.everConnected = true
    p.lastSeenAt = now
    if (previous !== null && previous !== link) {
      previous.send({ type: 'error', ...errorBody('session_replaced') })
      previous.close(CLOSE_CODES.replaced, 'replaced')
    }
    this.renewUrlsIfDue(p, now)
    this.log.debug({ participantId: p.id, resumed }, 'socket attached')
    return { resumed }
  }

  /** A socket closed without `leave`: the grace window starts. Stale sockets are ignored. */
  detach(p: Participant, link: Link): void {
    if (p.link !== link || this.members.get(p.id) !== p) return
    p.link = null
    p.disconnectedAt = this.deps.now()
    this.log.debug({ participantId: p.id }, 'socket detached; grace window started')
  }

  /** A frame arrived from the participant's socket. */
  touch(p: Participant): void {
    p.lastSeenAt = this.deps.now()
  }

  /** Apply a media patch; everyone (the subject included) gets the new view if anything changed. */
  update(p: Participant, patch: MediaPatch): boolean {
    let changed = false
    for (const key of ['micOn', 'cameraOn', 'mutedByHost'] as const) {
      const value = patch[key]
      if (value !== undefined && p[key] !== value) {
        p[key] = value
        changed = true
      }
    }
    if (changed) this.broadcast({ type: 'participant_updated', participant: p.view() })
    return changed
  }

  /** Make `p` the host; the previous host (if any) becomes a participant. A host is never muted by a host. */
  setHost(p: Participant): void {
    if (this.hostId === p.id) return
    const previous = this.demoteHost()
    p.role = 'host'
    p.mutedByHost = false
    this.hostId = p.id
    this.broadcast({ type: 'participant_updated', participant: p.view() })
    this.broadcast({ type: 'meeting_updated', meeting: this.view() })
    this.log.info({ hostId: p.id, previous: previous?.id }, 'host changed')
  }

  /** The current host (if any) becomes a participant; everyone is told. */
  private demoteHost(): Participant | undefined {
    const previous = this.hostId === null ? undefined : this.members.get(this.hostId)
    this.hostId = null
    if (previous !== undefined) {
      previous.role = 'participant'
      this.broadcast({ type: 'participant_updated', participant: previous.view() })
    }
    return previous
  }

  setLocked(locked: boolean): void {
    if (this.locked === locked) return
    this.locked = locked
    this.broadcast({ type: 'meeting_updated', meeting: this.view() })
  }

  /**
   * Take a participant out of the room, tell the others, end its media, and
   * say goodbye on its socket as the reason requires. If it was the host, the
   * longest-present member becomes host; if it was the last, the room closes.
   */
  remove(p: Participant, reason: LeaveReason, by?: Participant): void {
    if (this.members.get(p.id) !== p) return
    this.members.delete(p.id)
    const link = p.link
    p.link = null
    this.deps.media.revoke(p.streamName, p.urls.expiresAt)
    if (link !== null) {
      if (reason === 'removed') {
        link.send({ type: 'removed', by: by?.id ?? '' })
        link.close(CLOSE_CODES.removed, 'removed')
      } else if (reason === 'timeout') {
        link.send({ type: 'error', ...errorBody('heartbeat_timeout') })
        link.close(CLOSE_CODES.heartbeat_timeout, 'heartbeat timeout')
      } else {
        link.close(CLOSE_CODES.normal, 'left')
      }
    }
    this.log.info({ participantId: p.id, reason, by: by?.id, size: this.members.size }, 'participant left')
    if (this.members.size === 0) {
      this.close(null)
      return
    }
    this.broadcast({ type: 'participant_left', participantId: p.id, reason })
    if (this.hostId === p.id) {
      this.hostId = null
      const next = this.members.values().next().value
      if (next !== undefined) this.setHost(next)
    }
  }

  /**
   * Close the room: with a reason, every connected member gets
   * `meeting_ended` and its socket closes; null means it emptied. Either way
   * all streams end and the registry drops the room.
   */
  close(reason: MeetingEndReason | null): void {
    if (this.closed) return
    this.closed = true
    for (const p of this.members.values()) {
      this.deps.media.revoke(p.streamName, p.urls.expiresAt)
      const link = p.link
      p.link = null
      if (link !== null && reason !== null) {
        link.send({ type: 'meeting_ended', reason })
        link.close(reason === 'server_shutdown' ? CLOSE_CODES.going_away : CLOSE_CODES.meeting_ended, reason)
      }
    }
    this.members.clear()
    this.log.info({ reason: reason ?? 'empty' }, 'room closed')
    this.deps.onClosed(this)
  }

  /**
   * Presence: a connected member silent past the heartbeat timeout, or a
   * disconnected one past the resume grace, is removed; a room nobody ever
   * joined expires.
   */
  sweep(now: number): void {
    const { timeoutMs, resumeGraceMs } = this.deps.settings.heartbeat
    for (const p of this.participants()) {
      if (this.closed) return
      const silentFor = p.link !== null ? now - p.lastSeenAt : now - p.disconnectedAt
      if (silentFor > (p.link !== null ? timeoutMs : resumeGraceMs)) this.remove(p, 'timeout')
    }
    if (!this.closed && !this.hadMembers && now >= this.expiresAt) this.close(null)
  }

  /** Send to every connected member except `except`. */
  broadcast(message: ServerMessage, except?: Participant): void {
    let frame: Frame | undefined
    for (const p of this.members.values()) {
      if (p === except || p.link === null) continue
      frame ??= serialize(message)
      p.link.sendFrame(frame)
    }
  }

  /** Re-sign a participant's URLs once half their lifetime is gone; the others get the new play URL. */
  private renewUrlsIfDue(p: Participant, now: number): void {
    const ttl = this.deps.settings.mediaUrlTtlMs
    if (p.urls.expiresAt - now > ttl / 2) return
    p.urls = this.deps.media.urls(p.streamName, now + ttl)
    this.broadcast({ type: 'participant_updated', participant: p.view() })
  }

  private claimableBy(hostKey: string | undefined): boolean {
    if (this.hostKeyHash === null || hostKey === undefined) return false
    return timingSafeEqual(this.hostKeyHash, sha256(hostKey))
  }
}

/** A fresh host key: 24 random bytes, base64url. */
export function newHostKey(): string {
  return randomBytes(24).toString('base64url')
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** Constant-time comparison of a given secret with the expected one. */
function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false
  return timingSafeEqual(sha256(given), sha256(expected))
}
