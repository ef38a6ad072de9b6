/** A member's socket as the room sees it. The member itself is plain data: see MemberRecord in server/state/meeting.ts. */
import type { CloseCode, ServerMessage } from '../../src/core/protocol'

/** The room's handle on a participant's socket (a ws Connection in production). */
export interface Link {
  send(message: ServerMessage): void
  close(code: CloseCode, reason: string): void
}
