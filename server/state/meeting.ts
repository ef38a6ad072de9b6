/**
 * A meeting as plain data, and the rules that change it, written once for
 * both state stores (memory and Redis).
 *
 * A {@link MeetingTx} takes a copy of the stored record, applies one command
 * (join, attach, update, remove, …) and collects what the command means for
 * the world: the events to deliver to members' sockets, and the media
 * streams to revoke. The store then commits the new record and the events
 * together, atomically, or (when another instance changed the meeting in the
 * meantime) the caller runs the command again on the fresh record. Nothing
 * here does I/O, so a retried command has no side effects to undo.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Role } from '../../src/core/presets'
import {
  CLOSE_CODES,
  ROLE_GRANTS,
  type CloseCode,
  type Grants,
  type HeartbeatSettings,
  type LeaveReason,
  type MeetingEndReason,
  type MeetingView,
  type ParticipantView,
  type ServerMessage,
} from '../../src/core/protocol'
import { ProtocolError, errorBody } from '../errors'
import { newStreamName, type MediaProvider, type StreamUrls } from '../media/provider'

export interface MemberRecord {
  readonly id: string
  readonly nickname: string
  role: Role
  micOn: boolean
  cameraOn: boolean
  mutedByHost: boolean
  readonly joinedAt: number
  /** Unique per join; kept across resumes so players keep their URL. */
  readonly streamName: string
  urls: StreamUrls
  /** A socket has attached before: the next hello is a resume. */
  everConnected: boolean
  /**
   * The instance responsible for this member's presence: the one holding its
   * socket, or (without a socket) the one that runs its resume window.
   */
  instance: string
  /** The socket currently attached (unique per socket), or null while disconnected. */
  link: string | null
  /** When the member last lost its socket (or joined without one yet). */
  disconnectedAt: number
}

export interface MeetingRecord {
  readonly id: string
  readonly createdAt: number
  /** Dropped at this time if nobody has joined. */
  readonly expiresAt: number
  /** sha256 hex of the passcode, or null. */
  readonly passcodeHash: string | null
  /** sha256 hex of the single-use host key; null once used. */
  hostKeyHash: string | null
  locked: boolean
  hostId: string | null
  hadMembers: boolean
  /** The last event's sequence number (0: none yet). */
  seq: number
  /** In join order. */
  members: MemberRecord[]
}

/** Who an event is for. */
export type Audience =
  | { readonly kind: 'all' }
  | { readonly kind: 'except'; readonly participantId: string }
  | { readonly kind: 'only'; readonly participantId: string }
  /** The member's sockets other than `link` (a replaced socket). */
  | { readonly kind: 'other_links'; readonly participantId: string; readonly link: string }

/** One entry of a meeting's event sequence: a message for an audience, and what happens to their sockets after it. */
export interface MeetingEvent {
  readonly seq: number
  readonly to: Audience
  /** Omitted for a bare close (the meeting emptied). */
  readonly message?: ServerMessage
  /** Close the audience's sockets after the message. */
  readonly close?: { readonly code: CloseCode; readonly reason: string }
  /** The meeting is gone after this event. */
  readonly end?: true
}

/** Media work to do once the change is committed. */
export interface Revocation {
  readonly streamName: string
  readonly until: number
}

export interface MeetingRules {
  readonly capacity: number
  readonly mediaUrlTtlMs: number
  readonly heartbeat: HeartbeatSettings
  readonly media: Pick<MediaProvider, 'urls'>
}

export interface JoinInput {
  readonly nickname: string
  readonly passcode?: string
  readonly hostKey?: string
  readonly micOn?: boolean
  readonly cameraOn?: boolean
}

export type MediaPatch = Partial<Pick<MemberRecord, 'micOn' | 'cameraOn' | 'mutedByHost'>>

export function newMeetingRecord(id: string, hostKey: string, passcode: string | null, now: number, emptyTtlMs: number): MeetingRecord {
  return {
    id,
    createdAt: now,
    expiresAt: now + emptyTtlMs,
    passcodeHash: passcode === null ? null : sha256hex(passcode),
    hostKeyHash: sha256hex(hostKey),
    locked: false,
    hostId: null,
    hadMembers: false,
    seq: 0,
    members: [],
  }
}

