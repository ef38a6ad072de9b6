/**
 * Work over many items without holding the event loop: `size` items, then a
 * turn of the loop (setImmediate, so I/O that arrived meanwhile is served),
 * then the next slice. Shutdown uses it to close 20,000 sockets: ending them
 * all in one go blocked the loop for 2.6–4.7 s (issue 12 (e)).
 */
import { setImmediate as nextTurn } from 'node:timers/promises'

export async function inSlices<T>(items: Iterable<T>, size: number, each: (item: T) => void): Promise<void> {
  // A snapshot: `each` may remove items from a live collection (a Set of sockets) as it goes.
  const all = [...items]
  for (let start = 0; start < all.length; start += size) {
    if (start > 0) await nextTurn()
    for (const item of all.slice(start, start + size)) each(item)
  }
}
