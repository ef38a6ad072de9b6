/**
 * Converts a Mahimahi packet-delivery trace (ravinet/mahimahi `traces/`) into
 * our trace format.
 *
 * A Mahimahi trace has one line per delivery opportunity: the millisecond (from
 * the start of the recording) at which one 1500-byte packet can leave the
 * bottleneck; a millisecond repeats when several can (mahimahi traces/README).
 * We count the opportunities in bins of `binMs` and turn each bin into a
 * piecewise-constant capacity, multiplied by `scale` (the recordings run at
 * several Mbit/s; 0.1 brings them into the presets' range).
 */
import { parseTrace, TraceFormatError, type Trace } from './trace'
import type { Role } from '../../src/core/presets'

/** Bits one delivery opportunity carries: an MTU-sized (1500-byte) packet. */
export const MAHIMAHI_PACKET_BITS = 1500 * 8

export interface MahimahiImport {
  readonly name: string
  readonly role: Role
  readonly seed: number
  readonly scale: number
  readonly binMs: number
  /** Where the recording comes from and under which licence (kept in the trace's `source`). */
  readonly recording: string
  readonly licence: string
}

export const MAHIMAHI_DEFAULTS = { role: 'host' as Role, seed: 1, binMs: 500, licence: 'unknown' } as const

/** Delivery opportunities (ms timestamps) from a trace file's text; a bad line is a TraceFormatError naming it. */
export function parseMahimahi(text: string, source = 'mahimahi trace'): number[] {
  const out: number[] = []
  let previous = 0
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    if (!/^\d+$/.test(line)) throw new TraceFormatError(source, `line ${i + 1}: expected a whole number of milliseconds, got ${JSON.stringify(raw)}`)
    const ms = Number(line)
    if (ms < previous) throw new TraceFormatError(source, `line ${i + 1}: ${ms} ms is before the previous line (${previous} ms)`)
    previous = ms
    out.push(ms)
  })
  if (out.length === 0) throw new TraceFormatError(source, 'no delivery opportunities in the file')
  return out
}

/** A trace as JSON text: one schedule pair per line, so a recorded trace reads and diffs well. */
export function formatTrace(trace: Trace): string {
  const { source, ...rest } = trace
  const lines = Object.entries(rest).map(([key, value]) => {
    const text = Array.isArray(value) ? `[\n    ${value.map((pair) => JSON.stringify(pair)).join(',\n    ')}\n  ]` : JSON.stringify(value)
    return `  ${JSON.stringify(key)}: ${text}`
  })
  if (source) lines.push(`  "source": ${JSON.stringify(source)}`)
  return `{\n${lines.join(',\n')}\n}\n`
}

/** Our trace from a Mahimahi trace's text. */
export function importMahimahi(text: string, options: MahimahiImport, source = options.recording): Trace {
  if (!(options.scale > 0)) throw new TraceFormatError(source, `--scale must be a positive number, got ${options.scale}`)
  if (!(options.binMs > 0) || !Number.isInteger(options.binMs)) throw new TraceFormatError(source, `--bin-ms must be a positive whole number, got ${options.binMs}`)
  const opportunities = parseMahimahi(text, source)
  // mm-link replays the file with the last timestamp as its period, so that is the recording's length.
  const lengthMs = Math.max(opportunities[opportunities.length - 1], 1)
  const bins = Math.ceil(lengthMs / options.binMs)
  const counts = new Array<number>(bins).fill(0)
  // Opportunities lie in (0, length]: the one at a bin's end belongs to that bin.
  for (const ms of opportunities) counts[Math.min(bins - 1, Math.max(0, Math.ceil(ms / options.binMs) - 1))]++
  const capacityKbps: Array<[number, number]> = []
  counts.forEach((count, i) => {
    // bits per ms = kbps; one decimal is far below the simulator's resolution.
    const widthMs = Math.min(options.binMs, lengthMs - i * options.binMs)
    const kbps = Math.round(((count * MAHIMAHI_PACKET_BITS) / widthMs) * options.scale * 10) / 10
    if (capacityKbps.length === 0 || capacityKbps[capacityKbps.length - 1][1] !== kbps) capacityKbps.push([(i * options.binMs) / 1000, kbps])
  })
  return parseTrace(
    {
      name: options.name,
      role: options.role,
      durationS: lengthMs / 1000,
      seed: options.seed,
      capacityKbps,
      source: { recording: options.recording, licence: options.licence, scale: options.scale, binMs: options.binMs },
    },
    source,
  )
}
