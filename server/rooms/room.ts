/**
 * A meeting as this instance sees it: the sockets it holds for members, the
 * last state it knows, and the one way to change the meeting, `mutate`.
 *
 * The meeting itself lives in the state store (memory, or Redis shared by
 * many instances). `mutate` runs a command (server/state/meeting.ts) on the
 * latest record, commits it atomically with its events, retries when another
 * instance got there first, then delivers the events to the sockets held
 * here. Events committed by other instances arrive through the store's
 * subscription and go through the same delivery: in sequence order, each
 * once, a gap filled from the meeting's log, or (when the log no longer
 * holds it) the local sockets asked to resume, which gives them a snapshot.
 */
import { CLOSE_CODES, type MeetingView, type SessionSnapshot } from '../../src/core/protocol'
import type { TokenBucket } from '../auth/rate-limit'
import type { TokenSigner } from '../auth/token'
import { ProtocolError, errorBody } from '../errors'
import type { Logger } from '../logger'
import type { MediaProvider } from '../media/provider'
import {
  addressedTo,
  MeetingTx,
  meetingView,
  participantView,
  type MeetingEvent,
  type MeetingRecord,
  type MeetingRules,
  type MemberRecord,
  urlsHalfSpent,
} from '../state/meeting'
import type { MeetingUpdate, Relayed, StateStore, Stored } from '../state/store'
import { serialize, type Frame, type Link } from './participant'

export interface RoomSettings extends Omit<MeetingRules, 'media'> {
  readonly tokenTtlMs: number
  /** A room nobody joined is dropped after this long. */
  readonly emptyTtlMs: number
}

export interface RoomDeps {
  readonly settings: RoomSettings
  readonly media: MediaProvider
  readonly tokens: TokenSigner
  readonly store: StateStore
  /** This process's instance id. */
  readonly instance: string
  readonly log: Logger
  readonly now: () => number
  /** Called once when this instance lets go of the room (closed, or nothing of it held here). */
  readonly onReleased: (room: Room) => void
}

/** A socket held here for a member. */
interface HeldLink {
  readonly participantId: string
  readonly link: Link
  lastSeenAt: number
  /** Its attach is committed (before that, the record cannot show it yet). */
  attached: boolean
}

/** Conflicting commits in a row before a command gives up (only reachable under a pathological race). */
const MAX_ATTEMPTS = 64

export class Room {
  /** Released: closed, or no longer anything of ours. */
  closed = false
  private stored: Stored
  private deliveredSeq: number
  private readonly held = new Map<string, HeldLink>()
  /** Frame budgets by participant id (see frameBucket); dropped by the sweep once the member is gone. */
  private readonly buckets = new Map<string, TokenBucket>()
  /** Chat budgets by participant id, on top of the frame budget; dropped like `buckets`. */
  private readonly chatBuckets = new Map<string, TokenBucket>()
  /** `speaking` budgets by participant id, on top of the frame budget; dropped like `buckets`. */
  private readonly speakingBuckets = new Map<string, TokenBucket>()
  private delivering: Promise<void> = Promise.resolve()
  /** Created here and not joined yet: this instance drops it when it expires. */
  watchExpiry = false
  /** Commands under way here (a join not yet committed is ours already). */
  private running = 0
  private readonly log: Logger

  constructor(
    readonly id: string,
    stored: Stored,
    private readonly deps: RoomDeps,
  ) {
    this.stored = stored
    this.deliveredSeq = stored.record.seq
    this.log = deps.log.child({ meetingId: id })
  }

  /** The latest state known here (kept current by the subscription). */
  get record(): MeetingRecord {
    return this.stored.record
  }

  get size(): number {
    return this.record.members.length
  }

  get expiresAt(): number {
    return this.record.expiresAt
  }

  view(): MeetingView {
    return meetingView(this.record, this.deps.settings.capacity)
  }

  participant(id: string): MemberRecord | undefined {
    return this.record.members.find((m) => m.id === id)
  }

