import type { StateCreator } from 'zustand/vanilla'
import { SILENT, type VoiceView } from '../core/speaking'
import type { MeetingState, SpeakingSlice } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], SpeakingSlice>

export const initialSpeaking: SpeakingSlice['speaking'] = { self: SILENT, byId: {}, activeId: null, featuredId: null }

function same(a: VoiceView, b: VoiceView): boolean {
  return a.bucket === b.bucket && a.speaking === b.speaking
}

/**
 * Who is speaking, as the tiles show it. One writer: the speaking service
 * (src/services/speaking.ts), which runs the pure policy (src/core/speaking.ts)
 * on the raw level ticks and calls these actions only when what a tile shows
 * changes. The ticks themselves never reach the store.
 */
export const createSpeakingSlice: Creator = (set) => ({
  speaking: initialSpeaking,

  voiceChanged: (id, view) =>
    set((s) => {
      if (id === null) return same(s.speaking.self, view) ? s : { speaking: { ...s.speaking, self: view } }
      const current = s.speaking.byId[id] ?? SILENT
      if (same(current, view)) return s
      // A silent remote has no entry: the map only holds who makes a sound (and
      // nobody who left keeps one). Only this id's entry is a new object.
      const byId = { ...s.speaking.byId }
      if (same(view, SILENT)) delete byId[id]
      else if (s.participants.byId[id] !== undefined) byId[id] = view
      else return s
      return { speaking: { ...s.speaking, byId } }
    }),

  activeSpeakerChanged: (id) =>
    set((s) => (s.speaking.activeId === id ? s : { speaking: { ...s.speaking, activeId: id } })),

  featuredChanged: (id) =>
    set((s) => (s.speaking.featuredId === id ? s : { speaking: { ...s.speaking, featuredId: id } })),
})
