/**
 * While the focus layout is up, the page's back (right swipe, Android's back
 * key, navigateBack) should close it, not leave the meeting. WeChat has no
 * back event for pages; its documented way is a `<page-container>` (base
 * library 2.16.0): while one is shown, a back closes the container instead of
 * the page, and it reports `afterleave`. This one is empty and invisible (no
 * overlay, zero size) and stays in the tree (`show` toggles), so showing it
 * changes one key. The browser has no such container (./back-guard.h5.tsx).
 */
import { PageContainer } from '@tarojs/components'

export interface BackGuardProps {
  /** Catch the next back. */
  readonly active: boolean
  /** A back was caught (or the container closed for any other reason). */
  onBack(): void
}

export function BackGuard({ active, onBack }: BackGuardProps) {
  return (
    <PageContainer
      show={active}
      overlay={false}
      duration={0}
      customStyle='height: 0; overflow: hidden; background: transparent;'
      onAfterLeave={onBack}
    />
  )
}
