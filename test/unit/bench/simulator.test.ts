import { appController, type BitrateController, type ControllerInput } from '../../../src/core/bitrate-controller'
import type { NetStatus } from '../../../src/core/netstatus'
import { gccLikeController, naiveController, staticController } from '../../../bench/bitrate/baselines'
import { analyse } from '../../../bench/bitrate/metrics'
import { PUSHER_MODEL } from '../../../bench/bitrate/pusher'
import { NETSTATUS_MODEL, NET_BUSY_CODE, simulate } from '../../../bench/bitrate/simulate'
import { parseTrace } from '../../../bench/bitrate/trace'

const dropTrace = parseTrace({
  name: 'determinism',
  role: 'host',
  durationS: 40,
  seed: 42,
  capacityKbps: [[0, 1200], [15, 500], [30, 1200]],
  jitterMs: [[0, 20]],
  lossPct: [[0, 1]],
})

/** A 10 s outage: the sender cannot send anything, so it must say so. */
const outageTrace = parseTrace({ name: 'outage', role: 'host', durationS: 50, seed: 7, capacityKbps: [[0, 1200], [20, 0], [30, 1200]] })

describe('the simulator is deterministic for a seed', () => {
  test.each([
    ['app', appController],
    ['static', staticController],
    ['gcc-like', gccLikeController],
    ['naive', naiveController],
  ])('%s: two runs give identical ticks, decisions, packets, frames and metrics', (_name, controller) => {
    const a = simulate(dropTrace, controller as never)
    const b = simulate(dropTrace, controller as never)
    expect(b.ticks).toEqual(a.ticks)
    expect(b.decisions).toEqual(a.decisions)
    expect(b.netBusyAtMs).toEqual(a.netBusyAtMs)
    expect(Array.from(b.packetQueueMs)).toEqual(Array.from(a.packetQueueMs))
    expect(Array.from(b.frames.arrivalMs)).toEqual(Array.from(a.frames.arrivalMs))
    expect(b.totals).toEqual(a.totals)
    expect(analyse(b).metrics).toEqual(analyse(a).metrics)
  })

  test('another seed gives another run; the sampling times do not depend on the controller', () => {
    const a = simulate(dropTrace, appController as never)
    const other = simulate({ ...dropTrace, seed: 43 }, appController as never)
    expect(other.ticks.map((t) => t.sampledAtMs)).not.toEqual(a.ticks.map((t) => t.sampledAtMs))
    const s = simulate(dropTrace, staticController as never)
    expect(s.ticks.map((t) => t.sampledAtMs)).toEqual(a.ticks.map((t) => t.sampledAtMs))
  })
})

/**
 * The fields a real `<live-pusher>` netstatus carries: the platform reference's
 * table (videoBitrate, audioBitrate, videoFPS, videoGOP, netSpeed, netJitter,
 * videoWidth, videoHeight), videoCache/audioCache (platform-facts.md, LiteAV's
 * NET_STATUS_VIDEO_CACHE), and netQualityLevel on room:// pushes.
 */
const REAL_PUSHER_FIELDS = new Set([
  'videoBitrate',
  'audioBitrate',
  'videoFPS',
  'videoGOP',
  'netSpeed',
  'netJitter',
  'videoWidth',
  'videoHeight',
  'videoCache',
  'audioCache',
  'netQualityLevel',
])

/** The status as a proxy that throws when anything reads a field a real netstatus does not carry. */
function guarded(status: NetStatus): NetStatus {
  return new Proxy(status, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !REAL_PUSHER_FIELDS.has(key)) throw new Error(`read netstatus.${key}, which a real pusher does not report`)
      return Reflect.get(target, key, receiver) as unknown
    },
    has(target, key) {
      if (typeof key === 'string' && !REAL_PUSHER_FIELDS.has(key)) throw new Error(`asked for netstatus.${key}, which a real pusher does not report`)
      return Reflect.has(target, key)
    },
  })
}

/** Runs `controller` with every netstatus guarded. */
function guardedController<S>(controller: BitrateController<S>): BitrateController<S> {
  return {
    name: controller.name,
    init: (preset, atMs) => controller.init(preset, atMs),
    step: (state, input: ControllerInput, preset) =>
      controller.step(state, input.kind === 'netstatus' ? { ...input, status: guarded(input.status) } : input, preset),
  }
}

describe('the controller is given only what a real pusher reports', () => {
  test('every netstatus the simulator emits carries only real pusher fields, all of them numbers', () => {
    const run = simulate(dropTrace, staticController as never)
    expect(run.ticks.length).toBeGreaterThan(10)
    for (const t of run.ticks) {
      for (const [key, value] of Object.entries(t.status)) {
        expect(REAL_PUSHER_FIELDS.has(key)).toBe(true)
        expect(typeof value).toBe('number')
      }
    }
  })

  test.each([
    ['app', appController],
    ['gcc-like', gccLikeController],
    ['naive', naiveController],
  ])('%s reads no other field, through a drop, an outage and loss', (_name, controller) => {
    for (const trace of [dropTrace, outageTrace]) {
      expect(() => simulate(trace, guardedController(controller as BitrateController<unknown>))).not.toThrow()
    }
  })

  test('the guard catches a controller that reads a field a real netstatus does not carry', () => {
    const peeking: BitrateController<null> = {
      name: 'peeking',
      init: (preset) => staticController.init(preset, 0),
      step: (state, input, preset) => {
        if (input.kind === 'netstatus') void (input.status as Record<string, unknown>).queueDelayMs
        return staticController.step(state, input, preset)
      },
    }
    expect(() => simulate(dropTrace, guardedController(peeking))).toThrow(/queueDelayMs/)
  })
})

