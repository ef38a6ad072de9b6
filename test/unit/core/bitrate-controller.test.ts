import {
  APP_CONTROLLER_TUNING as T,
  appController,
  type AppControllerState,
  type ControllerDecision,
  type ControllerInput,
} from '../../../src/core/bitrate-controller'
import type { NetStatus } from '../../../src/core/netstatus'
import { PRESETS, type Preset } from '../../../src/core/presets'

const host = PRESETS['meeting-host']
const participant = PRESETS['meeting-participant']
const AUDIO = 50

const tick = (atMs: number, status: NetStatus): ControllerInput => ({ kind: 'netstatus', atMs, status })
const netBusy = (atMs: number): ControllerInput => ({ kind: 'code', atMs, code: 1101 })

/** The encoder at `videoKbps`, everything delivered, nothing queued. */
function healthy(videoKbps: number): NetStatus {
  return { videoBitrate: videoKbps, audioBitrate: AUDIO, netSpeed: videoKbps + AUDIO, netJitter: 5, videoCache: 0, videoFPS: 15 }
}

/** The encoder at `videoKbps` but only `netSpeed` gets through, with `cache` frames piled up. */
function congested(videoKbps: number, netSpeed: number, cache: number, netJitter = 10): NetStatus {
  return { videoBitrate: videoKbps, audioBitrate: AUDIO, netSpeed, netJitter, videoCache: cache, videoFPS: 15 }
}

interface Step {
  readonly input: ControllerInput
  readonly state: AppControllerState
  readonly decision: ControllerDecision
}

/** Run inputs from a fresh controller; returns every step. */
function run(preset: Preset, inputs: readonly ControllerInput[], from?: AppControllerState): Step[] {
  let state = from ?? appController.init(preset, 0).state
  return inputs.map((input) => {
    const next = appController.step(state, input, preset)
    state = next.state
    return { input, ...next }
  })
}

const last = (steps: readonly Step[]) => steps[steps.length - 1]
const ceilings = (steps: readonly Step[]) => steps.map((s) => s.decision.ceiling.maxBitrateKbps)
/** Healthy ticks every `everyMs` from `fromMs`, the encoder at the ceiling it had at the start. */
const calm = (fromMs: number, count: number, videoKbps: number, everyMs = 1500) =>
  Array.from({ length: count }, (_, i) => tick(fromMs + i * everyMs, healthy(videoKbps)))

/** The app's cut: a fraction of what got through, after audio. */
const cutFor = (netSpeed: number) => Math.round(Math.max(T.cutVideoShare * (netSpeed - AUDIO), T.cutTotalShare * netSpeed))

describe('init', () => {
  test.each([
    ['meeting-host', host],
    ['meeting-participant', participant],
  ])('%s starts at the preset max with min at the preset min', (_name, preset) => {
    const { decision } = appController.init(preset, 123)
    expect(decision).toEqual({
      ceiling: { minBitrateKbps: preset.minBitrateKbps, maxBitrateKbps: preset.maxBitrateKbps },
      reason: 'init',
      audioOnlySuggested: false,
    })
  })
})

