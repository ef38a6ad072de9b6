/** The latest value in a ref, so media effects need not restart when a parent passes new callbacks. */
import { useRef } from 'react'

export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value)
  ref.current = value
  return ref
}
