import type { NetStatus } from '../../../src/core/netstatus'
import { presetForRole } from '../../../src/core/presets'
import { analyse, countFlaps, p95, viewerOutcome, worst, type CeilingChange } from '../../../bench/bitrate/metrics'
import type { DecisionRecord, RunResult, TickRecord } from '../../../bench/bitrate/simulate'
import { evaluateTargets } from '../../../bench/bitrate/targets'
import { parseTrace } from '../../../bench/bitrate/trace'

const STEP = 5

interface HandMade {
  readonly capacityKbps: Array<[number, number]>
  readonly durationS?: number
  readonly lossPct?: Array<[number, number]>
  /** [atS, netSpeed, videoBitrate] */
  readonly ticks?: Array<[number, number, number]>
  /** [atS, ceiling] */
  readonly decisions?: Array<[number, number]>
  readonly netBusyAtS?: number[]
  /** kbps delivered at every instant. */
  readonly deliveredKbps?: (atS: number) => number
  /** [sentS, queueMs] */
  readonly packets?: Array<[number, number]>
  readonly totals?: RunResult['totals']
  readonly stalls?: number
}

/** A run record built by hand, as the simulator would have written it. */
function handMade(h: HandMade): RunResult {
  const trace = parseTrace({ name: 'hand-made', role: 'host', durationS: h.durationS ?? 60, seed: 1, capacityKbps: h.capacityKbps, lossPct: h.lossPct })
  const preset = presetForRole('host')
  const steps = Math.ceil((trace.durationS * 1000) / STEP)
  const deliveredBits = new Float64Array(steps + 1)
  for (let s = 0; s < steps; s++) deliveredBits[s] = (h.deliveredKbps?.((s * STEP) / 1000) ?? 0) * STEP
  const decisions: DecisionRecord[] = (h.decisions ?? []).map(([atS, ceiling]) => ({
    atMs: atS * 1000,
    input: 'netstatus',
    ceilingKbps: ceiling,
    reason: 'hold',
    audioOnlySuggested: false,
  }))
  const ceilingAt = (ms: number) => decisions.filter((d) => d.atMs <= ms).pop()?.ceilingKbps ?? preset.maxBitrateKbps
  const ticks: TickRecord[] = (h.ticks ?? []).map(([atS, netSpeed, videoBitrate], i) => {
    const status: NetStatus = { videoBitrate, audioBitrate: 50, netSpeed, videoCache: 0, netJitter: 5 }
    return {
      atMs: atS * 1000,
      sampledAtMs: atS * 1000,
      status,
      ceilingKbps: ceilingAt(atS * 1000),
      reason: 'hold',
      audioOnlySuggested: false,
      stall: i < (h.stalls ?? 0),
      truth: { capacityKbps: 0, queueDelayMs: 0, engineKbps: 0, encoderKbps: 0, deliveredKbps: 0 },
    }
  })
  const packets = h.packets ?? []
  return {
    trace,
    controller: 'hand',
    preset,
    audioKbps: 50,
    initialCeilingKbps: preset.maxBitrateKbps,
    ticks,
    decisions,
    netBusyAtMs: (h.netBusyAtS ?? []).map((s) => s * 1000),
    stepMs: STEP,
    deliveredBits,
    packetSendMs: Float64Array.from(packets.map(([s]) => s * 1000)),
    packetQueueMs: Float64Array.from(packets.map(([, q]) => q)),
    packetInOutage: new Uint8Array(packets.length),
    packetCount: packets.length,
    frames: { count: 0, captureMs: new Float64Array(0), bits: new Float64Array(0), arrivalMs: new Float64Array(0) },
    totals: h.totals ?? { offered: 1000, tailDropped: 0, randomLost: 0, framesSkipped: 0 },
  }
}

/** 1200 → 500 kbps at 20 s, back to 1200 at 40 s; ticks every 1.5 s; host preset (max 1000 + 50 audio). */
const DROP = {
  capacityKbps: [[0, 1200], [20, 500], [40, 1200]] as Array<[number, number]>,
  ticks: [
    [18.5, 1050, 1000],
    [20.5, 900, 1000], // not yet observable: 900 ≥ 0.75 × 1050
    [22, 600, 1000], // observable
    [23.5, 500, 600],
    [25, 500, 450],
  ] as Array<[number, number, number]>,
}

