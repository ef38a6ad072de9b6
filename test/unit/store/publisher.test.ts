import type { BitrateController, ControllerInput } from '../../../src/core/bitrate-controller'
import { PRESETS } from '../../../src/core/presets'
import { createMeetingStore, MAX_AUTO_RESTARTS } from '../../../src/store'
import { NOTICE_REPEAT_MS } from '../../../src/store/reporting'

function joinedAs(role: 'host' | 'participant', options?: Parameters<typeof createMeetingStore>[0]) {
  const store = createMeetingStore(options)
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

describe('pusher state codes and errors', () => {
  test.each([
    ['1001 connected', [1001], 'connecting'],
    ['1002 push begin', [1001, 1002], 'live'],
    ['1102 reconnecting', [1002, 1102], 'reconnecting'],
    ['1101 net busy keeps live', [1002, 1101], 'live'],
  ] as const)('%s → %s', (_n, codes, media) => {
    const store = joinedAs('host')
    codes.forEach((c, i) => store.getState().pusherStateChanged(c, i))
    expect(store.getState().publisher.media).toBe(media)
  })

  test.each([
    ['binderror 10001 camera denied', 'pusher-error', 10001],
    ['binderror 10002 mic denied', 'pusher-error', 10002],
    ['-1301 camera open failed', 'pusher', -1301],
    ['-1302 mic open failed', 'pusher', -1302],
  ] as const)('%s: the pusher fails and a modal asks for the permission again', (_n, source, code) => {
    const store = joinedAs('participant')
    if (source === 'pusher-error') store.getState().pusherErrored(code, 'denied', 1)
    else store.getState().pusherStateChanged(code, 1)
    expect(store.getState().publisher.media).toBe('failed')
    expect(store.getState().ui.modal).toMatchObject({ source, code, recovery: 'request-permission' })
    expect(store.getState().ui.modal?.text['zh-CN']).toBeTruthy()
  })

  test('-1307 restarts the push by remounting, then asks the user', () => {
    const store = joinedAs('host')
    for (let i = 1; i <= MAX_AUTO_RESTARTS; i++) {
      store.getState().pusherStateChanged(-1307, i)
      expect(store.getState().publisher).toMatchObject({ media: 'reconnecting', pushGeneration: i })
      expect(store.getState().ui.modal).toBeNull()
    }
    store.getState().pusherStateChanged(-1307, 10)
    expect(store.getState().publisher.media).toBe('failed')
    expect(store.getState().ui.modal).toMatchObject({ code: -1307, recovery: 'restart-push' })
    store.getState().pushRetried()
    expect(store.getState().publisher).toMatchObject({
      media: 'connecting',
      pushGeneration: MAX_AUTO_RESTARTS + 1,
      restarts: 0,
    })
    expect(store.getState().ui.modal).toBeNull()
  })

  test('warnings toast once per code within the repeat window', () => {
    const store = joinedAs('host')
    store.getState().pusherStateChanged(1101, 0)
    store.getState().pusherStateChanged(1101, 1000)
    store.getState().pusherStateChanged(1102, 1500)
    expect(store.getState().ui.notices.map((n) => n.code)).toEqual([1101, 1102])
    store.getState().pusherStateChanged(1101, NOTICE_REPEAT_MS + 1)
    expect(store.getState().ui.notices.map((n) => n.code)).toEqual([1101, 1102, 1101])
    const first = store.getState().ui.notices[0]
    store.getState().noticeShown(first.id)
    expect(store.getState().ui.notices.map((n) => n.code)).toEqual([1102, 1101])
  })

  test.each([10005, 10014, 2027, 99999])('unknown pusher code %i is logged for the debug view, never a crash', (code) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    const store = joinedAs('host')
    store.getState().pusherStateChanged(1002, 0)
    store.getState().pusherStateChanged(code, 1)
    const last = store.getState().ui.debugLog.at(-1)
    expect(last).toMatchObject({ code, known: false, source: 'pusher' })
    expect(store.getState().publisher.media).toBe('live')
    expect(store.getState().ui.modal).toBeNull()
    expect(warn).toHaveBeenCalled()
    warn.mockRestore()
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

  test('a participant the host muted is muted and cannot unmute until the host allows it', () => {
    const store = joinedAs('participant')
    store.getState().mutedByHost(true)
    expect(store.getState().publisher).toMatchObject({ micOn: false, mutedByHost: true })
    store.getState().micToggled()
    expect(store.getState().publisher.micOn).toBe(false)
    store.getState().mutedByHost(false)
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

describe('bitrate adaptation subscription', () => {
  /** Encoder at 900 kbps but only 450 get out, with jitter: a congested uplink. */
  const congested = { videoBitrate: 900, audioBitrate: 48, netSpeed: 450, netJitter: 60, videoFPS: 15, videoCache: 20 }
  const healthy = { videoBitrate: 900, audioBitrate: 48, netSpeed: 950, netJitter: 2, videoFPS: 15, videoCache: 0 }

  test('a healthy link leaves the ceiling at the preset max', () => {
    const store = joinedAs('host')
    for (let i = 1; i <= 20; i++) store.getState().pusherNetStatus(healthy, i * 1500)
    expect(store.getState().publisher.maxBitrateKbps).toBe(1000)
  })

  test('sustained congestion lowers the ceiling, never below the preset minimum', () => {
    const store = joinedAs('host')
    for (let i = 1; i <= 3; i++) store.getState().pusherNetStatus(congested, i * 1500)
    const cut = store.getState().publisher.maxBitrateKbps
    expect(cut).toBeLessThan(1000)
    for (let i = 4; i <= 60; i++) {
      store.getState().pusherNetStatus({ ...congested, videoBitrate: 200, netSpeed: 50 }, i * 1500)
    }
    expect(store.getState().publisher.maxBitrateKbps).toBe(200)
    expect(store.getState().publisher.minBitrateKbps).toBe(200)
  })

  test('1101 cuts at once', () => {
    const store = joinedAs('host')
    store.getState().pusherNetStatus(healthy, 1000)
    store.getState().pusherStateChanged(1101, 1200)
    expect(store.getState().publisher.maxBitrateKbps).toBeLessThan(1000)
    expect(store.getState().publisher.controllerReason).toBe('cut-net-busy')
  })

  test('the pusher attributes change only when the decision does', () => {
    const store = joinedAs('host')
    const changes: number[] = []
    store.subscribe((s) => s.publisher.maxBitrateKbps, (max) => changes.push(max))
    for (let i = 1; i <= 10; i++) store.getState().pusherNetStatus(healthy, i * 1500)
    expect(changes).toEqual([])
  })

  test('the controller is swappable: the store runs whichever it was given', () => {
    const seen: ControllerInput[] = []
    const halving: BitrateController<number> = {
      name: 'halving',
      init: (preset) => ({
        state: preset.maxBitrateKbps,
        decision: { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: preset.maxBitrateKbps }, reason: 'init', audioOnlySuggested: false },
      }),
      step: (state, input, preset) => {
        seen.push(input)
        const max = Math.max(preset.minBitrateKbps, Math.round(state / 2))
        return { state: max, decision: { ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: max }, reason: 'cut-deficit', audioOnlySuggested: false } }
      },
    }
    const store = createMeetingStore({ controller: halving as BitrateController<unknown> })
    store.getState().joined({ id: 'me', nickname: 'Me', role: 'host', pushUrl: 'u' }, 0)
    store.getState().pusherNetStatus(healthy, 1000)
    store.getState().pusherStateChanged(1101, 2000)
    expect(seen.map((i) => i.kind)).toEqual(['netstatus', 'code'])
    expect(store.getState().publisher.maxBitrateKbps).toBe(250)
  })

  test('pusher netstatus also sets the self network quality', () => {
    const store = joinedAs('host')
    store.getState().pusherNetStatus(healthy, 1000)
    expect(store.getState().network.self?.status).toEqual(healthy)
    expect(['good', 'fair', 'poor', 'unknown']).toContain(store.getState().network.self?.quality)
  })
})
