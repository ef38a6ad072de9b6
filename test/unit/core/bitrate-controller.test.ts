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

describe('cuts, only on sustained congestion', () => {
  test.each<[string, ControllerInput[], number, number]>([
    // Cut to max(0.85 × (600 − 50), 0.8 × 600) = max(467.5, 480) = 480.
    ['two ticks of a 43 % send deficit with 5 frames piled up cut on the second', [...calm(1000, 2, 1000), tick(4000, congested(1000, 600, 5)), tick(6000, congested(1000, 600, 5))], 3, 480],
    // max(0.85 × 840, 0.8 × 890) = max(714, 712) = 714.
    [
      'two ticks of a 15 % deficit with frames piling up cut on the second',
      [...calm(1000, 2, 1000), tick(4000, congested(1000, 890, 2)), tick(6000, congested(1000, 890, 3))],
      3,
      714,
    ],
    // max(0.85 × 650, 0.8 × 700) = max(552.5, 560) = 560.
    [
      'without videoCache, a deficit with netJitter high on both ticks cuts on the second',
      [
        ...calm(1000, 2, 1000),
        tick(4000, { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 700, netJitter: 80 }),
        tick(6000, { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 700, netJitter: 90 }),
        tick(8000, { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 700, netJitter: 90 }),
      ],
      4,
      560,
    ],
  ])('%s', (_name, inputs, cutIndex, expected) => {
    const steps = run(host, inputs)
    steps.slice(0, cutIndex).forEach((s) => expect(s.decision).toMatchObject({ reason: 'hold', ceiling: { maxBitrateKbps: 1000 } }))
    expect(steps[cutIndex].decision).toMatchObject({ reason: 'cut-deficit', ceiling: { maxBitrateKbps: expected } })
  })

  test.each([
    ['host, 600 kbps get out', host, 600],
    ['host, 450 kbps get out', host, 450],
    ['participant, 200 kbps get out', participant, 200],
  ])('the cut lands within [0.75, 1.0] × what gets out (%s)', (_name, preset, netSpeed) => {
    const max = preset.maxBitrateKbps
    const steps = run(preset, [...calm(1000, 2, max), tick(4000, congested(max, netSpeed, 5)), tick(6000, congested(max, netSpeed, 5))])
    const ceiling = last(steps).decision.ceiling.maxBitrateKbps
    expect(ceiling).toBeGreaterThanOrEqual(Math.max(preset.minBitrateKbps, 0.75 * netSpeed))
    expect(ceiling).toBeLessThanOrEqual(Math.max(preset.minBitrateKbps, netSpeed))
  })

  test('a cut that would leave less than one more cut above the floor goes to the floor (no extra small step)', () => {
    // 0.8 × 300 = 240 would be the cut; 240 × 0.75 < 200, so the floor.
    const steps = run(host, [...calm(1000, 2, 1000), tick(4000, congested(1000, 300, 5)), tick(6000, congested(1000, 300, 5))])
    expect(last(steps).decision.ceiling.maxBitrateKbps).toBe(host.minBitrateKbps)
  })

  test('after a cut, the next tick alone does not cut again: two more pressed ticks are needed', () => {
    const steps = run(host, [
      ...calm(1000, 2, 1000),
      tick(4000, congested(1000, 800, 5)),
      tick(6000, congested(1000, 800, 5)), // cut to max(0.85 × 750, 0.8 × 800) = 640
      tick(8000, congested(640, 500, 5)), // still pressed: hold
      tick(10_000, congested(640, 500, 5)), // pressed twice since the cut: cut to max(382.5, 400) = 400
    ])
    expect(ceilings(steps).slice(2)).toEqual([1000, 640, 640, 400])
  })
})

describe('no cut on what is not sustained congestion', () => {
  test.each<[string, NetStatus]>([
    ['a netJitter spike alone', { ...healthy(1000), netJitter: 500 }],
    ['a 43 % deficit with frames piling up, once', congested(1000, 600, 6)],
    ['a 10 % deficit with a keyframe queued', congested(1000, 945, 2)],
    ['a 30 % deficit with nothing queued', congested(1000, 735, 0)],
    ['frames queued without a deficit', congested(1000, 1050, 6)],
    ['a 30 % deficit without videoCache or netJitter', { videoBitrate: 1000, audioBitrate: AUDIO, netSpeed: 735 }],
  ])('%s, between healthy ticks', (_name, status) => {
    const steps = run(host, [...calm(1000, 3, 1000), tick(7000, status), ...calm(9000, 3, 1000)])
    expect(steps.every((s) => s.decision.ceiling.maxBitrateKbps === host.maxBitrateKbps)).toBe(true)
  })

  test.each<[string, NetStatus]>([
    ['a deficit with nothing queued', congested(1000, 735, 0)],
    ['frames queued without a deficit', congested(1000, 1050, 6)],
  ])('%s, tick after tick, never cuts', (_name, status) => {
    const steps = run(host, Array.from({ length: 30 }, (_, i) => tick(1000 + i * 2000, status)))
    expect(steps.every((s) => s.decision.ceiling.maxBitrateKbps === host.maxBitrateKbps)).toBe(true)
  })
})

