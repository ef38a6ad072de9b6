import { levelFromSamples } from '@/platform/h5/audio-level'

/** A sine of `amplitude` (full scale 1), one second at 8 kHz. */
const sine = (amplitude: number) => Array.from({ length: 8000 }, (_, i) => amplitude * Math.sin((2 * Math.PI * 440 * i) / 8000))

// RMS of a sine is amplitude/√2; level = (20·log10(rms) + 50) / 50 · 100, clamped to 0..100.
test.each([
  ['digital silence', Array(1024).fill(0), 0],
  ['no samples', [], 0],
  ['a -60 dBFS hiss (under the floor)', sine(0.001 * Math.SQRT2), 0],
  ['a -40 dBFS murmur', sine(0.01 * Math.SQRT2), 20],
  ['a -20 dBFS voice', sine(0.1 * Math.SQRT2), 60],
  ['a full-scale tone', sine(1), 94],
  ['a clipped square wave', Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1)), 100],
] as const)('%s', (_, samples, level) => {
  expect(levelFromSamples(samples)).toBe(level)
})
