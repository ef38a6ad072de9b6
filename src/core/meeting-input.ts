/**
 * What a user types on the home page, checked with the room service's own
 * rules (src/core/protocol.ts), so the user gets an answer before a round trip.
 */
import { LIMITS, normalizeNickname } from './protocol'

export type Checked<E extends string> = { ok: true; value: string } | { ok: false; error: E }

/** The service's nickname rule; `empty` is told apart so the form can say "enter a name". */
export function validateNickname(raw: unknown): Checked<'empty' | 'invalid'> {
  const value = normalizeNickname(raw)
  if (value !== null) return { ok: true, value }
  return { ok: false, error: typeof raw === 'string' && raw.trim() !== '' ? 'invalid' : 'empty' }
}

/** Spaces and dashes people type in ids ("123 456 789") are dropped; then the service's pattern. */
export function validateMeetingId(raw: unknown): Checked<'invalid'> {
  const value = typeof raw === 'string' ? raw.replace(/[\s-]/g, '') : ''
  return LIMITS.meetingIdPattern.test(value) ? { ok: true, value } : { ok: false, error: 'invalid' }
}

/** An optional passcode: empty means none. */
export function validatePasscode(raw: unknown): Checked<'invalid'> {
  const value = typeof raw === 'string' ? raw.trim() : ''
  if (value === '') return { ok: true, value }
  return LIMITS.passcodePattern.test(value) ? { ok: true, value } : { ok: false, error: 'invalid' }
}
