import {
  arrangeForSpeaker,
  bucketOf,
  initialVoice,
  nextActiveSpeaker,
  nextBucket,
  nextFeatured,
  noFeatured,
  toVolumeLevel,
  VOICE,
  voiceTick,
  voiceTimePassed,
  type ActiveSpeaker,
  type VoiceState,
  type VoiceView,
} from '@/core/speaking'
import { parseVolumeEvent } from '@/core/wechat-event'

describe('levels from events', () => {
  test.each([
    ['a number', { detail: { volume: 37 } }, 37],
    ['a fraction, rounded', { detail: { volume: 37.6 } }, 38],
    ['a numeric string', { detail: { volume: ' 12 ' } }, 12],
    ['above 100, clamped', { detail: { volume: 250 } }, 100],
    ['below 0, clamped', { detail: { volume: -3 } }, 0],
    ['`details` instead of `detail`', { details: { volume: 5 } }, 5],
    ['NaN', { detail: { volume: NaN } }, null],
    ['Infinity', { detail: { volume: Infinity } }, null],
    ['a word', { detail: { volume: 'loud' } }, null],
    ['an empty string', { detail: { volume: '' } }, null],
    ['hex', { detail: { volume: '0x20' } }, null],
    ['missing', { detail: {} }, null],
    ['an object', { detail: { volume: { v: 3 } } }, null],
    ['no detail', {}, null],
    ['null', null, null],
  ])('%s', (_, event, expected) => {
    expect(parseVolumeEvent(event)).toBe(expected)
  })

  test('toVolumeLevel rejects what is not a number', () => {
    expect(toVolumeLevel('3')).toBeNull()
    expect(toVolumeLevel(undefined)).toBeNull()
  })
})

describe('buckets', () => {
  test.each([
    [0, 0],
    [7, 0],
    [8, 1],
    [24, 1],
    [25, 2],
    [44, 2],
    [45, 3],
    [64, 3],
    [65, 4],
    [100, 4],
  ] as const)('level %i → bucket %i', (level, bucket) => {
    expect(bucketOf(level)).toBe(bucket)
  })

  test.each([
    ['rises at once', 1, 70, 4],
    ['holds just under its floor (within the margin)', 2, 21, 2],
    ['drops when clearly under its floor', 2, 19, 1],
    ['drops several buckets when far under', 4, 2, 0],
    ['drops only to where the level plus the margin lands', 4, 42, 3],
    ['stays at the same level', 3, 50, 3],
  ] as const)('%s', (_, previous, level, expected) => {
    expect(nextBucket(previous, level)).toBe(expected)
  })

  test('a level wobbling on a border does not flip the bar', () => {
    let bucket = nextBucket(0, 26)
    const seen = new Set<number>()
    for (const level of [24, 26, 23, 25, 22, 26, 24]) {
      bucket = nextBucket(bucket, level)
      seen.add(bucket)
    }
    expect([...seen]).toEqual([2])
  })
})

/** Runs ticks (level at time) through the policy, collecting what the render layer gets. */
function run(ticks: readonly (readonly [number, number])[], start: VoiceState = initialVoice) {
  let state = start
  const published: (VoiceView & { atMs: number })[] = []
  let wakeAtMs: number | null = null
  for (const [atMs, level] of ticks) {
    // Wakes that fall before this tick happen first, as the service's timer would.
    while (wakeAtMs !== null && wakeAtMs <= atMs) {
      const at: number = wakeAtMs
      const woken = voiceTimePassed(state, at)
      state = woken.state
      wakeAtMs = woken.wakeAtMs
      if (woken.publish) published.push({ ...woken.publish, atMs: at })
    }
    const step = voiceTick(state, level, atMs)
    state = step.state
    wakeAtMs = step.wakeAtMs
    if (step.publish) published.push({ ...step.publish, atMs })
  }
  return { state, published, wakeAtMs }
}

/** Ticks every `every` ms from `from`, with the given levels. */
function ticks(from: number, every: number, levels: readonly number[]): [number, number][] {
  return levels.map((level, i) => [from + i * every, level])
}

