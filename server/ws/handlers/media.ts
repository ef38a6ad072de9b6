/** `set_media` (a participant reports its own microphone and camera state, and whether it is away: app in the background) and `renew_media_credentials`. */
import type { RenewMediaCredentialsMessage, SetMediaMessage } from '../../../src/core/protocol'
import { ProtocolError } from '../../errors'
import type { SessionContext } from './index'

/** Turning the microphone on is refused while the host keeps it muted; the whole message is then refused. */
export async function setMedia(message: SetMediaMessage, { ack, room, participant }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    const me = tx.actor(participant.id)
    if (message.micOn === true && me.mutedByHost) throw new ProtocolError('muted_by_host')
    tx.update(me, { micOn: message.micOn, cameraOn: message.cameraOn, away: message.away })
  })
  ack()
}

/** New credentials first (mutate delivers its events to the sockets held here before it returns), so they are there when the `ack` arrives. */
export async function renewMediaCredentials(_message: RenewMediaCredentialsMessage, { ack, room, participant }: SessionContext): Promise<void> {
  await room.mutate((tx) => tx.reissueCredentials(tx.actor(participant.id), 'requested'))
  ack()
}
