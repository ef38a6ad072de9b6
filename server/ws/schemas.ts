/**
 * zod schemas for client WebSocket messages, one per type, mirroring the
 * types in src/core/protocol.ts (the `satisfies` clause keeps them in step).
 * Objects are strict: an unexpected field is a `bad_message`, not ignored.
 */
import { z } from 'zod'
import { LIMITS, type ClientMessage, type ClientMessageType } from '../../src/core/protocol'

export type MessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>

const requestId = z.string().min(1).max(LIMITS.requestIdMaxLength)
const participantId = z.string().min(1).max(64)

/** What every frame must be before its type is known: enough to route it and echo its id. */
export const envelopeSchema = z.looseObject({
  type: z.string().min(1).max(64),
  id: requestId.optional(),
})

const bare = <T extends string>(type: T) => z.strictObject({ type: z.literal(type), id: requestId.optional() })
const targeted = <T extends string>(type: T) =>
  z.strictObject({ type: z.literal(type), id: requestId.optional(), participantId })

export const CLIENT_MESSAGE_SCHEMAS = {
  hello: z.strictObject({ type: z.literal('hello'), id: requestId.optional(), token: z.string().min(1).max(1024), lastSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }),
  ping: bare('ping'),
  leave: bare('leave'),
  set_media: z
    .strictObject({
      type: z.literal('set_media'),
      id: requestId.optional(),
      micOn: z.boolean().optional(),
      cameraOn: z.boolean().optional(),
      away: z.boolean().optional(),
    })
    .refine((m) => m.micOn !== undefined || m.cameraOn !== undefined || m.away !== undefined, 'set at least one of micOn, cameraOn, away'),
  mute_mic: targeted('mute_mic'),
  unmute_mic: targeted('unmute_mic'),
  camera_off: targeted('camera_off'),
  remove_participant: targeted('remove_participant'),
  mute_all: bare('mute_all'),
  lock_room: z.strictObject({ type: z.literal('lock_room'), id: requestId.optional(), locked: z.boolean() }),
  transfer_host: targeted('transfer_host'),
  end_meeting: bare('end_meeting'),
  renew_media_credentials: bare('renew_media_credentials'),
  // The text's own rule (normalizeChatText) runs in the handler, so it answers chat_invalid; the cap here only bounds the work.
  chat_send: z.strictObject({
    type: z.literal('chat_send'),
    id: requestId.optional(),
    text: z.string().max(LIMITS.chatTextMaxLength * 4),
    clientMsgId: z.string().min(1).max(LIMITS.clientMsgIdMaxLength),
  }),
  hand_raise: z.strictObject({ type: z.literal('hand_raise'), id: requestId.optional(), raised: z.boolean() }),
  hand_lower: targeted('hand_lower'),
  hands_lower_all: bare('hands_lower_all'),
  speaking: z.strictObject({ type: z.literal('speaking'), id: requestId.optional(), speaking: z.boolean() }),
} as const satisfies { readonly [T in ClientMessageType]: z.ZodType<MessageOf<T>> }

export function isClientMessageType(type: string): type is ClientMessageType {
  return Object.prototype.hasOwnProperty.call(CLIENT_MESSAGE_SCHEMAS, type)
}

/** zod issues as short `path: problem` lines for `details`. */
export function issueLines(error: z.ZodError): string[] {
  return error.issues.slice(0, 8).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(message)'
    return `${path}: ${issue.message}`.slice(0, 200)
  })
}
