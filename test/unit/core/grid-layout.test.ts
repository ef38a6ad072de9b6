import {
  GRID_LAYOUTS,
  GRID_PAGE_SIZE,
  clampPage,
  focusLayoutIds,
  pageStepForSwipe,
  formFactorOf,
  pageSizeFor,
  selectGridLayout,
  type GridLayout,
  type Size,
} from '@/core/grid-layout'

/** An iPhone-sized portrait area and the same turned sideways. */
const PORTRAIT: Size = { width: 375, height: 600 }
const LANDSCAPE: Size = { width: 600, height: 375 }
/** A desktop browser window (1280×720 less the control bar) and a tall desktop window. */
const DESKTOP: Size = { width: 1280, height: 632 }
const DESKTOP_TALL: Size = { width: 700, height: 900 }

/** columns × rows for the number of tiles on the visible page. */
const EXPECTED_GRID: Record<'portrait' | 'landscape', (visible: number) => [number, number]> = {
  portrait: (n) => (n === 0 ? [0, 0] : n === 1 ? [1, 1] : n === 2 ? [1, 2] : n <= 4 ? [2, 2] : n <= 6 ? [2, 3] : [3, 3]),
  landscape: (n) => (n === 0 ? [0, 0] : n === 1 ? [1, 1] : n === 2 ? [2, 1] : n <= 4 ? [2, 2] : n <= 6 ? [3, 2] : [3, 3]),
}

test('the largest page holds 9 tiles', () => {
  expect(GRID_PAGE_SIZE).toBe(9)
  expect(GRID_LAYOUTS[GRID_LAYOUTS.length - 1].maxTiles).toBe(GRID_PAGE_SIZE)
})

test('the layout table is ordered by maxTiles and every grid has room for its band', () => {
  let previous = -1
  for (const row of GRID_LAYOUTS) {
    expect(row.maxTiles).toBeGreaterThan(previous)
    expect(row.portrait.columns * row.portrait.rows).toBeGreaterThanOrEqual(row.maxTiles)
    expect(row.landscape.columns * row.landscape.rows).toBeGreaterThanOrEqual(row.maxTiles)
    previous = row.maxTiles
  }
})

const COUNTS = Array.from({ length: 31 }, (_, i) => i)

describe('page size by form factor', () => {
  test.each<[string, Size, 'phone' | 'desktop', number]>([
    ['a phone held upright: 4 (vendors cap phones at 4–7 decoders)', PORTRAIT, 'phone', 4],
    ['the phone turned sideways: still 4 (same decoders, no re-paging on rotation)', LANDSCAPE, 'phone', 4],
    ['the largest phone, landscape (932×342)', { width: 932, height: 342 }, 'phone', 4],
    ['a small desktop window (800×500): phone-sized tiles, 4', { width: 800, height: 500 }, 'phone', 4],
    ['a desktop window: 9', DESKTOP, 'desktop', 9],
    ['a tall desktop window: 9', DESKTOP_TALL, 'desktop', 9],
    ['exactly 600 px on the shorter side: desktop', { width: 600, height: 600 }, 'desktop', 9],
    ['599 px on the shorter side: phone', { width: 1000, height: 599 }, 'phone', 4],
    ['not measured yet (0×0): phone, the cautious cap', { width: 0, height: 0 }, 'phone', 4],
    ['NaN sizes: phone', { width: NaN, height: NaN }, 'phone', 4],
  ])('%s', (_name, area, formFactor, pageSize) => {
    expect(formFactorOf(area)).toBe(formFactor)
    expect(pageSizeFor(area)).toBe(pageSize)
    expect(selectGridLayout(30, area).pageSize).toBe(pageSize)
    expect(selectGridLayout(30, area).end).toBe(pageSize)
  })

  test.each<[number, number, number]>([
    [0, 3, 0],
    [2, 3, 2],
    [3, 3, 2],
    [-1, 3, 0],
    [1.9, 3, 1],
    [NaN, 3, 0],
    [5, 0, 0],
  ])('clampPage(%s, %i pages) → %i', (page, count, expected) => {
    expect(clampPage(page, count)).toBe(expected)
  })
})

