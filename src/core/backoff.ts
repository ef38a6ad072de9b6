/**
 * Reconnection delays shared by the app's room client, the bots and their
 * RTMP publishers: exponential backoff with "equal jitter" — half the delay
 * fixed, half random — so a room full of phones that lost the same Wi-Fi
 * does not reconnect in lockstep. Pure.
 */

export interface BackoffOptions {
  /** First retry after about this long. */
  readonly baseMs: number
  /** Retries never wait longer than this. */
  readonly maxMs: number
}

/** The delay before retry number `attempt` (0-based): in [ceiling / 2, ceiling], ceiling = min(maxMs, baseMs · 2^attempt). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt))
  return ceiling / 2 + random() * (ceiling / 2)
}
