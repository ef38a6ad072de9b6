/**
 * Full screen in the browser: the whole tile (video, name, quality) through
 * the Fullscreen API, so the tile's footer stays visible. The direction is the
 * mini program's concern (a browser keeps its own orientation). Same exports
 * as ./fullscreen.ts.
 */

function tileElement(participantId: string): Element | null {
  if (typeof document === 'undefined') return null
  for (const el of Array.from(document.querySelectorAll('[data-participant]'))) {
    if (el.getAttribute('data-participant') === participantId) return el
  }
  return null
}

export function enterFullScreen(participantId: string, _direction: 0 | 90): void {
  const el = tileElement(participantId) as (Element & { requestFullscreen?: () => Promise<void> }) | null
  // Refused (no user gesture, an iframe without allowfullscreen): the focus layout stays.
  el?.requestFullscreen?.().catch(() => undefined)
}

export function exitFullScreen(_participantId: string): void {
  if (typeof document !== 'undefined' && document.fullscreenElement) document.exitFullscreen().catch(() => undefined)
}

/** Calls back with the participant whose tile is full screen, or null when full screen ends (Esc, back). */
export function watchFullScreen(onChange: (participantId: string | null) => void): () => void {
  if (typeof document === 'undefined') return () => undefined
  const listener = () => onChange(document.fullscreenElement?.getAttribute('data-participant') ?? null)
  document.addEventListener('fullscreenchange', listener)
  return () => document.removeEventListener('fullscreenchange', listener)
}
