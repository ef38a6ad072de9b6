/** A member's socket as the room sees it. The member itself is plain data: see MemberRecord in server/state/meeting.ts. */
import type { CloseCode, ServerMessage } from '../../src/core/protocol'

/** The room's handle on a participant's socket (a ws Connection in production). */
export interface Link {
  send(message: ServerMessage): void
  /** Send a message already serialised by {@link serialize}: a room event is encoded once, not once per recipient. */
  sendFrame(frame: Frame): void
  close(code: CloseCode, reason: string): void
}

/** A server message as the UTF-8 bytes of its JSON, ready for any number of sockets. */
export type Frame = Buffer & { readonly __frame: true }

export function serialize(message: ServerMessage): Frame {
  return Buffer.from(JSON.stringify(message), 'utf8') as Frame
}
