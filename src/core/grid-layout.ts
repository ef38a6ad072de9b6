/**
 * The remote-tile grid as a typed table plus a pure selector (the shape of
 * livekit components-js `GRID_LAYOUTS` / `selectGridLayout`). The grid decides
 * which slice of the remote order is mounted: only that slice gets
 * `<live-player>` components.
 */

/**
 * Tiles per page. Each mounted `<live-player>` holds one of the phone's
 * hardware decoders, and vendors cap a page well below ten (trtc-room 9,
 * Agora 7, Tencent's advice "under 7"), so players off the visible page are
 * not mounted at all.
 */
export const GRID_PAGE_SIZE = 9

export interface Size {
  readonly width: number
  readonly height: number
}

export interface GridLayout {
  readonly columns: number
  readonly rows: number
  /** The page shown, clamped into [0, pageCount - 1]. */
  readonly page: number
  /** At least 1, so a pager can always say "1 / 1". */
  readonly pageCount: number
  /** The visible, mounted slice of the remote order is [start, end). */
  readonly start: number
  readonly end: number
  /** Whole pixels (floored), so tiles never add up to more than the area. */
  readonly tileWidth: number
  readonly tileHeight: number
}

interface Grid {
  readonly columns: number
  readonly rows: number
}

/** One row per tile-count band; the first row whose `maxTiles` fits the page's count wins. */
interface GridLayoutDefinition {
  readonly maxTiles: number
  /** Height ≥ width. Phones hold meetings upright, so bands stack vertically here. */
  readonly portrait: Grid
  readonly landscape: Grid
}

/** The layouts, by the number of tiles on the visible page. */
export const GRID_LAYOUTS = [
  /** Nobody else here. */
  { maxTiles: 0, portrait: { columns: 0, rows: 0 }, landscape: { columns: 0, rows: 0 } },
  /** One remote fills the area. */
  { maxTiles: 1, portrait: { columns: 1, rows: 1 }, landscape: { columns: 1, rows: 1 } },
  /** Two split the area along its long side. */
  { maxTiles: 2, portrait: { columns: 1, rows: 2 }, landscape: { columns: 2, rows: 1 } },
  /** Three or four: a square grid, one cell possibly empty. */
  { maxTiles: 4, portrait: { columns: 2, rows: 2 }, landscape: { columns: 2, rows: 2 } },
  /** Five or six: three bands along the long side. */
  { maxTiles: 6, portrait: { columns: 2, rows: 3 }, landscape: { columns: 3, rows: 2 } },
  /** Seven to nine: the full page. */
  { maxTiles: GRID_PAGE_SIZE, portrait: { columns: 3, rows: 3 }, landscape: { columns: 3, rows: 3 } },
] as const satisfies readonly GridLayoutDefinition[]

/** A count of things: whole, finite, ≥ 0; anything else is 0. */
function wholeCount(n: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0
}

/** A length in px: finite and ≥ 0; anything else is 0. */
function length(n: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0
}

/**
 * The grid for `count` remote tiles in `area`, showing `page` (0-based).
 * Beyond {@link GRID_PAGE_SIZE} tiles the order is paged; the page is clamped
 * into range and the last page is laid out by its own count. Bad input
 * (negative or NaN counts, non-finite sizes) degrades to empty or 0-sized
 * tiles; it never throws.
 */
export function selectGridLayout(count: number, area: Size, page = 0): GridLayout {
  const total = wholeCount(count)
  const width = length(area?.width)
  const height = length(area?.height)

  const pageCount = Math.max(1, Math.ceil(total / GRID_PAGE_SIZE))
  const requested = typeof page === 'number' && Number.isFinite(page) ? Math.floor(page) : 0
  const shown = Math.min(pageCount - 1, Math.max(0, requested))
  const start = shown * GRID_PAGE_SIZE
  const end = Math.min(total, start + GRID_PAGE_SIZE)

  const visible = end - start
  // The last row always fits: visible never exceeds GRID_PAGE_SIZE.
  const definition = GRID_LAYOUTS.find((d) => visible <= d.maxTiles) ?? GRID_LAYOUTS[GRID_LAYOUTS.length - 1]
  const { columns, rows } = height >= width ? definition.portrait : definition.landscape

  return {
    columns,
    rows,
    page: shown,
    pageCount,
    start,
    end,
    tileWidth: columns > 0 ? Math.floor(width / columns) : 0,
    tileHeight: rows > 0 ? Math.floor(height / rows) : 0,
  }
}
