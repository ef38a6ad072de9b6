import type { ControllerDecision } from '../../../src/core/bitrate-controller'
import { PRESETS } from '../../../src/core/presets'
import { createMeetingStore } from '../../../src/store'

function joinedAs(role: 'host' | 'participant') {
  const store = createMeetingStore()
  store.getState().joined({ id: 'me', nickname: 'Me', role, pushUrl: 'rtmp://x/live/me' }, 0)
  return store
}

describe('role presets', () => {
  test.each([
    ['host', 'meeting-host', 200, 1000, 'high'],
    ['participant', 'meeting-participant', 150, 300, 'low'],
  ] as const)('%s pushes with %s: %i–%i kbps, audio %s', (role, presetId, min, max, audio) => {
    const store = joinedAs(role)
    const p = store.getState().publisher
    expect(p.presetId).toBe(presetId)
    expect([p.minBitrateKbps, p.maxBitrateKbps]).toEqual([min, max])
    expect(PRESETS[p.presetId].audioQuality).toBe(audio)
  })

  test('handing the host role over switches the preset both ways', () => {
    const store = joinedAs('participant')
    store.getState().roleChanged('host', 5)
    expect(store.getState().publisher).toMatchObject({ role: 'host', minBitrateKbps: 200, maxBitrateKbps: 1000 })
    store.getState().roleChanged('participant', 6)
    expect(store.getState().publisher).toMatchObject({ role: 'participant', minBitrateKbps: 150, maxBitrateKbps: 300 })
  })
})

describe('microphone, camera, host mute', () => {
  test('toggles and camera switch', () => {
    const store = joinedAs('participant')
    store.getState().micToggled()
    store.getState().cameraToggled()
    store.getState().cameraSwitched()
    expect(store.getState().publisher).toMatchObject({ micOn: false, cameraOn: false, devicePosition: 'back' })
  })

  test('a participant the host muted (the service’s view) is muted and cannot unmute until the host allows it', () => {
    const store = joinedAs('participant')
    store.getState().selfUpdated({ role: 'participant', mutedByHost: true })
    expect(store.getState().publisher).toMatchObject({ micOn: false, mutedByHost: true })
    store.getState().micToggled()
    expect(store.getState().publisher.micOn).toBe(false)
    // host_action only says why; it never writes the mute.
    store.getState().hostActionReceived('unmute_mic', 1)
    expect(store.getState().publisher.mutedByHost).toBe(true)
    store.getState().selfUpdated({ role: 'participant', mutedByHost: false })
    store.getState().micToggled()
    expect(store.getState().publisher.micOn).toBe(true)
  })

  test('meetingLeft resets everything but the language', () => {
    const store = joinedAs('host')
    store.getState().languageSet('en')
    store.getState().participantJoined({ id: 'a', nickname: 'A', role: 'participant', micOn: true, cameraOn: true, mutedByHost: false, playUrl: 'u' })
    store.getState().meetingLeft()
    const s = store.getState()
    expect(s.participants.order).toEqual([])
    expect(s.publisher.selfId).toBeNull()
    expect(s.ui.language).toBe('en')
  })
})

describe('the bitrate controller’s decisions', () => {
  const decision = (max: number, reason: ControllerDecision['reason'] = 'hold', audioOnlySuggested = false): ControllerDecision => ({
    ceiling: { minBitrateKbps: 200, maxBitrateKbps: max },
    reason,
    audioOnlySuggested,
  })

  test('a new ceiling changes the pusher attributes', () => {
    const store = joinedAs('host')
    store.getState().controllerDecided(decision(640, 'cut-deficit'))
    expect(store.getState().publisher).toMatchObject({ minBitrateKbps: 200, maxBitrateKbps: 640, controllerReason: 'cut-deficit' })
  })

  test('a decision that changes nothing leaves the publisher object as it was, so nothing re-renders', () => {
    const store = joinedAs('host')
    store.getState().controllerDecided(decision(640, 'cut-deficit'))
    const publishers: unknown[] = []
    store.subscribe((s) => s.publisher, (p) => publishers.push(p))
    for (let i = 0; i < 5; i++) store.getState().controllerDecided(decision(640, 'cut-deficit'))
    expect(publishers).toEqual([])
    // A new reason alone is a change the debug view shows.
    store.getState().controllerDecided(decision(640, 'hold'))
    expect(publishers).toHaveLength(1)
  })

  test('pusher netstatus sets the self network quality (and nothing of the controller)', () => {
    const store = joinedAs('host')
    const before = store.getState().publisher
    // netQualityLevel 1 is the SDK's "excellent"; 6 is "down".
    store.getState().pusherNetStatus({ videoBitrate: 900, netSpeed: 950, netQualityLevel: 1 }, 1000)
    expect(store.getState().network.self).toMatchObject({ quality: 'good', atMs: 1000 })
    store.getState().pusherNetStatus({ videoBitrate: 900, netSpeed: 100, netQualityLevel: 4 }, 2000)
    expect(store.getState().network.self?.quality).toBe('poor')
    store.getState().pusherNetStatus({ videoBitrate: 900, netSpeed: 100, netQualityLevel: 6 }, 3000)
    expect(store.getState().network.self?.quality).toBe('bad')
    expect(store.getState().publisher).toBe(before)
  })
})
