/** `hello`: attach this socket to a participant, first time or resume, on whichever instance it reached. */
import { PROTOCOL_VERSION, type HelloMessage, type RoomEventMessage } from '../../../src/core/protocol'
import { ProtocolError, authFailure } from '../../errors'
import type { Room } from '../../rooms/room'
import { addressedTo } from '../../state/meeting'
import type { ServiceContext } from '../../context'
import type { FrameContext } from './index'

export async function hello(message: HelloMessage, { conn, requestId }: FrameContext): Promise<void> {
  if (conn.session !== null) throw new ProtocolError('already_authenticated')
  const { registry, tokens, now } = conn.service
  const verdict = tokens.verify(message.token, now())
  if (!verdict.ok) throw authFailure(verdict.code)
  const { meetingId, participantId } = verdict.claims
  const room = await registry.open(meetingId)
  if (room === undefined) throw authFailure('unknown_meeting')
  // Held before the attach commits, so the events that follow it reach this socket.
  room.hold(conn.linkId, participantId, conn)
  let resumed: boolean
  try {
    resumed = await room.mutate((tx) => {
      const m = tx.member(participantId)
      if (m === undefined) throw authFailure('not_in_meeting')
      return tx.attach(m, conn.linkId).resumed
    })
  } catch (error) {
    room.unhold(conn.linkId)
    if (error instanceof ProtocolError && error.code === 'unknown_meeting') throw authFailure('unknown_meeting')
    throw error
  }
  room.markAttached(conn.linkId)
  const participant = room.participant(participantId)
  if (participant === undefined) throw authFailure('not_in_meeting')
  conn.bind({ room, participantId })
  conn.log.info({ meetingId, participantId, resumed }, 'hello')
  conn.send({
    type: 'welcome',
    ...(requestId !== undefined ? { id: requestId } : {}),
    resumed,
    protocolVersion: PROTOCOL_VERSION,
    ...room.snapshot(participant),
    ...(await missedSince(conn.service, room, participantId, message.lastSeq)),
    chat: await conn.service.store.chatHistory(room.id),
  })
}

/**
 * The events this participant missed after `lastSeq` (the `seq` of the last
 * event it got), when the meeting's log still holds them all; otherwise the
 * welcome's snapshot alone. Notices aimed at its old socket, and
 * `media_credentials` (superseded by the welcome's pushUrl), are left out.
 */
async function missedSince(
  service: ServiceContext,
  room: Room,
  participantId: string,
  lastSeq: number | undefined,
): Promise<{ seq: number; missed?: RoomEventMessage[] }> {
  const seq = room.record.seq
  if (lastSeq === undefined || lastSeq > seq) return { seq }
  const events = await service.store.eventsSince(room.id, lastSeq)
  if (events === null) return { seq }
  const missed: RoomEventMessage[] = []
  for (const e of events) {
    if (e.seq > seq || e.message === undefined || e.to.kind === 'other_links') continue
    // The welcome's pushUrl is the newest credential; an older one replayed after it would undo it.
    if (e.message.type === 'media_credentials') continue
    if (addressedTo(e.to, participantId, '')) missed.push({ ...(e.message as RoomEventMessage), seq: e.seq })
  }
  return { seq, missed }
}
