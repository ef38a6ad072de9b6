/**
 * The remote-tile grid as a typed table plus a pure selector (the shape of
 * livekit components-js `GRID_LAYOUTS` / `selectGridLayout`). The grid decides
 * which slice of the remote order is mounted: only that slice gets
 * `<live-player>` components.
 */

/**
 * The largest page (a desktop window). Each mounted `<live-player>` holds one
 * of the device's hardware decoders, and vendors cap a page well below ten
 * (trtc-room 9, Agora 7, Tencent's advice "under 7"), so players off the
 * visible page are not mounted at all.
 */
export const GRID_PAGE_SIZE = 9

/** What kind of screen the grid is on, judged from the grid's area ({@link formFactorOf}). */
export type FormFactor = 'phone' | 'desktop'

/**
 * Remote tiles per page, by form factor and orientation.
 *
 * - Phone, portrait: 4. Vendors cap a phone at 4–7 players for decoder load and
 *   heat; a 2×2 of a 375 px wide screen is the smallest tile a face is still
 *   readable in.
 * - Phone, landscape: also 4. The decoders and the heat are the same whichever
 *   way the phone is held, and turning the phone must not re-page everyone and
 *   remount players (each remount is a reconnect and a black tile).
 * - Desktop browser (or a tablet-sized window): 9, a 3×3 (trtc-room's cap).
 */
export const PAGE_SIZES = {
  phone: { portrait: 4, landscape: 4 },
  desktop: { portrait: GRID_PAGE_SIZE, landscape: GRID_PAGE_SIZE },
} as const satisfies { readonly [F in FormFactor]: { readonly portrait: number; readonly landscape: number } }

/**
 * A grid area whose shorter side is at least this many px is a desktop window
 * (or a tablet), not a phone: the widest phones are ~430 px across in portrait
 * and less than that tall in landscape, while a desktop browser window less its
 * control bar is rarely under 600 px tall.
 */
export const DESKTOP_MIN_SHORT_SIDE = 600

export interface Size {
  readonly width: number
  readonly height: number
}

export interface GridLayout {
  /** Tiles per page here ({@link PAGE_SIZES}). */
  readonly pageSize: number
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

/** Phone or desktop, from the grid's area: the shorter side decides, so turning a phone does not change it. */
export function formFactorOf(area: Size): FormFactor {
  const shorter = Math.min(length(area?.width), length(area?.height))
  return shorter >= DESKTOP_MIN_SHORT_SIDE ? 'desktop' : 'phone'
}

/** Tiles per page for the grid's area ({@link PAGE_SIZES}). */
export function pageSizeFor(area: Size): number {
  const sizes = PAGE_SIZES[formFactorOf(area)]
  return length(area?.height) >= length(area?.width) ? sizes.portrait : sizes.landscape
}

/** The page shown for a requested one: whole, clamped into [0, pageCount - 1]. */
export function clampPage(page: number, pageCount: number): number {
  const requested = typeof page === 'number' && Number.isFinite(page) ? Math.floor(page) : 0
  return Math.min(Math.max(1, pageCount) - 1, Math.max(0, requested))
}

/**
 * The grid for `count` remote tiles in `area`, showing `page` (0-based).
 * Beyond a page ({@link pageSizeFor} the area) the order is paged; the page is clamped
 * into range and the last page is laid out by its own count. Bad input
 * (negative or NaN counts, non-finite sizes) degrades to empty or 0-sized
 * tiles; it never throws.
 */
export function selectGridLayout(count: number, area: Size, page = 0): GridLayout {
  const total = wholeCount(count)
  const width = length(area?.width)
  const height = length(area?.height)

  const pageSize = pageSizeFor({ width, height })
  const pageCount = Math.max(1, Math.ceil(total / pageSize))
  const shown = clampPage(page, pageCount)
  const start = shown * pageSize
  const end = Math.min(total, start + pageSize)

  const visible = end - start
  // The last row always fits: visible never exceeds GRID_PAGE_SIZE.
  const definition = GRID_LAYOUTS.find((d) => visible <= d.maxTiles) ?? GRID_LAYOUTS[GRID_LAYOUTS.length - 1]
  const { columns, rows } = height >= width ? definition.portrait : definition.landscape

  return {
    pageSize,
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

/**
 * The ids the focus layout shows with players: the page as it is (same order,
 * so no tile moves in the child list; the focused one is enlarged by a class),
 * or, when the focused participant is not on the page (the order changed
 * under it), the page with its last tile given up for the focused one. Never
 * more than `pageSize`, so the strip's players stay within the page's cap.
 * `visible` itself when it already holds the focused id.
 */
export function focusLayoutIds(visible: readonly string[], focusId: string, pageSize: number): readonly string[] {
  if (visible.includes(focusId)) return visible
  const room = Math.max(0, Math.floor(pageSize) - 1)
  return [...visible.slice(0, room), focusId]
}

/** A horizontal swipe at least this long (px) turns the page; shorter ones are taps or jitters. */
export const SWIPE_MIN_PX = 50

/**
 * The page step of a swipe from `start` to `end` (touch points, px): +1 for a
 * swipe to the left (the next page comes in from the right), -1 to the right,
 * 0 when it is too short or more vertical than horizontal (a scroll).
 */
export function pageStepForSwipe(start: { x: number; y: number }, end: { x: number; y: number }): -1 | 0 | 1 {
  const dx = end.x - start.x
  const dy = end.y - start.y
  if (!Number.isFinite(dx) || !Number.isFinite(dy)) return 0
  if (Math.abs(dx) < SWIPE_MIN_PX || Math.abs(dx) < 2 * Math.abs(dy)) return 0
  return dx < 0 ? 1 : -1
}
