import type { StateCreator } from 'zustand/vanilla'
import { clampPage, pageSizeFor, type Size } from '../core/grid-layout'
import type { MeetingState, UiSlice } from './types'
import { initialPublisher } from './publisher-slice'
import { initialSession } from './session-slice'
import { initialMedia } from './media-slice'
import { initialChat } from './chat-slice'
import { initialFocus } from './focus-slice'
import { initialSpeaking } from './speaking-slice'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], UiSlice>

/**
 * The page, kept inside the layout's page count ({@link pageSizeFor} the
 * area): `ui` itself when it already is, so nothing re-renders. Used by
 * `pageChanged` and by whatever shrinks the pages (a participant leaving, the
 * area turning into a smaller page), so the stored page never points past the
 * end and a later join cannot jump the user to another page.
 */
export function withPageClamped(ui: MeetingState['ui'], count: number, requested = ui.page, area: Size = ui.gridArea): MeetingState['ui'] {
  const pageCount = Math.max(1, Math.ceil(count / pageSizeFor(area)))
  const page = clampPage(requested, pageCount)
  return page === ui.page ? ui : { ...ui, page }
}

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
      const ui = withPageClamped(s.ui, s.participants.order.length, page)
      return ui === s.ui ? s : { ui }
    }),

  gridAreaMeasured: (size) =>
    set((s) => {
      if (s.ui.gridArea.width === size.width && s.ui.gridArea.height === size.height) return s
      const gridArea = { width: size.width, height: size.height }
      return { ui: withPageClamped({ ...s.ui, gridArea }, s.participants.order.length) }
    }),

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
      chat: initialChat,
      focus: initialFocus,
      speaking: initialSpeaking,
      ui: { ...s.ui, page: 0, notices: [], modal: null, debugLog: [] },
    })),
})