describe('per-event metrics on a hand-made drop and rise', () => {
  test.each<[string, Array<[number, number]>, Partial<ReturnType<typeof analyse>['metrics']>, { recover: boolean }]>([
    [
      'cut on the observable tick, straight into the band, reopened 6 s after the rise',
      [[22, 420], [46, 950]],
      { ticksToFirstCut: 2, timeToFirstCutS: 2, timeToSettleS: 2, timeToRecoverS: 6 },
      { recover: true },
    ],
    [
      'cut one tick late, settled by a second cut on the third tick, reopened too late (2.1× rise: 15 s)',
      [[23.5, 600], [25, 430], [56, 950]],
      { ticksToFirstCut: 3, timeToFirstCutS: 3.5, timeToSettleS: 5, timeToRecoverS: 16 },
      { recover: false },
    ],
    [
      'never cut, never reopened',
      [],
      { ticksToFirstCut: 'never', timeToFirstCutS: 'never', timeToSettleS: 'never', timeToRecoverS: 0 },
      { recover: true },
    ],
    [
      'cut into the band but never reopened after the rise',
      [[22, 420]],
      { ticksToFirstCut: 2, timeToSettleS: 2, timeToRecoverS: 'never' },
      { recover: false },
    ],
  ])('%s', (_name, decisions, expected, pass) => {
    const run = handMade({ ...DROP, decisions })
    const analysis = analyse(run)
    expect(analysis.metrics).toMatchObject(expected)
    const targets = evaluateTargets(run, analysis)
    const passed = (id: string) => targets.filter((t) => t.id === id).every((t) => t.pass)
    expect({ recover: passed('recover') }).toEqual(pass)
  })

  test('a 1101 before any tick makes the drop observable at tick 0', () => {
    const analysis = analyse(handMade({ ...DROP, netBusyAtS: [20.3], decisions: [[20.3, 400]] }))
    expect(analysis.drops[0]).toMatchObject({ observableAtMs: 20_300, observableTick: 0, firstCutAtMs: 20_300, ticksToFirstCut: 0 })
  })

  test('the settle band is clamped into the preset range: below the minimum it is the minimum', () => {
    const analysis = analyse(handMade({ capacityKbps: [[0, 1200], [20, 150]], ticks: DROP.ticks, decisions: [[22, 200]] }))
    expect(analysis.drops[0].band).toEqual([200, 200])
    expect(analysis.metrics.timeToSettleS).toBe(2)
  })

  test.each<[string, Array<[number, number]>]>([
    ['a stable link', [[0, 800]]],
    ['a drop that does not bite (2500 → 1200 kbps, above what the pusher sends)', [[0, 2500], [20, 1200]]],
    ['a 40 % drop', [[0, 1000], [20, 600]]],
  ])('no drop event on %s: the per-drop metrics are null', (_name, capacityKbps) => {
    expect(analyse(handMade({ capacityKbps })).metrics).toMatchObject({ ticksToFirstCut: null, timeToFirstCutS: null, timeToSettleS: null })
  })

  test('a rise from an outage is an event with an infinite factor and the 15 s limit', () => {
    const run = handMade({ capacityKbps: [[0, 1200], [20, 0], [30, 1200]], decisions: [[21, 200], [40, 950]] })
    const analysis = analyse(run)
    expect(analysis.rises[0].factor).toBe(Infinity)
    expect(analysis.metrics.timeToRecoverS).toBe(10)
    expect(evaluateTargets(run, analysis).find((t) => t.id === 'recover')?.pass).toBe(true)
  })
})

describe('run-wide metrics', () => {
  test('utilization counts only steady windows and what random loss leaves', () => {
    // Capacity 2000, preset max 1000 + 50 audio; 5 % loss ⇒ at most 997.5 kbps can arrive.
    // Delivering 900 kbps after 15 s (and nothing before) is 900 / 997.5 of the steady windows.
    const run = handMade({ capacityKbps: [[0, 2000]], lossPct: [[0, 5]], deliveredKbps: (s) => (s >= 15 ? 900 : 0) })
    expect(analyse(run).metrics.utilization).toBeCloseTo(900 / 997.5, 3)
  })

  test('utilization is null when no window is steady', () => {
    expect(analyse(handMade({ capacityKbps: [[0, 1000]], durationS: 10 })).metrics.utilization).toBeNull()
  })

  test('p95 queue delay is the worst of the whole run and the drop transient', () => {
    const quiet = Array.from({ length: 100 }, (_, i): [number, number] => [1 + i * 0.1, i % 10]) // 0–9 ms before the drop
    const transient = Array.from({ length: 40 }, (_, i): [number, number] => [20 + i * 0.2, 100 + i * 5]) // 100–295 ms after it
    const analysis = analyse(handMade({ ...DROP, packets: [...quiet, ...transient] }))
    expect(analysis.drops[0].p95QueueDelayMs).toBe(285)
    expect(analysis.metrics.p95QueueDelayMs).toBe(285)
    expect(analysis.p95WholeRunMs).toBeLessThan(285)
  })

  test('loss, changes per minute, stalls and the minimum ceiling', () => {
    const run = handMade({
      capacityKbps: [[0, 2000]],
      durationS: 120,
      ticks: [[1, 1000, 1000], [2, 1000, 1000], [3, 1000, 1000]],
      stalls: 2,
      decisions: [[10, 600], [20, 700], [90, 800], [100, 800]],
      totals: { offered: 2000, tailDropped: 30, randomLost: 10, framesSkipped: 0 },
    })
    expect(analyse(run).metrics).toMatchObject({ lossPct: 2, ceilingChangesPerMin: 1.5, stallTicks: 2, minCeilingKbps: 600, flaps: 0 })
  })
})

