/**
 * Where meetings live: one interface, two implementations. Memory
 * (server/state/memory-store.ts) is the default, one process holding
 * everything; Redis (server/state/redis-store.ts, with REDIS_URL) lets many
 * instances share meetings. The room logic (server/state/meeting.ts,
 * server/rooms/) is written once against this interface.
 *
 * Concurrency is optimistic: a command reads a meeting with its version,
 * computes the new record and events, and `commit` stores both only if the
 * version is unchanged, atomically; otherwise the caller reads again and
 * retries. Events get consecutive sequence numbers per meeting, are kept in a
 * capped log (for a client resuming on another instance) and fanned out to
 * every subscribed instance.
 */
import type { ChatLine, SpeakingChangedMessage } from '../../src/core/protocol'
import type { MeetingEvent, MeetingRecord } from './meeting'

export interface Stored {
  readonly version: number
  readonly record: MeetingRecord
}

/** What a commit tells the meeting's subscribers: the new state and the events that say how it came about. */
export interface MeetingUpdate {
  /** The version after the commit. */
  readonly version: number
  /** null: the meeting closed. */
  readonly record: MeetingRecord | null
  readonly events: readonly MeetingEvent[]
}

/**
 * An ephemeral message for a meeting's members on every instance (today only
 * `speaking_changed`): fanned out like a commit's events, but not stored, not
 * logged, not numbered, so a snapshot or a resume never carries it.
 */
export interface Relayed {
  readonly message: SpeakingChangedMessage
  /** Not delivered to this participant's sockets (the reporter). */
  readonly except: string
}

/** Live instances and the meetings they hold members of. */
export interface InstanceInfo {
  readonly id: string
  readonly alive: boolean
  readonly meetings: readonly string[]
}

export interface StateStore {
  readonly kind: 'memory' | 'redis'
  /** Store a new meeting unless its id is taken. */
  create(record: MeetingRecord): Promise<boolean>
  load(id: string): Promise<Stored | undefined>
  /**
   * Store `next` (null deletes the meeting) and append `events` to its log and
   * channel, if the stored version is still `version`. The chat lines among
   * the events (`chat_message`) join the meeting's chat history, which keeps
   * the last LIMITS.chatHistory. False: someone else changed it first (or it
   * is gone); read again.
   */
  commit(id: string, version: number, next: MeetingRecord | null, events: readonly MeetingEvent[]): Promise<boolean>
  /** The meeting's last LIMITS.chatHistory chat lines, oldest first ([] for an unknown meeting). */
  chatHistory(id: string): Promise<ChatLine[]>
  /** The events after `afterSeq`, or null when the log no longer reaches back that far. */
  eventsSince(id: string, afterSeq: number): Promise<MeetingEvent[] | null>
  /**
   * Receive every commit on this meeting, by anyone (the committing instance
   * included), and every relayed message (`onRelay`, the relaying instance included).
   */
  subscribe(id: string, onUpdate: (update: MeetingUpdate) => void, onRelay?: (relayed: Relayed) => void): Promise<void>
  /** Hand an ephemeral message to every subscribed instance (best effort: nothing is kept if none listens). */
  relay(id: string, relayed: Relayed): Promise<void>
  unsubscribe(id: string): Promise<void>
  /**
   * Called after the connection to the shared store came back (and, if the
   * store lost its data, after it put back the meetings subscribed here):
   * events may have been missed.
   */
  onResync(listener: () => void): void
  /**
   * Announce this instance as alive for `ttlMs`; with `meetings`, also
   * replace the list of meetings it holds members of and keep those meetings
   * from idling out (null: the list is unchanged since the last beat).
   */
  beat(instance: string, ttlMs: number, meetings: readonly string[] | null): Promise<void>
  /** Every instance that ever beat and has not been cleared, alive or not. */
  instances(): Promise<InstanceInfo[]>
  /** Forget a dead instance once its members were taken over; false if another instance already did. */
  claimDead(instance: string): Promise<boolean>
  /** Operations sent to the store so far (for the scale bench). */
  readonly operations: number
  close(): Promise<void>
}
