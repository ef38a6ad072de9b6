/**
 * The handler table: one handler per client message type. The dispatcher
 * has already validated the message, checked that a session exists (except
 * for hello and ping) and that the sender holds the type's grant. A handler
 * sends exactly one reply (`ack`, `pong`, `welcome`) or throws a
 * ProtocolError, which the dispatcher turns into the `error` reply.
 */
import type { ClientMessageType } from '../../../src/core/protocol'
import type { Room } from '../../rooms/room'
import type { MemberRecord } from '../../state/meeting'
import type { Connection, Session } from '../connection'
import type { MessageOf } from '../schemas'
import { chatSend } from './chat'
import { handLower, handRaise, handsLowerAll } from './hands'
import { hello } from './hello'
import { cameraOff, endMeeting, lockRoom, muteAll, muteMic, removeParticipant, transferHost, unmuteMic } from './host'
import { renewMediaCredentials, setMedia } from './media'
import { leave, ping } from './presence'
import { speaking } from './speaking'

export interface FrameContext {
  readonly conn: Connection
  /** Send the `ack` reply for this frame. */
  readonly ack: () => void
  readonly requestId: string | undefined
}

export interface SessionContext extends FrameContext {
  readonly session: Session
  readonly room: Room
  /** The sender as last known here; commands look it up again inside their transaction. */
  readonly participant: MemberRecord
}

type PreSessionType = 'hello' | 'ping'

export type Handlers = {
  readonly [T in PreSessionType]: (message: MessageOf<T>, context: FrameContext) => void | Promise<void>
} & {
  readonly [T in Exclude<ClientMessageType, PreSessionType>]: (message: MessageOf<T>, context: SessionContext) => void | Promise<void>
}

export const HANDLERS: Handlers = {
  hello,
  ping,
  leave,
  set_media: setMedia,
  mute_mic: muteMic,
  unmute_mic: unmuteMic,
  camera_off: cameraOff,
  remove_participant: removeParticipant,
  mute_all: muteAll,
  lock_room: lockRoom,
  transfer_host: transferHost,
  end_meeting: endMeeting,
  renew_media_credentials: renewMediaCredentials,
  chat_send: chatSend,
  hand_raise: handRaise,
  hand_lower: handLower,
  hands_lower_all: handsLowerAll,
  speaking,
}
