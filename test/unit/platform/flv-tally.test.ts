import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FlvTally, type FlvTotals } from '../../../src/platform/h5/flv-tally'

const FLV = new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'test-pattern-h264-aac.flv')))

/** The same totals by the obvious whole-file parse. */
function reference(flv: Uint8Array): FlvTotals {
  const view = new DataView(flv.buffer, flv.byteOffset, flv.byteLength)
  const totals = { bytes: flv.length, audioBytes: 0, videoBytes: 0, videoFrames: 0, keyFrames: 0, lastVideoTimestampMs: null as number | null }
  let offset = view.getUint32(5) + 4
  while (offset + 11 <= flv.length) {
    const type = flv[offset]
    const size = (flv[offset + 1] << 16) | (flv[offset + 2] << 8) | flv[offset + 3]
    const total = 11 + size + 4
    if (type === 8) totals.audioBytes += total
    if (type === 9) {
      totals.videoBytes += total
      const frameType = flv[offset + 11] >> 4
      if (flv[offset + 12] === 1) {
        totals.videoFrames += 1
        if (frameType === 1) totals.keyFrames += 1
        totals.lastVideoTimestampMs = (flv[offset + 4] << 16) | (flv[offset + 5] << 8) | flv[offset + 6]
      }
    }
    offset += total
  }
  return totals
}

describe('FlvTally counts an FLV stream however it is chunked', () => {
  const expected = reference(FLV)

  test('the fixture has both tracks and ~3 s of 15 fps video', () => {
    expect(expected.videoFrames).toBeGreaterThanOrEqual(44)
    expect(expected.keyFrames).toBeGreaterThanOrEqual(3)
    expect(expected.audioBytes).toBeGreaterThan(0)
  })

  test.each([1, 2, 7, 11, 13, 100, 4096, FLV.length])('chunks of %i bytes', (size) => {
    const tally = new FlvTally()
    for (let offset = 0; offset < FLV.length; offset += size) tally.push(FLV.subarray(offset, offset + size))
    expect(tally.current).toEqual(expected)
  })

  test('irregular chunks (a seeded walk of sizes 1..300)', () => {
    const tally = new FlvTally()
    let seed = 7
    let offset = 0
    while (offset < FLV.length) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const size = 1 + (seed % 300)
      tally.push(FLV.subarray(offset, offset + size))
      offset += size
    }
    expect(tally.current).toEqual(expected)
  })

  test('totals grow as data arrives, and only bytes are counted for a stream that is not FLV', () => {
    const tally = new FlvTally()
    tally.push(FLV.subarray(0, 1000))
    const partial = tally.current
    expect(partial.bytes).toBe(1000)
    expect(partial.videoFrames).toBeLessThan(expected.videoFrames)

    const junk = new FlvTally()
    junk.push(new Uint8Array(5000).fill(0x41))
    expect(junk.current).toEqual({ bytes: 5000, audioBytes: 0, videoBytes: 0, videoFrames: 0, keyFrames: 0, lastVideoTimestampMs: null })
  })
})
