import {
  initialPlayerMachine,
  playerRetrying,
  playerStep,
  STALL_MS,
  STALL_RECONNECT_MS,
  type PlayerEvent,
  type PlayerMachine,
} from '../../../src/platform/h5/player-codes'
import { HEALTHY_AFTER_MS, MAX_RECONNECTS } from '../../../src/platform/h5/retry'

/** Run events; reconnect actions are obeyed at once (the timer fired). Returns every code in order. */
function run(events: readonly PlayerEvent[], start: PlayerMachine = initialPlayerMachine) {
  let machine = start
  const codes: number[] = []
  const actions: string[] = []
  for (const event of events) {
    const step = playerStep(machine, event)
    machine = step.machine
    codes.push(...step.codes)
    if (step.action !== null) {
      actions.push(step.action.kind === 'reconnect' ? `reconnect ${step.action.delayMs}` : 'teardown')
      if (step.action.kind === 'reconnect') machine = playerRetrying(machine)
    }
  }
  return { machine, codes, actions }
}

const opened = (atMs = 0): PlayerEvent => ({ kind: 'opened', atMs })
const progress = (atMs = 0): PlayerEvent => ({ kind: 'progress', atMs })
const stalledFor = (forMs: number, atMs = 0): PlayerEvent => ({ kind: 'no-progress', forMs, atMs })
const failed = (atMs = 0): PlayerEvent => ({ kind: 'failed', atMs })

describe('H5 player codes follow <live-player>', () => {
  test('connect, first frame: 2001 then 2004, each once', () => {
    expect(run([opened(), progress(10), progress(50), opened()]).codes).toEqual([2001, 2004])
  })

  test('a stall: 2007 once, then 2004 when frames flow again', () => {
    const { codes } = run([opened(), progress(0), stalledFor(STALL_MS - 1), stalledFor(STALL_MS), stalledFor(STALL_MS + 500), progress(3000)])
    expect(codes).toEqual([2001, 2004, 2007, 2004])
  })

  test('no frames yet is waiting for the publisher, not a stall', () => {
    expect(run([opened(), stalledFor(STALL_RECONNECT_MS * 10)]).codes).toEqual([2001])
  })

  test('a stall that lasts: the connection is reopened (2103)', () => {
    const { codes, actions } = run([opened(), progress(), stalledFor(STALL_MS), stalledFor(STALL_RECONNECT_MS)])
    expect(codes).toEqual([2001, 2004, 2007, 2103])
    expect(actions).toEqual(['reconnect 500'])
  })

  test(`errors: 2103 with growing delays, then -2301 after ${MAX_RECONNECTS} reconnects, then silence`, () => {
    const { codes, actions, machine } = run([opened(), failed(), failed(), opened(), failed(), failed(), failed(), opened(), progress()])
    expect(codes).toEqual([2001, 2103, 2103, 2001, 2103, -2301])
    expect(actions).toEqual(['reconnect 500', 'reconnect 1000', 'reconnect 2000', 'teardown'])
    expect(machine.phase).toBe('gave-up')
  })

  test('playing long enough forgives earlier failures', () => {
    const { machine } = run([opened(), failed(), opened(), progress(1000), progress(1000 + HEALTHY_AFTER_MS)])
    expect(machine.attempt).toBe(0)
    const again = run([failed(), failed(), failed()], machine)
    expect(again.codes).toEqual([2103, 2103, 2103])
  })

  test('after stop nothing is reported', () => {
    expect(run([opened(), { kind: 'stop' }, progress(), failed()]).codes).toEqual([2001])
  })

  test('a frame before the open event still says 2001 first', () => {
    expect(run([progress()]).codes).toEqual([2001, 2004])
  })

  test('the reconnect delay is spread by ±20 %', () => {
    const low = playerStep(initialPlayerMachine, failed(), 0).action
    const high = playerStep(initialPlayerMachine, failed(), 0.999).action
    expect(low).toEqual({ kind: 'reconnect', delayMs: 400 })
    expect(high).toEqual({ kind: 'reconnect', delayMs: 600 })
  })
})
