/** `set_media` (a participant reports its own microphone and camera state, and whether it is away: app in the background) and `renew_media_credentials`. */
import type { RenewMediaCredentialsMessage, SetMediaMessage } from '../../../src/core/protocol'
import { ProtocolError } from '../../errors'
import type { SessionContext } from './index'

/** Turning the microphone on is refused while the host keeps it muted; the whole message is then refused. */
export function setMedia(message: SetMediaMessage, { ack, room, participant }: SessionContext): void {
  if (message.micOn === true && participant.mutedByHost) throw new ProtocolError('muted_by_host')
  room.update(participant, { micOn: message.micOn, cameraOn: message.cameraOn, away: message.away })
  ack()
}

/** New credentials first, so they are there when the `ack` arrives. */
export function renewMediaCredentials(_message: RenewMediaCredentialsMessage, { ack, room, participant }: SessionContext): void {
  room.reissueCredentials(participant, 'requested')
  ack()
}
