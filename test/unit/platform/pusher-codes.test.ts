import { initialPusherMachine, isDeviceError, pusherStep, type PusherEvent, type PusherMachine } from '../../../src/platform/h5/pusher-codes'
import { HEALTHY_AFTER_MS } from '../../../src/platform/h5/retry'

function run(events: readonly PusherEvent[], start: PusherMachine = initialPusherMachine) {
  let machine = start
  const codes: number[] = []
  const actions: string[] = []
  for (const event of events) {
    const step = pusherStep(machine, event)
    machine = step.machine
    codes.push(...step.codes)
    if (step.action !== null) actions.push(step.action.kind === 'reconnect' ? `reconnect ${step.action.delayMs}` : 'teardown')
  }
  return { machine, codes, actions }
}

const cycle: PusherEvent[] = [{ kind: 'connecting' }, { kind: 'opened' }, { kind: 'publishing', atMs: 0 }]
const closed = (retryable = true): PusherEvent => ({ kind: 'closed', retryable })

describe('H5 pusher codes follow <live-pusher>', () => {
  test('camera, socket, relay: 1003, 1001, 1002', () => {
    expect(run([{ kind: 'camera-opened' }, ...cycle]).codes).toEqual([1003, 1001, 1002])
  })

  test.each([
    ['camera', -1301],
    ['microphone', -1302],
  ] as const)('%s refused: %i, and nothing after it', (device, code) => {
    const { codes, actions, machine } = run([{ kind: 'device-failed', device }, ...cycle])
    expect(codes).toEqual([code])
    expect(actions).toEqual(['teardown'])
    expect(machine.phase).toBe('gave-up')
  })

  test('no usable recorder: -1303', () => {
    expect(run([{ kind: 'camera-opened' }, { kind: 'encoder-failed' }]).codes).toEqual([1003, -1303])
  })

  test('1101 only while publishing', () => {
    expect(run([{ kind: 'net-busy' }, ...cycle, { kind: 'net-busy' }]).codes).toEqual([1001, 1002, 1101])
  })

  test('drops: 1102 per reconnect, -1307 after three', () => {
    const { codes, actions } = run([...cycle, closed(), ...cycle, closed(), { kind: 'connecting' }, closed(), { kind: 'connecting' }, closed()])
    expect(codes).toEqual([1001, 1002, 1102, 1001, 1002, 1102, 1102, -1307])
    expect(actions).toEqual(['reconnect 500', 'reconnect 1000', 'reconnect 2000', 'teardown'])
  })

  test('a refusal that retrying cannot fix (bad push URL, no relay) gives up at once', () => {
    expect(run([...cycle, closed(false)]).codes).toEqual([1001, 1002, -1307])
  })

  test('publishing long enough forgives earlier drops', () => {
    const { machine } = run([...cycle, closed(), { kind: 'connecting' }, { kind: 'opened' }, { kind: 'publishing', atMs: 1000 }, { kind: 'tick', atMs: 1000 + HEALTHY_AFTER_MS }])
    expect(machine.attempt).toBe(0)
  })

  test('a deliberate restart (new bitrate) says 1001 and 1002 again, without 1102', () => {
    expect(run([...cycle, ...cycle]).codes).toEqual([1001, 1002, 1001, 1002])
  })

  test('a second close while already waiting to retry is not counted twice', () => {
    expect(run([...cycle, closed(), closed()]).codes).toEqual([1001, 1002, 1102])
  })
})

test.each([
  ['NotAllowedError', true],
  ['NotFoundError', true],
  ['NotReadableError', true],
  ['OverconstrainedError', true],
  ['SecurityError', true],
  ['TypeError', false],
  ['', false],
])('isDeviceError(%j) = %s', (name, expected) => {
  expect(isDeviceError(name)).toBe(expected)
})
