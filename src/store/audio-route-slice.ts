import type { StateCreator } from 'zustand/vanilla'
import type { MeetingState } from './types'

/** Where the players' sound goes (`<live-player sound-mode>`): the loudspeaker or the earpiece. */
export type AudioRoute = 'speaker' | 'ear'

export interface AudioRouteSlice {
  readonly audio: {
    /** `'speaker'` by default (a meeting is usually heard hands-free); the attendee's choice, kept across meetings. */
    readonly route: AudioRoute
  }
  /** The RoomHeader's 扬声器/听筒 toggle: the one writer of `audio.route`. */
  audioRouteToggled(): void
}

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], AudioRouteSlice>

export const createAudioRouteSlice: Creator = (set) => ({
  audio: { route: 'speaker' },
  audioRouteToggled: () => set((s) => ({ audio: { route: s.audio.route === 'speaker' ? 'ear' : 'speaker' } })),
})

/** Every player's `sound-mode`. */
export const selectAudioRoute = (s: MeetingState): AudioRoute => s.audio.route
