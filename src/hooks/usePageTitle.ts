import { useEffect } from 'react'
import { setPageTitle } from '../platform/system'

/** Sets the page's navigation bar title from the string tables whenever it (the language) changes. */
export function usePageTitle(title: string): void {
  useEffect(() => setPageTitle(title), [title])
}
