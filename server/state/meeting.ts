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
  type ChatLine,
  type CloseCode,
  type Grants,
  type HeartbeatSettings,
  type LeaveReason,
  type MediaCredentialsReason,
  type MeetingEndReason,
  type MeetingView,
  type ParticipantView,
  type ServerMessage,
} from '../../src/core/protocol'
import { ProtocolError, errorBody } from '../errors'
import { newStreamName, type MediaProvider, type MediaSubject, type StreamUrls } from '../media/provider'

export interface MemberRecord {
  readonly id: string
  readonly nickname: string
  role: Role
  micOn: boolean
  cameraOn: boolean
  mutedByHost: boolean
  /** The app is in the background: still here, pushing a waiting image (set_media `away`). */
  away: boolean
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
  /** When its hand went up; null while down. (Optional: records stored before hands existed.) */
  handRaisedAt?: number | null
  /** The `clientMsgId`s of its last chat lines, newest last: a retry of one of them is not a new line. */
  chatIds?: string[]
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
  /** Who the stream was, as the provider signed it (TRTC removes that user from its room). */
  readonly subject: MediaSubject
}

export interface MeetingRules {
  readonly capacity: number
  readonly mediaUrlTtlMs: number
  readonly heartbeat: HeartbeatSettings
  readonly media: Pick<MediaProvider, 'urls' | 'credentialsFollowParticipant'>
}

export interface JoinInput {
  readonly nickname: string
  readonly passcode?: string
  readonly hostKey?: string
  readonly micOn?: boolean
  readonly cameraOn?: boolean
}

export type MediaPatch = Partial<Pick<MemberRecord, 'micOn' | 'cameraOn' | 'mutedByHost' | 'away'>>

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
    away: m.away,
    playUrl: m.urls.playUrl,
    joinedAt: m.joinedAt,
    handRaised: (m.handRaisedAt ?? null) !== null,
    handRaisedAt: m.handRaisedAt ?? null,
  }
}

/** How many of a member's recent `clientMsgId`s are remembered for deduplicating retries. */
export const CHAT_IDS_KEPT = 16

export function grantsOf(m: MemberRecord): Grants {
  return ROLE_GRANTS[m.role]
}

/** What the media provider signs a member's URLs for. */
export function mediaSubject(meetingId: string, m: Pick<MemberRecord, 'id' | 'role' | 'mutedByHost'>): MediaSubject {
  return { meetingId, participantId: m.id, role: m.role, mutedByHost: m.mutedByHost }
}

/** A member's URLs have half their lifetime or less left: time to sign new ones. */
export function urlsHalfSpent(m: MemberRecord, now: number, mediaUrlTtlMs: number): boolean {
  return m.urls.expiresAt - now <= mediaUrlTtlMs / 2
}

/**
 * One command applied to a copy of a meeting. After the command, `record`
 * is the new state (null: the meeting closed), `events` what to deliver,
 * `revocations` what to revoke, `closed` whether the meeting closed (and
 * why: a reason, or null when it emptied).
 */
export class MeetingTx {
  record: MeetingRecord | null
  readonly events: MeetingEvent[] = []
  readonly revocations: Revocation[] = []
  /** Set when this command closed the meeting: its reason, or null when it emptied. */
  closed: { readonly reason: MeetingEndReason | null } | undefined

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
    const role = asHost ? 'host' : 'participant'
    const m: MemberRecord = {
      id,
      nickname: input.nickname,
      role,
      micOn: input.micOn ?? true,
      cameraOn: input.cameraOn ?? true,
      mutedByHost: false,
      away: false,
      joinedAt: this.now,
      streamName,
      urls: this.rules.media.urls(streamName, this.now + this.rules.mediaUrlTtlMs, mediaSubject(meeting.id, { id, role, mutedByHost: false })),
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
    const wasMuted = m.mutedByHost
    let changed = false
    for (const key of ['micOn', 'cameraOn', 'mutedByHost', 'away'] as const) {
      const value = patch[key]
      if (value !== undefined && m[key] !== value) {
        m[key] = value
        changed = true
      }
    }
    if (changed) this.broadcast({ type: 'participant_updated', participant: participantView(m) })
    if (m.mutedByHost !== wasMuted) this.reissueCredentials(m, 'privileges')
    return changed
  }

