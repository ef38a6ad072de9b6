import type { StateCreator } from 'zustand/vanilla'
import { GRID_PAGE_SIZE } from '../core/grid-layout'
import type { MeetingState, UiSlice } from './types'
import { initialPublisher } from './publisher-slice'
import { initialSession } from './session-slice'
import { initialMedia } from './media-slice'
import { initialSpeaking } from './speaking-slice'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], UiSlice>

export const createUiSlice: Creator = (set) => ({
  ui: {
    language: 'zh-CN',
    page: 0,
    gridArea: { width: 0, height: 0 },
    notices: [],
    modal: null,
    debugOpen: false,
    debugLog: [],
  },

  languageSet: (language) => set((s) => ({ ui: { ...s.ui, language } })),

  pageChanged: (page) =>
    set((s) => {
      const pageCount = Math.max(1, Math.ceil(s.participants.order.length / GRID_PAGE_SIZE))
      const clamped = Number.isFinite(page) ? Math.min(pageCount - 1, Math.max(0, Math.trunc(page))) : 0
      return clamped === s.ui.page ? s : { ui: { ...s.ui, page: clamped } }
    }),

  gridAreaMeasured: (size) =>
    set((s) =>
      s.ui.gridArea.width === size.width && s.ui.gridArea.height === size.height
        ? s
        : { ui: { ...s.ui, gridArea: { width: size.width, height: size.height } } },
    ),

  noticeShown: (id) => set((s) => ({ ui: { ...s.ui, notices: s.ui.notices.filter((n) => n.id !== id) } })),

  modalClosed: () => set((s) => ({ ui: { ...s.ui, modal: null } })),

  debugToggled: () => set((s) => ({ ui: { ...s.ui, debugOpen: !s.ui.debugOpen } })),

  meetingLeft: () =>
    set((s) => ({
      participants: { byId: {}, order: [] },
      network: { self: null, byId: {} },
      publisher: initialPublisher(),
      session: initialSession,
      media: initialMedia,
      speaking: initialSpeaking,
      ui: { ...s.ui, page: 0, notices: [], modal: null, debugLog: [] },
    })),
})
