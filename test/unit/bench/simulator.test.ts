import { appController } from '../../../src/core/bitrate-controller'
import { naiveController, staticController } from '../../../bench/bitrate/baselines'
import { analyse } from '../../../bench/bitrate/metrics'
import { NET_BUSY_CODE, simulate } from '../../../bench/bitrate/simulate'
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

describe('the simulator is deterministic for a seed', () => {
  test.each([
    ['app', appController],
    ['static', staticController],
    ['naive', naiveController],
  ])('%s: two runs give identical ticks, decisions, packets and metrics', (_name, controller) => {
    const a = simulate(dropTrace, controller as never)
    const b = simulate(dropTrace, controller as never)
    expect(b.ticks).toEqual(a.ticks)
    expect(b.decisions).toEqual(a.decisions)
    expect(b.netBusyAtMs).toEqual(a.netBusyAtMs)
    expect(Array.from(b.packetQueueMs)).toEqual(Array.from(a.packetQueueMs))
    expect(b.totals).toEqual(a.totals)
    expect(analyse(b).metrics).toEqual(analyse(a).metrics)
  })

  test('another seed gives another run, with the same tick times for every controller', () => {
    const other = simulate({ ...dropTrace, seed: 43 }, appController as never)
    const a = simulate(dropTrace, appController as never)
    expect(other.ticks.map((t) => t.atMs)).not.toEqual(a.ticks.map((t) => t.atMs))
    const s = simulate(dropTrace, staticController as never)
    expect(s.ticks.map((t) => t.atMs)).toEqual(a.ticks.map((t) => t.atMs))
  })
})

describe('what the simulator synthesises', () => {
  const run = simulate(dropTrace, staticController as never)

  test('a tick every 1–2 s with every netstatus field the pusher reports', () => {
    const gaps = run.ticks.slice(1).map((t, i) => t.atMs - run.ticks[i].atMs)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2000)
    for (const key of ['videoBitrate', 'audioBitrate', 'netSpeed', 'netJitter', 'videoFPS', 'videoGOP', 'videoWidth', 'videoHeight', 'videoCache']) {
      expect(run.ticks.every((t) => typeof (t.status as Record<string, unknown>)[key] === 'number')).toBe(true)
    }
    expect(run.ticks.every((t) => Math.abs((t.status.audioBitrate as number) - 50) <= 2)).toBe(true)
  })

  test('on a healthy link the encoder runs at the ceiling and everything gets through', () => {
    const healthy = run.ticks.filter((t) => t.atMs > 5000 && t.atMs < 15_000)
    const mean = (f: (t: (typeof healthy)[number]) => number) => healthy.reduce((s, t) => s + f(t), 0) / healthy.length
    expect(mean((t) => t.status.videoBitrate as number)).toBeGreaterThan(950)
    expect(mean((t) => t.status.netSpeed as number)).toBeGreaterThan(0.97 * mean((t) => (t.status.videoBitrate as number) + 50) - 20)
    expect(mean((t) => t.status.videoFPS as number)).toBeCloseTo(15, 0)
  })

  test('after the drop, netSpeed falls to the capacity, frames pile up and 1101 follows when the queue stays half full', () => {
    const after = run.ticks.find((t) => t.atMs > 15_500)!
    expect(after.status.netSpeed).toBeLessThan(0.8 * ((after.status.videoBitrate as number) + 50))
    expect(after.status.videoCache).toBeGreaterThanOrEqual(2)
    expect(run.decisions.some((d) => d.input === 'code')).toBe(run.netBusyAtMs.length > 0)
    expect(NET_BUSY_CODE).toBe(1101)
  })
})