export function meetingView(record: MeetingRecord, capacity: number): MeetingView {
  return {
    id: record.id,
    hostId: record.hostId,
    locked: record.locked,
    capacity,
    passcodeRequired: record.passcodeHash !== null,
  }
}

export function participantView(m: MemberRecord): ParticipantView {
  return {
    id: m.id,
    nickname: m.nickname,
    role: m.role,
    micOn: m.micOn,
    cameraOn: m.cameraOn,
    mutedByHost: m.mutedByHost,
    playUrl: m.urls.playUrl,
    joinedAt: m.joinedAt,
  }
}

export function grantsOf(m: MemberRecord): Grants {
  return ROLE_GRANTS[m.role]
}

/**
 * One command applied to a copy of a meeting. After the command, `record`
 * is the new state (null: the meeting closed), `events` what to deliver,
 * `revocations` what to revoke.
 */
export class MeetingTx {
  record: MeetingRecord | null
  readonly events: MeetingEvent[] = []
  readonly revocations: Revocation[] = []

  constructor(
    stored: MeetingRecord,
    private readonly rules: MeetingRules,
    readonly now: number,
    /** The instance running the command. */
    readonly instance: string,
  ) {
    this.record = structuredClone(stored)
  }

  /** The record, or unknown_meeting when the command closed it earlier. */
  get meeting(): MeetingRecord {
    if (this.record === null) throw new ProtocolError('unknown_meeting')
    return this.record
  }

  get changed(): boolean {
    return this.events.length > 0 || this.dirty
  }

  /** A field changed that no event tells (presence bookkeeping). */
  private dirty = false

  member(id: string): MemberRecord | undefined {
    return this.record?.members.find((m) => m.id === id)
  }

  /** The member sending a command, holding `grant` when one is named (checked again here, on the state being changed). */
  actor(id: string, grant?: keyof Grants): MemberRecord {
    const m = this.member(id)
    if (m === undefined) throw new ProtocolError('not_in_meeting')
    if (grant !== undefined && !grantsOf(m)[grant]) throw new ProtocolError('not_host')
    return m
  }

  /** The member a host control is aimed at: in the room, and not the sender. */
  target(id: string, sender: MemberRecord): MemberRecord {
    const found = this.member(id)
    if (found === undefined) throw new ProtocolError('unknown_participant')
    if (found.id === sender.id) throw new ProtocolError('bad_target')
    return found
  }

  view(): MeetingView {
    return meetingView(this.meeting, this.rules.capacity)
  }

  emit(to: Audience, message: ServerMessage | undefined, extra: { close?: MeetingEvent['close']; end?: true } = {}): void {
    const meeting = this.meeting
    meeting.seq += 1
    this.events.push({ seq: meeting.seq, to, ...(message !== undefined ? { message } : {}), ...extra })
  }

  broadcast(message: ServerMessage, except?: MemberRecord): void {
    this.emit(except === undefined ? { kind: 'all' } : { kind: 'except', participantId: except.id }, message)
  }

  sendTo(m: MemberRecord, message: ServerMessage): void {
    this.emit({ kind: 'only', participantId: m.id }, message)
  }

  /**
   * Admit a new participant. The host key (single use) makes the joiner host
   * and skips the lock and passcode; otherwise the lock is checked before the
   * passcode, and capacity last, so a wrong passcode learns nothing more.
   */
  join(input: JoinInput): MemberRecord {
    const meeting = this.meeting
    const asHost = input.hostKey !== undefined
    if (asHost) {
      if (meeting.hostKeyHash === null || !sameHash(input.hostKey, meeting.hostKeyHash)) throw new ProtocolError('bad_host_key')
    } else {
      if (meeting.locked) throw new ProtocolError('room_locked')
      if (meeting.passcodeHash !== null && !sameHash(input.passcode, meeting.passcodeHash)) throw new ProtocolError('wrong_passcode')
    }
    if (meeting.members.length >= this.rules.capacity) throw new ProtocolError('room_full')

    let id = newParticipantId()
    while (this.member(id) !== undefined) id = newParticipantId()
    const streamName = newStreamName(meeting.id, id)
    const m: MemberRecord = {
      id,
      nickname: input.nickname,
      role: asHost ? 'host' : 'participant',
      micOn: input.micOn ?? true,
      cameraOn: input.cameraOn ?? true,
      mutedByHost: false,
      joinedAt: this.now,
      streamName,
      urls: this.rules.media.urls(streamName, this.now + this.rules.mediaUrlTtlMs),
      everConnected: false,
      instance: this.instance,
      link: null,
      disconnectedAt: this.now,
    }
    meeting.members.push(m)
    meeting.hadMembers = true
    if (asHost) {
      // Joins as host outright, so nobody sees it join as a participant first.
      meeting.hostKeyHash = null
      this.demoteHost()
      meeting.hostId = m.id
    }
    this.broadcast({ type: 'participant_joined', participant: participantView(m) }, m)
    if (asHost) this.broadcast({ type: 'meeting_updated', meeting: this.view() }, m)
    return m
  }

