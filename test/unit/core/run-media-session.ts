/** Shared by the media session's table tests: feed the pure machine events in order. */
import { initialMediaSession, step, type MediaEffect, type MediaEvent, type MediaSessionState } from '@/core/media-session'

/** Run events in order from `from`; return the last state and every effect, in order. */
export function run(events: readonly MediaEvent[], from: MediaSessionState = initialMediaSession) {
  let state = from
  const effects: MediaEffect[] = []
  for (const e of events) {
    const next = step(state, e)
    state = next.state
    effects.push(...next.effects)
  }
  return { state, effects }
}
