/** ← / → (and PageUp / PageDown) turn the grid's pages, unless the user is typing. Same exports as ./page-keys.ts. */
export function watchPageKeys(onStep: (step: -1 | 1) => void): () => void {
  if (typeof document === 'undefined') return () => undefined
  const listener = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null
    if (target !== null && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
    if (e.key === 'ArrowRight' || e.key === 'PageDown') onStep(1)
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') onStep(-1)
  }
  document.addEventListener('keydown', listener)
  return () => document.removeEventListener('keydown', listener)
}