  /** Members in join order. */
  participants(): MemberRecord[] {
    return [...this.record.members]
  }

  /** The sockets held here (for shutdown and tests). */
  get heldLinks(): number {
    return this.held.size
  }

  /**
   * Run a command on the latest record and commit it with its events; retry
   * on a conflict. A ProtocolError thrown by the command is the answer
   * (nothing was committed).
   */
  async mutate<T>(command: (tx: MeetingTx) => T): Promise<T> {
    this.running += 1
    try {
      return await this.commitWithRetry(command)
    } finally {
      this.running -= 1
      // A handle opened for a command that changed nothing of ours (a refused join) is let go.
      this.releaseIfIdle()
    }
  }

  private async commitWithRetry<T>(command: (tx: MeetingTx) => T): Promise<T> {
    const { store, settings, media, now, instance } = this.deps
    let stored: Stored | undefined = this.stored
    for (let attempt = 1; ; attempt++) {
      if (stored === undefined) {
        this.release()
        throw new ProtocolError('unknown_meeting')
      }
      const tx = new MeetingTx(stored.record, { ...settings, media }, now(), instance)
      const result = command(tx)
      if (!tx.changed) return result
      if (await store.commit(this.id, stored.version, tx.record, tx.events)) {
        // Media side effects belong to the instance whose commit decided them, so each happens once.
        for (const r of tx.revocations) media.revoke(r.streamName, r.until, r.subject)
        // A meeting that ended or emptied; not one this instance merely stops serving (handOff).
        if (tx.closed !== undefined) media.roomClosed?.(this.id)
        await this.receive({ version: stored.version + 1, record: tx.record, events: tx.events })
        return result
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`meeting ${this.id}: ${attempt} conflicting commits in a row`)
      stored = await store.load(this.id)
    }
  }

  /** The state a client rebuilds from, with a fresh token. */
  snapshot(m: MemberRecord): SessionSnapshot {
    const { now, settings, tokens } = this.deps
    const tokenExpiresAt = now() + settings.tokenTtlMs
    return {
      meeting: this.view(),
      participantId: m.id,
      role: m.role,
      token: tokens.sign({ meetingId: this.id, participantId: m.id, expiresAt: tokenExpiresAt }),
      tokenExpiresAt,
      pushUrl: m.urls.pushUrl,
      pushUrlExpiresAt: m.urls.expiresAt,
      participants: this.record.members.map(participantView),
      heartbeat: settings.heartbeat,
      meetingElapsedMs: Math.max(0, now() - this.record.createdAt),
    }
  }

  /** Hold a socket for a member (before the attach is committed, so its events reach it). */
  hold(linkId: string, participantId: string, link: Link): void {
    this.held.set(linkId, { participantId, link, lastSeenAt: this.deps.now(), attached: false })
  }

  /** The socket's attach is committed. */
  markAttached(linkId: string): void {
    const h = this.held.get(linkId)
    if (h !== undefined) h.attached = true
  }

  /** Stop holding a socket (it closed); true if it was held. */
  unhold(linkId: string): boolean {
    const had = this.held.delete(linkId)
    if (had) this.releaseIfIdle()
    return had
  }

  /**
   * The frame budget of a member once its socket said hello: the one its
   * earlier sockets here used, so that reconnecting does not buy a fresh
   * burst; `fresh` (the socket's own until then) when it has none yet.
   */
  frameBucket(participantId: string, fresh: TokenBucket): TokenBucket {
    const kept = this.buckets.get(participantId)
    if (kept !== undefined) return kept
    this.buckets.set(participantId, fresh)
    return fresh
  }

  /**
   * The chat budget of a member (`fresh` makes its first), kept per instance
   * like the frame budget: a member's socket is on one instance at a time.
   */
  chatBucket(participantId: string, fresh: () => TokenBucket): TokenBucket {
    return keptBucket(this.chatBuckets, participantId, fresh)
  }

