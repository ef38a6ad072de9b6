/**
 * `chat_send`: a chat line to everyone. Checked against the chat rule
 * (normalizeChatText) and the sender's chat budget, on top of the frame
 * budget every message has. A host mute does not silence chat.
 */
import { normalizeChatText, type ChatSendMessage } from '../../../src/core/protocol'
import { TokenBucket } from '../../auth/rate-limit'
import { ProtocolError } from '../../errors'
import type { SessionContext } from './index'

export async function chatSend(message: ChatSendMessage, { ack, room, participant, conn }: SessionContext): Promise<void> {
  const text = normalizeChatText(message.text)
  if (text === null) throw new ProtocolError('chat_invalid')
  const { config, now: clock } = conn.service
  const now = clock()
  const bucket = room.chatBucket(participant.id, () => new TokenBucket(config.chatBurst, config.chatRatePerS / 1000, now))
  // A retry of a line already sent costs nothing: it is answered from the record without a new line.
  const isRetry = participant.chatIds?.includes(message.clientMsgId) === true
  if (!isRetry && !bucket.take(now)) throw new ProtocolError('chat_rate_limited', { retryAfterMs: Math.max(1, bucket.retryAfterMs(now)) })
  await room.mutate((tx) => {
    tx.chatSend(tx.actor(participant.id), text, message.clientMsgId)
  })
  ack()
}
