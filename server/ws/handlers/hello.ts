/** `hello`: attach this socket to a participant, first time or resume. */
import { PROTOCOL_VERSION, type HelloMessage } from '../../../src/core/protocol'
import { ProtocolError, authFailure } from '../../errors'
import type { FrameContext } from './index'

export function hello(message: HelloMessage, { conn, requestId }: FrameContext): void {
  if (conn.session !== null) throw new ProtocolError('already_authenticated')
  const { registry, tokens, now } = conn.service
  const verdict = tokens.verify(message.token, now())
  if (!verdict.ok) throw authFailure(verdict.code)
  const room = registry.get(verdict.claims.meetingId)
  if (room === undefined) throw authFailure('unknown_meeting')
  const participant = room.participant(verdict.claims.participantId)
  if (participant === undefined) throw authFailure('not_in_meeting')

  const { resumed } = room.attach(participant, conn)
  conn.bind({ room, participant })
  conn.log.info({ meetingId: room.id, participantId: participant.id, resumed }, 'hello')
  conn.send({
    type: 'welcome',
    ...(requestId !== undefined ? { id: requestId } : {}),
    resumed,
    protocolVersion: PROTOCOL_VERSION,
    ...room.snapshot(participant),
  })
}
