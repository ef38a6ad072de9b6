/** Arrow keys turn the grid's pages in a browser; a phone has no keyboard (./page-keys.h5.ts). */
export function watchPageKeys(_onStep: (step: -1 | 1) => void): () => void {
  return () => undefined
}
