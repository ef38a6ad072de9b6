import { createMeetingStore, selectAudioRoute } from '../../../src/store'

test('players start on the speaker; each toggle moves them between speaker and earpiece', () => {
  const store = createMeetingStore()
  expect(selectAudioRoute(store.getState())).toBe('speaker')
  store.getState().audioRouteToggled()
  expect(selectAudioRoute(store.getState())).toBe('ear')
  store.getState().audioRouteToggled()
  expect(selectAudioRoute(store.getState())).toBe('speaker')
})

test('the route is the attendee’s choice: leaving a meeting keeps it for the next one', () => {
  const store = createMeetingStore()
  store.getState().audioRouteToggled()
  store.getState().meetingLeft()
  expect(selectAudioRoute(store.getState())).toBe('ear')
})

test('a toggle changes nothing else in the store', () => {
  const store = createMeetingStore()
  const before = store.getState()
  store.getState().audioRouteToggled()
  const after = store.getState()
  expect(after.publisher).toBe(before.publisher)
  expect(after.participants).toBe(before.participants)
  expect(after.ui).toBe(before.ui)
})
