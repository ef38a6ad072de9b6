import { appController, type BitrateController } from '../../../src/core/bitrate-controller'
import { naiveController, staticController } from '../../../bench/bitrate/baselines'
import { loadSuite, runOne } from '../../../bench/bitrate/suite'
import { parseTrace, type Trace } from '../../../bench/bitrate/trace'

const app = appController as BitrateController<unknown>

/** "target: detail" for every target a run misses. */
function misses(trace: Trace, controller = app): string[] {
  return runOne(trace, controller)
    .targets.filter((t) => !t.pass)
    .map((t) => `${t.id}: ${t.detail}`)
}

const suite = loadSuite()

describe('the app controller meets every target of issue 5', () => {
  test.each(suite.map((t) => [t.name, t] as const))('on the shipped trace %s', (_name, trace) => {
    expect(misses(trace)).toEqual([])
  })

  /**
   * Traces the controller was not tuned on: other drop sizes and timings,
   * other seeds, delays, queues, jitter and loss. (Deeper buffers than the
   * issue's 300 ms are left out on purpose: see BENCHMARKS.md.)
   */
  const unseen: Trace[] = [
    { name: 'drop 60 % at 23.7 s, 2.5× back at 71.3 s', role: 'host', durationS: 110, seed: 101, capacityKbps: [[0, 1100], [23.7, 440], [71.3, 1100]] },
    { name: 'participant: drop 67 % at 33.3 s, 3× back 17 s later', role: 'participant', durationS: 90, seed: 102, capacityKbps: [[0, 330], [33.3, 110], [50.1, 330]] },
    { name: 'two drops in a row, then back', role: 'host', durationS: 120, seed: 103, capacityKbps: [[0, 1200], [30, 600], [45.5, 250], [80, 1200]] },
    { name: 'a 6 s dip to 40 %', role: 'host', durationS: 60, seed: 104, capacityKbps: [[0, 1000], [20, 400], [26, 1000]] },
    { name: 'participant: a 5 s outage', role: 'participant', durationS: 60, seed: 105, capacityKbps: [[0, 500], [20, 0], [25, 500]] },
    { name: 'a drop on a link with 3 % random loss', role: 'host', durationS: 100, seed: 106, capacityKbps: [[0, 1500], [40, 500], [70, 1500]], lossPct: [[0, 3]] },
    {
      name: 'a drop with a 150 ms queue, 100 ms delay and 20 ms jitter',
      role: 'host',
      durationS: 100,
      seed: 107,
      capacityKbps: [[0, 1200], [35, 500], [70, 1200]],
      oneWayDelayMs: 100,
      queueMs: 150,
      jitterMs: [[0, 20]],
    },
    { name: 'stable at 900 kbps with jitter, 5 min', role: 'host', durationS: 300, seed: 108, capacityKbps: [[0, 900]], jitterMs: [[0, 20]] },
    { name: 'participant: stable at 200 kbps, 5 min', role: 'participant', durationS: 300, seed: 109, capacityKbps: [[0, 200]] },
    { name: 'stable inside the range with 5 % loss, 5 min', role: 'host', durationS: 300, seed: 110, capacityKbps: [[0, 800]], lossPct: [[0, 5]] },
  ].map((t) => parseTrace(t, t.name))

  test.each(unseen.map((t) => [t.name, t] as const))('on an unseen trace: %s', (_name, trace) => {
    expect(misses(trace)).toEqual([])
  })
})

describe('the targets tell the controllers apart', () => {
  const byName = (name: string) => suite.find((t) => t.name === name) as Trace

  test.each([
    ['static', staticController, 'step-drop-50-host', 'first-cut'],
    ['static', staticController, 'outage-10s-host', 'settle'],
    ['naive', naiveController, 'jitter-spikes-host', 'jitter-spike'],
    ['naive', naiveController, 'jitter-spikes-host', 'no-downgrade'],
  ])('%s misses on %s: %s', (_name, controller, traceName, target) => {
    expect(misses(byName(traceName), controller as BitrateController<unknown>).map((m) => m.split(':')[0])).toContain(target)
  })
})
