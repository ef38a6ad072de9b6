import { useCallback } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { meetingStore, selectGrid, selectVisibleIds, useMeeting } from '../store'
import { useStrings } from './useStrings'

/**
 * The grid's prop bag: the layout and the ids on the visible page. Players
 * off the page are not mounted (each costs the phone a decoder).
 */
export function useVideoGrid() {
  const layout = useMeeting(useShallow(selectGrid))
  const visibleIds = useMeeting(useShallow(selectVisibleIds))
  const t = useStrings()
  const onPrevious = useCallback(() => {
    const s = meetingStore.getState()
    s.pageChanged(s.ui.page - 1)
  }, [])
  const onNext = useCallback(() => {
    const s = meetingStore.getState()
    s.pageChanged(s.ui.page + 1)
  }, [])
  return { layout, visibleIds, t, onPrevious, onNext }
}
