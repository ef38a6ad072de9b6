/**
 * zod schemas for HTTP request bodies, mirroring src/core/protocol.ts.
 * The nickname is checked separately (normalizeNickname) so that a bad one
 * gets its own code, `nickname_invalid`.
 */
import { z } from 'zod'
import { LIMITS, type CreateMeetingRequest, type JoinRequest, type LeaveRequest } from '../../src/core/protocol'

export const createMeetingSchema = z.strictObject({
  passcode: z.string().regex(LIMITS.passcodePattern, 'must be 4 to 8 digits').optional(),
}) satisfies z.ZodType<CreateMeetingRequest>

export const joinSchema = z.strictObject({
  nickname: z.unknown(),
  passcode: z.string().max(64).optional(),
  hostKey: z.string().min(1).max(128).optional(),
  micOn: z.boolean().optional(),
  cameraOn: z.boolean().optional(),
}) satisfies z.ZodType<Omit<JoinRequest, 'nickname'> & { nickname?: unknown }>

export const leaveSchema = z.strictObject({
  token: z.string().min(1).max(1024),
}) satisfies z.ZodType<LeaveRequest>