describe('what the simulator synthesises, measured where a pusher measures it', () => {
  const run = simulate(dropTrace, staticController as never)

  test('counters are sampled every ~2 s on the SDK timer and reach the handler a little later, in order', () => {
    const sampled = run.ticks.map((t) => t.sampledAtMs)
    const gaps = sampled.slice(1).map((s, i) => s - sampled[i])
    const slack = 3 * NETSTATUS_MODEL.timerJitterSdMs * 2 + 10
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(NETSTATUS_MODEL.intervalMs - slack)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(NETSTATUS_MODEL.intervalMs + slack)
    expect(new Set(gaps).size).toBeGreaterThan(3) // jittered, not a perfect grid
    for (const t of run.ticks) expect(t.atMs).toBeGreaterThanOrEqual(t.sampledAtMs)
    const delivered = run.decisions.map((d) => d.atMs)
    expect(delivered).toEqual([...delivered].sort((a, b) => a - b))
  })

  test('on a healthy link the encoder runs at the ceiling, sends it all, and nothing waits at the sender', () => {
    const healthy = run.ticks.filter((t) => t.atMs > 5000 && t.atMs < 15_000)
    const mean = (f: (t: (typeof healthy)[number]) => number) => healthy.reduce((s, t) => s + f(t), 0) / healthy.length
    expect(mean((t) => t.status.videoBitrate as number)).toBeGreaterThan(950)
    expect(mean((t) => t.status.netSpeed as number)).toBeGreaterThan(0.97 * mean((t) => (t.status.videoBitrate as number) + 50))
    expect(Math.max(...healthy.map((t) => t.status.videoCache as number))).toBeLessThanOrEqual(2)
    expect(mean((t) => t.status.videoFPS as number)).toBeCloseTo(PUSHER_MODEL.fps, 0)
  })

  test('netSpeed is the send rate: random loss after the bottleneck does not lower it, while goodput falls', () => {
    const lossy = simulate(parseTrace({ name: 'lossy', role: 'host', durationS: 30, seed: 3, capacityKbps: [[0, 2000]], lossPct: [[0, 20]] }), staticController as never)
    const ticks = lossy.ticks.filter((t) => t.atMs > 5000)
    const sent = ticks.reduce((s, t) => s + (t.status.netSpeed as number), 0) / ticks.length
    const produced = ticks.reduce((s, t) => s + (t.status.videoBitrate as number) + (t.status.audioBitrate as number), 0) / ticks.length
    const goodput = ticks.reduce((s, t) => s + t.truth.deliveredKbps, 0) / ticks.length
    expect(sent).toBeGreaterThan(0.97 * produced)
    expect(goodput).toBeLessThan(0.85 * sent)
  })

  test('videoCache counts frames at the sender, not packets queued in the network', () => {
    // Right after the drop the bottleneck queue is long, yet the transport window still takes every frame.
    const queuedInNetwork = run.ticks.filter((t) => t.truth.queueDelayMs >= 100)
    expect(queuedInNetwork.length).toBeGreaterThan(0)
    expect(queuedInNetwork.some((t) => (t.status.videoCache as number) <= 1)).toBe(true)
  })

  test('in an outage frames pile up at the sender, the encoder skips frames, and netSpeed falls to zero', () => {
    const out = simulate(outageTrace, staticController as never)
    const during = out.ticks.filter((t) => t.sampledAtMs > 23_000 && t.sampledAtMs < 30_000)
    expect(during.length).toBeGreaterThanOrEqual(3)
    for (const t of during) {
      expect(t.status.videoCache).toBe(PUSHER_MODEL.senderQueueLimitFrames)
      expect(t.status.netSpeed).toBe(0)
      expect(t.status.videoFPS).toBe(0)
    }
    expect(out.totals.framesSkipped).toBeGreaterThan(100)
  })

  test('1101 comes from the sender: it fires early in an outage and reaches the controller as a code', () => {
    const out = simulate(outageTrace, staticController as never)
    expect(out.netBusyAtMs.length).toBeGreaterThan(0)
    expect(out.netBusyAtMs[0]).toBeGreaterThan(20_000)
    expect(out.netBusyAtMs[0]).toBeLessThan(23_500)
    const codes = out.decisions.filter((d) => d.input === 'code')
    expect(codes.map((d) => d.atMs)).toEqual(out.netBusyAtMs)
    expect(NET_BUSY_CODE).toBe(1101)
  })

  test.each([
    ['a stable link above the preset max', { name: 'stable', role: 'host', durationS: 60, seed: 4, capacityKbps: [[0, 2000]] }],
    ['20 % random loss: the sender never sees it queue', { name: 'lossy', role: 'host', durationS: 60, seed: 5, capacityKbps: [[0, 2000]], lossPct: [[0, 20]] }],
  ])('no 1101 on %s', (_name, trace) => {
    expect(simulate(parseTrace(trace), staticController as never).netBusyAtMs).toEqual([])
  })
})
