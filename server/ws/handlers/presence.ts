/** `ping` (heartbeat) and `leave`. */
import type { LeaveMessage, PingMessage } from '../../../src/core/protocol'
import type { FrameContext, SessionContext } from './index'

/** Any frame refreshes presence (the connection does that); ping exists to have something to send. */
export function ping(_message: PingMessage, { conn, requestId }: FrameContext): void {
  conn.send({ type: 'pong', serverTime: conn.service.now(), ...(requestId !== undefined ? { id: requestId } : {}) })
}

/** Ack first (the socket closes with 1000 right after), then the others hear `participant_left`. */
export async function leave(_message: LeaveMessage, { ack, room, participant }: SessionContext): Promise<void> {
  ack()
  await room.mutate((tx) => {
    const me = tx.member(participant.id)
    if (me !== undefined) tx.remove(me, 'left')
  })
}
