/**
 * The speaking service with a real store and the real policy, on Jest's fake
 * clock (the service's clock is the media platform's; here setTimeout/Date).
 */
import { VOICE } from '@/core/speaking'
import { createSpeakingService, type SpeakingService } from '@/services/speaking'
import { createMeetingStore, selectMountedIds, selectVisibleIds, type MeetingState, type MeetingStore } from '@/store'
import { info } from '../store/helpers'

const TICK_MS = 300

let store: MeetingStore
let service: SpeakingService
let writes: { speaking: MeetingState['speaking'] }[]

const clock = {
  now: () => Date.now(),
  setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimer: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 })
  store = createMeetingStore()
  // A desktop window: pages of 9 (the phone's pages of 4 have their own test below).
  store.getState().gridAreaMeasured({ width: 1280, height: 720 })
  store.getState().participantsReplaced(Array.from({ length: 20 }, (_, i) => info(`p${i}`)))
  service = createSpeakingService(store, clock)
  service.start()
  writes = []
  store.subscribe((s, prev) => {
    if (s.speaking !== prev.speaking) writes.push({ speaking: s.speaking })
  })
})

afterEach(() => {
  service.dispose()
  jest.useRealTimers()
})

/** `levels[i]` for each subject every 300 ms, as WeChat's notify does. */
function talk(subjects: Record<string, readonly number[]>): void {
  const n = Math.max(...Object.values(subjects).map((l) => l.length))
  for (let i = 0; i < n; i++) {
    for (const [id, levels] of Object.entries(subjects)) {
      if (i >= levels.length) continue
      if (id === 'self') service.selfLevel(levels[i])
      else service.remoteLevel(id, levels[i])
    }
    jest.advanceTimersByTime(TICK_MS)
  }
}

const speech = (ms: number, level = 50) => Array(Math.round(ms / TICK_MS)).fill(level) as number[]

test('a remote talking: their entry gets a bucket and the speaking flag; nobody else changes', () => {
  talk({ p3: speech(1200) })
  expect(store.getState().speaking.byId).toEqual({ p3: { bucket: 3, speaking: true } })
  expect(store.getState().speaking.self).toEqual({ bucket: 0, speaking: false })
})

test('self talking sets the self entry, not a remote one, and never the active speaker', () => {
  talk({ self: speech(1200) })
  expect(store.getState().speaking.self).toEqual({ bucket: 3, speaking: true })
  expect(store.getState().speaking.byId).toEqual({})
  expect(store.getState().speaking.activeId).toBeNull()
})

test('a muted microphone never shows as speaking, whatever the pusher measures', () => {
  store.getState().micToggled()
  expect(store.getState().publisher.micOn).toBe(false)
  talk({ self: speech(1200) })
  expect(store.getState().speaking.self).toEqual({ bucket: 0, speaking: false })
  expect(writes).toEqual([])
})

test('silence writes nothing to the store', () => {
  talk({ p1: Array(30).fill(0), p2: Array(30).fill(3), self: Array(30).fill(0) })
  expect(writes).toEqual([])
})

test('ticks that stop (player unmounted) end speaking and empty the bar by the deadline', () => {
  talk({ p1: speech(900) })
  expect(store.getState().speaking.byId.p1?.speaking).toBe(true)
  jest.advanceTimersByTime(VOICE.staleMs)
  expect(store.getState().speaking.byId.p1).toBeUndefined()
})

test('bad values are ignored; unknown participants are ignored', () => {
  service.remoteLevel('p1', NaN)
  service.remoteLevel('p1', '50')
  service.remoteLevel('nobody', 80)
  jest.advanceTimersByTime(2000)
  expect(writes).toEqual([])
})

test('writes for a talking remote stay within a few per second', () => {
  // Speech-like: level varying every tick for 10 s.
  const levels = Array.from({ length: 34 }, (_, i) => [20, 55, 70, 35, 10, 60][i % 6])
  talk({ p5: levels })
  expect(writes.length).toBeGreaterThan(3)
  expect(writes.length).toBeLessThanOrEqual(10 * (1000 / VOICE.minPublishIntervalMs))
})

