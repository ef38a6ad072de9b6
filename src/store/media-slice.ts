import { describeCode } from '../core/state-codes'
import { participantOf, playStream, PUSH_STREAM } from '../core/media-session'
import type { StateCreator } from 'zustand/vanilla'
import { withDebugEntry, withModal, withNotice } from './reporting'
import type { MediaSlice, MeetingState, Participant, StreamView } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], MediaSlice>

export const initialMedia: MeetingState['media'] = { hidden: false, offline: false, interrupted: false, memoryLimited: false, remoteStreams: {} }

const sameStream = (a: { media: string; lastCode: number | null; restarts: number }, generation: number, v: StreamView) =>
  a.media === v.phase && a.lastCode === v.lastCode && a.restarts === v.restarts && generation === v.generation

/**
 * What the media session (src/services/media-session.ts) mirrors into the
 * store. Only what changed gets a new object, so one player's restart
 * re-renders one tile.
 */
export const createMediaSlice: Creator = (set) => ({
  media: initialMedia,

  mediaUpdated: (view) =>
    set((s) => {
      let publisher = s.publisher
      let byId: Record<string, Participant> | null = null
      for (const [stream, v] of Object.entries(view.streams)) {
        if (stream === PUSH_STREAM) {
          if (!sameStream(publisher, publisher.pushGeneration, v)) {
            publisher = { ...publisher, media: v.phase, lastCode: v.lastCode, restarts: v.restarts, pushGeneration: v.generation }
          }
          continue
        }
        const id = participantOf(stream)
        const p = id === null ? undefined : s.participants.byId[id]
        if (id === null || p === undefined || sameStream(p, p.playGeneration, v)) continue
        byId ??= { ...s.participants.byId }
        byId[id] = { ...p, media: v.phase, lastCode: v.lastCode, restarts: v.restarts, playGeneration: v.generation }
      }
      // A player whose stream the session closed (unmounted) is idle.
      for (const [id, p] of Object.entries(byId ?? s.participants.byId)) {
        if (p.media === 'idle' || view.streams[playStream(id)] !== undefined) continue
        byId ??= { ...s.participants.byId }
        byId[id] = { ...p, media: 'idle' }
      }
      const m = s.media
      const remoteStreams = view.remoteStreams ?? m.remoteStreams
      // The session keeps an unchanged remote's entry (and the whole map) as it was, so a tile's selection keeps its reference.
      const media =
        m.hidden === view.hidden &&
        m.offline === view.offline &&
        m.interrupted === view.interrupted &&
        m.memoryLimited === view.memoryLimited &&
        m.remoteStreams === remoteStreams
          ? m
          : {
              hidden: view.hidden,
              offline: view.offline,
              interrupted: view.interrupted,
              memoryLimited: view.memoryLimited,
              remoteStreams,
            }
      if (publisher === s.publisher && byId === null && media === m) return s
      return { publisher, media, participants: byId === null ? s.participants : { ...s.participants, byId } }
    }),

  codeReported: (source, subject, code, atMs = Date.now()) =>
    set((s) => ({ ui: withDebugEntry(s.ui, describeCode(source, code), subject, atMs) })),

  noticeQueued: (text, code, atMs = Date.now()) =>
    set((s) => {
      const ui = withNotice(s.ui, text, code, atMs)
      return ui === s.ui ? s : { ui }
    }),

  modalRequested: (request) => set((s) => ({ ui: withModal(s.ui, request) })),
})
