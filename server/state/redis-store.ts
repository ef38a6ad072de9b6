/**
 * Meetings in Redis (REDIS_URL), shared by every instance. Keys and channels
 * (docs/scale-out.md has the whole picture):
 *
 *   meeting:{id}            hash  v = version, r = the record as JSON
 *   meeting:{id}:log        stream, ids `{seq}-1`, capped (EVENT_LOG_CAP)
 *   meeting:{id}:chat       list of chat lines as JSON, oldest first, trimmed to the last LIMITS.chatHistory
 *   meeting:{id}            pub/sub channel: one message per commit: {version, record, events},
 *                           and per relayed ephemeral message: {relay: {message, except}} (nothing stored)
 *   instance:{id}           string with a TTL: the instance is alive
 *   instance:{id}:meetings  set: meetings where it holds members
 *   instances               set: every instance id not yet cleared
 *   state:epoch             random per generation of Redis's data (a restart without persistence loses it)
 *
 * Every mutation is one Lua script, so it is atomic on the server: the
 * version check, the new record, the log entries and the publish happen
 * together or not at all. node-redis reconnects with back-off and
 * re-subscribes by itself; after a reconnect `onResync` listeners run so
 * rooms fetch what they missed (or restore what a restarted Redis lost).
 */
import { randomBytes } from 'node:crypto'
import { createClient, type RedisClientType } from 'redis'
import { ProtocolError } from '../errors'
import type { Logger } from '../logger'
import { LIMITS, type ChatLine } from '../../src/core/protocol'
import { chatLinesOf, type MeetingEvent, type MeetingRecord } from './meeting'
import { EVENT_LOG_CAP } from './memory-store'
import type { InstanceInfo, MeetingUpdate, Relayed, StateStore, Stored } from './store'

/** A meeting nobody touches (no commit, no instance beating for it) for this long is dropped by Redis. */
const IDLE_MEETING_TTL_MS = 24 * 3600_000
/** The log of a closed meeting lingers this long (late subscribers see its end). */
const CLOSED_LOG_TTL_MS = 60_000

const meetingKey = (id: string): string => `meeting:${id}`
const logKey = (id: string): string => `meeting:${id}:log`
const chatKey = (id: string): string => `meeting:${id}:chat`
const instanceKey = (id: string): string => `instance:${id}`
const instanceMeetingsKey = (id: string): string => `instance:${id}:meetings`
const INSTANCES = 'instances'

/**
 * KEYS: record, log, chat. ARGV: version, next record ('' deletes), the
 * update to publish, the number of chat lines k, k chat lines, then
 * seq/event pairs. A list (not a stream) for the chat: LTRIM caps it
 * exactly, and the history is always read whole.
 */
const COMMIT = `
local v = redis.call('HGET', KEYS[1], 'v')
if not v or v ~= ARGV[1] then return 0 end
local k = tonumber(ARGV[4])
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1], KEYS[3])
  redis.call('PEXPIRE', KEYS[2], ${CLOSED_LOG_TTL_MS})
else
  redis.call('HSET', KEYS[1], 'v', tostring(tonumber(v) + 1), 'r', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ${IDLE_MEETING_TTL_MS})
  if k > 0 then
    for i = 5, 4 + k do redis.call('RPUSH', KEYS[3], ARGV[i]) end
    redis.call('LTRIM', KEYS[3], -${LIMITS.chatHistory}, -1)
  end
  if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ${IDLE_MEETING_TTL_MS}) end
end
local n = #ARGV
if n > 4 + k then
  for i = 5 + k, n, 2 do
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', '${EVENT_LOG_CAP}', ARGV[i] .. '-1', 'e', ARGV[i + 1])
  end
  if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[2], ${IDLE_MEETING_TTL_MS}) end
end
redis.call('PUBLISH', KEYS[1], ARGV[3])
return 1
`

/** KEYS: record. ARGV: record JSON, ttl ms. */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', '0', 'r', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`

/** KEYS: record. ARGV: version, record JSON. Writes unless a version at least as new is stored. */
const RESTORE = `
local v = redis.call('HGET', KEYS[1], 'v')
if v and tonumber(v) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'r', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ${IDLE_MEETING_TTL_MS})
return 1
`