test('the active speaker is held 5 s, then the louder speaker takes over', () => {
  talk({ p12: speech(900) })
  expect(store.getState().speaking.activeId).toBe('p12')
  const since = Date.now() - 600
  // p15 starts, louder, while p12 goes on: p12 keeps the place until its hold ends.
  const activeAt: [number, string | null][] = []
  for (let i = 0; i < 30; i++) {
    service.remoteLevel('p12', 30)
    service.remoteLevel('p15', 80)
    activeAt.push([Date.now() - since, store.getState().speaking.activeId])
    jest.advanceTimersByTime(TICK_MS)
  }
  const takeover = activeAt.find(([, id]) => id === 'p15')
  expect(takeover).toBeDefined()
  expect(takeover![0]).toBeGreaterThanOrEqual(VOICE.activeHoldMs)
  // And no flapping once p15 has it.
  const after = activeAt.slice(activeAt.indexOf(takeover!))
  expect(new Set(after.map(([, id]) => id))).toEqual(new Set(['p15']))
})

test('a speaker heard on page 2 is brought onto page 1 when the viewer returns there; on one page nothing moves', () => {
  store.getState().pageChanged(1)
  talk({ p14: speech(900) })
  expect(store.getState().speaking.activeId).toBe('p14')
  // The viewer still sees p14 where it was (its player mounted, its voice heard).
  expect(selectVisibleIds(store.getState())).toEqual(['p9', 'p10', 'p11', 'p12', 'p13', 'p14', 'p15', 'p16', 'p17'])
  store.getState().pageChanged(0)
  expect(store.getState().speaking.featuredId).toBe('p14')
  expect(selectVisibleIds(store.getState())).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p14'])
  // p8 took p14's slot: reachable on page 2.
  store.getState().pageChanged(1)
  expect(selectVisibleIds(store.getState())).toEqual(['p9', 'p10', 'p11', 'p12', 'p13', 'p8', 'p15', 'p16', 'p17'])
  // Everyone on one page: the join order, whoever spoke.
  store.getState().participantsReplaced(Array.from({ length: 9 }, (_, i) => info(`p${i}`)))
  expect(selectVisibleIds(store.getState())).toEqual(Array.from({ length: 9 }, (_, i) => `p${i}`))
})

test('on a phone (pages of 4) a speaker heard on page 3 takes the last slot of page 1 when the viewer returns', () => {
  store.getState().gridAreaMeasured({ width: 390, height: 700 })
  store.getState().pageChanged(2)
  expect(selectVisibleIds(store.getState())).toEqual(['p8', 'p9', 'p10', 'p11'])
  talk({ p9: speech(900) })
  expect(store.getState().speaking.activeId).toBe('p9')
  expect(selectVisibleIds(store.getState())).toEqual(['p8', 'p9', 'p10', 'p11'])
  store.getState().pageChanged(0)
  expect(selectVisibleIds(store.getState())).toEqual(['p0', 'p1', 'p2', 'p9'])
  store.getState().pageChanged(2)
  expect(selectVisibleIds(store.getState())).toEqual(['p8', 'p3', 'p10', 'p11'])
})

test('someone on page 1 speaking does not push the brought-in speaker back', () => {
  store.getState().pageChanged(1)
  talk({ p14: speech(900) })
  store.getState().pageChanged(0)
  jest.advanceTimersByTime(VOICE.activeHoldMs)
  talk({ p2: speech(1200) })
  expect(store.getState().speaking.activeId).toBe('p2')
  expect(selectVisibleIds(store.getState())[8]).toBe('p14')
})

test('a speaker who leaves loses their entry and the active place', () => {
  talk({ p14: speech(900) })
  store.getState().participantLeft('p14')
  expect(store.getState().speaking.byId.p14).toBeUndefined()
  expect(store.getState().speaking.activeId).toBeNull()
  expect(store.getState().speaking.featuredId).toBeNull()
})

