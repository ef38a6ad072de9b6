import type { StateCreator } from 'zustand/vanilla'
import type { FocusSlice, MeetingState } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], FocusSlice>

export const initialFocus: MeetingState['focus'] = { id: null, fullScreenId: null }

/**
 * Focus and full screen. `id` is what the user tapped (one writer:
 * `tileFocused`); a participant who leaves is simply not found by
 * `selectFocusId`, so the grid comes back without a second writer.
 * `fullScreenId` comes from the player's own `bindfullscreenchange` (the
 * browser's `fullscreenchange`), never from our request: WeChat may refuse it.
 */
export const createFocusSlice: Creator = (set) => ({
  focus: initialFocus,

  tileFocused: (id) => set((s) => (s.focus.id === id ? s : { focus: { ...s.focus, id } })),

  fullScreenChanged: (id) => set((s) => (s.focus.fullScreenId === id ? s : { focus: { ...s.focus, fullScreenId: id } })),
})