describe('cuts', () => {
  test.each<[string, ControllerInput[], number]>([
    ['a collapse: 43 % send deficit with 5 frames piled up cuts on that tick', [...calm(1000, 2, 1000), tick(4000, congested(1000, 600, 5))], 2],
    [
      'two ticks of 15 % deficit with frames piling up cut on the second',
      [...calm(1000, 2, 1000), tick(4000, congested(1000, 890, 2)), tick(5500, congested(1000, 890, 3))],
      3,
    ],
    [
      'without videoCache, a deficit with netJitter high on two ticks cuts on the second (v1 rule)',
      [
        ...calm(1000, 2, 1000),
        tick(4000, { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 700, netJitter: 80 }),
        tick(5500, { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 700, netJitter: 90 }),
      ],
      3,
    ],
  ])('%s', (_name, inputs, cutIndex) => {
    const steps = run(host, inputs)
    steps.slice(0, cutIndex).forEach((s) => expect(s.decision.reason).toBe('hold'))
    const cut = steps[cutIndex]
    const netSpeed = (cut.input as Extract<ControllerInput, { kind: 'netstatus' }>).status.netSpeed as number
    expect(cut.decision.reason).toBe('cut-deficit')
    expect(cut.decision.ceiling.maxBitrateKbps).toBe(cutFor(netSpeed))
  })

  test.each([
    ['host, 600 kbps left', host, 600],
    ['host, 300 kbps left', host, 300],
    ['participant, 200 kbps left', participant, 200],
  ])('the cut lands within [0.75, 1.0] × what got through (%s)', (_name, preset, netSpeed) => {
    const max = preset.maxBitrateKbps
    const steps = run(preset, [...calm(1000, 2, max), tick(4000, congested(max, netSpeed, 5))])
    const ceiling = last(steps).decision.ceiling.maxBitrateKbps
    const band = [Math.max(preset.minBitrateKbps, 0.75 * netSpeed), Math.max(preset.minBitrateKbps, netSpeed)]
    expect(ceiling).toBeGreaterThanOrEqual(band[0])
    expect(ceiling).toBeLessThanOrEqual(band[1])
  })

  test('the tick after a cut refines it once to the capacity the saturated link now shows', () => {
    const steps = run(host, [
      ...calm(1000, 2, 1000),
      tick(4000, congested(1000, 780, 5)), // the collapse, averaged with the time before it
      tick(5200, congested(550, 600, 4)), // the engine has cut already; the queue drains at the capacity
      tick(6400, congested(500, 560, 1)),
    ])
    expect(ceilings(steps).slice(2)).toEqual([cutFor(780), cutFor(600), cutFor(600)])
    expect(steps[3].decision.reason).toBe('cut-deficit')
    expect(steps[4].decision.reason).toBe('hold')
  })
})

describe('no cut on a single noisy tick', () => {
  test.each<[string, NetStatus]>([
    ['a netJitter spike alone', { ...healthy(1000), netJitter: 500 }],
    ['a 20 % deficit with a keyframe queued', congested(1000, 840, 2)],
    ['a 14 % deficit with frames piling up, once', congested(1000, 900, 4)],
    ['a 30 % deficit with nothing queued (random loss)', congested(1000, 735, 0)],
    ['frames queued without a deficit', congested(1000, 1050, 6)],
    ['a 30 % deficit without videoCache or netJitter', { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 735 }],
  ])('%s', (_name, status) => {
    const steps = run(host, [...calm(1000, 3, 1000), tick(5500, status), ...calm(7000, 3, 1000)])
    expect(steps.every((s) => s.decision.ceiling.maxBitrateKbps === host.maxBitrateKbps)).toBe(true)
  })

  test('a lossy link (20 % random loss, nothing queued) is never cut, tick after tick', () => {
    const lossy = Array.from({ length: 40 }, (_, i) => tick(1000 + i * 1500, congested(1000, Math.round(1050 * (i % 2 ? 0.76 : 0.84)), i % 5 === 0 ? 2 : 0)))
    expect(run(host, lossy).every((s) => s.decision.ceiling.maxBitrateKbps === 1000)).toBe(true)
  })
})

describe('1101 (PUSH_WARNING_NET_BUSY)', () => {
  test('cuts at once to a fraction of the last delivered rate', () => {
    const steps = run(host, [...calm(1000, 2, 1000), tick(4000, healthy(1000)), netBusy(4500)])
    // The last tick delivered 1050; the cut is also at least the fallback factor below the ceiling.
    expect(last(steps).decision).toMatchObject({ reason: 'cut-net-busy', ceiling: { maxBitrateKbps: Math.min(cutFor(1050), 1000 * T.netBusyFallbackFactor) } })
  })

  test('with no recent netSpeed it cuts by the fallback factor', () => {
    const steps = run(host, [netBusy(500)])
    expect(last(steps).decision.ceiling.maxBitrateKbps).toBe(1000 * T.netBusyFallbackFactor)
  })

  test('a second 1101 within the cooldown changes nothing; a later one cuts again', () => {
    const steps = run(host, [netBusy(500), netBusy(500 + T.netBusyCooldownMs - 1), netBusy(500 + T.netBusyCooldownMs + 1000)])
    expect(steps.map((s) => s.decision.reason)).toEqual(['cut-net-busy', 'hold', 'cut-net-busy'])
  })

  test('other codes change nothing', () => {
    const steps = run(host, [{ kind: 'code', atMs: 100, code: 1102 }, { kind: 'code', atMs: 200, code: -1307 }])
    expect(ceilings(steps)).toEqual([1000, 1000])
  })
})

