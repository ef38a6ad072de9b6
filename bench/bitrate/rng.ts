/**
 * Seeded pseudo-random numbers for the simulator. Each source of randomness
 * (tick timing, encoder noise, loss, path jitter, netJitter noise) draws from
 * its own stream, so a controller that sends more packets does not shift the
 * tick times or the noise another controller sees.
 */

/** mulberry32: a small, fast 32-bit generator; plenty for a simulator. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number
  /** Standard normal (Box–Muller). */
  normal(): number
}

function mix32(x: number): number {
  // splitmix32-style finaliser: spreads nearby seeds apart.
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

export function createRng(seed: number, stream: string): Rng {
  let h = mix32(seed >>> 0)
  for (let i = 0; i < stream.length; i++) h = mix32(h ^ stream.charCodeAt(i))
  let a = h
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal: () => {
      const u = 1 - next()
      const v = next()
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
    },
  }
}
