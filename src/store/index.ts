import { createStore } from 'zustand/vanilla'
import { subscribeWithSelector } from 'zustand/middleware'
import { useStore } from 'zustand'
import { appController, type BitrateController } from '../core/bitrate-controller'
import { attachBitrateAdaptation } from './adaptation'
import { createNetworkSlice } from './network-slice'
import { createParticipantsSlice } from './participants-slice'
import { createPublisherSlice } from './publisher-slice'
import { createUiSlice } from './ui-slice'
import { createSessionSlice } from './session-slice'
import type { MeetingState, MeetingStore } from './types'

export * from './types'
export * from './selectors'
export { MAX_AUTO_RESTARTS } from './media-state'

export interface MeetingStoreOptions {
  /** The bitrate controller; swappable so the benchmark and tests can try others. */
  readonly controller?: BitrateController<unknown>
}

/**
 * The one meeting store: slices combined once, `subscribeWithSelector`
 * applied once on the whole, and the bitrate adaptation attached.
 */
export function createMeetingStore(options: MeetingStoreOptions = {}): MeetingStore {
  const controller = options.controller ?? (appController as BitrateController<unknown>)
  const store = createStore<MeetingState>()(
    subscribeWithSelector((...a) => ({
      ...createParticipantsSlice(...a),
      ...createPublisherSlice(controller)(...a),
      ...createNetworkSlice(...a),
      ...createUiSlice(controller)(...a),
      ...createSessionSlice(...a),
    })),
  ) as MeetingStore
  attachBitrateAdaptation(store, controller)
  return store
}

/** The app's store. */
export const meetingStore = createMeetingStore()

/** Read the app's store in a component with a narrow selector. */
export function useMeeting<T>(selector: (state: MeetingState) => T): T {
  return useStore(meetingStore, selector)
}
