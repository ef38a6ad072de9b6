/**
 * Host controls. The dispatcher has checked the sender's grant (see
 * MESSAGE_GRANT); these resolve the target and apply the change. The target
 * gets `host_action` so it can apply the change to its pusher and say why.
 */
import type {
  CameraOffMessage,
  EndMeetingMessage,
  LockRoomMessage,
  MuteAllMessage,
  MuteMicMessage,
  RemoveParticipantMessage,
  TransferHostMessage,
  UnmuteMicMessage,
} from '../../../src/core/protocol'
import { ProtocolError } from '../../errors'
import type { Participant } from '../../rooms/participant'
import type { SessionContext } from './index'

/** The participant a control is aimed at: in the room, and not the sender. */
function target(participantId: string, { room, participant }: SessionContext): Participant {
  const found = room.participant(participantId)
  if (found === undefined) throw new ProtocolError('unknown_participant')
  if (found === participant) throw new ProtocolError('bad_target')
  return found
}

/** Mute and keep muted: the target cannot unmute itself until `unmute_mic`. */
export function muteMic(message: MuteMicMessage, context: SessionContext): void {
  const { room, participant, ack } = context
  const who = target(message.participantId, context)
  if (room.update(who, { micOn: false, mutedByHost: true })) who.link?.send({ type: 'host_action', action: 'mute_mic', by: participant.id })
  ack()
}

/** Lift the host's mute; the target decides whether to turn its microphone back on. */
export function unmuteMic(message: UnmuteMicMessage, context: SessionContext): void {
  const { room, participant, ack } = context
  const who = target(message.participantId, context)
  if (room.update(who, { mutedByHost: false })) who.link?.send({ type: 'host_action', action: 'unmute_mic', by: participant.id })
  ack()
}

/** One-shot: the camera goes off; the target may turn it on again. */
export function cameraOff(message: CameraOffMessage, context: SessionContext): void {
  const { room, participant, ack } = context
  const who = target(message.participantId, context)
  if (room.update(who, { cameraOn: false })) who.link?.send({ type: 'host_action', action: 'camera_off', by: participant.id })
  ack()
}

export function removeParticipant(message: RemoveParticipantMessage, context: SessionContext): void {
  const { room, participant, ack } = context
  room.remove(target(message.participantId, context), 'removed', participant)
  ack()
}

/** `mute_mic` on everyone but the sender. */
export function muteAll(_message: MuteAllMessage, { room, participant, ack }: SessionContext): void {
  for (const who of room.participants()) {
    if (who === participant) continue
    if (room.update(who, { micOn: false, mutedByHost: true })) who.link?.send({ type: 'host_action', action: 'mute_all', by: participant.id })
  }
  ack()
}

export function lockRoom(message: LockRoomMessage, { room, ack }: SessionContext): void {
  room.setLocked(message.locked)
  ack()
}

/** The target becomes host and the sender a participant. */
export function transferHost(message: TransferHostMessage, context: SessionContext): void {
  context.room.setHost(target(message.participantId, context))
  context.ack()
}

/** Ack first: the sender's socket closes with everyone else's. */
export function endMeeting(_message: EndMeetingMessage, { room, ack }: SessionContext): void {
  ack()
  room.close('ended_by_host')
}
