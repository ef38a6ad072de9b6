/**
 * Routes one incoming frame: size, JSON, envelope, rate limit, type, schema,
 * session and grant checks, then the handler for its type. Every frame gets
 * exactly one reply; a failure at any step is an `error` with a stable code,
 * and the connection, the room and its other members carry on.
 */
import { MESSAGE_GRANT, type ClientMessageType, type ErrorCode } from '../../src/core/protocol'
import { grantsOf } from '../state/meeting'
import { ProtocolError, errorBody } from '../errors'
import type { Connection } from './connection'
import { HANDLERS, type FrameContext, type SessionContext } from './handlers'
import { CLIENT_MESSAGE_SCHEMAS, envelopeSchema, isClientMessageType, issueLines, type MessageOf } from './schemas'

/** Types a socket may send before its hello succeeded. */
const PRE_SESSION: ReadonlySet<ClientMessageType> = new Set(['hello', 'ping'])

export async function dispatch(conn: Connection, frame: Buffer, isBinary: boolean): Promise<void> {
  const { config, now } = conn.service
  let id: string | undefined
  let type: string | undefined
  const fail = (code: ErrorCode, extra: { details?: readonly string[]; retryAfterMs?: number } = {}): void => {
    conn.send({
      type: 'error',
      ...errorBody(code, extra),
      ...(id !== undefined ? { id } : {}),
      ...(type !== undefined ? { for: type } : {}),
    })
  }

  // A frame over the budget is still read far enough to echo its id (frames
  // are capped at maxFrameBytes, so that costs little), but goes no further.
  const t = now()
  const limited = !conn.bucket.take(t)
  const rateLimited = (): void => fail('rate_limited', { retryAfterMs: conn.bucket.retryAfterMs(t) })
  if (frame.length > config.maxFrameBytes) {
    if (limited) return rateLimited()
    return fail('frame_too_large', { details: [`frame is ${frame.length} bytes; the limit is ${config.maxFrameBytes}`] })
  }
  if (isBinary) {
    if (limited) return rateLimited()
    return fail('bad_message', { details: ['binary frames are not accepted; send JSON text'] })
  }

  let value: unknown
  try {
    value = JSON.parse(frame.toString('utf8'))
  } catch {
    if (limited) return rateLimited()
    return fail('bad_message', { details: ['not valid JSON'] })
  }
  const envelope = envelopeSchema.safeParse(value)
  if (envelope.success) ({ id, type } = envelope.data)
  if (limited) return rateLimited()
  if (!envelope.success) return fail('bad_message', { details: issueLines(envelope.error) })
  const messageType = envelope.data.type
  if (!isClientMessageType(messageType)) return fail('unknown_type', { details: [`unknown type ${JSON.stringify(messageType)}`] })

  const parsed = CLIENT_MESSAGE_SCHEMAS[messageType].safeParse(value)
  if (!parsed.success) return fail('bad_message', { details: issueLines(parsed.error) })
  const message = parsed.data as MessageOf<typeof messageType>

  const session = conn.session
  if (session === null && !PRE_SESSION.has(messageType)) return fail('hello_required')
  // The latest state known here; handlers check the grant again on the state they change.
  const participant = session === null ? undefined : session.room.participant(session.participantId)
  if (session !== null && participant === undefined) return fail('not_in_meeting')
  if (participant !== undefined && needsGrant(messageType) && !grantsOf(participant)[MESSAGE_GRANT[messageType]]) {
    return fail('not_host')
  }

  const frameContext: FrameContext = {
    conn,
    ack: () => conn.send({ type: 'ack', for: message.type, ...(id !== undefined ? { id } : {}) }),
    requestId: id,
  }
  try {
    await run(message, frameContext, session)
  } catch (error) {
    if (error instanceof ProtocolError) {
      fail(error.code, { details: error.details, retryAfterMs: error.retryAfterMs })
      if (error.close !== undefined) conn.close(error.close, error.code)
      return
    }
    conn.log.error({ err: error, type: messageType }, 'handler failed')
    fail('internal')
  }
}

/** Call the handler of the message's type (TypeScript cannot correlate the table lookup by itself). */
async function run(message: MessageOf<ClientMessageType>, frame: FrameContext, session: SessionContext['session'] | null): Promise<void> {
  const handler = HANDLERS[message.type] as (m: typeof message, c: FrameContext | SessionContext) => void | Promise<void>
  if (message.type === 'hello' || message.type === 'ping') {
    await handler(message, frame)
    return
  }
  if (session === null) throw new ProtocolError('hello_required')
  const participant = session.room.participant(session.participantId)
  if (participant === undefined) throw new ProtocolError('not_in_meeting')
  await handler(message, { ...frame, session, room: session.room, participant })
}

function needsGrant(type: ClientMessageType): type is keyof typeof MESSAGE_GRANT {
  return Object.prototype.hasOwnProperty.call(MESSAGE_GRANT, type)
}
