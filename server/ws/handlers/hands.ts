/**
 * Raised hands: anyone raises or lowers their own (`hand_raise`); the host
 * lowers someone else's (`hand_lower`) or everyone's (`hands_lower_all`).
 * The hand lives in the member record, so a resume and every instance see it,
 * and everyone hears of it through `participant_updated`.
 */
import { MESSAGE_GRANT, type HandLowerMessage, type HandRaiseMessage, type HandsLowerAllMessage } from '../../../src/core/protocol'
import type { SessionContext } from './index'

export async function handRaise(message: HandRaiseMessage, { ack, room, participant }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    tx.setHand(tx.actor(participant.id), message.raised)
  })
  ack()
}

export async function handLower(message: HandLowerMessage, { ack, room, participant }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    const host = tx.actor(participant.id, MESSAGE_GRANT.hand_lower)
    tx.setHand(tx.target(message.participantId, host), false)
  })
  ack()
}

export async function handsLowerAll(_message: HandsLowerAllMessage, { ack, room, participant }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    tx.actor(participant.id, MESSAGE_GRANT.hands_lower_all)
    for (const m of tx.meeting.members) tx.setHand(m, false)
  })
  ack()
}