describe('1101 (PUSH_WARNING_NET_BUSY)', () => {
  test('cuts at once to a fraction of the last sent rate, at least the fallback factor deep', () => {
    // The last tick sent 1050: max(0.85 × 1000, 0.8 × 1050) = 850, deeper than 1000 × 0.75? No: min(850, 750) = 750.
    const steps = run(host, [...calm(1000, 2, 1000), tick(5000, healthy(1000)), netBusy(5500)])
    expect(last(steps).decision).toMatchObject({ reason: 'cut-net-busy', ceiling: { maxBitrateKbps: 750 } })
  })

  test('with a congested last tick the cut follows what got out', () => {
    // max(0.85 × 350, 0.8 × 400) = 320.
    const steps = run(host, [...calm(1000, 2, 1000), tick(5000, congested(1000, 400, 6)), netBusy(5500)])
    expect(last(steps).decision.ceiling.maxBitrateKbps).toBe(320)
  })

  test('with no recent netSpeed it cuts by the fallback factor', () => {
    expect(last(run(host, [netBusy(500)])).decision.ceiling.maxBitrateKbps).toBe(750)
  })

  test('a second 1101 within the cooldown changes nothing; a later one cuts again', () => {
    const steps = run(host, [netBusy(500), netBusy(500 + T.netBusyCooldownMs - 1), netBusy(500 + T.netBusyCooldownMs + 1000)])
    expect(steps.map((s) => s.decision.reason)).toEqual(['cut-net-busy', 'hold', 'cut-net-busy'])
    expect(ceilings(steps)).toEqual([750, 750, 563])
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
      inputs.push(tick(1000 + i * 2000, congested(preset.maxBitrateKbps, 10, 8)))
      if (i % 3 === 0) inputs.push(netBusy(1700 + i * 2000))
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

describe('giving the ceiling back', () => {
  /** Sustained congestion cuts at 6 s; then healthy ticks every 2 s, the encoder at `videoKbps`. */
  function afterCut(videoKbps: number, ticks: number) {
    const cut = run(host, [...calm(1000, 2, 1000), tick(4000, congested(1000, 450, 5)), tick(6000, congested(1000, 450, 5))])
    expect(last(cut).decision.reason).toBe('cut-deficit')
    return run(host, calm(8000, ticks, videoKbps, 2000), last(cut).state)
  }

  test(`in one step to the preset max, on the first healthy tick ≥ ${T.reopenAfterMs} ms after the cut`, () => {
    const steps = afterCut(350, 6)
    const raised = steps.findIndex((s) => s.decision.reason === 'recover')
    expect(steps[raised].input.atMs - 6000).toBeGreaterThanOrEqual(T.reopenAfterMs)
    expect(steps[raised - 1].input.atMs - 6000).toBeLessThan(T.reopenAfterMs)
    expect(ceilings(steps).slice(0, raised).every((c) => c === 360)).toBe(true) // max(340, 360)
    expect(ceilings(steps).slice(raised).every((c) => c === host.maxBitrateKbps)).toBe(true)
  })

  test('not while frames still pile up at the pusher, nor within 3 s of a 1101', () => {
    const cut = run(host, [...calm(1000, 2, 1000), tick(4000, congested(1000, 450, 5)), tick(6000, congested(1000, 450, 5))])
    const steps = run(
      host,
      [
        tick(14_000, congested(360, 400, 4)), // backlog, no deficit: not healthy
        { kind: 'code', atMs: 15_000, code: 1102 },
        netBusy(15_500), // within the cooldown? No: 9.5 s after the cut, so it cuts to the floor
        tick(17_000, healthy(200)),
        tick(19_000, healthy(200)), // 3.5 s after the 1101: healthy
      ],
      last(cut).state,
    )
    expect(steps.map((s) => s.decision.reason)).toEqual(['hold', 'hold', 'cut-net-busy', 'hold', 'hold'])
    const later = run(host, [tick(22_000, healthy(200))], last(steps).state)
    expect(last(later).decision).toMatchObject({ reason: 'recover', ceiling: { maxBitrateKbps: host.maxBitrateKbps } })
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
    tick(6000, congested(1000, 600, 5)),
    netBusy(11_500),
    tick(12_000, congested(500, 450, 3)),
    ...calm(14_000, 12, 480, 2000),
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
  /**
   * A dead link: 1101 at 1 s cuts 300 → 225 (the fallback factor), the ticks at
   * 2 s and 4 s show nothing getting out with the sender's queue full, and the
   * second of them cuts to the floor. Then ticks every 500 ms for `ms`.
   */
  const floorAt = 4000
  function atFloorFor(ms: number) {
    const dead = congested(150, 0, 15)
    const inputs: ControllerInput[] = [netBusy(1000), tick(2000, dead), tick(floorAt, dead)]
    for (let t = floorAt + 500; t <= floorAt + ms; t += 500) inputs.push(tick(t, dead))
    return run(participant, inputs)
  }

  test.each<[string, boolean, number]>([
    ['5 s at the preset min', false, 5000],
    ['9.5 s at the preset min', false, 9500],
    ['10 s at the preset min', true, 10_000],
    ['14 s at the preset min', true, 14_000],
  ])('%s → suggested: %s', (_name, expected, ms) => {
    const steps = atFloorFor(ms)
    expect(ceilings(steps).slice(0, 3)).toEqual([225, 225, participant.minBitrateKbps])
    expect(last(steps).decision.ceiling.maxBitrateKbps).toBe(participant.minBitrateKbps)
    expect(last(steps).decision.audioOnlySuggested).toBe(expected)
  })

  test('withdrawn once the ceiling is given back', () => {
    const floor = last(atFloorFor(14_000))
    expect(floor.decision.audioOnlySuggested).toBe(true)
    const steps = run(participant, calm(20_000, 4, participant.minBitrateKbps, 2000), floor.state)
    const firstAbove = steps.findIndex((s) => s.decision.ceiling.maxBitrateKbps > participant.minBitrateKbps)
    expect(firstAbove).toBeGreaterThanOrEqual(0)
    expect(steps.slice(firstAbove).every((s) => !s.decision.audioOnlySuggested)).toBe(true)
  })

  test('never suggested while the ceiling is above the minimum', () => {
    expect(run(host, calm(1000, 20, 1000)).some((s) => s.decision.audioOnlySuggested)).toBe(false)
  })
})
