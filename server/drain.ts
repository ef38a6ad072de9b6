/**
 * Work over many items without holding the event loop: a slice of items,
 * then a turn of the loop (setImmediate, so I/O that arrived meanwhile is
 * served), then the next slice. Shutdown uses it for its sockets and its
 * meetings: ending 20,000 participants' meetings in one go blocked the loop
 * for 2.6–4.7 s (issue 12 (e)).
 */
import { setImmediate as nextTurn } from 'node:timers/promises'

/** Sockets closed per turn of the event loop while stopping (~5 ms of work). */
export const DRAIN_SLICE = 500

/**
 * `each` over `items`, `size` worth per turn. `weight` says what an item is
 * worth (a meeting: the sockets it closes; at least 1); an item `each`
 * answers with a promise is awaited, with the rest of its slice, before the
 * next slice starts.
 */
export async function inSlices<T>(
  items: Iterable<T>,
  size: number,
  each: (item: T) => void | Promise<void>,
  weight: (item: T) => number = () => 1,
): Promise<void> {
  // A snapshot: `each` may remove items from a live collection (a Set of sockets) as it goes.
  const all = [...items]
  let next = 0
  while (next < all.length) {
    if (next > 0) await nextTurn()
    const pending: Promise<void>[] = []
    for (let spent = 0; next < all.length && spent < size; next++) {
      const item = all[next]
      spent += Math.max(1, weight(item))
      const done = each(item)
      if (done !== undefined) pending.push(done)
    }
    if (pending.length > 0) await Promise.all(pending)
  }
}
