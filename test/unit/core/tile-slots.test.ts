import { MAX_GONE_SLOTS, nextTileSlots, type TileSlot } from '../../../src/core/tile-slots'

/** `a b -c` ↔ slots: a leading '-' marks a gone slot. */
const slots = (text: string): TileSlot[] =>
  text.split(' ').filter(Boolean).map((s) => (s.startsWith('-') ? { id: s.slice(1), gone: true } : { id: s, gone: false }))
const text = (list: readonly TileSlot[]): string => list.map((s) => (s.gone ? `-${s.id}` : s.id)).join(' ')
const ids = (t: string): string[] => t.split(' ').filter(Boolean)

describe('nextTileSlots: the grid keeps its nodes where that is cheaper', () => {
  test.each([
    ['first tiles', '', 'a b', 'a b'],
    ['a join appends', 'a b', 'a b c', 'a b c'],
    ['a leave leaves a gone slot', 'a b c', 'a c', 'a -b c'],
    ['a leave and the next page’s first moving in', 'a b c', 'b c d', '-a b c d'],
    ['a join after a leave appends after the gone slot', 'a -b c', 'a c d', 'a -b c d'],
    ['the last one leaving', 'a', '', ''],
    ['a page change rebuilds', 'a b c', 'd e f', 'd e f'],
    ['a new order rebuilds', 'a b c', 'c a b', 'c a b'],
    ['an id coming back onto its gone slot rebuilds', 'a -b c', 'a b c', 'a b c'],
  ])('%s: [%s] showing [%s] → [%s]', (_what, previous, visible, expected) => {
    expect(text(nextTileSlots(slots(previous), ids(visible)))).toBe(expected)
  })

  test('nothing changed: the same array, so React sees no change', () => {
    const previous = slots('a -b c')
    expect(nextTileSlots(previous, ['a', 'c'])).toBe(previous)
  })

  test(`more than ${MAX_GONE_SLOTS} gone slots: the list is rebuilt once`, () => {
    const all = Array.from({ length: MAX_GONE_SLOTS + 2 }, (_, i) => `p${i}`)
    let current = nextTileSlots([], all)
    for (let left = 1; left <= MAX_GONE_SLOTS; left++) current = nextTileSlots(current, all.slice(left))
    expect(current.filter((s) => s.gone)).toHaveLength(MAX_GONE_SLOTS)
    current = nextTileSlots(current, all.slice(MAX_GONE_SLOTS + 1))
    expect(text(current)).toBe(all[MAX_GONE_SLOTS + 1])
  })
})
