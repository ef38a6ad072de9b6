/**
 * HTTP routes: create a meeting, look it up, join, leave, health. Bodies are
 * validated at the boundary; every failure is `{ error: { code, message } }`
 * with the status from the ERRORS table.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import {
  LIMITS,
  PATHS,
  normalizeNickname,
  type CreateMeetingResponse,
  type JoinResponse,
  type LeaveResponse,
  type MeetingInfoResponse,
} from '../../src/core/protocol'
import type { ServiceContext } from '../context'
import { ProtocolError } from '../errors'
import type { Room } from '../rooms/room'
import { meetingView } from '../state/meeting'
import { issueLines } from '../ws/schemas'
import { createMeetingSchema, joinSchema, leaveSchema } from './schemas'

type MeetingRequest = FastifyRequest<{ Params: { meetingId: string } }>

/** Route patterns matching PATHS.meeting/join/leave. */
const MEETING = `${PATHS.meetings}/:meetingId`

/** When a join refused for lack of descriptors is worth retrying: participants leave, sockets close. */
const FULL_RETRY_AFTER_MS = 5000

export function registerRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const { registry, tokens, now, store, config } = ctx
  /** Refusals at the open-file limit are logged at most once a second, with how many since the last line. */
  let refusedForFiles = 0
  let refusalLoggedAt = -Infinity

  app.get(PATHS.health, async () => ({ ok: true }))

  app.post(PATHS.meetings, async (request, reply): Promise<CreateMeetingResponse> => {
    const body = parse(createMeetingSchema, request.body ?? {})
    const { room, hostKey } = await registry.create(body.passcode ?? null)
    reply.code(201)
    return { meetingId: room.id, hostKey, expiresAt: room.expiresAt }
  })

  // A look-up reads the store; it does not make this instance hold the meeting.
  app.get(MEETING, async (request: MeetingRequest): Promise<MeetingInfoResponse> => {
    const { meetingId } = request.params
    const stored = LIMITS.meetingIdPattern.test(meetingId) ? await store.load(meetingId) : undefined
    if (stored === undefined) throw new ProtocolError('unknown_meeting')
    return { meeting: meetingView(stored.record, config.capacity), participantCount: stored.record.members.length }
  })

  app.post(`${MEETING}/join`, async (request: MeetingRequest): Promise<JoinResponse> => {
    const body = request.body
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ProtocolError('bad_message', { details: ['(body): expected a JSON object'] })
    }
    const nickname = normalizeNickname((body as { nickname?: unknown }).nickname)
    if (nickname === null) throw new ProtocolError('nickname_invalid')
    const input = parse(joinSchema, body)
    // Before membership exists (and before this instance opens the meeting):
    // a newcomer whose socket the kernel would refuse must not be announced to the room.
    if (!ctx.openFiles.admits()) {
      refusedForFiles += 1
      if (now() - refusalLoggedAt >= 1000) {
        refusalLoggedAt = now()
        app.log.warn(
          { openFiles: ctx.openFiles.inUse, limit: ctx.openFiles.limit, refused: refusedForFiles },
          'join refused: at the open-file limit (raise ulimit -n, or add instances)',
        )
        refusedForFiles = 0
      }
      throw new ProtocolError('server_full', { retryAfterMs: FULL_RETRY_AFTER_MS })
    }
    const room = await findRoom(request.params.meetingId)
    const joined = await room.mutate((tx) =>
      tx.join({ nickname, passcode: input.passcode, hostKey: input.hostKey, micOn: input.micOn, cameraOn: input.cameraOn }),
    )
    return room.snapshot(room.participant(joined.id) ?? joined)
  })

  app.post(`${MEETING}/leave`, async (request: MeetingRequest): Promise<LeaveResponse> => {
    const { token } = parse(leaveSchema, request.body)
    const verdict = tokens.verify(token, now())
    if (!verdict.ok) throw new ProtocolError(verdict.code)
    if (verdict.claims.meetingId !== request.params.meetingId) throw new ProtocolError('bad_token')
    const room = await findRoom(request.params.meetingId)
    await room.mutate((tx) => {
      const participant = tx.member(verdict.claims.participantId)
      if (participant === undefined) throw new ProtocolError('not_in_meeting')
      tx.remove(participant, 'left')
    })
    return { ok: true }
  })

  async function findRoom(meetingId: string): Promise<Room> {
    const room = LIMITS.meetingIdPattern.test(meetingId) ? await registry.open(meetingId) : undefined
    if (room === undefined) throw new ProtocolError('unknown_meeting')
    return room
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body)
  if (!result.success) throw new ProtocolError('bad_message', { details: issueLines(result.error) })
  return result.data
}
