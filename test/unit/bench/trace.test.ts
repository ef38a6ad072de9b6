import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadSuite } from '../../../bench/bitrate/suite'
import { TRACE_DEFAULTS, TraceFormatError, loadTrace, parseTrace, valueAt } from '../../../bench/bitrate/trace'

/** The example of issue 5, verbatim. */
const ISSUE_EXAMPLE = {
  name: 'step-drop-50',
  role: 'host',
  durationS: 120,
  seed: 1,
  capacityKbps: [[0, 1200], [40, 600], [80, 1200]],
  oneWayDelayMs: 50,
  queueMs: 300,
  jitterMs: [[0, 5]],
  lossPct: [[0, 0]],
}

const { oneWayDelayMs: _o, queueMs: _q, jitterMs: _j, lossPct: _l, ...REQUIRED_ONLY } = ISSUE_EXAMPLE

describe('parseTrace', () => {
  test('accepts the example of the issue', () => {
    expect(parseTrace(ISSUE_EXAMPLE)).toEqual(ISSUE_EXAMPLE)
  })

  test('keeps the source of a recorded trace', () => {
    const source = { recording: 'ravinet/mahimahi traces/X.up', licence: 'GPL-3.0-or-later', scale: 0.1, binMs: 500 }
    expect(parseTrace({ ...ISSUE_EXAMPLE, source }).source).toEqual(source)
  })

  test('fills in the defaults of the optional fields', () => {
    expect(parseTrace(REQUIRED_ONLY)).toEqual({ ...REQUIRED_ONLY, ...TRACE_DEFAULTS })
    expect(TRACE_DEFAULTS).toEqual({ oneWayDelayMs: 50, queueMs: 300, jitterMs: [[0, 5]], lossPct: [[0, 0]] })
  })

  test.each<[string, unknown, RegExp]>([
    ['not an object', [1, 2], /must be a JSON object/],
    ['an unknown field (a typo)', { ...ISSUE_EXAMPLE, queueMS: 300 }, /unknown field "queueMS"/],
    ['no name', { ...ISSUE_EXAMPLE, name: '' }, /"name" must be a non-empty string/],
    ['a role other than host or participant', { ...ISSUE_EXAMPLE, role: 'guest' }, /"role" must be "host" or "participant", got "guest"/],
    ['a zero duration', { ...ISSUE_EXAMPLE, durationS: 0 }, /"durationS" must be a positive number/],
    ['a fractional seed', { ...ISSUE_EXAMPLE, seed: 1.5 }, /"seed" must be an integer/],
    ['no capacity', { ...REQUIRED_ONLY, capacityKbps: undefined }, /"capacityKbps" is required/],
    ['an empty capacity', { ...ISSUE_EXAMPLE, capacityKbps: [] }, /"capacityKbps" must be a non-empty array/],
    ['a capacity not starting at 0', { ...ISSUE_EXAMPLE, capacityKbps: [[5, 1200]] }, /"capacityKbps" must start at second 0, got 5/],
    ['pairs out of order', { ...ISSUE_EXAMPLE, capacityKbps: [[0, 1200], [80, 600], [40, 1200]] }, /"capacityKbps"\[2\] starts at 40s, not after the previous pair \(80s\)/],
    ['a pair that is not a pair', { ...ISSUE_EXAMPLE, capacityKbps: [[0, 1200, 3]] }, /"capacityKbps"\[0\] must be a \[startSecond, value\] pair/],
    ['a negative capacity', { ...ISSUE_EXAMPLE, capacityKbps: [[0, -1]] }, /"capacityKbps"\[0\] value must be ≥ 0 kbps/],
    ['a loss of 100 %', { ...ISSUE_EXAMPLE, lossPct: [[0, 100]] }, /"lossPct"\[0\] value must be a percentage in \[0, 100\)/],
    ['a string queue', { ...ISSUE_EXAMPLE, queueMs: '300' }, /"queueMs" must be a number of ms > 0/],
    ['a source that is not an object', { ...ISSUE_EXAMPLE, source: 'mahimahi' }, /"source" must be an object/],
    ['a source without a licence', { ...ISSUE_EXAMPLE, source: { recording: 'r', licence: '', scale: 0.1, binMs: 500 } }, /"source.licence" must name the licence/],
    ['a source with a zero scale', { ...ISSUE_EXAMPLE, source: { recording: 'r', licence: 'l', scale: 0, binMs: 500 } }, /"source.scale" must be a positive number/],
  ])('rejects %s with a clear error', (_name, json, message) => {
    expect(() => parseTrace(json, 'bad.json')).toThrow(TraceFormatError)
    expect(() => parseTrace(json, 'bad.json')).toThrow(message)
    expect(() => parseTrace(json, 'bad.json')).toThrow(/^bad\.json: /)
  })
})

describe('loadTrace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-trace-'))

  test('names the file when it is not JSON', () => {
    const file = path.join(dir, 'broken.json')
    writeFileSync(file, '{ "name": ')
    expect(() => loadTrace(file)).toThrow(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}: not valid JSON`))
  })

  test('names the file when it is missing', () => {
    expect(() => loadTrace(path.join(dir, 'missing.json'))).toThrow(/cannot read the file/)
  })
})

test('every shipped trace parses, with a unique name', () => {
  const traces = loadSuite()
  expect(traces.length).toBeGreaterThanOrEqual(12)
  expect(new Set(traces.map((t) => t.name)).size).toBe(traces.length)
})

test.each([
  [0, 1200],
  [39.99, 1200],
  [40, 600],
  [100, 1200],
  [500, 1200],
])('valueAt is piecewise constant: at %ss the capacity is %i', (atS, kbps) => {
  expect(valueAt(ISSUE_EXAMPLE.capacityKbps as Array<[number, number]>, atS)).toBe(kbps)
})