test('leaving the meeting resets the slice', () => {
  talk({ p14: speech(900), self: speech(900) })
  store.getState().meetingLeft()
  expect(store.getState().speaking).toEqual({ self: { bucket: 0, speaking: false }, byId: {}, activeId: null, featuredId: null })
})

describe('speaking reported by the room service (speaking_changed)', () => {
  beforeEach(() => {
    // A phone: pages of 4, the viewer on page 1.
    store.getState().gridAreaMeasured({ width: 390, height: 700 })
    store.getState().pageChanged(0)
  })

  test('a speaker on page 3, whose player is not mounted, becomes active and is brought onto page 1 (mounted there)', () => {
    expect(selectMountedIds(store.getState())).toEqual(['p0', 'p1', 'p2', 'p3'])
    service.remoteReported('p9', true)
    expect(store.getState().speaking.activeId).toBe('p9')
    expect(store.getState().speaking.featuredId).toBe('p9')
    expect(selectMountedIds(store.getState())).toEqual(['p0', 'p1', 'p2', 'p9'])
    // Mounted but not ticking yet: the report still stands, so the place is not lost in between.
    jest.advanceTimersByTime(1000)
    expect(store.getState().speaking.activeId).toBe('p9')
    // The tile shows only what is measured: a report alone draws no bar.
    expect(store.getState().speaking.byId).toEqual({})
  })

  test("a mounted participant's measured level wins over its report", () => {
    talk({ p1: Array(4).fill(0) })
    service.remoteReported('p1', true)
    jest.advanceTimersByTime(VOICE.activeHoldMs)
    expect(store.getState().speaking.activeId).toBeNull()
    // Once its player is off the page (the viewer moved on), the report is what is known.
    store.getState().pageChanged(1)
    expect(store.getState().speaking.activeId).toBe('p1')
  })

  test('a measured speaker outranks a reported one; the reported one takes over only when the measured one stops, after the hold', () => {
    talk({ p2: speech(900) })
    expect(store.getState().speaking.activeId).toBe('p2')
    service.remoteReported('p13', true)
    talk({ p2: speech(6000) })
    expect(store.getState().speaking.activeId).toBe('p2')
    // p2 falls silent: after its release hold, p13 (still reporting) is the one speaking.
    talk({ p2: Array(10).fill(0) })
    expect(store.getState().speaking.activeId).toBe('p13')
    expect(store.getState().speaking.featuredId).toBe('p13')
  })

  test('between reporters the earlier report wins, and the active one keeps the place ≥ 5 s', () => {
    service.remoteReported('p10', true)
    jest.advanceTimersByTime(100)
    service.remoteReported('p11', true)
    expect(store.getState().speaking.activeId).toBe('p10')
    service.remoteReported('p10', false)
    jest.advanceTimersByTime(VOICE.activeHoldMs - 200)
    expect(store.getState().speaking.activeId).toBe('p10')
    jest.advanceTimersByTime(200)
    expect(store.getState().speaking.activeId).toBe('p11')
  })

  test('a report from a participant whose microphone is off, or from someone unknown, makes no speaker', () => {
    store.getState().participantUpdated('p8', info('p8', { micOn: false }))
    service.remoteReported('p8', true)
    service.remoteReported('nobody', true)
    expect(store.getState().speaking.activeId).toBeNull()
    expect(writes).toEqual([])
  })

  test('a report ends with its sender leaving, and with a reconnect (reportsCleared)', () => {
    service.remoteReported('p9', true)
    store.getState().participantLeft('p9')
    expect(store.getState().speaking.activeId).toBeNull()
    service.remoteReported('p10', true)
    expect(store.getState().speaking.activeId).toBe('p10')
    service.reportsCleared()
    jest.advanceTimersByTime(VOICE.activeHoldMs)
    // A silent room keeps the last speaker (as with measured levels), but p10 no longer counts as speaking:
    service.remoteReported('p11', true)
    expect(store.getState().speaking.activeId).toBe('p11')
  })
})
