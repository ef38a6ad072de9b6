import type { MeetingView } from '../../../src/core/protocol'
import { createMeetingStore } from '../../../src/store'
import { info } from './helpers'

const meeting: MeetingView = { id: '123456789', hostId: 'h', locked: false, capacity: 9, passcodeRequired: false }
const self = { id: 'me', nickname: 'Me', role: 'participant' as const, pushUrl: 'rtmp://x/live/me?txSecret=a', micOn: true, cameraOn: true, mutedByHost: false }

function started() {
  const store = createMeetingStore()
  store.getState().sessionStarted({ meeting, self, participants: [info('h', { role: 'host' }), info('b')] }, 0)
  return store
}

test('a started session fills the publisher, the meeting and the participants', () => {
  const s = started().getState()
  expect(s.publisher).toMatchObject({ selfId: 'me', nickname: 'Me', role: 'participant', pushUrl: self.pushUrl, micOn: true, cameraOn: true })
  expect(s.session).toMatchObject({ meetingId: '123456789', hostId: 'h', capacity: 9, ended: null })
  expect(s.participants.order).toEqual(['h', 'b'])
})

const live = { phase: 'live' as const, generation: 0, restarts: 0, lastCode: 1002 }
const mediaView = { streams: { push: live }, hidden: false, offline: false, interrupted: false, memoryLimited: false }

test('a resume (same participant id) keeps the running pusher and the controller’s ceiling', () => {
  const store = started()
  store.getState().mediaUpdated(mediaView)
  store.getState().controllerDecided({ ceiling: { minBitrateKbps: 150, maxBitrateKbps: 200 }, reason: 'cut-net-busy', audioOnlySuggested: false })
  const before = store.getState().publisher
  expect(before.maxBitrateKbps).toBeLessThan(300)
  store.getState().sessionStarted({ meeting, self, participants: [info('h', { role: 'host' })] }, 3)
  const after = store.getState().publisher
  expect(after.media).toBe('live')
  expect(after.pushGeneration).toBe(before.pushGeneration)
  expect(after.maxBitrateKbps).toBe(before.maxBitrateKbps)
  expect(store.getState().participants.order).toEqual(['h'])
})

test('a fresh join (new participant id) takes the new URL (the media session then opens a new stream) and what the attendee entered with', () => {
  const store = started()
  store.getState().mediaUpdated(mediaView)
  store.getState().sessionStarted({ meeting, self: { ...self, id: 'me-2', pushUrl: 'rtmp://x/live/me2', cameraOn: false }, participants: [] }, 5)
  expect(store.getState().publisher).toMatchObject({ selfId: 'me-2', pushUrl: 'rtmp://x/live/me2', cameraOn: false, micOn: true })
})

test('being handed the host role switches to the host preset', () => {
  const store = started()
  store.getState().selfUpdated({ role: 'host', mutedByHost: false })
  expect(store.getState().publisher).toMatchObject({ role: 'host', maxBitrateKbps: 1000, minBitrateKbps: 200 })
})

test.each([
  ['mute_mic', '主持人已将你静音'],
  ['mute_all', '主持人已将你静音'],
  ['unmute_mic', '主持人已允许你发言，可以解除静音'],
] as const)('host action %s only says why: the mute itself is the service’s view (selfUpdated)', (action, toast) => {
  const store = started()
  store.getState().hostActionReceived(action, 1)
  expect(store.getState().publisher).toMatchObject({ mutedByHost: false, micOn: true })
  expect(store.getState().ui.notices.map((n) => n.text['zh-CN'])).toEqual([toast])
})

test('host action camera_off turns the camera off and tells the user', () => {
  const store = started()
  store.getState().hostActionReceived('camera_off', 1)
  expect(store.getState().publisher).toMatchObject({ cameraOn: false, micOn: true })
  expect(store.getState().ui.notices.map((n) => n.text['zh-CN'])).toEqual(['主持人关闭了你的摄像头'])
})

test('the service lifting the mute leaves the decision to the user', () => {
  const store = started()
  store.getState().selfUpdated({ role: 'participant', mutedByHost: true })
  store.getState().selfUpdated({ role: 'participant', mutedByHost: false })
  expect(store.getState().publisher).toMatchObject({ mutedByHost: false, micOn: false })
  store.getState().micToggled()
  expect(store.getState().publisher.micOn).toBe(true)
})

test('a session that was started muted by the host starts with the mic off', () => {
  const store = createMeetingStore()
  store.getState().sessionStarted({ meeting, self: { ...self, mutedByHost: true }, participants: [] }, 0)
  expect(store.getState().publisher).toMatchObject({ mutedByHost: true, micOn: false })
})

test('connection state and the end of a session', () => {
  const store = started()
  store.getState().connectionChanged('connected')
  store.getState().connectionChanged('reconnecting')
  expect(store.getState().session.connection).toBe('reconnecting')
  store.getState().sessionEnded('removed')
  expect(store.getState().session).toMatchObject({ connection: 'closed', ended: 'removed' })
  store.getState().meetingLeft()
  expect(store.getState().session).toMatchObject({ meetingId: null, ended: null, connection: 'idle' })
})

test('meeting updates (lock, host change) land in the session', () => {
  const store = started()
  store.getState().meetingUpdated({ ...meeting, hostId: 'b', locked: true })
  expect(store.getState().session).toMatchObject({ hostId: 'b', locked: true })
})
