/**
 * Network traces, in exactly the JSON format of issue 5:
 *
 * ```
 * { "name": "step-drop-50", "role": "host", "durationS": 120, "seed": 1,
 *   "capacityKbps": [[0, 1200], [40, 600], [80, 1200]],
 *   "oneWayDelayMs": 50, "queueMs": 300,
 *   "jitterMs": [[0, 5]], "lossPct": [[0, 0]] }
 * ```
 *
 * Arrays are `[startSecond, value]` pairs, piecewise constant from the first
 * pair (which must start at 0) to the end of the trace.
 *
 * A trace converted from a recording also names where it comes from
 * (`source`, see `mahimahi.ts`); such a trace has no designed steps, so the
 * per-step targets (first cut, settle, recover) do not apply to it.
 */
import { readFileSync } from 'node:fs'
import type { Role } from '../../src/core/presets'

/** `[startSecond, value]`, piecewise constant. */
export type Schedule = ReadonlyArray<readonly [number, number]>

export interface Trace {
  readonly name: string
  readonly role: Role
  readonly durationS: number
  readonly seed: number
  readonly capacityKbps: Schedule
  readonly oneWayDelayMs: number
  /** Bottleneck buffer, in ms at the link's current rate; arrivals beyond it are tail-dropped. */
  readonly queueMs: number
  /** Extra per-packet path delay, uniform in [0, jitterMs]. */
  readonly jitterMs: Schedule
  /** Random loss on the link, percent. */
  readonly lossPct: Schedule
  /** Set on a trace converted from a recording. */
  readonly source?: TraceSource
}

/** Where a recorded trace comes from and how it was converted. */
export interface TraceSource {
  /** Repository, commit and path of the recording. */
  readonly recording: string
  readonly licence: string
  /** Capacity multiplier applied to the recording. */
  readonly scale: number
  /** Width of the bins the delivery opportunities were counted in. */
  readonly binMs: number
}

export const TRACE_DEFAULTS = {
  oneWayDelayMs: 50,
  queueMs: 300,
  jitterMs: [[0, 5]] as Schedule,
  lossPct: [[0, 0]] as Schedule,
} as const

/** A trace file that does not match the format; the message says where and why. */
export class TraceFormatError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`)
    this.name = 'TraceFormatError'
  }
}

const KNOWN_KEYS = new Set(['name', 'role', 'durationS', 'seed', 'capacityKbps', 'oneWayDelayMs', 'queueMs', 'jitterMs', 'lossPct', 'source'])

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Validate a parsed trace and fill in the defaults. Throws TraceFormatError
 * naming the source and the offending field.
 */
export function parseTrace(json: unknown, source = 'trace'): Trace {
  const fail = (message: string): never => {
    throw new TraceFormatError(source, message)
  }
  if (!isRecord(json)) return fail('a trace must be a JSON object')
  for (const key of Object.keys(json)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown field "${key}" (expected one of ${[...KNOWN_KEYS].join(', ')})`)
  }

  const { name, role, durationS, seed } = json
  if (typeof name !== 'string' || name.trim() === '') fail('"name" must be a non-empty string')
  if (role !== 'host' && role !== 'participant') fail(`"role" must be "host" or "participant", got ${JSON.stringify(role)}`)
  if (typeof durationS !== 'number' || !Number.isFinite(durationS) || durationS <= 0) fail('"durationS" must be a positive number of seconds')
  if (typeof seed !== 'number' || !Number.isInteger(seed)) fail('"seed" must be an integer')

  const number = (key: string, fallback: number, ok: (n: number) => boolean, what: string): number => {
    const value = json[key]
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) fail(`"${key}" must be ${what}, got ${JSON.stringify(value)}`)
    return value as number
  }
  const schedule = (key: string, fallback: Schedule | undefined, ok: (n: number) => boolean, what: string): Schedule => {
    const value = json[key]
    if (value === undefined) {
      if (fallback === undefined) fail(`"${key}" is required: an array of [startSecond, value] pairs`)
      return fallback as Schedule
    }
    if (!Array.isArray(value) || value.length === 0) fail(`"${key}" must be a non-empty array of [startSecond, value] pairs`)
    const pairs = value as unknown[]
    let previousStart = -Infinity
    const out: Array<readonly [number, number]> = []
    pairs.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((n) => typeof n === 'number' && Number.isFinite(n))) {
        fail(`"${key}"[${i}] must be a [startSecond, value] pair of numbers, got ${JSON.stringify(pair)}`)
      }
      const [start, v] = pair as [number, number]
      if (i === 0 && start !== 0) fail(`"${key}" must start at second 0, got ${start}`)
      if (start <= previousStart) fail(`"${key}"[${i}] starts at ${start}s, not after the previous pair (${previousStart}s)`)
      if (!ok(v)) fail(`"${key}"[${i}] value must be ${what}, got ${v}`)
      previousStart = start
      out.push([start, v])
    })
    return out
  }

  const parseSource = (value: unknown): TraceSource | undefined => {
    if (value === undefined) return undefined
    if (!isRecord(value)) return fail('"source" must be an object { recording, licence, scale, binMs }')
    const { recording, licence, scale, binMs } = value
    if (typeof recording !== 'string' || recording.trim() === '') fail('"source.recording" must name the recording')
    if (typeof licence !== 'string' || licence.trim() === '') fail('"source.licence" must name the licence of the recording')
    if (typeof scale !== 'number' || !(scale > 0)) fail('"source.scale" must be a positive number')
    if (typeof binMs !== 'number' || !(binMs > 0)) fail('"source.binMs" must be a positive number of ms')
    return { recording: recording as string, licence: licence as string, scale: scale as number, binMs: binMs as number }
  }
  const recordedFrom = parseSource(json.source)

  return {
    ...(recordedFrom ? { source: recordedFrom } : {}),
    name: name as string,
    role: role as Role,
    durationS: durationS as number,
    seed: seed as number,
    capacityKbps: schedule('capacityKbps', undefined, (n) => n >= 0, '≥ 0 kbps'),
    oneWayDelayMs: number('oneWayDelayMs', TRACE_DEFAULTS.oneWayDelayMs, (n) => n >= 0, 'a number of ms ≥ 0'),
    queueMs: number('queueMs', TRACE_DEFAULTS.queueMs, (n) => n > 0, 'a number of ms > 0'),
    jitterMs: schedule('jitterMs', TRACE_DEFAULTS.jitterMs, (n) => n >= 0, '≥ 0 ms'),
    lossPct: schedule('lossPct', TRACE_DEFAULTS.lossPct, (n) => n >= 0 && n < 100, 'a percentage in [0, 100)'),
  }
}

/** Read and validate a trace file. */
export function loadTrace(path: string): Trace {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new TraceFormatError(path, `cannot read the file (${(error as Error).message})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new TraceFormatError(path, `not valid JSON (${(error as Error).message})`)
  }
  return parseTrace(json, path)
}

/** The value of a piecewise-constant schedule at `atS` seconds. */
export function valueAt(schedule: Schedule, atS: number): number {
  let value = schedule[0][1]
  for (const [start, v] of schedule) {
    if (start > atS) break
    value = v
  }
  return value
}