  /** Make `m` the host; the previous host (if any) becomes a participant. A host is never muted by a host. */
  setHost(m: MemberRecord): void {
    const meeting = this.meeting
    if (meeting.hostId === m.id) return
    this.demoteHost()
    const wasMuted = m.mutedByHost
    m.role = 'host'
    m.mutedByHost = false
    meeting.hostId = m.id
    this.broadcast({ type: 'participant_updated', participant: participantView(m) })
    if (wasMuted) this.reissueCredentials(m, 'privileges')
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

  /**
   * Raise or lower a member's hand; everyone gets the new view if it changed.
   * Raising a raised hand keeps its place in the queue (the old time).
   */
  setHand(m: MemberRecord, raised: boolean): boolean {
    const isRaised = (m.handRaisedAt ?? null) !== null
    if (isRaised === raised) return false
    m.handRaisedAt = raised ? this.now : null
    this.broadcast({ type: 'participant_updated', participant: participantView(m) })
    return true
  }

  /**
   * A chat line from `m` to everyone, sender included. A `clientMsgId` the
   * member used recently is a retry of a line already sent: nothing happens
   * (the first one's echo, or the welcome's history, carries it). Returns
   * whether a line was added.
   */
  chatSend(m: MemberRecord, text: string, clientMsgId: string): boolean {
    const ids = m.chatIds ?? []
    if (ids.includes(clientMsgId)) return false
    m.chatIds = [...ids, clientMsgId].slice(-CHAT_IDS_KEPT)
    const meeting = this.meeting
    // The seq this broadcast is about to take: unique, and the order everyone sees.
    const atSeq = meeting.seq + 1
    const line: ChatLine = {
      id: `c${atSeq}`,
      atSeq,
      atMs: this.now,
      from: { id: m.id, nickname: m.nickname, role: m.role },
      text,
      clientMsgId,
    }
    // The stores keep the chat_message events' lines as the meeting's history (chatLinesOf).
    this.broadcast({ type: 'chat_message', ...line })
    return true
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
    this.revoke(m)
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
    for (const m of meeting.members) this.revoke(m)
    this.closed = { reason }
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
      else if (m.link !== null && this.rules.media.credentialsFollowParticipant === true && urlsHalfSpent(m, this.now, this.rules.mediaUrlTtlMs)) {
        this.reissueCredentials(m, 'renewal')
      }
    }
    if (this.record !== null && !this.record.hadMembers && this.now >= this.record.expiresAt) this.close(null)
  }

  /**
   * For providers whose credentials carry the participant's privileges
   * (TRTC): sign new ones and send them to the participant, through whichever
   * instance holds its socket. A no-op for URL-signing providers, whose URLs
   * do not depend on role or mute.
   */
  reissueCredentials(m: MemberRecord, reason: MediaCredentialsReason): void {
    if (this.rules.media.credentialsFollowParticipant !== true || this.member(m.id) !== m) return
    this.resign(m)
    // Without a socket there is nobody to tell: the welcome of its resume carries the record's URLs.
    if (m.link !== null) this.sendTo(m, { type: 'media_credentials', reason, pushUrl: m.urls.pushUrl, pushUrlExpiresAt: m.urls.expiresAt })
  }

  /** Re-sign a participant's URLs once half their lifetime is gone (the welcome that follows carries them). */
  private renewUrlsIfDue(m: MemberRecord): void {
    if (urlsHalfSpent(m, this.now, this.rules.mediaUrlTtlMs)) this.resign(m)
  }

  /** New URLs for `m`; the others get its view when its play URL changed. */
  private resign(m: MemberRecord): void {
    const previous = m.urls.playUrl
    m.urls = this.rules.media.urls(m.streamName, this.now + this.rules.mediaUrlTtlMs, mediaSubject(this.meeting.id, m))
    this.dirty = true
    if (m.urls.playUrl !== previous) this.broadcast({ type: 'participant_updated', participant: participantView(m) })
  }

  private revoke(m: MemberRecord): void {
    this.revocations.push({ streamName: m.streamName, until: m.urls.expiresAt, subject: mediaSubject(this.meeting.id, m) })
  }
}

/** The chat lines among a commit's events, as the history keeps them (without the event fields). */
export function chatLinesOf(events: readonly MeetingEvent[]): ChatLine[] {
  const lines: ChatLine[] = []
  for (const e of events) {
    const m = e.message
    if (m?.type !== 'chat_message') continue
    lines.push({ id: m.id, atSeq: m.atSeq, atMs: m.atMs, from: m.from, text: m.text, clientMsgId: m.clientMsgId })
  }
  return lines
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
