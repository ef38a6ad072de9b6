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
import { issueLines } from '../ws/schemas'
import { createMeetingSchema, joinSchema, leaveSchema } from './schemas'

type MeetingRequest = FastifyRequest<{ Params: { meetingId: string } }>

/** Route patterns matching PATHS.meeting/join/leave. */
const MEETING = `${PATHS.meetings}/:meetingId`

/** When a join refused for lack of descriptors is worth retrying: participants leave, sockets close. */
const FULL_RETRY_AFTER_MS = 5000

export function registerRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const { registry, tokens, now } = ctx
  /** Refusals at the open-file limit are logged at most once a second, with how many since the last line. */
  let refusedForFiles = 0
  let refusalLoggedAt = -Infinity

  app.get(PATHS.health, async () => ({ ok: true }))

  app.post(PATHS.meetings, async (request, reply): Promise<CreateMeetingResponse> => {
    const body = parse(createMeetingSchema, request.body ?? {})
    const { room, hostKey } = registry.create(body.passcode ?? null)
    reply.code(201)
    return { meetingId: room.id, hostKey, expiresAt: room.expiresAt }
  })

  app.get(MEETING, async (request: MeetingRequest): Promise<MeetingInfoResponse> => {
    const room = findRoom(request.params.meetingId)
    return { meeting: room.view(), participantCount: room.size }
  })

  app.post(`${MEETING}/join`, async (request: MeetingRequest): Promise<JoinResponse> => {
    const body = request.body
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ProtocolError('bad_message', { details: ['(body): expected a JSON object'] })
    }
    const nickname = normalizeNickname((body as { nickname?: unknown }).nickname)
    if (nickname === null) throw new ProtocolError('nickname_invalid')
    const input = parse(joinSchema, body)
    const room = findRoom(request.params.meetingId)
    // Before membership exists: a newcomer whose socket the kernel would refuse must not be announced to the room.
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
    const participant = room.join({
      nickname,
      passcode: input.passcode,
      hostKey: input.hostKey,
      micOn: input.micOn,
      cameraOn: input.cameraOn,
    })
    return room.snapshot(participant)
  })

  app.post(`${MEETING}/leave`, async (request: MeetingRequest): Promise<LeaveResponse> => {
    const { token } = parse(leaveSchema, request.body)
    const verdict = tokens.verify(token, now())
    if (!verdict.ok) throw new ProtocolError(verdict.code)
    if (verdict.claims.meetingId !== request.params.meetingId) throw new ProtocolError('bad_token')
    const room = findRoom(request.params.meetingId)
    const participant = room.participant(verdict.claims.participantId)
    if (participant === undefined) throw new ProtocolError('not_in_meeting')
    room.remove(participant, 'left')
    return { ok: true }
  })

  function findRoom(meetingId: string): Room {
    const room = LIMITS.meetingIdPattern.test(meetingId) ? registry.get(meetingId) : undefined
    if (room === undefined) throw new ProtocolError('unknown_meeting')
    return room
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body)
  if (!result.success) throw new ProtocolError('bad_message', { details: issueLines(result.error) })
  return result.data
}
