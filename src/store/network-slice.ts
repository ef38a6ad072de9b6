import { qualityFromNetStatus } from '../core/netstatus'
import type { StateCreator } from 'zustand/vanilla'
import type { MeetingState, NetworkSlice } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], NetworkSlice>

export const createNetworkSlice: Creator = (set) => ({
  network: { self: null, byId: {} },

  playerNetStatus: (id, status, atMs = Date.now()) =>
    set((s) => {
      if (s.participants.byId[id] === undefined) return s
      // Only this participant's entry is a new object: other tiles' selectors
      // see the same references and do not re-render.
      const entry = { status, quality: qualityFromNetStatus(status, 'player'), atMs }
      return { network: { ...s.network, byId: { ...s.network.byId, [id]: entry } } }
    }),
})
