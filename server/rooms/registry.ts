/**
 * The room registry (the mediasoup-demo `rooms` map): creates rooms, finds
 * them, and drops each one when it closes.
 *
 * Creation cannot race: the service alone picks meeting ids, and picking an
 * unused id and storing the room happen in one synchronous step. A room
 * removes itself through `onClosed` in the same step that closes it, so no
 * request ever finds a closed room here.
 */
import { randomInt } from 'node:crypto'
import type { MeetingEndReason } from '../../src/core/protocol'
import type { Logger } from '../logger'
import { newHostKey, Room, type RoomDeps } from './room'

export type RegistryDeps = Omit<RoomDeps, 'onClosed'>

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>()

  constructor(
    private readonly deps: RegistryDeps,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.rooms.size
  }

  /** A new room with a fresh nine-digit id and a single-use host key. */
  create(passcode: string | null): { room: Room; hostKey: string } {
    let id = newMeetingId()
    while (this.rooms.has(id)) id = newMeetingId()
    const hostKey = newHostKey()
    const room = new Room(id, hostKey, passcode, {
      ...this.deps,
      onClosed: (closed) => {
        if (this.rooms.get(closed.id) === closed) this.rooms.delete(closed.id)
      },
    })
    this.rooms.set(id, room)
    this.log.info({ meetingId: id, passcode: passcode !== null, rooms: this.rooms.size }, 'room created')
    return { room, hostKey }
  }

  get(id: string): Room | undefined {
    return this.rooms.get(id)
  }

  /** Run presence rules over every room (see Room.sweep). */
  sweep(now: number): void {
    for (const room of [...this.rooms.values()]) room.sweep(now)
  }

  /** End every meeting (service shutdown). */
  closeAll(reason: MeetingEndReason): void {
    for (const room of [...this.rooms.values()]) room.close(reason)
  }
}

function newMeetingId(): string {
  return String(randomInt(100_000_000, 1_000_000_000))
}
