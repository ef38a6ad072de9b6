/** `set_media`: a participant reports its own microphone and camera state. */
import type { SetMediaMessage } from '../../../src/core/protocol'
import { ProtocolError } from '../../errors'
import type { SessionContext } from './index'

/** Turning the microphone on is refused while the host keeps it muted; the whole message is then refused. */
export async function setMedia(message: SetMediaMessage, { ack, room, participant }: SessionContext): Promise<void> {
  await room.mutate((tx) => {
    const me = tx.actor(participant.id)
    if (message.micOn === true && me.mutedByHost) throw new ProtocolError('muted_by_host')
    tx.update(me, { micOn: message.micOn, cameraOn: message.cameraOn })
  })
  ack()
}
