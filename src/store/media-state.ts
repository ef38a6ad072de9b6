import type { DescribedCode } from '../core/state-codes'
import type { MediaState } from './types'

/** The app remounts a pusher or player this many times before asking the user. */
export const MAX_AUTO_RESTARTS = 3

/** Codes after which media is flowing. */
const LIVE_CODES: ReadonlySet<number> = new Set([
  1002, // PUSH_EVT_PUSH_BEGIN
  1018, // entered room
  2004, // PLAY_EVT_PLAY_BEGIN
  2032, // first video frame rendered
])
/** Codes of the first steps of a connection. */
const CONNECTING_CODES: ReadonlySet<number> = new Set([1001, 2001, 2002, 2003])
/** Buffering; it only matters once media flowed. */
const LOADING_CODE = 2007

/**
 * The tile state after a state code, as a pure function of the previous state
 * and the code's table entry (src/core/state-codes.ts), so the policy lives in
 * the table: `wait` means the SDK is retrying by itself.
 */
export function mediaStateAfter(previous: MediaState, described: DescribedCode): MediaState {
  const { code } = described
  if (LIVE_CODES.has(code)) return 'live'
  // A connection step while live, or while coming back, does not make the tile
  // say "connecting" again: it stays as it is until media flows.
  if (CONNECTING_CODES.has(code)) return previous === 'idle' || previous === 'failed' ? 'connecting' : previous
  if (code === LOADING_CODE) return previous === 'live' ? 'loading' : previous
  if (described.recovery === 'wait') return previous === 'idle' ? previous : 'reconnecting'
  if (described.severity === 'fatal') return 'failed'
  return previous
}