describe.each([
  ['phone portrait', 'portrait', PORTRAIT, 4],
  ['phone landscape', 'landscape', LANDSCAPE, 4],
  ['desktop', 'landscape', DESKTOP, 9],
  ['desktop, tall window', 'portrait', DESKTOP_TALL, 9],
] as const)('%s', (_name, orientation, area, pageSize) => {
  test.each(COUNTS)('%i tiles, first page', (count) => {
    const layout = selectGridLayout(count, area)
    const visible = Math.min(count, pageSize)
    const [columns, rows] = EXPECTED_GRID[orientation](visible)
    expect(layout).toEqual<GridLayout>({
      pageSize,
      columns,
      rows,
      page: 0,
      pageCount: Math.max(1, Math.ceil(count / pageSize)),
      start: 0,
      end: visible,
      tileWidth: columns ? Math.floor(area.width / columns) : 0,
      tileHeight: rows ? Math.floor(area.height / rows) : 0,
    })
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(layout.end - layout.start)
    expect(layout.tileWidth * layout.columns).toBeLessThanOrEqual(area.width)
    expect(layout.tileHeight * layout.rows).toBeLessThanOrEqual(area.height)
  })

  test.each(COUNTS)(`%i tiles, every page mounts at most ${pageSize} and the pages cover the order once`, (count) => {
    const { pageCount } = selectGridLayout(count, area)
    const mounted: number[] = []
    for (let page = 0; page < pageCount; page++) {
      const layout = selectGridLayout(count, area, page)
      expect(layout.page).toBe(page)
      expect(layout.end - layout.start).toBeLessThanOrEqual(pageSize)
      expect(layout.start).toBe(page * pageSize)
      const [columns, rows] = EXPECTED_GRID[orientation](layout.end - layout.start)
      expect([layout.columns, layout.rows]).toEqual([columns, rows])
      for (let i = layout.start; i < layout.end; i++) mounted.push(i)
    }
    expect(mounted).toEqual(Array.from({ length: count }, (_, i) => i))
  })
})

describe('paging', () => {
  test.each<[string, number, number, Partial<GridLayout>]>([
    ['phone, 5 tiles, page 1: the last page has 1 tile, full size', 5, 1, { page: 1, pageCount: 2, start: 4, end: 5, columns: 1, rows: 1, tileWidth: 375, tileHeight: 600 }],
    ['phone, 6 tiles, page 1: 2 tiles split', 6, 1, { page: 1, start: 4, end: 6, columns: 1, rows: 2 }],
    ['phone, 8 tiles, page 1: a full second page', 8, 1, { page: 1, pageCount: 2, start: 4, end: 8, columns: 2, rows: 2 }],
    ['phone, 9 tiles, page 2: 1 tile', 9, 2, { page: 2, pageCount: 3, start: 8, end: 9, columns: 1, rows: 1 }],
    ['phone, 30 tiles, page 7: 2 tiles', 30, 7, { page: 7, pageCount: 8, start: 28, end: 30, columns: 1, rows: 2 }],
  ])('%s', (_name, count, page, expected) => {
    expect(selectGridLayout(count, PORTRAIT, page)).toMatchObject(expected)
  })

  test.each<[string, number, number, Partial<GridLayout>]>([
    ['desktop, 10 tiles, page 1: the last page has 1 tile, full size', 10, 1, { page: 1, pageCount: 2, start: 9, end: 10, columns: 1, rows: 1, tileWidth: 1280, tileHeight: 632 }],
    ['desktop, 14 tiles, page 1: 5 tiles in 3×2', 14, 1, { page: 1, start: 9, end: 14, columns: 3, rows: 2 }],
    ['desktop, 18 tiles, page 1: a full second page', 18, 1, { page: 1, pageCount: 2, start: 9, end: 18, columns: 3, rows: 3 }],
    ['desktop, 30 tiles, page 3: 3 tiles in 2×2', 30, 3, { page: 3, pageCount: 4, start: 27, end: 30, columns: 2, rows: 2 }],
  ])('%s', (_name, count, page, expected) => {
    expect(selectGridLayout(count, DESKTOP, page)).toMatchObject(expected)
  })

  test.each<[string, number, number, number]>([
    ['a page past the end → the last page', 20, 9, 4],
    ['a negative page → the first', 20, -3, 0],
    ['NaN → the first', 20, NaN, 0],
    ['Infinity → the first', 20, Infinity, 0],
    ['a fractional page → floored', 20, 1.7, 1],
    ['any page with 0 tiles → 0', 0, 4, 0],
    ['any page with 4 tiles → 0', 4, 1, 0],
  ])('%s', (_name, count, page, expected) => {
    const layout = selectGridLayout(count, PORTRAIT, page)
    expect(layout.page).toBe(expected)
    expect(layout.start).toBe(expected * 4)
  })
})

