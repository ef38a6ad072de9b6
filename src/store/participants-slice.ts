import type { StateCreator } from 'zustand/vanilla'
import type { MeetingState, Participant, ParticipantInfo, ParticipantsSlice } from './types'
import { withPageClamped } from './ui-slice'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], ParticipantsSlice>

/**
 * The service's view of a participant, with where its player stands kept as
 * it was: that part is the media session's (`mediaUpdated`), which also
 * restarts the player when the play URL changes.
 */
function fromInfo(info: ParticipantInfo, previous?: Participant): Participant {
  return {
    ...info,
    media: previous?.media ?? 'idle',
    lastCode: previous?.lastCode ?? null,
    playGeneration: previous?.playGeneration ?? 0,
    restarts: previous?.restarts ?? 0,
  }
}

export const createParticipantsSlice: Creator = (set) => ({
  participants: { byId: {}, order: [] },

  participantsReplaced: (list) =>
    set((s) => {
      const byId: Record<string, Participant> = {}
      const order: string[] = []
      for (const info of list) {
        if (byId[info.id] !== undefined || info.id === s.publisher.selfId) continue
        byId[info.id] = fromInfo(info, s.participants.byId[info.id])
        order.push(info.id)
      }
      const networkById = Object.fromEntries(Object.entries(s.network.byId).filter(([id]) => byId[id] !== undefined))
      return { participants: { byId, order }, network: { ...s.network, byId: networkById }, ui: withPageClamped(s.ui, order.length) }
    }),

  participantJoined: (info) =>
    set((s) => {
      if (info.id === s.publisher.selfId) return s
      const previous = s.participants.byId[info.id]
      const order = previous === undefined ? [...s.participants.order, info.id] : s.participants.order
      return { participants: { byId: { ...s.participants.byId, [info.id]: fromInfo(info, previous) }, order } }
    }),

  participantUpdated: (id, patch) =>
    set((s) => {
      const previous = s.participants.byId[id]
      if (previous === undefined) return s
      const next = fromInfo({ ...previous, ...patch, id }, previous)
      return { participants: { ...s.participants, byId: { ...s.participants.byId, [id]: next } } }
    }),

  participantLeft: (id) =>
    set((s) => {
      if (s.participants.byId[id] === undefined) return s
      const byId = { ...s.participants.byId }
      delete byId[id]
      const networkById = { ...s.network.byId }
      delete networkById[id]
      const order = s.participants.order.filter((x) => x !== id)
      return {
        participants: { byId, order },
        network: { ...s.network, byId: networkById },
        // The page stays valid: the last page emptying shows the one before.
        ui: withPageClamped(s.ui, order.length),
      }
    }),
})
