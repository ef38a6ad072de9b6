import { createStore } from 'zustand/vanilla'
import { subscribeWithSelector } from 'zustand/middleware'
import { useStore } from 'zustand'
import { createNetworkSlice } from './network-slice'
import { createParticipantsSlice } from './participants-slice'
import { createPublisherSlice } from './publisher-slice'
import { createUiSlice } from './ui-slice'
import { createSessionSlice } from './session-slice'
import { createMediaSlice } from './media-slice'
import { createAudioRouteSlice } from './audio-route-slice'
import { createChatSlice } from './chat-slice'
import { createFocusSlice } from './focus-slice'
import { createSpeakingSlice } from './speaking-slice'
import type { MeetingState, MeetingStore } from './types'

export * from './types'
export * from './selectors'
export { selectAudioRoute, type AudioRoute } from './audio-route-slice'
export { MAX_AUTO_RESTARTS } from '../core/media-session'

/**
 * The one meeting store: slices combined once, `subscribeWithSelector`
 * applied once on the whole. Media and bitrate policies live outside it
 * (src/services/media-session.ts) and write through named actions.
 */
export function createMeetingStore(): MeetingStore {
  return createStore<MeetingState>()(
    subscribeWithSelector((...a) => ({
      ...createParticipantsSlice(...a),
      ...createPublisherSlice(...a),
      ...createNetworkSlice(...a),
      ...createUiSlice(...a),
      ...createSessionSlice(...a),
      ...createMediaSlice(...a),
      ...createAudioRouteSlice(...a),
      ...createChatSlice(...a),
      ...createFocusSlice(...a),
      ...createSpeakingSlice(...a),
    })),
  ) as MeetingStore
}

/** The app's store. */
export const meetingStore = createMeetingStore()

/** Read the app's store in a component with a narrow selector. */
export function useMeeting<T>(selector: (state: MeetingState) => T): T {
  return useStore(meetingStore, selector)
}
