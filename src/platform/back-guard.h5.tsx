/**
 * Browser: no page-container. The browser's back button leaves the page as
 * everywhere; the focus layout has its visible "back to grid" control, and
 * Esc ends full screen natively. Same exports as ./back-guard.tsx.
 */
export interface BackGuardProps {
  readonly active: boolean
  onBack(): void
}

export function BackGuard(_props: BackGuardProps) {
  return null
}
