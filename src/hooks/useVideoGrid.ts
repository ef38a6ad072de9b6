import { useCallback, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { nextTileSlots, type TileSlot } from '../core/tile-slots'
import { meetingStore, selectGrid, selectVisibleIds, useMeeting } from '../store'
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

/**
 * The grid's prop bag: the layout and the tile slots of the visible page.
 * Players off the page are not mounted (each costs the phone a decoder).
 */
export function useVideoGrid() {
  const layout = useMeeting(useShallow(selectGrid))
  const visibleIds = useMeeting(useShallow(selectVisibleIds))
  const [keepSlots] = useState(slotKeeper)
  const slots = useMemo(() => keepSlots(visibleIds), [keepSlots, visibleIds])
  const t = useStrings()
  const onPrevious = useCallback(() => {
    const s = meetingStore.getState()
    s.pageChanged(s.ui.page - 1)
  }, [])
  const onNext = useCallback(() => {
    const s = meetingStore.getState()
    s.pageChanged(s.ui.page + 1)
  }, [])
  return { layout, visibleIds, slots, t, onPrevious, onNext }
}
