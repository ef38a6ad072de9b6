/**
 * Host controls. The dispatcher has checked the sender's grant (see
 * MESSAGE_GRANT) on the state it knows; each command checks it again on the
 * state it changes (another instance may have moved the host meanwhile),
 * resolves the target and applies the change. The target gets `host_action`
 * so it can apply the change to its pusher and say why.
 */
import {
  MESSAGE_GRANT,
  type CameraOffMessage,
  type EndMeetingMessage,
  type HostActionKind,
  type LockRoomMessage,
  type MuteAllMessage,
  type MuteMicMessage,
  type RemoveParticipantMessage,
  type TransferHostMessage,
  type UnmuteMicMessage,
} from '../../../src/core/protocol'
import type { MediaPatch } from '../../state/meeting'
import type { SessionContext } from './index'

/** Patch the target; if that changed anything, tell it which control did it. */
async function control(
  type: keyof typeof MESSAGE_GRANT & HostActionKind,
  participantId: string,
  patch: MediaPatch,
  { room, participant, ack }: SessionContext,
): Promise<void> {
  await room.mutate((tx) => {
    const host = tx.actor(participant.id, MESSAGE_GRANT[type])
    const who = tx.target(participantId, host)
    if (tx.update(who, patch)) tx.sendTo(who, { type: 'host_action', action: type, by: host.id })
  })
  ack()
}

/** Mute and keep muted: the target cannot unmute itself until `unmute_mic`. */
export function muteMic(message: MuteMicMessage, context: SessionContext): Promise<void> {
  return control('mute_mic', message.participantId, { micOn: false, mutedByHost: true }, context)
}

/** Lift the host's mute; the target decides whether to turn its microphone back on. */
export function unmuteMic(message: UnmuteMicMessage, context: SessionContext): Promise<void> {
  return control('unmute_mic', message.participantId, { mutedByHost: false }, context)
}

/** One-shot: the camera goes off; the target may turn it on again. */
export function cameraOff(message: CameraOffMessage, context: SessionContext): Promise<void> {
  return control('camera_off', message.participantId, { cameraOn: false }, context)
}

export async function removeParticipant(message: RemoveParticipantMessage, { room, participant, ack }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    const host = tx.actor(participant.id, MESSAGE_GRANT.remove_participant)
    tx.remove(tx.target(message.participantId, host), 'removed', host)
  })
  ack()
}

/** `mute_mic` on everyone but the sender. */
export async function muteAll(_message: MuteAllMessage, { room, participant, ack }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    const host = tx.actor(participant.id, MESSAGE_GRANT.mute_all)
    for (const who of [...tx.meeting.members]) {
      if (who.id === host.id) continue
      if (tx.update(who, { micOn: false, mutedByHost: true })) tx.sendTo(who, { type: 'host_action', action: 'mute_all', by: host.id })
    }
  })
  ack()
}

export async function lockRoom(message: LockRoomMessage, { room, participant, ack }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    tx.actor(participant.id, MESSAGE_GRANT.lock_room)
    tx.setLocked(message.locked)
  })
  ack()
}

/** The target becomes host and the sender a participant. */
export async function transferHost(message: TransferHostMessage, { room, participant, ack }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    const host = tx.actor(participant.id, MESSAGE_GRANT.transfer_host)
    tx.setHost(tx.target(message.participantId, host))
  })
  ack()
}

/** Ack first: the sender's socket closes with everyone else's. */
export async function endMeeting(_message: EndMeetingMessage, { room, participant, ack }: SessionContext): Promise<void> {
  // Checked before the ack, so a refusal is the one reply.
  await room.mutate((tx) => {
    tx.actor(participant.id, MESSAGE_GRANT.end_meeting)
  })
  ack()
  await room.mutate((tx) => {
    if (tx.member(participant.id) !== undefined) tx.close('ended_by_host')
  })
}
