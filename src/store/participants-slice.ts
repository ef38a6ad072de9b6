import { describeCode } from '../core/state-codes'
import type { StateCreator } from 'zustand/vanilla'
import { mediaStateAfter, MAX_AUTO_RESTARTS } from './media-state'
import { withDebugEntry } from './reporting'
import type { MeetingState, Participant, ParticipantInfo, ParticipantsSlice } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], ParticipantsSlice>

function fromInfo(info: ParticipantInfo, previous?: Participant): Participant {
  // A new play URL means a new stream: start the player afresh.
  const sameStream = previous !== undefined && previous.playUrl === info.playUrl
  return {
    ...info,
    media: sameStream ? previous.media : 'connecting',
    lastCode: sameStream ? previous.lastCode : null,
    playGeneration: previous === undefined ? 0 : sameStream ? previous.playGeneration : previous.playGeneration + 1,
    restarts: sameStream ? previous.restarts : 0,
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
      return { participants: { byId, order }, network: { ...s.network, byId: networkById } }
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
      return {
        participants: { byId, order: s.participants.order.filter((x) => x !== id) },
        network: { ...s.network, byId: networkById },
      }
    }),

  playerStateChanged: (id, code, atMs = Date.now()) =>
    set((s) => {
      const p = s.participants.byId[id]
      if (p === undefined) return s
      const described = describeCode('player', code)
      const ui = withDebugEntry(s.ui, described, p.nickname, atMs)
      const media = mediaStateAfter(p.media, described)
      let next: Participant = { ...p, media, lastCode: code, restarts: media === 'live' ? 0 : p.restarts }
      if (described.recovery === 'restart-play') {
        // The SDK already gave up after its own retries: remount the player a
        // few times, then let the user decide (tap to retry).
        next =
          p.restarts < MAX_AUTO_RESTARTS
            ? { ...next, media: 'reconnecting', playGeneration: p.playGeneration + 1, restarts: p.restarts + 1 }
            : { ...next, media: 'failed' }
      }
      return { ui, participants: { ...s.participants, byId: { ...s.participants.byId, [id]: next } } }
    }),

  playerRetried: (id) =>
    set((s) => {
      const p = s.participants.byId[id]
      if (p === undefined) return s
      const next: Participant = { ...p, media: 'connecting', playGeneration: p.playGeneration + 1, restarts: 0 }
      return { participants: { ...s.participants, byId: { ...s.participants.byId, [id]: next } } }
    }),
})