  /**
   * Attach a socket (first hello or a resume), on this instance. An older
   * socket of the same participant, wherever it is, is told and closed; the
   * other members hear nothing, so a resume causes no left/joined flicker.
   */
  attach(m: MemberRecord, link: string): { resumed: boolean } {
    const resumed = m.everConnected
    if (m.link !== null && m.link !== link) {
      this.emit(
        { kind: 'other_links', participantId: m.id, link },
        { type: 'error', ...errorBody('session_replaced') },
        { close: { code: CLOSE_CODES.replaced, reason: 'replaced' } },
      )
    }
    m.link = link
    m.instance = this.instance
    m.everConnected = true
    this.dirty = true
    this.renewUrlsIfDue(m)
    return { resumed }
  }

  /** A socket closed without `leave`: the resume window starts. A stale socket changes nothing. */
  detach(m: MemberRecord, link: string): void {
    if (m.link !== link) return
    m.link = null
    m.instance = this.instance
    m.disconnectedAt = this.now
    this.dirty = true
  }

  /**
   * The instance holding this member's socket is gone: this instance takes
   * over its presence, and its resume window starts now (the socket went
   * down at most one liveness TTL ago).
   */
  adopt(m: MemberRecord): void {
    if (m.link !== null) m.disconnectedAt = this.now
    m.link = null
    m.instance = this.instance
    this.dirty = true
  }

  /** Apply a media patch; everyone (the subject included) gets the new view if anything changed. */
  update(m: MemberRecord, patch: MediaPatch): boolean {
    let changed = false
    for (const key of ['micOn', 'cameraOn', 'mutedByHost'] as const) {
      const value = patch[key]
      if (value !== undefined && m[key] !== value) {
        m[key] = value
        changed = true
      }
    }
    if (changed) this.broadcast({ type: 'participant_updated', participant: participantView(m) })
    return changed
  }

  /** Make `m` the host; the previous host (if any) becomes a participant. A host is never muted by a host. */
  setHost(m: MemberRecord): void {
    const meeting = this.meeting
    if (meeting.hostId === m.id) return
    this.demoteHost()
    m.role = 'host'
    m.mutedByHost = false
    meeting.hostId = m.id
    this.broadcast({ type: 'participant_updated', participant: participantView(m) })
    this.broadcast({ type: 'meeting_updated', meeting: this.view() })
  }

  private demoteHost(): void {
    const meeting = this.meeting
    const previous = meeting.hostId === null ? undefined : this.member(meeting.hostId)
    meeting.hostId = null
    if (previous !== undefined) {
      previous.role = 'participant'
      this.broadcast({ type: 'participant_updated', participant: participantView(previous) })
    }
  }

  setLocked(locked: boolean): void {
    const meeting = this.meeting
    if (meeting.locked === locked) return
    meeting.locked = locked
    this.broadcast({ type: 'meeting_updated', meeting: this.view() })
  }