/** KEYS: instance liveness, its meetings, the instances set. ARGV: instance id. */
const CLAIM_DEAD = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SREM', KEYS[3], ARGV[1]) == 0 then return 0 end
redis.call('DEL', KEYS[2])
return 1
`

export interface RedisStoreOptions {
  readonly url: string
  readonly log: Logger
  /** Milliseconds a new meeting may wait for its first join. */
  readonly emptyTtlMs: number
}

/** Marks one generation of Redis's data: a Redis that comes back without it lost everything (no persistence). */
const EPOCH = 'state:epoch'

export class RedisStore implements StateStore {
  readonly kind = 'redis'
  operations = 0
  private readonly client: RedisClientType
  private readonly subscriber: RedisClientType
  private readonly resyncListeners: Array<() => void> = []
  private readonly handlers = new Map<string, (update: MeetingUpdate) => void>()
  private readonly relayHandlers = new Map<string, (relayed: Relayed) => void>()
  /** The latest state seen of each subscribed meeting: what is put back if Redis loses its data. */
  private readonly known = new Map<string, Stored>()
  private epoch = ''
  /** Set while recovering from a reconnect: operations wait for it. */
  private gate: Promise<void> | null = null
  private closed = false

  private constructor(
    private readonly options: RedisStoreOptions,
    client: RedisClientType,
  ) {
    this.client = client
    this.subscriber = client.duplicate()
    const { log } = options
    // Without an error listener node-redis would throw; the reconnect strategy does the recovering.
    this.client.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'))
    this.subscriber.on('error', (error: Error) => log.warn({ err: error.message }, 'redis subscriber error'))
    let clientReady = false
    this.client.on('ready', () => {
      if (clientReady) {
        log.info('redis reconnected; checking for lost data')
        this.gate = this.recover()
          .catch((error: unknown) => log.warn({ err: error }, 'redis recovery failed'))
          .finally(() => {
            this.gate = null
            this.resync()
          })
      }
      clientReady = true
    })
    let subscriberReady = false
    this.subscriber.on('ready', () => {
      // node-redis subscribes again by itself; what was published meanwhile is fetched from the logs.
      if (subscriberReady) this.resync()
      subscriberReady = true
    })
  }

  static async connect(options: RedisStoreOptions): Promise<RedisStore> {
    const client: RedisClientType = createClient({
      url: options.url,
      // A command while Redis is away fails at once (the client is told
      // `unavailable` and may retry) instead of waiting in a queue that would
      // run it against a Redis that may have lost the meeting meanwhile.
      disableOfflineQueue: true,
      socket: {
        // Back off to 1 s and keep trying: a Redis restart must not end meetings.
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1000),
        connectTimeout: 2000,
      },
    })
    const store = new RedisStore(options, client)
    try {
      await client.connect()
      await store.subscriber.connect()
      store.epoch = await store.readEpoch()
    } catch (error) {
      await store.close()
      throw new Error(`REDIS_URL: cannot connect to ${redactUrl(options.url)}: ${error instanceof Error ? error.message : String(error)}`)
    }
    return store
  }

  async create(record: MeetingRecord): Promise<boolean> {
    const created = await this.run(() =>
      this.client.eval(CREATE, { keys: [meetingKey(record.id)], arguments: [JSON.stringify(record), String(this.options.emptyTtlMs * 2)] }),
    )
    return created === 1
  }

  async load(id: string): Promise<Stored | undefined> {
    const [v, r] = await this.run(() => this.client.hmGet(meetingKey(id), ['v', 'r']))
    if (v === null || r === null || v === undefined || r === undefined) return undefined
    const stored = { version: Number(v), record: JSON.parse(r) as MeetingRecord }
    this.remember(id, stored)
    return stored
  }

  async commit(id: string, version: number, next: MeetingRecord | null, events: readonly MeetingEvent[]): Promise<boolean> {
    const record = next === null ? '' : JSON.stringify(next)
    const update = `{"version":${version + 1},"record":${next === null ? 'null' : record},"events":${JSON.stringify(events)}}`
    const chat = chatLinesOf(events)
    const args = [String(version), record, update, String(chat.length), ...chat.map((line) => JSON.stringify(line))]
    for (const event of events) args.push(String(event.seq), JSON.stringify(event))
    const done = await this.run(() => this.client.eval(COMMIT, { keys: [meetingKey(id), logKey(id), chatKey(id)], arguments: args }))
    if (done === 1) this.remember(id, next === null ? null : { version: version + 1, record: next })
    return done === 1
  }

  async chatHistory(id: string): Promise<ChatLine[]> {
    const lines = await this.run(() => this.client.lRange(chatKey(id), 0, -1))
    return lines.map((line) => JSON.parse(line) as ChatLine)
  }

  async eventsSince(id: string, afterSeq: number): Promise<MeetingEvent[] | null> {
    const entries = await this.run(() => this.client.xRange(logKey(id), `${afterSeq}-2`, '+'))
    const events = (entries ?? []).map((entry) => JSON.parse(String(entry.message.e)) as MeetingEvent)
    // The log must start right after afterSeq, or something in between was trimmed (or lost).
    if (events.length === 0) {
      const stored = await this.load(id)
      return stored !== undefined && stored.record.seq <= afterSeq ? [] : null
    }
    return events[0].seq === afterSeq + 1 ? events : null
  }

  async subscribe(id: string, onUpdate: (update: MeetingUpdate) => void, onRelay?: (relayed: Relayed) => void): Promise<void> {
    const known = this.handlers.has(id)
    this.handlers.set(id, onUpdate)
    if (onRelay !== undefined) this.relayHandlers.set(id, onRelay)
    if (known) return
    await this.run(() =>
      this.subscriber.subscribe(meetingKey(id), (message: string) => {
        const parsed = JSON.parse(message) as MeetingUpdate | { relay: Relayed }
        // Relayed messages share the meeting's channel: one subscription per meeting either way.
        if ('relay' in parsed) {
          this.relayHandlers.get(id)?.(parsed.relay)
          return
        }
        const update = parsed
        this.remember(id, update.record === null ? null : { version: update.version, record: update.record })
        this.handlers.get(id)?.(update)
      }),
    )
  }

  async relay(id: string, relayed: Relayed): Promise<void> {
    await this.run(() => this.client.publish(meetingKey(id), JSON.stringify({ relay: relayed })))
  }

  async unsubscribe(id: string): Promise<void> {
    this.known.delete(id)
    this.relayHandlers.delete(id)
    if (!this.handlers.delete(id)) return
    await this.run(() => this.subscriber.unsubscribe(meetingKey(id))).catch(() => undefined)
  }

  onResync(listener: () => void): void {
    this.resyncListeners.push(listener)
  }

  async beat(instance: string, ttlMs: number, meetings: readonly string[] | null): Promise<void> {
    await this.run(() => {
      const multi = this.client
        .multi()
        .set(instanceKey(instance), String(Date.now()), { expiration: { type: 'PX', value: ttlMs } })
        .sAdd(INSTANCES, instance)
      if (meetings !== null) {
        multi.del(instanceMeetingsKey(instance))
        if (meetings.length > 0) multi.sAdd(instanceMeetingsKey(instance), [...meetings])
        for (const id of meetings) multi.pExpire(meetingKey(id), IDLE_MEETING_TTL_MS).pExpire(chatKey(id), IDLE_MEETING_TTL_MS)
      }
      return multi.exec()
    })
  }

  async instances(): Promise<InstanceInfo[]> {
    const ids = await this.run(() => this.client.sMembers(INSTANCES))
    if (ids.length === 0) return []
    const replies = await this.run(() => {
      const multi = this.client.multi()
      for (const id of ids) multi.exists(instanceKey(id)).sMembers(instanceMeetingsKey(id))
      return multi.exec() as unknown as Promise<Array<number | string[]>>
    })
    return ids.map((id, i) => ({ id, alive: replies[2 * i] === 1, meetings: replies[2 * i + 1] as string[] }))
  }

  async claimDead(instance: string): Promise<boolean> {
    const claimed = await this.run(() =>
      this.client.eval(CLAIM_DEAD, { keys: [instanceKey(instance), instanceMeetingsKey(instance), INSTANCES], arguments: [instance] }),
    )
    return claimed === 1
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const c of [this.subscriber, this.client]) {
      try {
        if (c.isOpen) await c.close()
      } catch {
        c.destroy()
      }
    }
  }

  /** One round trip to Redis, after any recovery under way; a connection failure is `unavailable`. */
  private async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.gate !== null) await this.gate
    if (!this.client.isReady) throw new ProtocolError('unavailable')
    this.operations += 1
    try {
      return await op()
    } catch (error) {
      if (!this.client.isReady || !this.subscriber.isReady) throw new ProtocolError('unavailable')
      throw error
    }
  }

  private remember(id: string, stored: Stored | null): void {
    if (!this.handlers.has(id)) return
    if (stored === null) {
      this.known.delete(id)
      return
    }
    const seen = this.known.get(id)
    if (seen === undefined || stored.version > seen.version) this.known.set(id, stored)
  }

  private async readEpoch(): Promise<string> {
    await this.client.set(EPOCH, randomBytes(8).toString('hex'), { condition: 'NX' })
    return (await this.client.get(EPOCH)) ?? ''
  }

  /**
   * After a reconnect: if Redis lost its data (it restarted without
   * persistence, so the epoch key is gone or new), put back every meeting
   * this instance knows, newest version winning across instances.
   */
  private async recover(): Promise<void> {
    this.operations += 2
    const epoch = await this.readEpoch()
    if (epoch === this.epoch) return
    this.epoch = epoch
    this.options.log.warn({ meetings: this.known.size }, 'redis lost its data; restoring the meetings held here')
    for (const stored of this.known.values()) {
      this.operations += 1
      await this.restoreNow(stored)
    }
  }

  private async restoreNow(stored: Stored): Promise<void> {
    await this.client.eval(RESTORE, { keys: [meetingKey(stored.record.id)], arguments: [String(stored.version), JSON.stringify(stored.record)] })
  }

  private resync(): void {
    for (const listener of this.resyncListeners) listener()
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//<credentials>@')
}