  /** The `speaking` budget of a member, kept like the chat budget. */
  speakingBucket(participantId: string, fresh: () => TokenBucket): TokenBucket {
    return keptBucket(this.speakingBuckets, participantId, fresh)
  }

  /** Relay an ephemeral message to the meeting's other members, on every instance (through the store). */
  relay(relayed: Relayed): Promise<void> {
    return this.deps.store.relay(this.id, relayed)
  }

  /** A relayed message (ours or another instance's, through the subscription): to the sockets held here, except the reporter's. */
  deliverRelayed(relayed: Relayed): void {
    if (this.closed) return
    let frame: Frame | undefined
    for (const h of this.held.values()) {
      // Not before the attach is committed: the member cannot have seen who reports yet.
      if (h.participantId === relayed.except || !h.attached) continue
      frame ??= serialize(relayed.message)
      h.link.sendFrame(frame)
    }
  }

  /** A frame arrived on a held socket. */
  touch(linkId: string): void {
    const h = this.held.get(linkId)
    if (h !== undefined) h.lastSeenAt = this.deps.now()
  }

  /**
   * Presence for the members this instance is responsible for, and members
   * of instances found dead (`dead`), which this instance adopts. Checked on
   * the known state first, so a quiet meeting costs the store nothing.
   */
  async sweep(now: number, dead: ReadonlySet<string>): Promise<void> {
    if (this.closed) return
    for (const map of [this.buckets, this.chatBuckets, this.speakingBuckets]) for (const id of map.keys()) if (this.participant(id) === undefined) map.delete(id)
    const { timeoutMs, resumeGraceMs } = this.deps.settings.heartbeat
    const { mediaUrlTtlMs } = this.deps.settings
    const renewsCredentials = this.deps.media.credentialsFollowParticipant === true
    const me = this.deps.instance
    const silentFor = (m: MemberRecord): number | null => {
      const h = m.link === null ? undefined : this.held.get(m.link)
      return h === undefined ? null : now - h.lastSeenAt
    }
    const due = this.record.members.some((m) => {
      if (dead.has(m.instance)) return true
      if (m.instance !== me) return false
      if (m.link === null) return now - m.disconnectedAt > resumeGraceMs
      const silent = silentFor(m)
      if (silent === null || silent > timeoutMs) return true
      // TRTC credentials are renewed by the instance holding the socket (MeetingTx.sweep).
      return renewsCredentials && urlsHalfSpent(m, now, mediaUrlTtlMs)
    })
    const expired = !this.record.hadMembers && now >= this.record.expiresAt && this.watchExpiry
    // A socket held here whose member the record shows without one: another
    // instance took this one for dead (it stalled past its liveness TTL). It is alive: take the member back.
    const orphaned = (linkId: string, h: HeldLink): boolean => h.attached && this.participant(h.participantId)?.link === null && this.held.get(linkId) === h
    const reclaim = [...this.held].filter(([linkId, h]) => orphaned(linkId, h))
    if (!due && !expired && reclaim.length === 0) {
      // Opened for a dead instance's members who all resumed elsewhere, for instance.
      this.releaseIfIdle()
      return
    }
    await this.mutate((tx) => {
      for (const [linkId, h] of reclaim) {
        const m = tx.member(h.participantId)
        if (m !== undefined && m.link === null) tx.attach(m, linkId)
      }
      for (const m of tx.meeting.members) if (dead.has(m.instance)) tx.adopt(m)
      tx.sweep(silentFor)
    })
  }

  /** Close the sockets held here with 1012 and record them as disconnected (see RoomRegistry.handOff). */
  async handOff(): Promise<void> {
    const held = [...this.held]
    this.held.clear()
    for (const [, h] of held) h.link.close(CLOSE_CODES.instance_stopping, 'instance stopping')
    await this.mutate((tx) => {
      for (const [linkId, h] of held) {
        const m = tx.member(h.participantId)
        if (m !== undefined) tx.detach(m, linkId)
      }
    })
  }