describe('speaking', () => {
  test('voice becomes speech after the onset, not at the first loud tick', () => {
    const { published } = run(ticks(0, 300, [40, 40, 40]))
    expect(published[0]).toEqual({ bucket: 2, speaking: false, atMs: 0 })
    expect(published[1]).toEqual({ bucket: 2, speaking: true, atMs: VOICE.onsetMs })
  })

  test('a single loud tick (a cough) is never speech', () => {
    const { published } = run(ticks(0, 300, [60, 0, 0, 0, 0]))
    expect(published.some((p) => p.speaking)).toBe(false)
  })

  test('pauses between words shorter than the release keep speaking on', () => {
    // One quiet tick at a time: 600 ms between voice ticks, under the 800 ms release.
    const { published } = run(ticks(0, 300, [40, 40, 40, 0, 40, 40, 0, 40, 40]))
    const speakingChanges = published.filter((p, i) => i === 0 || p.speaking !== published[i - 1].speaking)
    expect(speakingChanges.map((p) => p.speaking)).toEqual([false, true])
  })

  test('speaking ends after the release hold of silence, even when no tick comes', () => {
    const talk = run(ticks(0, 300, [40, 40, 40]))
    expect(talk.state.decided.speaking).toBe(true)
    // Ticks stop at 600 ms (player gone): the wake the policy asked for ends speech at 600 + release.
    expect(talk.wakeAtMs).toBe(600 + VOICE.releaseMs)
    const woken = voiceTimePassed(talk.state, talk.wakeAtMs!)
    expect(woken.publish).toEqual({ bucket: 2, speaking: false })
    // …and the bar falls to 0 when the ticks are stale.
    expect(woken.wakeAtMs).toBe(600 + VOICE.staleMs)
    expect(voiceTimePassed(woken.state, woken.wakeAtMs!).publish).toEqual({ bucket: 0, speaking: false })
  })

  test('quiet ticks end speaking after the release', () => {
    const { published } = run(ticks(0, 300, [40, 40, 40, 0, 0, 0, 0]))
    const end = published.find((p, i) => i > 0 && !p.speaking && published[i - 1].speaking)
    // Last voice at 600 ms: the release deadline (a timer, not the next tick) ends it at 600 + 800 ms.
    expect(end?.atMs).toBe(600 + VOICE.releaseMs)
  })

  test('silence publishes nothing at all', () => {
    const { published, wakeAtMs } = run(ticks(0, 300, Array(20).fill(0)))
    expect(published).toEqual([])
    expect(wakeAtMs).toBeNull()
  })

  test('a steady level publishes once', () => {
    const { published } = run(ticks(0, 300, Array(20).fill(50)))
    expect(published).toEqual([
      { bucket: 3, speaking: false, atMs: 0 },
      { bucket: 3, speaking: true, atMs: 300 },
    ])
  })
})

describe('throttle', () => {
  test('fast ticks of a changing level reach the render layer at most once per interval', () => {
    // A browser sampling every 50 ms, level jumping between buckets on every sample.
    const levels = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 70 : 10))
    const { published } = run(ticks(0, 50, levels))
    for (let i = 1; i < published.length; i++) {
      expect(published[i].atMs - published[i - 1].atMs).toBeGreaterThanOrEqual(VOICE.minPublishIntervalMs)
    }
    // 5 s of input: at most 5000 / 250 + 1 updates.
    expect(published.length).toBeLessThanOrEqual(5000 / VOICE.minPublishIntervalMs + 1)
    expect(published.length).toBeGreaterThan(2)
  })

  test('a change held back by the throttle is delivered when the interval ends', () => {
    const first = voiceTick(initialVoice, 70, 0)
    expect(first.publish).toEqual({ bucket: 4, speaking: false })
    const held = voiceTick(first.state, 0, 100)
    expect(held.publish).toBeNull()
    expect(held.wakeAtMs).toBe(VOICE.minPublishIntervalMs)
    const later = voiceTimePassed(held.state, VOICE.minPublishIntervalMs)
    expect(later.publish).toEqual({ bucket: 0, speaking: false })
  })
})

