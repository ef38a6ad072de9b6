/**
 * The room registry (the mediasoup-demo `rooms` map): creates meetings in the
 * state store, and keeps a {@link Room} handle for each meeting this instance
 * holds members of, subscribed to its updates, dropped when released.
 *
 * Creation cannot race: the store refuses an id that is taken, and another
 * is drawn. Opening a handle races only with itself, so concurrent opens of
 * one meeting share one promise.
 */
import { randomInt } from 'node:crypto'
import type { MeetingEndReason } from '../../src/core/protocol'
import { DRAIN_SLICE, inSlices } from '../drain'
import type { Logger } from '../logger'
import { newHostKey, newMeetingRecord } from '../state/meeting'
import { Room, type RoomDeps } from './room'

export type RegistryDeps = Omit<RoomDeps, 'onReleased'>

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>()
  private readonly opening = new Map<string, Promise<Room | undefined>>()

  constructor(
    private readonly deps: RegistryDeps,
    private readonly log: Logger,
  ) {
    deps.store.onResync(() => {
      for (const room of [...this.rooms.values()]) {
        room.resync().catch((error: unknown) => this.log.warn({ err: error, meetingId: room.id }, 'resync failed'))
      }
    })
  }

  /** Meetings with a handle here. */
  get size(): number {
    return this.rooms.size
  }

  /** A new meeting with a fresh nine-digit id and a single-use host key. */
  async create(passcode: string | null): Promise<{ room: Room; hostKey: string }> {
    const hostKey = newHostKey()
    for (;;) {
      const record = newMeetingRecord(newMeetingId(), hostKey, passcode, this.deps.now(), this.deps.settings.emptyTtlMs)
      if (!(await this.deps.store.create(record))) continue
      const room = await this.open(record.id)
      if (room === undefined) throw new Error(`meeting ${record.id} vanished right after it was created`)
      room.watchExpiry = true
      this.log.info({ meetingId: record.id, passcode: passcode !== null, rooms: this.rooms.size }, 'room created')
      return { room, hostKey }
    }
  }

  /** The handle held here, if any (no store access). */
  get(id: string): Room | undefined {
    return this.rooms.get(id)
  }

  /** The meeting's handle, opening (and subscribing) it here if needed; undefined when there is no such meeting. */
  open(id: string): Promise<Room | undefined> {
    const held = this.rooms.get(id)
    if (held !== undefined) return Promise.resolve(held)
    let pending = this.opening.get(id)
    if (pending === undefined) {
      pending = this.load(id).finally(() => this.opening.delete(id))
      this.opening.set(id, pending)
    }
    return pending
  }

  /** Run presence rules over every room held here (see Room.sweep); `dead` are instances found gone. */
  async sweep(now: number, dead: ReadonlySet<string> = new Set()): Promise<void> {
    await Promise.all(
      [...this.rooms.values()].map((room) =>
        room.sweep(now, dead).catch((error: unknown) => this.log.warn({ err: error, meetingId: room.id }, 'sweep failed')),
      ),
    )
  }

  /** Ids of the meetings held here (for the liveness beat). */
  ids(): string[] {
    return [...this.rooms.keys()]
  }

  /**
   * End every meeting held here (the service stopping with in-memory
   * state): a slice of meetings (about DRAIN_SLICE sockets) per turn of the
   * event loop, so requests and close handshakes keep being served.
   */
  async closeAll(reason: MeetingEndReason): Promise<void> {
    await inSlices(
      this.rooms.values(),
      DRAIN_SLICE,
      (room) => room.mutate((tx) => tx.close(reason)).catch(() => undefined),
      (room) => room.heldLinks,
    )
  }

  /**
   * This instance stops but the meetings go on: every socket held here is
   * closed with 1012 (resume elsewhere) and its resume window starts. In
   * slices, as closeAll.
   */
  async handOff(): Promise<void> {
    await inSlices(this.rooms.values(), DRAIN_SLICE, (room) => room.handOff().catch(() => undefined), (room) => room.heldLinks)
  }

  private async load(id: string): Promise<Room | undefined> {
    const { store } = this.deps
    const handle: { room?: Room } = {}
    const early: Parameters<Room['receive']>[0][] = []
    // Subscribe before reading, so no commit falls between the read and the subscription.
    await store.subscribe(
      id,
      (update) => {
        if (handle.room === undefined) early.push(update)
        else void handle.room.receive(update)
      },
      // Ephemeral: one that arrives before the room is set up is not worth keeping.
      (relayed) => handle.room?.deliverRelayed(relayed),
    )
    const stored = await store.load(id)
    if (stored === undefined) {
      await store.unsubscribe(id)
      return undefined
    }
    const room = new Room(id, stored, {
      ...this.deps,
      onReleased: (released) => {
        if (this.rooms.get(released.id) !== released) return
        this.rooms.delete(released.id)
        void store.unsubscribe(released.id)
      },
    })
    handle.room = room
    this.rooms.set(id, room)
    for (const update of early) void room.receive(update)
    return room
  }
}

function newMeetingId(): string {
  return String(randomInt(100_000_000, 1_000_000_000))
}