  /** Take a commit (ours, or another instance's through the subscription) and deliver its events in order. */
  receive(update: MeetingUpdate): Promise<void> {
    this.delivering = this.delivering.then(() => this.apply(update)).catch((error: unknown) => {
      this.log.error({ err: error }, 'delivery failed')
    })
    return this.delivering
  }

  /** After a lost connection to the store: fetch what was missed, or ask the sockets held here to resume. */
  async resync(): Promise<void> {
    if (this.closed) return
    // A meeting missing now was closed meanwhile (the store put back what a restarted Redis lost before this runs).
    const current = await this.deps.store.load(this.id)
    if (current === undefined) {
      this.release()
      return
    }
    await this.receive({ version: current.version, record: current.record, events: [] })
  }

  private async apply(update: MeetingUpdate): Promise<void> {
    if (this.closed) return
    const first = update.events[0]
    if (first !== undefined && first.seq > this.deliveredSeq + 1) {
      const missed = await this.deps.store.eventsSince(this.id, this.deliveredSeq)
      if (missed === null) this.lostEvents()
      else for (const e of missed) if (e.seq < first.seq) this.deliver(e)
    } else if (first === undefined && update.record !== null && update.record.seq > this.deliveredSeq) {
      // A state without its events (a resync): fetch them, or ask our sockets to resume.
      const missed = await this.deps.store.eventsSince(this.id, this.deliveredSeq)
      if (missed === null) this.lostEvents()
      else for (const e of missed) this.deliver(e)
    }
    for (const e of update.events) this.deliver(e)
    if (update.record === null) {
      this.release()
      return
    }
    if (update.version > this.stored.version) {
      this.stored = { version: update.version, record: update.record }
      this.deliveredSeq = Math.max(this.deliveredSeq, update.record.seq)
    }
    this.releaseIfIdle()
  }

  /** Deliver one event to the sockets held here, once. */
  private deliver(e: MeetingEvent): void {
    if (e.seq <= this.deliveredSeq) return
    this.deliveredSeq = e.seq
    // Encoded once for every socket it reaches: the seq is the event's, so the frame is the same for all.
    let frame: Frame | undefined
    for (const [linkId, h] of [...this.held]) {
      if (!addressedTo(e.to, h.participantId, linkId)) continue
      if (e.message !== undefined) {
        frame ??= serialize({ ...e.message, seq: e.seq } as typeof e.message)
        h.link.sendFrame(frame)
      }
      if (e.close !== undefined || e.end === true) {
        this.held.delete(linkId)
        if (e.close !== undefined) h.link.close(e.close.code, e.close.reason)
      }
    }
    if (e.end === true) this.release()
  }

  /** Events were lost for good: every socket held here resumes, and its welcome carries the state. */
  private lostEvents(): void {
    this.log.warn({ deliveredSeq: this.deliveredSeq }, 'events lost; sockets asked to resume')
    for (const [linkId, h] of [...this.held]) {
      this.held.delete(linkId)
      h.link.send({ type: 'error', ...errorBody('resync') })
      h.link.close(CLOSE_CODES.resync, 'resync')
    }
  }

  /** Let go when no member is this instance's business any more. */
  private releaseIfIdle(): void {
    if (this.closed || this.held.size > 0 || this.running > 0) return
    if (this.watchExpiry && !this.record.hadMembers) return
    if (this.record.members.some((m) => m.instance === this.deps.instance)) return
    this.release()
  }

  private release(): void {
    if (this.closed) return
    this.closed = true
    for (const h of this.held.values()) h.link.close(CLOSE_CODES.going_away, 'released')
    this.held.clear()
    this.deps.onReleased(this)
  }
}

function keptBucket(map: Map<string, TokenBucket>, participantId: string, fresh: () => TokenBucket): TokenBucket {
  let bucket = map.get(participantId)
  if (bucket === undefined) {
    bucket = fresh()
    map.set(participantId, bucket)
  }
  return bucket
}
