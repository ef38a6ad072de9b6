/**
 * Validation of what a user types on the home page. The room service checks
 * the same rules on its side; these give the user an answer before a round trip.
 */

/** Longest nickname, in characters (code points, so emoji and CJK count as one). */
export const NICKNAME_MAX_LENGTH = 20
/** Meeting ids: 6–12 letters or digits. */
export const MEETING_ID_PATTERN = /^[A-Za-z0-9]{6,12}$/

export type Checked<E extends string> = { ok: true; value: string } | { ok: false; error: E }

/** Trimmed, non-empty, at most NICKNAME_MAX_LENGTH characters, no control characters. */
export function validateNickname(raw: unknown): Checked<'empty' | 'too-long'> {
  // eslint-disable-next-line no-control-regex
  const value = typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f]/g, '').trim() : ''
  if (value === '') return { ok: false, error: 'empty' }
  if ([...value].length > NICKNAME_MAX_LENGTH) return { ok: false, error: 'too-long' }
  return { ok: true, value }
}

/** Spaces and dashes people type in ids are dropped; then 6–12 letters or digits. */
export function validateMeetingId(raw: unknown): Checked<'invalid'> {
  const value = typeof raw === 'string' ? raw.replace(/[\s-]/g, '') : ''
  return MEETING_ID_PATTERN.test(value) ? { ok: true, value } : { ok: false, error: 'invalid' }
}

/** A 9-digit meeting id for a meeting created without the room service. */
export function newMeetingId(random: () => number = Math.random): string {
  let id = String(1 + Math.floor(random() * 9))
  while (id.length < 9) id += String(Math.floor(random() * 10))
  return id
}
