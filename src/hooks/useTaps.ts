import { useCallback, useEffect, useRef } from 'react'
import { useLatest } from '../platform/h5/use-latest'

/** Two taps closer than this are a double tap (the usual double-click interval; WeChat has no dblclick). */
export const DOUBLE_TAP_MS = 300

/**
 * One tap handler for both gestures. The single tap is delayed by
 * {@link DOUBLE_TAP_MS} and dropped when a second tap comes: applying it at
 * once would move the tile into the focus layout between the two taps, so the
 * second tap would land on another tile (or on the strip) and the double tap
 * would open full screen on whatever is there now.
 */
export function useTaps(onTap: () => void, onDoubleTap: () => void): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latest = useLatest({ onTap, onDoubleTap })
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current)
    },
    [],
  )
  return useCallback(() => {
    if (timer.current !== null) {
      clearTimeout(timer.current)
      timer.current = null
      latest.current.onDoubleTap()
      return
    }
    timer.current = setTimeout(() => {
      timer.current = null
      latest.current.onTap()
    }, DOUBLE_TAP_MS)
  }, [latest])
}
