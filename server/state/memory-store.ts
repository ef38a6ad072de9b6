/**
 * The embedded default: meetings in this process's memory, as before Redis
 * existed. Commits are synchronous underneath (Node runs one callback at a
 * time), so the version check never fails here; it is kept so the room code
 * runs the same path on both stores.
 */
import { LIMITS, type ChatLine } from '../../src/core/protocol'
import { chatLinesOf, type MeetingEvent, type MeetingRecord } from './meeting'
import type { InstanceInfo, MeetingUpdate, Relayed, StateStore, Stored } from './store'

/** Events kept per meeting for resumes (the Redis log is capped the same way). */
export const EVENT_LOG_CAP = 256

interface Entry {
  version: number
  record: MeetingRecord
  log: MeetingEvent[]
  /** The last LIMITS.chatHistory chat lines. */
  chat: ChatLine[]
}

export class MemoryStore implements StateStore {
  readonly kind = 'memory'
  operations = 0
  private readonly meetings = new Map<string, Entry>()
  private readonly listeners = new Map<string, (update: MeetingUpdate) => void>()
  private readonly relayListeners = new Map<string, (relayed: Relayed) => void>()

  async create(record: MeetingRecord): Promise<boolean> {
    this.operations += 1
    if (this.meetings.has(record.id)) return false
    this.meetings.set(record.id, { version: 0, record: structuredClone(record), log: [], chat: [] })
    return true
  }

  async load(id: string): Promise<Stored | undefined> {
    this.operations += 1
    const entry = this.meetings.get(id)
    return entry === undefined ? undefined : { version: entry.version, record: structuredClone(entry.record) }
  }

  async commit(id: string, version: number, next: MeetingRecord | null, events: readonly MeetingEvent[]): Promise<boolean> {
    this.operations += 1
    const entry = this.meetings.get(id)
    if (entry === undefined || entry.version !== version) return false
    entry.version += 1
    if (next === null) this.meetings.delete(id)
    else {
      entry.record = structuredClone(next)
      entry.log.push(...events)
      if (entry.log.length > EVENT_LOG_CAP) entry.log.splice(0, entry.log.length - EVENT_LOG_CAP)
      entry.chat.push(...chatLinesOf(events))
      if (entry.chat.length > LIMITS.chatHistory) entry.chat.splice(0, entry.chat.length - LIMITS.chatHistory)
    }
    this.listeners.get(id)?.({ version: entry.version, record: next === null ? null : structuredClone(next), events })
    return true
  }

  async chatHistory(id: string): Promise<ChatLine[]> {
    this.operations += 1
    return structuredClone(this.meetings.get(id)?.chat ?? [])
  }

  async eventsSince(id: string, afterSeq: number): Promise<MeetingEvent[] | null> {
    this.operations += 1
    const entry = this.meetings.get(id)
    if (entry === undefined) return null
    if (afterSeq >= entry.record.seq) return []
    const first = entry.log[0]
    if (first === undefined || first.seq > afterSeq + 1) return null
    return entry.log.filter((e) => e.seq > afterSeq)
  }

  async subscribe(id: string, onUpdate: (update: MeetingUpdate) => void, onRelay?: (relayed: Relayed) => void): Promise<void> {
    this.listeners.set(id, onUpdate)
    if (onRelay !== undefined) this.relayListeners.set(id, onRelay)
  }

  async relay(id: string, relayed: Relayed): Promise<void> {
    this.relayListeners.get(id)?.(relayed)
  }

  async unsubscribe(id: string): Promise<void> {
    this.listeners.delete(id)
    this.relayListeners.delete(id)
  }

  onResync(): void {
    // One process: nothing to miss.
  }

  async beat(): Promise<void> {}

  async instances(): Promise<InstanceInfo[]> {
    return []
  }

  async claimDead(): Promise<boolean> {
    return false
  }

  async close(): Promise<void> {
    this.listeners.clear()
    this.relayListeners.clear()
  }
}
