import { focusLayoutIds, pageSizeFor, selectGridLayout, type GridLayout } from '../core/grid-layout'
import { arrangeForSpeaker, SILENT, type VoiceView } from '../core/speaking'
import { MEMORY_LIMITED_PLAYERS } from '../core/media-session'
import type { QualityLevel } from '../core/netstatus'
import type { MeetingState, Participant } from './types'

/**
 * Named selectors. Components select the narrowest thing they show: the grid
 * the id list (compare with useShallow), each tile its own participant.
 */
export const selectRemoteIds = (s: MeetingState): readonly string[] => s.participants.order

export const selectParticipant =
  (id: string) =>
  (s: MeetingState): Participant | undefined =>
    s.participants.byId[id]

export const selectRemoteQuality =
  (id: string) =>
  (s: MeetingState): QualityLevel =>
    s.network.byId[id]?.quality ?? 'unknown'

export const selectSelfQuality = (s: MeetingState): QualityLevel => s.network.self?.quality ?? 'unknown'

export const selectRemoteCount = (s: MeetingState): number => s.participants.order.length

/** The grid for the current page and measured area. */
export const selectGrid = (s: MeetingState): GridLayout =>
  selectGridLayout(s.participants.order.length, s.ui.gridArea, s.ui.page)

/** Remote tiles per page (4 on a phone, 9 on a desktop window): the grid and the speaker arrangement page the order alike. */
export const selectPageSize = (s: MeetingState): number => pageSizeFor(s.ui.gridArea)

/** The ids whose players are mounted: the visible page only. */
export const selectVisibleIds = (s: MeetingState): readonly string[] => {
  const { start, end } = selectGrid(s)
  // The active speaker is brought onto the first page (src/core/speaking.ts).
  return arrangeForSpeaker(s.participants.order, selectPageSize(s), s.speaking.featuredId).slice(start, end)
}

/** The focused participant, or null (the grid); a participant who left is not focused. */
export const selectFocusId = (s: MeetingState): string | null => {
  const id = s.focus.id
  return id !== null && s.participants.byId[id] !== undefined ? id : null
}

/** A remote tile's volume bucket and speaking flag (a stable SILENT when quiet). */
export const selectVoice =
  (id: string) =>
  (s: MeetingState): VoiceView =>
    s.speaking.byId[id] ?? SILENT

export const selectSelfVoice = (s: MeetingState): VoiceView => s.speaking.self

/**
 * The ids with a tile on screen: the visible page, or in the focus layout the
 * focused participant and the strip ({@link focusLayoutIds}): never more
 * than the page holds.
 */
export const selectShownIds = (s: MeetingState): readonly string[] => {
  const visible = selectVisibleIds(s)
  const focus = selectFocusId(s)
  return focus === null ? visible : focusLayoutIds(visible, focus, selectGrid(s).pageSize)
}

/** Focus layout only: everyone else, named at the end of the strip without a player. */
export const selectStripNameIds = (s: MeetingState): readonly string[] => {
  if (selectFocusId(s) === null) return []
  const shown = selectShownIds(s)
  return s.participants.order.filter((id) => !shown.includes(id))
}

/**
 * The ids whose players are mounted: the tiles shown, and after a memory
 * warning only the first MEMORY_LIMITED_PLAYERS (the focused one among them).
 */
export const selectMountedIds = (s: MeetingState): readonly string[] => {
  const shown = selectShownIds(s)
  if (!s.media.memoryLimited) return shown
  const focus = selectFocusId(s)
  const first = focus === null ? shown : [focus, ...shown.filter((id) => id !== focus)]
  return first.slice(0, MEMORY_LIMITED_PLAYERS)
}

export const selectLanguage = (s: MeetingState) => s.ui.language
export const selectNextNotice = (s: MeetingState) => s.ui.notices[0]
export const selectModal = (s: MeetingState) => s.ui.modal

/**
 * A player's src: the playurl the TRTC room reported for that user
 * (1033/1034) first, else the room service's playUrl. The media session
 * opens its stream with the same value the tile renders.
 */
export const selectPlayUrl =
  (id: string) =>
  (s: MeetingState): string => {
    const reported = s.media.remoteStreams[id]?.playUrl ?? ''
    return reported !== '' ? reported : s.participants.byId[id]?.playUrl ?? ''
  }
