/** session.startedAtMs: when the meeting started on this device's clock, from the service's meetingElapsedMs. */
import type { MeetingView } from '../../../src/core/protocol'
import { createMeetingStore } from '../../../src/store'

const meeting = (id = '123456789'): MeetingView => ({ id, hostId: null, locked: false, capacity: 9, passcodeRequired: false })
const self = { id: 'me', nickname: 'Me', role: 'participant' as const, pushUrl: 'rtmp://x/live/me', micOn: true, cameraOn: true, mutedByHost: false }

test('the service’s elapsed time sets the start on this device’s clock; a resume within 2 s keeps it; another meeting starts anew', () => {
  const store = createMeetingStore()
  const start = (elapsed: number | undefined, atMs: number, id?: string) =>
    store.getState().sessionStarted({ meeting: meeting(id), self, participants: [], meetingElapsedMs: elapsed }, atMs)
  start(65_000, 1_000_000)
  expect(store.getState().session.startedAtMs).toBe(935_000)
  // A resume 1.4 s later whose estimate is 100 ms off (latency): the clock does not jump.
  start(66_500, 1_001_400)
  expect(store.getState().session.startedAtMs).toBe(935_000)
  // A resume after this device's clock was changed by 10 s: the service's age wins.
  start(70_000, 1_015_000)
  expect(store.getState().session.startedAtMs).toBe(945_000)
  start(1_000, 2_000_000, '987654321')
  expect(store.getState().session.startedAtMs).toBe(1_999_000)
})

test('without the field (an older service) the clock starts when the attendee entered, and a resume keeps it', () => {
  const store = createMeetingStore()
  store.getState().sessionStarted({ meeting: meeting(), self, participants: [] }, 5_000)
  expect(store.getState().session.startedAtMs).toBe(5_000)
  store.getState().sessionStarted({ meeting: meeting(), self, participants: [] }, 9_000)
  expect(store.getState().session.startedAtMs).toBe(5_000)
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    store.getState().sessionStarted({ meeting: meeting(), self, participants: [], meetingElapsedMs: bad }, 9_000)
    expect(store.getState().session.startedAtMs).toBe(5_000)
  }
  store.getState().meetingLeft()
  expect(store.getState().session.startedAtMs).toBeNull()
})
