import { GRID_LAYOUTS, GRID_PAGE_SIZE, selectGridLayout, type GridLayout, type Size } from '@/core/grid-layout'

/** An iPhone-sized portrait area and the same turned sideways. */
const PORTRAIT: Size = { width: 375, height: 600 }
const LANDSCAPE: Size = { width: 600, height: 375 }

/** columns × rows for the number of tiles on the visible page. */
const EXPECTED_GRID: Record<'portrait' | 'landscape', (visible: number) => [number, number]> = {
  portrait: (n) => (n === 0 ? [0, 0] : n === 1 ? [1, 1] : n === 2 ? [1, 2] : n <= 4 ? [2, 2] : n <= 6 ? [2, 3] : [3, 3]),
  landscape: (n) => (n === 0 ? [0, 0] : n === 1 ? [1, 1] : n === 2 ? [2, 1] : n <= 4 ? [2, 2] : n <= 6 ? [3, 2] : [3, 3]),
}

test('a page holds 9 tiles', () => {
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

describe.each([
  ['portrait', PORTRAIT],
  ['landscape', LANDSCAPE],
] as const)('%s', (orientation, area) => {
  test.each(COUNTS)('%i tiles, first page', (count) => {
    const layout = selectGridLayout(count, area)
    const visible = Math.min(count, GRID_PAGE_SIZE)
    const [columns, rows] = EXPECTED_GRID[orientation](visible)
    expect(layout).toEqual<GridLayout>({
      columns,
      rows,
      page: 0,
      pageCount: Math.max(1, Math.ceil(count / GRID_PAGE_SIZE)),
      start: 0,
      end: visible,
      tileWidth: columns ? Math.floor(area.width / columns) : 0,
      tileHeight: rows ? Math.floor(area.height / rows) : 0,
    })
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(layout.end - layout.start)
    expect(layout.tileWidth * layout.columns).toBeLessThanOrEqual(area.width)
    expect(layout.tileHeight * layout.rows).toBeLessThanOrEqual(area.height)
  })

  test.each(COUNTS)('%i tiles, every page mounts at most 9 and the pages cover the order once', (count) => {
    const { pageCount } = selectGridLayout(count, area)
    const mounted: number[] = []
    for (let page = 0; page < pageCount; page++) {
      const layout = selectGridLayout(count, area, page)
      expect(layout.page).toBe(page)
      expect(layout.end - layout.start).toBeLessThanOrEqual(GRID_PAGE_SIZE)
      expect(layout.start).toBe(page * GRID_PAGE_SIZE)
      const [columns, rows] = EXPECTED_GRID[orientation](layout.end - layout.start)
      expect([layout.columns, layout.rows]).toEqual([columns, rows])
      for (let i = layout.start; i < layout.end; i++) mounted.push(i)
    }
    expect(mounted).toEqual(Array.from({ length: count }, (_, i) => i))
  })
})

describe('paging', () => {
  test.each<[string, number, number, Partial<GridLayout>]>([
    ['10 tiles, page 1: the last page has 1 tile, full size', 10, 1, { page: 1, pageCount: 2, start: 9, end: 10, columns: 1, rows: 1, tileWidth: 375, tileHeight: 600 }],
    ['11 tiles, page 1: 2 tiles split', 11, 1, { page: 1, start: 9, end: 11, columns: 1, rows: 2 }],
    ['14 tiles, page 1: 5 tiles in 2×3', 14, 1, { page: 1, start: 9, end: 14, columns: 2, rows: 3 }],
    ['18 tiles, page 1: a full second page', 18, 1, { page: 1, pageCount: 2, start: 9, end: 18, columns: 3, rows: 3 }],
    ['19 tiles, page 2: 1 tile', 19, 2, { page: 2, pageCount: 3, start: 18, end: 19, columns: 1, rows: 1 }],
    ['30 tiles, page 3: 3 tiles in 2×2', 30, 3, { page: 3, pageCount: 4, start: 27, end: 30, columns: 2, rows: 2 }],
  ])('%s', (_name, count, page, expected) => {
    expect(selectGridLayout(count, PORTRAIT, page)).toMatchObject(expected)
  })

  test.each<[string, number, number, number]>([
    ['a page past the end → the last page', 20, 5, 2],
    ['a negative page → the first', 20, -3, 0],
    ['NaN → the first', 20, NaN, 0],
    ['Infinity → the first', 20, Infinity, 0],
    ['a fractional page → floored', 20, 1.7, 1],
    ['any page with 0 tiles → 0', 0, 4, 0],
    ['any page with 9 tiles → 0', 9, 1, 0],
  ])('%s', (_name, count, page, expected) => {
    const layout = selectGridLayout(count, PORTRAIT, page)
    expect(layout.page).toBe(expected)
    expect(layout.start).toBe(expected * GRID_PAGE_SIZE)
  })
})

describe('bad input never throws', () => {
  test.each<[string, number]>([
    ['a negative count', -3],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ])('%s counts as 0 tiles', (_name, count) => {
    expect(selectGridLayout(count, PORTRAIT)).toEqual<GridLayout>({ columns: 0, rows: 0, page: 0, pageCount: 1, start: 0, end: 0, tileWidth: 0, tileHeight: 0 })
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
    const layout = selectGridLayout(5, area)
    expect(layout).toMatchObject({ start: 0, end: 5, tileWidth: 0, tileHeight: 0 })
    expect(layout.columns * layout.rows).toBeGreaterThanOrEqual(5)
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
  expect(selectGridLayout(9, { width: 100, height: 100 })).toMatchObject({ tileWidth: 33, tileHeight: 33 })
  expect(selectGridLayout(3, { width: 375.5, height: 667.4 })).toMatchObject({ tileWidth: 187, tileHeight: 333 })
})