describe('what a viewer feels, from the frame log', () => {
  /** Frames every 100 ms for 3 s; `arrival(i)` gives frame i's arrival (NaN: never shown), `bits` each. */
  function frames(arrival: (i: number, captureMs: number) => number, bits = 10_000) {
    const count = 30
    const captureMs = Float64Array.from({ length: count }, (_, i) => i * 100)
    return {
      trace: parseTrace({ name: 'frames', role: 'host', durationS: 3, seed: 1, capacityKbps: [[0, 1000]] }),
      frames: { count, captureMs, bits: new Float64Array(count).fill(bits), arrivalMs: Float64Array.from(captureMs, (c, i) => arrival(i, c)) },
    }
  }

  test('every frame 80 ms late: nothing over 200 ms, nothing frozen, all bits delivered', () => {
    expect(viewerOutcome(frames((_i, c) => c + 80))).toEqual({ delayOver200msPct: 0, frozenS: 0, p50DelayMs: 80, p95DelayMs: 80, deliveredVideoKbps: 100 })
  })

  test('frames 10–19 lost: a 1.1 s gap is frozen, and only the shown frames count as delivered', () => {
    const outcome = viewerOutcome(frames((i, c) => (i >= 10 && i < 20 ? Number.NaN : c + 50)))
    // Frame 9 is shown at 950 ms, frame 20 at 2050 ms.
    expect(outcome).toMatchObject({ frozenS: 1.1, delayOver200msPct: 0, deliveredVideoKbps: 66.7 })
  })

  test('half the media over 200 ms: counted as late, and a 400 ms gap is not a freeze', () => {
    // Frames 0–14: 50 ms; frames 15–29: 350 ms (half the media over 200 ms).
    const outcome = viewerOutcome(frames((i, c) => c + (i < 15 ? 50 : 350)))
    expect(outcome.delayOver200msPct).toBe(50)
    expect(outcome.p50DelayMs).toBe(50)
    expect(outcome.p95DelayMs).toBe(350)
    // 1450 → 1850 ms is a 400 ms gap: under 600 ms, not frozen; the tail 2950+350 = 3250 is past the end (3 s).
    expect(outcome.frozenS).toBe(0)
  })

  test('nothing shown after 1 s of a 3 s trace: the last 2 s are frozen', () => {
    expect(viewerOutcome(frames((i, c) => (i < 10 ? c + 50 : Number.NaN))).frozenS).toBe(2.05)
  })
})

describe('helpers', () => {
  const change = (atS: number, from: number, to: number): CeilingChange => ({ atMs: atS * 1000, fromKbps: from, toKbps: to })

  test.each<[string, CeilingChange[], number]>([
    ['down-up-down within 30 s', [change(10, 1000, 500), change(20, 500, 800), change(35, 800, 500)], 1],
    ['down-up-down over 35 s', [change(10, 1000, 500), change(20, 500, 800), change(45, 800, 500)], 0],
    ['down-down-up', [change(10, 1000, 500), change(12, 500, 400), change(20, 400, 800)], 0],
    ['two flaps in a row', [change(10, 1000, 500), change(15, 500, 800), change(20, 800, 500), change(25, 500, 800), change(30, 800, 500)], 2],
    ['only raises', [change(10, 500, 600), change(15, 600, 700)], 0],
  ])('flaps: %s → %i', (_name, changes, flaps) => {
    expect(countFlaps(changes)).toBe(flaps)
  })

  test.each<[number[], number]>([
    [[], 0],
    [[7], 7],
    [Array.from({ length: 100 }, (_, i) => i + 1), 95],
    [Array.from({ length: 20 }, (_, i) => 20 - i), 19],
  ])('p95 of %j is %i (nearest rank)', (values, expected) => {
    expect(p95(values)).toBe(expected)
  })

  test.each<[Array<number | 'never'>, number | 'never' | null]>([
    [[], null],
    [[1, 3, 2], 3],
    [[1, 'never', 2], 'never'],
  ])('worst of %j is %j', (values, expected) => {
    expect(worst(values)).toBe(expected)
  })
})
