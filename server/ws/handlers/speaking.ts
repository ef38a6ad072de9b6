/**
 * `speaking`: a participant's own debounced speaking state, relayed to
 * everyone else as `speaking_changed` (through the state store, so members
 * on other instances hear it too) and kept nowhere: it is an event, not
 * state (docs/protocol.md §4.8). Budgeted per participant on top of the
 * frame budget, so a flapping client cannot flood a large room; someone
 * whose microphone is off or muted by the host cannot be speaking, so their
 * `true` is acknowledged and dropped.
 */
import { LIMITS, type SpeakingMessage } from '../../../src/core/protocol'
import { TokenBucket } from '../../auth/rate-limit'
import { ProtocolError } from '../../errors'
import type { SessionContext } from './index'

export async function speaking(message: SpeakingMessage, { ack, room, participant, conn }: SessionContext): Promise<void> {
  const now = conn.service.now()
  const bucket = room.speakingBucket(participant.id, () => new TokenBucket(LIMITS.speakingBurst, 1 / LIMITS.speakingRefillMs, now))
  if (!bucket.take(now)) throw new ProtocolError('rate_limited', { retryAfterMs: Math.max(1, bucket.retryAfterMs(now)) })
  const silenced = !participant.micOn || participant.mutedByHost
  if (!(message.speaking && silenced)) {
    await room.relay({ message: { type: 'speaking_changed', participantId: participant.id, speaking: message.speaking }, except: participant.id })
  }
  ack()
}