  /**
   * Take a participant out of the room, tell the others, end its media, and
   * say goodbye on its socket as the reason requires. If it was the host, the
   * longest-present member becomes host; if it was the last, the room closes.
   */
  remove(m: MemberRecord, reason: LeaveReason, by?: MemberRecord): void {
    const meeting = this.meeting
    const index = meeting.members.findIndex((x) => x.id === m.id)
    if (index < 0) return
    meeting.members.splice(index, 1)
    this.revocations.push({ streamName: m.streamName, until: m.urls.expiresAt })
    const only = { kind: 'only', participantId: m.id } as const
    if (m.link !== null) {
      if (reason === 'removed') {
        this.emit(only, { type: 'removed', by: by?.id ?? '' }, { close: { code: CLOSE_CODES.removed, reason: 'removed' } })
      } else if (reason === 'timeout') {
        this.emit(only, { type: 'error', ...errorBody('heartbeat_timeout') }, { close: { code: CLOSE_CODES.heartbeat_timeout, reason: 'heartbeat timeout' } })
      } else {
        this.emit(only, undefined, { close: { code: CLOSE_CODES.normal, reason: 'left' } })
      }
    }
    if (meeting.members.length === 0) {
      this.close(null)
      return
    }
    this.broadcast({ type: 'participant_left', participantId: m.id, reason })
    if (meeting.hostId === m.id) {
      meeting.hostId = null
      const next = meeting.members[0]
      if (next !== undefined) this.setHost(next)
    }
  }

  /**
   * Close the room: with a reason, every connected member gets
   * `meeting_ended` and its socket closes; null means it emptied. Either way
   * all streams end and the meeting is deleted.
   */
  close(reason: MeetingEndReason | null): void {
    const meeting = this.meeting
    for (const m of meeting.members) this.revocations.push({ streamName: m.streamName, until: m.urls.expiresAt })
    if (reason !== null) {
      this.emit(
        { kind: 'all' },
        { type: 'meeting_ended', reason },
        { close: { code: reason === 'server_shutdown' ? CLOSE_CODES.going_away : CLOSE_CODES.meeting_ended, reason }, end: true },
      )
    } else {
      this.emit({ kind: 'all' }, undefined, { end: true })
    }
    meeting.members = []
    this.record = null
  }

  /**
   * Presence for the members this instance is responsible for: one without a
   * socket past the resume window is removed; `silentFor` says how long a
   * socket held here has been quiet (null: not held here), and one silent past
   * the heartbeat timeout is removed. A room nobody ever joined expires.
   */
  sweep(silentFor: (m: MemberRecord) => number | null): void {
    const { timeoutMs, resumeGraceMs } = this.rules.heartbeat
    for (const m of [...this.meeting.members]) {
      if (this.record === null) return
      if (m.instance !== this.instance) continue
      const silent = m.link !== null ? silentFor(m) : this.now - m.disconnectedAt
      // A socket recorded here that this process does not hold (it closed
      // while the record could not be written): the resume window starts now.
      if (silent === null) this.adopt(m)
      else if (silent > (m.link !== null ? timeoutMs : resumeGraceMs)) this.remove(m, 'timeout')
    }
    if (this.record !== null && !this.record.hadMembers && this.now >= this.record.expiresAt) this.close(null)
  }

  /** Re-sign a participant's URLs once half their lifetime is gone; the others get the new play URL. */
  private renewUrlsIfDue(m: MemberRecord): void {
    const ttl = this.rules.mediaUrlTtlMs
    if (m.urls.expiresAt - this.now > ttl / 2) return
    m.urls = this.rules.media.urls(m.streamName, this.now + ttl)
    this.broadcast({ type: 'participant_updated', participant: participantView(m) })
  }
}

/** Whether an event is for this member's socket `link`. */
export function addressedTo(to: Audience, participantId: string, link: string): boolean {
  switch (to.kind) {
    case 'all':
      return true
    case 'except':
      return to.participantId !== participantId
    case 'only':
      return to.participantId === participantId
    case 'other_links':
      return to.participantId === participantId && to.link !== link
  }
}

/** A fresh participant id: `p` and 10 hex digits. */
export function newParticipantId(): string {
  return `p${randomBytes(5).toString('hex')}`
}

/** A fresh host key: 24 random bytes, base64url. */
export function newHostKey(): string {
  return randomBytes(24).toString('base64url')
}

function sha256hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** Constant-time comparison of a given secret with the stored hash. */
function sameHash(given: string | undefined, expectedHex: string): boolean {
  if (given === undefined) return false
  return timingSafeEqual(Buffer.from(sha256hex(given), 'hex'), Buffer.from(expectedHex, 'hex'))
}
