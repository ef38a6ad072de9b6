/**
 * Retry policy of the H5 media views, shaped like the native SDK's: a few
 * reconnects with growing delays (announced by 1102 / 2103), then give up
 * (-1307 / -2301) and let the app restart the component. Pure.
 */

/** Reconnects before giving up; the SDK's own is three (state-codes.ts, 1102 / 2103). */
export const MAX_RECONNECTS = 3
/** First delay; doubled per attempt up to {@link MAX_RECONNECT_DELAY_MS}. */
export const FIRST_RECONNECT_DELAY_MS = 500
export const MAX_RECONNECT_DELAY_MS = 4000
/** Playing or publishing this long without trouble forgives earlier failures. */
export const HEALTHY_AFTER_MS = 10_000

/**
 * Delay before reconnect number `attempt` (1-based): 500, 1000, 2000, 4000 ms…
 * `random` in [0, 1) spreads it by ±20 % so tiles that broke together do not
 * reconnect in lock step.
 */
export function reconnectDelayMs(attempt: number, random = 0.5): number {
  const base = Math.min(MAX_RECONNECT_DELAY_MS, FIRST_RECONNECT_DELAY_MS * 2 ** Math.max(0, attempt - 1))
  return Math.round(base * (0.8 + 0.4 * Math.min(1, Math.max(0, random))))
}

/** What a media view does after a step of its state machine: reconnect after a delay, or tear down. */
export type RetryAction = { readonly kind: 'reconnect'; readonly delayMs: number } | { readonly kind: 'teardown' }

/** One step of a media view's state machine: the next state, the state codes to emit, and what to do. */
export interface MachineStep<M> {
  readonly machine: M
  readonly codes: readonly number[]
  readonly action: RetryAction | null
}