describe('bad input never throws', () => {
  test.each<[string, number]>([
    ['a negative count', -3],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('%s counts as 0 tiles', (_name, count) => {
    expect(selectGridLayout(count, PORTRAIT)).toEqual<GridLayout>({ pageSize: 4, columns: 0, rows: 0, page: 0, pageCount: 1, start: 0, end: 0, tileWidth: 0, tileHeight: 0 })
  })

  test('a fractional count is floored', () => {
    expect(selectGridLayout(2.9, PORTRAIT)).toMatchObject({ end: 2, columns: 1, rows: 2 })
  })

  test.each<[string, Size]>([
    ['a zero area', { width: 0, height: 0 }],
    ['NaN sizes', { width: NaN, height: NaN }],
    ['infinite sizes', { width: Infinity, height: Infinity }],
    ['negative sizes', { width: -375, height: -600 }],
    ['a missing area', undefined as unknown as Size],
    ['non-number sizes', { width: '375', height: null } as unknown as Size],
  ])('%s gives 0-sized tiles but still the right slice', (_name, area) => {
    // An area that cannot be measured is judged a phone: the cautious page of 4.
    const layout = selectGridLayout(5, area)
    expect(layout).toMatchObject({ start: 0, end: 4, tileWidth: 0, tileHeight: 0 })
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(4)
  })

  test('one bad dimension zeroes only its own tile size', () => {
    expect(selectGridLayout(4, { width: 400, height: NaN })).toMatchObject({ columns: 2, rows: 2, tileWidth: 200, tileHeight: 0 })
  })
})

test.each<[string, Size, [number, number]]>([
  ['a square area counts as portrait', { width: 500, height: 500 }, [1, 2]],
  ['a tall area', { width: 499, height: 500 }, [1, 2]],
  ['a wide area', { width: 501, height: 500 }, [2, 1]],
])('orientation: %s', (_name, area, [columns, rows]) => {
  expect(selectGridLayout(2, area)).toMatchObject({ columns, rows })
})

test('tile sizes are whole pixels', () => {
  expect(selectGridLayout(9, { width: 700, height: 700 })).toMatchObject({ tileWidth: 233, tileHeight: 233 })
  expect(selectGridLayout(3, { width: 375.5, height: 667.4 })).toMatchObject({ tileWidth: 187, tileHeight: 333 })
})

describe('focusLayoutIds', () => {
  test.each<[string, string[], string, number, string[]]>([
    ['the focused one on the page: the page as it is (no tile moves)', ['a', 'b', 'c', 'd'], 'c', 4, ['a', 'b', 'c', 'd']],
    ['the focused one off the page: it takes the last place', ['a', 'b', 'c', 'd'], 'x', 4, ['a', 'b', 'c', 'x']],
    ['a short page: nobody dropped', ['a', 'b'], 'x', 4, ['a', 'b', 'x']],
    ['an empty page: the focused one alone', [], 'x', 4, ['x']],
    ['desktop page of 9', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], 'x', 9, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'x']],
  ])('%s', (_name, visible, focus, pageSize, expected) => {
    const ids = focusLayoutIds(visible, focus, pageSize)
    expect(ids).toEqual(expected)
    expect(ids.length).toBeLessThanOrEqual(pageSize)
  })

  test('returns the same array when nothing changes (no re-render)', () => {
    const visible = ['a', 'b']
    expect(focusLayoutIds(visible, 'a', 4)).toBe(visible)
  })
})

describe('pageStepForSwipe', () => {
  test.each<[string, [number, number], [number, number], -1 | 0 | 1]>([
    ['a swipe to the left: next page', [300, 200], [100, 210], 1],
    ['a swipe to the right: previous page', [100, 200], [300, 190], -1],
    ['exactly 50 px counts', [200, 0], [150, 0], 1],
    ['49 px is a tap or a jitter', [200, 0], [151, 0], 0],
    ['more vertical than horizontal: a scroll, not a page', [200, 100], [120, 300], 0],
    ['a tap', [200, 200], [200, 200], 0],
    ['NaN points', [NaN, 0], [0, 0], 0],
  ])('%s', (_name, [x0, y0], [x1, y1], step) => {
    expect(pageStepForSwipe({ x: x0, y: y0 }, { x: x1, y: y1 })).toBe(step)
  })
})