describe('limits', () => {
  test.each([
    ['meeting-host', host],
    ['meeting-participant', participant],
  ])('%s: repeated collapses floor the ceiling at the preset min', (_name, preset) => {
    const inputs: ControllerInput[] = []
    for (let i = 0; i < 30; i++) {
      inputs.push(tick(1000 + i * 1500, congested(preset.maxBitrateKbps, 10, 8)))
      inputs.push(netBusy(1700 + i * 1500 + T.netBusyCooldownMs))
    }
    const all = ceilings(run(preset, inputs))
    expect(Math.min(...all)).toBe(preset.minBitrateKbps)
    expect(all.every((c) => c >= preset.minBitrateKbps)).toBe(true)
  })

  test.each([
    ['meeting-host', host],
    ['meeting-participant', participant],
  ])('%s: a long healthy link never takes the ceiling above the preset max', (_name, preset) => {
    const start = run(preset, [netBusy(0), netBusy(5000), netBusy(10_000)])
    const all = ceilings(run(preset, calm(12_000, 60, preset.maxBitrateKbps), last(start).state))
    expect(Math.max(...all)).toBe(preset.maxBitrateKbps)
  })
})

describe('recovery', () => {
  /** A collapse at 4 s, then a healthy link with the encoder pinned at whatever the ceiling is. */
  function recover(everyMs: number, ticks: number) {
    const cut = run(host, [...calm(1000, 2, 1000), tick(4000, congested(1000, 450, 5))])
    let state = last(cut).state
    const out: Array<{ atMs: number; ceiling: number }> = [{ atMs: 4000, ceiling: state.ceilingKbps }]
    for (let i = 1; i <= ticks; i++) {
      const atMs = 4000 + i * everyMs
      const next = appController.step(state, tick(atMs, healthy(state.ceilingKbps)), host)
      state = next.state
      out.push({ atMs, ceiling: next.decision.ceiling.maxBitrateKbps })
    }
    return out
  }

  test.each([1000, 1500, 2000])('right after a cut the ceiling reopens at most 8 %%/s (ticks every %i ms)', (everyMs) => {
    const points = recover(everyMs, 20).filter((p) => p.atMs - 4000 < T.carefulWindowMs)
    for (let i = 1; i < points.length; i++) {
      const dtS = (points[i].atMs - points[i - 1].atMs) / 1000
      expect(points[i].ceiling).toBeLessThanOrEqual(points[i - 1].ceiling * Math.pow(1.08, dtS))
    }
  })

  test.each([1000, 1500, 2000])('later it reopens faster, but never more than the tuned limit (ticks every %i ms)', (everyMs) => {
    const points = recover(everyMs, 30)
    for (let i = 1; i < points.length; i++) {
      const dtS = (points[i].atMs - points[i - 1].atMs) / 1000
      expect(points[i].ceiling).toBeLessThanOrEqual(points[i - 1].ceiling * Math.pow(1 + T.fastRatePerS, dtS))
    }
    expect(points[points.length - 1].ceiling).toBe(host.maxBitrateKbps)
  })

  test('one healthy tick changes nothing (hysteresis)', () => {
    const cut = run(host, [...calm(1000, 2, 1000), tick(4000, congested(1000, 450, 5))])
    const steps = run(host, [tick(20_000, healthy(400))], last(cut).state)
    expect(last(steps).decision.reason).toBe('hold')
  })

  test('an engine below the ceiling is left alone right after a cut (never fight the engine)', () => {
    const cut = run(host, [...calm(1000, 2, 1000), tick(4000, congested(1000, 700, 5))])
    const ceiling = last(cut).decision.ceiling.maxBitrateKbps
    const steps = run(host, calm(5500, 4, Math.round(ceiling * 0.6)), last(cut).state)
    expect(ceilings(steps).every((c) => c === ceiling)).toBe(true)
  })
})

