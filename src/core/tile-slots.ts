import { GRID_PAGE_SIZE } from './grid-layout'

/**
 * The tiles the grid keeps in its child list. In the mini program, removing
 * a node from a list makes Taro re-send the parent's whole child list over
 * setData (every visible tile, signed player URLs included), while appending
 * sends only the new node and emptying a node sends only that node. So a
 * participant who leaves keeps a `gone` slot (an empty, hidden node) until
 * the list has to be rebuilt anyway, and newcomers are appended.
 */
export interface TileSlot {
  readonly id: string
  /** The participant left the visible page: its node stays, empty and hidden. */
  readonly gone: boolean
}

/** Gone slots kept at most; past this the list is rebuilt once (one full re-send). */
export const MAX_GONE_SLOTS = GRID_PAGE_SIZE

const fresh = (visible: readonly string[]): readonly TileSlot[] => visible.map((id) => ({ id, gone: false }))

/**
 * The slots showing `visible` (the ids on the grid's page, in order), keeping
 * `previous` where that costs less: when the tiles still shown are, in order,
 * the first of `visible`, those that left become gone slots and the rest of
 * `visible` is appended. Anything else (a page change, a new order, an id
 * coming back, too many gone slots) rebuilds the list. Returns `previous`
 * itself when nothing changed.
 */
export function nextTileSlots(previous: readonly TileSlot[], visible: readonly string[]): readonly TileSlot[] {
  const shown = new Set(visible)
  const kept = previous.filter((s) => !s.gone && shown.has(s.id))
  const compatible =
    kept.length > 0 &&
    kept.every((s, i) => s.id === visible[i]) &&
    !previous.some((s) => s.gone && shown.has(s.id))
  if (!compatible) return fresh(visible)
  const next = previous.map((s) => (s.gone || shown.has(s.id) ? s : { id: s.id, gone: true }))
  if (next.filter((s) => s.gone).length > MAX_GONE_SLOTS) return fresh(visible)
  for (const id of visible.slice(kept.length)) next.push({ id, gone: false })
  const unchanged = next.length === previous.length && next.every((s, i) => s === previous[i])
  return unchanged ? previous : next
}
