import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { pageStepForSwipe } from '../core/grid-layout'
import { nextTileSlots, type TileSlot } from '../core/tile-slots'
import { exitFullScreen, watchFullScreen } from '../platform/fullscreen'
import { watchPageKeys } from '../platform/page-keys'
import { meetingStore, selectFocusId, selectGrid, selectShownIds, selectStripNameIds, useMeeting } from '../store'
import { useStrings } from './useStrings'

/** Remembers the grid's previous slots, so a leave empties a slot instead of rebuilding the list. */
function slotKeeper(): (visible: readonly string[]) => readonly TileSlot[] {
  let slots: readonly TileSlot[] = []
  let lastVisible: readonly string[] | null = null
  return (visible) => {
    // Idempotent for the same input (StrictMode may run a memo twice).
    if (visible !== lastVisible) slots = nextTileSlots(slots, visible)
    lastVisible = visible
    return slots
  }
}

/** Turn the page by `step` from the one shown (the layout's clamped page, not a stale stored one). */
function turnPage(step: number): void {
  const s = meetingStore.getState()
  // The focus layout has no pages: the strip is the page.
  if (selectFocusId(s) !== null) return
  s.pageChanged(selectGrid(s).page + step)
}

/** A touch point of a WeChat / DOM touch event (`touches` on start, `changedTouches` on end). */
function touchPoint(e: unknown, list: 'touches' | 'changedTouches'): { x: number; y: number } | null {
  const touches = (e as Record<string, unknown> | null)?.[list] as ArrayLike<{ clientX?: unknown; clientY?: unknown }> | undefined
  const t = touches?.[0]
  return t !== undefined && typeof t.clientX === 'number' && typeof t.clientY === 'number' ? { x: t.clientX, y: t.clientY } : null
}

/**
 * The grid's prop bag: the layout, the tile slots of the shown page (or of the
 * focus layout), paging by swipe, dots, buttons and keys, and the way back
 * from focus and full screen. Players off the page are not mounted (each
 * costs the phone a decoder).
 */
export function useVideoGrid() {
  const layout = useMeeting(useShallow(selectGrid))
  const visibleIds = useMeeting(useShallow(selectShownIds))
  const focusId = useMeeting(selectFocusId)
  const stripNames = useMeeting(
    useShallow((s) => selectStripNameIds(s).map((id) => s.participants.byId[id]?.nickname ?? '')),
  )
  const [keepSlots] = useState(slotKeeper)
  const slots = useMemo(() => keepSlots(visibleIds), [keepSlots, visibleIds])
  const t = useStrings()
  const onPrevious = useCallback(() => turnPage(-1), [])
  const onNext = useCallback(() => turnPage(1), [])
  const touchStart = useRef<{ x: number; y: number } | null>(null)
  const onTouchStart = useCallback((e: unknown) => {
    touchStart.current = touchPoint(e, 'touches')
  }, [])
  const onTouchEnd = useCallback((e: unknown) => {
    const start = touchStart.current
    const end = touchPoint(e, 'changedTouches')
    touchStart.current = null
    if (start === null || end === null) return
    const step = pageStepForSwipe(start, end)
    if (step !== 0) turnPage(step)
  }, [])
  const onBackToGrid = useCallback(() => {
    const s = meetingStore.getState()
    if (s.focus.fullScreenId !== null) exitFullScreen(s.focus.fullScreenId)
    s.tileFocused(null)
  }, [])
  useEffect(() => watchPageKeys(turnPage), [])
  // Browser: the document says which tile is full screen (Esc ends it there).
  useEffect(() => watchFullScreen((id) => meetingStore.getState().fullScreenChanged(id)), [])
  return { layout, visibleIds, slots, focusId, stripNames, t, onPrevious, onNext, onTouchStart, onTouchEnd, onBackToGrid }
}
