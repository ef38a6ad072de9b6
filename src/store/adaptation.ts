import type { BitrateController } from '../core/bitrate-controller'
import { PRESETS } from '../core/presets'
import type { MeetingStore } from './types'

/**
 * Bitrate adaptation as a store subscription, not a render effect (cf.
 * jitsi-meet video-quality/subscriber.ts): each new uplink observation (a
 * pusher netstatus tick or 1101) runs the pure controller, and the pusher's
 * min/max bitrate change only when its decision does (controllerDecided keeps
 * the numbers otherwise). Returns the unsubscribe function.
 */
export function attachBitrateAdaptation(store: MeetingStore, controller: BitrateController<unknown>): () => void {
  return store.subscribe(
    (s) => s.publisher.uplinkSignal,
    (signal) => {
      if (signal === null) return
      const { publisher, controllerDecided } = store.getState()
      const { state, decision } = controller.step(publisher.controllerState, signal, PRESETS[publisher.presetId])
      controllerDecided(state, decision)
    },
  )
}
