import { PRESETS } from '../../../src/core/presets'
import { initialNetBusy, netBusyStep, type NetBusyState } from '../../../src/platform/h5/net-busy'
import {
  BITRATE_LADDER_KBPS,
  DOWN_AFTER_MS,
  ladderStep,
  pickRecorderFormat,
  recorderRestartDue,
  UP_AFTER_MS,
  UP_STABLE_MS,
} from '../../../src/platform/h5/recorder-policy'
import { reconnectDelayMs } from '../../../src/platform/h5/retry'

describe('pickRecorderFormat', () => {
  test.each([
    ['Chromium (H.264 recorder)', ['video/webm;codecs=h264,opus', 'video/webm;codecs=vp8,opus'], 'video/webm;codecs=h264,opus', 'h264'],
    ['Firefox (VP8 only)', ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus'], 'video/webm;codecs=vp8,opus', 'vp8'],
    ['avc1 spelling', ['video/webm;codecs=avc1,opus'], 'video/webm;codecs=avc1,opus', 'h264'],
  ])('%s', (_name, supported, mimeType, video) => {
    expect(pickRecorderFormat((t) => supported.includes(t))).toEqual({ mimeType, video })
  })

  test('Safari (MP4 only) → null', () => {
    expect(pickRecorderFormat((t) => t.startsWith('video/mp4'))).toBeNull()
  })

  test('a browser that throws on unknown types is asked about the next one', () => {
    expect(pickRecorderFormat((t) => {
      if (t.includes('h264')) throw new Error('unsupported')
      return t.includes('vp8')
    })?.video).toBe('vp8')
  })
})

describe('the bitrate ladder', () => {
  test.each([
    [100, 150],
    [150, 150],
    [299, 250],
    [300, 300],
    [999, 800],
    [1000, 1000],
    [5000, 1000],
  ])('ceiling %i kbps → recorder at %i', (ceiling, step) => {
    expect(ladderStep(ceiling)).toBe(step)
  })

  test('both meeting presets start and end on a step', () => {
    for (const preset of [PRESETS['meeting-host'], PRESETS['meeting-participant']]) {
      expect(BITRATE_LADDER_KBPS).toContain(preset.minBitrateKbps)
      expect(BITRATE_LADDER_KBPS).toContain(preset.maxBitrateKbps)
    }
  })
})

describe('recorderRestartDue', () => {
  const base = { currentKbps: 500, recorderStartedAtMs: 0, wantedSinceMs: 0 }
  test.each([
    ['unchanged', { wantedKbps: 500, nowMs: 60_000 }, false],
    ['down, recorder too young', { wantedKbps: 300, nowMs: DOWN_AFTER_MS - 1 }, false],
    ['down, recorder old enough', { wantedKbps: 300, nowMs: DOWN_AFTER_MS }, true],
    ['up, recorder too young', { wantedKbps: 650, nowMs: UP_AFTER_MS - 1 }, false],
    ['up, wanted only briefly', { wantedKbps: 650, nowMs: UP_AFTER_MS, wantedSinceMs: UP_AFTER_MS - UP_STABLE_MS + 1 }, false],
    ['up, old and stable', { wantedKbps: 650, nowMs: UP_AFTER_MS, wantedSinceMs: UP_AFTER_MS - UP_STABLE_MS }, true],
  ])('%s → %s', (_name, over, expected) => {
    expect(recorderRestartDue({ ...base, ...over })).toBe(expected)
  })
})

describe('netBusyStep: 1101 when the socket queue keeps growing', () => {
  const rate = 43_500 // bytes/s at 300 + 48 kbps
  function feed(samples: readonly number[], start: NetBusyState = initialNetBusy) {
    let state = start
    const busyAt: number[] = []
    let hopeless = false
    samples.forEach((buffered, i) => {
      const verdict = netBusyStep(state, buffered, rate, i * 1000)
      state = verdict.state
      if (verdict.busy) busyAt.push(i)
      hopeless ||= verdict.hopeless
    })
    return { busyAt, hopeless }
  }

  test('a steady small queue is fine', () => {
    expect(feed([5000, 3000, 6000, 2000, 5000, 4000]).busyAt).toEqual([])
  })

  test('three growing samples past half a second of media: busy, then again every 5 s while it lasts', () => {
    // From an empty queue: 10 000, 25 000, 40 000 (0.9 s of media) are three growths.
    const growing = Array.from({ length: 12 }, (_, i) => 10_000 + i * 15_000)
    expect(feed(growing).busyAt).toEqual([2, 7])
  })

  test('growth that stays under half a second of media is not busy', () => {
    expect(feed([1000, 2000, 3000, 4000, 5000, 6000]).busyAt).toEqual([])
  })

  test('over 8 s of media queued is hopeless', () => {
    expect(feed([rate * 9]).hopeless).toBe(true)
    expect(feed([rate * 7]).hopeless).toBe(false)
  })
})

test.each([
  [1, 500],
  [2, 1000],
  [3, 2000],
  [4, 4000],
  [9, 4000],
])('reconnect %i waits %i ms (middle of the jitter)', (attempt, ms) => {
  expect(reconnectDelayMs(attempt)).toBe(ms)
})