describe('missing fields are not a deficit', () => {
  test.each<[string, NetStatus]>([
    ['no netSpeed', { videoBitrate: 1000, audioBitrate: AUDIO, videoCache: 6, netJitter: 90 }],
    ['no videoBitrate', { audioBitrate: AUDIO, netSpeed: 100, videoCache: 6, netJitter: 90 }],
    ['NaN netSpeed', { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: Number.NaN, videoCache: 6, netJitter: 90 }],
    ['an empty info object', {}],
  ])('%s, tick after tick: no cut', (_name, status) => {
    const inputs = Array.from({ length: 10 }, (_, i) => tick(1000 + i * 1500, status))
    expect(ceilings(run(host, inputs)).every((c) => c === host.maxBitrateKbps)).toBe(true)
  })
})

describe('purity', () => {
  function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
      Object.values(value).forEach(deepFreeze)
      Object.freeze(value)
    }
    return value
  }

  const script: ControllerInput[] = [
    ...calm(1000, 2, 1000),
    tick(4000, congested(1000, 600, 5)),
    netBusy(6500),
    tick(6600, congested(500, 450, 3)),
    ...calm(8000, 12, 480),
  ]

  test('the input state, input and preset are not mutated (all frozen)', () => {
    let state = deepFreeze(appController.init(host, 0).state)
    const preset = deepFreeze({ ...host })
    for (const input of script) state = deepFreeze(appController.step(state, deepFreeze({ ...input }), preset).state)
    expect(state.ceilingKbps).toBeGreaterThanOrEqual(host.minBitrateKbps)
  })

  test('the same state and input give the same output, also after a JSON round trip of the state', () => {
    let state = appController.init(host, 0).state
    for (const input of script) {
      const a = appController.step(state, input, host)
      const b = appController.step(state, input, host)
      const c = appController.step(JSON.parse(JSON.stringify(state)) as AppControllerState, input, host)
      expect(b).toEqual(a)
      expect(c).toEqual(a)
      state = a.state
    }
  })
})

describe('audio-only hint', () => {
  const floorAt = 1000
  /** A dead link from `floorAt` (the first tick cuts to the floor), ticks every 500 ms for `ms`. */
  function atFloorFor(ms: number) {
    const inputs: ControllerInput[] = []
    for (let t = floorAt; t <= floorAt + ms; t += 500) inputs.push(tick(t, congested(150, 0, 6)))
    return run(participant, inputs)
  }

  test.each<[string, boolean, number]>([
    ['5 s at the preset min', false, 5000],
    ['9.5 s at the preset min', false, 9500],
    ['10 s at the preset min', true, 10_000],
    ['12 s at the preset min', true, 12_000],
  ])('%s → suggested: %s', (_name, expected, ms) => {
    const steps = atFloorFor(ms)
    expect(steps[0].decision.ceiling.maxBitrateKbps).toBe(participant.minBitrateKbps)
    expect(last(steps).decision.ceiling.maxBitrateKbps).toBe(participant.minBitrateKbps)
    expect(last(steps).decision.audioOnlySuggested).toBe(expected)
  })

  test('withdrawn once the ceiling has recovered above the preset min', () => {
    const floor = last(atFloorFor(12_000))
    expect(floor.decision.audioOnlySuggested).toBe(true)
    const steps = run(participant, calm(15_000, 6, participant.minBitrateKbps), floor.state)
    const firstAbove = steps.findIndex((s) => s.decision.ceiling.maxBitrateKbps > participant.minBitrateKbps)
    expect(firstAbove).toBeGreaterThanOrEqual(0)
    expect(steps.slice(firstAbove).every((s) => !s.decision.audioOnlySuggested)).toBe(true)
  })

  test('never suggested while the ceiling is above the minimum', () => {
    expect(run(host, calm(1000, 20, 1000)).some((s) => s.decision.audioOnlySuggested)).toBe(false)
  })
})
