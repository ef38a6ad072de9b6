import { backoffDelay } from '../../../src/core/backoff'

test.each([
  [0, 0, 250, 500],
  [1, 0.5, 750, 1000],
  [3, 1, 4000, 4000],
  [10, 0, 4000, 8000],
])('backoff attempt %i (random %f) waits between %i and %i ms', (attempt, r, min, max) => {
  const delay = backoffDelay(attempt, { baseMs: 500, maxMs: 8000 }, () => r)
  expect(delay).toBeGreaterThanOrEqual(min)
  expect(delay).toBeLessThanOrEqual(max)
})
