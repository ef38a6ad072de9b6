/**
 * Invitations and the meeting clock: the page a shared card or link opens,
 * and how long a meeting has run, as plain values the UI formats into text.
 */

/** The pre-join page, which a shared card or link opens (a subpackage page: app.config subPackages). */
export const PREJOIN_PAGE = '/packages/meeting/prejoin/index'

/** The room page. */
export const ROOM_PAGE = '/packages/meeting/room/index'

/** The room page of a meeting. */
export function roomPath(meetingId: string): string {
  return `${ROOM_PAGE}?meetingId=${encodeURIComponent(meetingId)}`
}

/**
 * The mini program path of a meeting's pre-join (a share card's `path`). It
 * never carries the passcode: whoever opens it is asked for it there.
 */
export function invitePath(meetingId: string): string {
  return `${PREJOIN_PAGE}?meetingId=${encodeURIComponent(meetingId)}`
}

/**
 * The browser link to a meeting's pre-join, on the origin that serves the H5
 * app (the room service serves it; the H5 router is in hash mode).
 */
export function inviteLink(origin: string, meetingId: string): string {
  return `${origin.replace(/\/+$/, '')}/#${invitePath(meetingId)}`
}

/** "123 456 789": a 9-digit id in the groups people read aloud; anything else as it is. */
export function groupedMeetingId(meetingId: string): string {
  return /^\d{9}$/.test(meetingId) ? meetingId.replace(/(\d{3})(\d{3})(\d{3})/, '$1 $2 $3') : meetingId
}

/** Elapsed time as the meeting clock shows it: "mm:ss", then "h:mm:ss" from an hour. Negative counts as 0. */
export function formatElapsed(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const two = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`
}