describe('active speaker', () => {
  const c = (id: string, level: number, speaking = true) => ({ id, level, speaking })

  test('nobody speaking: nobody active', () => {
    expect(nextActiveSpeaker(null, [c('a', 3, false)], 0)).toBeNull()
  })

  test('the loudest speaker becomes active', () => {
    expect(nextActiveSpeaker(null, [c('a', 30), c('b', 60), c('c', 90, false)], 10)).toEqual({ id: 'b', sinceMs: 10 })
  })

  test('another, louder speaker takes over only after the hold', () => {
    const a: ActiveSpeaker = { id: 'a', sinceMs: 0 }
    expect(nextActiveSpeaker(a, [c('a', 20), c('b', 80)], VOICE.activeHoldMs - 1)).toBe(a)
    expect(nextActiveSpeaker(a, [c('a', 20), c('b', 80)], VOICE.activeHoldMs)).toEqual({ id: 'b', sinceMs: VOICE.activeHoldMs })
  })

  test('a silent room keeps the last speaker', () => {
    const a: ActiveSpeaker = { id: 'a', sinceMs: 0 }
    expect(nextActiveSpeaker(a, [c('a', 0, false), c('b', 0, false)], 60_000)).toBe(a)
  })

  test('the active speaker keeps the place while loudest, past the hold', () => {
    const a: ActiveSpeaker = { id: 'a', sinceMs: 0 }
    expect(nextActiveSpeaker(a, [c('a', 50), c('b', 50)], 60_000)).toBe(a)
  })

  test('someone who left loses the place at once', () => {
    const a: ActiveSpeaker = { id: 'a', sinceMs: 0 }
    expect(nextActiveSpeaker(a, [c('b', 0, false)], 100)).toBeNull()
    expect(nextActiveSpeaker(a, [c('b', 40)], 100)).toEqual({ id: 'b', sinceMs: 100 })
  })
})

describe('arrangeForSpeaker', () => {
  const order = Array.from({ length: 25 }, (_, i) => `p${i}`)

  test('a speaker on page 3 swaps into the last slot of page 1; nobody else moves', () => {
    const arranged = arrangeForSpeaker(order, 9, 'p20')
    expect(arranged.slice(0, 9)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p20'])
    expect(arranged[20]).toBe('p8')
    expect(arranged.filter((id, i) => id !== order[i])).toEqual(['p20', 'p8'])
    expect([...arranged].sort()).toEqual([...order].sort())
  })

  test.each([
    ['nobody is featured', order, null],
    ['the speaker is on page 1 already', order, 'p3'],
    ['everyone fits on one page', order.slice(0, 9), 'p8'],
    ['the speaker is not in the order', order, 'zz'],
  ] as const)('unchanged (same array) when %s', (_, list, featured) => {
    expect(arrangeForSpeaker(list, 9, featured)).toBe(list)
  })

  test('the page size is the caller’s (4 per page on a phone)', () => {
    expect(arrangeForSpeaker(order, 4, 'p10').slice(0, 4)).toEqual(['p0', 'p1', 'p2', 'p10'])
  })
})

describe('nextFeatured', () => {
  const order = Array.from({ length: 25 }, (_, i) => `p${i}`)
  const at = (activeId: string | null, viewedPage: number, list: readonly string[] = order) => ({ activeId, order: list, pageSize: 9, viewedPage })

  test('a speaker heard on page 3 waits until the viewer is back on page 1, then is brought there', () => {
    const heard = nextFeatured(noFeatured, at('p20', 2))
    expect(heard).toEqual({ featured: null, pending: 'p20' })
    // Still on page 3: their tile does not move away from under the viewer.
    expect(arrangeForSpeaker(order, 9, heard.featured)).toBe(order)
    const back = nextFeatured(heard, at('p20', 0))
    expect(back).toEqual({ featured: 'p20', pending: null })
  })

  test('a speaker from a later page is brought at once when the viewer is on page 1', () => {
    expect(nextFeatured(noFeatured, at('p12', 0))).toEqual({ featured: 'p12', pending: null })
  })

  test('someone on page 1 speaking keeps the brought-in speaker in place', () => {
    const featured = { featured: 'p20', pending: null }
    expect(nextFeatured(featured, at('p3', 0))).toBe(featured)
  })

  test('the featured speaker stays featured when the viewer pages on (the order is the same on every page)', () => {
    const featured = { featured: 'p20', pending: null }
    expect(nextFeatured(featured, at('p20', 1))).toBe(featured)
    expect(nextFeatured(featured, at(null, 2))).toBe(featured)
  })

  test('a new speaker from a later page replaces the featured one', () => {
    expect(nextFeatured({ featured: 'p20', pending: null }, at('p11', 0))).toEqual({ featured: 'p11', pending: null })
  })

  test('who leaves is dropped; one page features nobody', () => {
    const without = order.filter((id) => id !== 'p20')
    expect(nextFeatured({ featured: 'p20', pending: 'p21' }, at(null, 0, without))).toEqual({ featured: 'p21', pending: null })
    expect(nextFeatured({ featured: 'p20', pending: null }, at(null, 0, order.slice(0, 9)))).toEqual(noFeatured)
  })

  test('every participant is reachable on some page whatever is featured', () => {
    for (const featured of order) {
      const arranged = arrangeForSpeaker(order, 9, featured)
      expect(new Set(arranged)).toEqual(new Set(order))
    }
  })
})
