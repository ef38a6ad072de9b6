import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { formatTrace, importMahimahi, parseMahimahi } from '../../../bench/bitrate/mahimahi'
import { loadTraces, RECORDED_DIR } from '../../../bench/bitrate/suite'
import { TraceFormatError, parseTrace } from '../../../bench/bitrate/trace'

const OPTIONS = { name: 'mm', role: 'host' as const, seed: 9, scale: 1, binMs: 500, recording: 'test', licence: 'test licence' }

describe('importMahimahi', () => {
  test('counts 1500-byte delivery opportunities per bin: 250 in 500 ms are 6000 kbps, scaled', () => {
    // 0.5 packets per ms for the first second (250 per bin), then one per ms for a second.
    const lines = [...Array.from({ length: 500 }, (_, i) => 1 + 2 * i), ...Array.from({ length: 1000 }, (_, i) => 1001 + i)]
    const trace = importMahimahi(lines.join('\n'), { ...OPTIONS, scale: 0.1 })
    expect(trace.durationS).toBe(2)
    // 250 × 12000 bits / 500 ms = 6000 kbps, × 0.1; then 500 per bin = 12000 kbps × 0.1.
    expect(trace.capacityKbps).toEqual([
      [0, 600],
      [1, 1200],
    ])
    expect(trace.source).toEqual({ recording: 'test', licence: 'test licence', scale: 0.1, binMs: 500 })
  })

  test('a repeated millisecond is several opportunities; an empty bin is an outage', () => {
    const trace = importMahimahi(['10', '10', '10', '1600', '2000'].join('\n'), { ...OPTIONS, binMs: 1000 })
    expect(trace.capacityKbps).toEqual([
      [0, 36],
      [1, 24],
    ])
    const gap = importMahimahi(['5', '2500', '3000'].join('\n'), { ...OPTIONS, binMs: 1000 })
    expect(gap.capacityKbps).toEqual([
      [0, 12],
      [1, 0],
      [2, 24],
    ])
  })

  test('the written trace reads back as the same trace', () => {
    const trace = importMahimahi(['1', '2', '700', '1400'].join('\n'), OPTIONS)
    expect(parseTrace(JSON.parse(formatTrace(trace)))).toEqual(trace)
  })

  test.each([
    ['a word', '12\nabc\n14', /line 2: expected a whole number/],
    ['a negative number', '12\n-3', /line 2/],
    ['time going backwards', '12\n30\n29', /line 3: 29 ms is before the previous line \(30 ms\)/],
    ['an empty file', '\n\n', /no delivery opportunities/],
  ])('%s is a clear error naming the line', (_name, text, message) => {
    expect(() => parseMahimahi(text, 'f.up')).toThrow(TraceFormatError)
    expect(() => parseMahimahi(text, 'f.up')).toThrow(message)
  })

  test('a bad scale is a clear error', () => {
    expect(() => importMahimahi('1\n2', { ...OPTIONS, scale: 0 })).toThrow(/--scale must be a positive number/)
  })
})

describe('the shipped recorded traces', () => {
  const recorded = loadTraces(RECORDED_DIR)

  test('are the three Mahimahi cellular recordings at 1/10 of their capacity, with source and licence', () => {
    expect(recorded.map((t) => t.source?.recording.replace(/@[0-9a-f]{40}/, ''))).toEqual([
      'ravinet/mahimahi traces/TMobile-LTE-driving.down',
      'ravinet/mahimahi traces/TMobile-LTE-short.up',
      'ravinet/mahimahi traces/Verizon-LTE-short.up',
    ])
    for (const t of recorded) expect(t.source).toMatchObject({ scale: 0.1, licence: expect.stringMatching(/^GPL-3\.0-or-later/) })
  })

  test('span the presets\' range: mean capacity between the host preset min and a few times its max', () => {
    for (const t of recorded) {
      const steps = t.capacityKbps
      let area = 0
      steps.forEach(([start, kbps], i) => (area += kbps * ((i + 1 < steps.length ? steps[i + 1][0] : t.durationS) - start)))
      const mean = area / t.durationS
      expect(mean).toBeGreaterThan(200)
      expect(mean).toBeLessThan(3000)
    }
  })
})

test('npm run bench:bitrate -- --import-mahimahi converts a file; a missing --scale is a usage error', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahimahi-'))
  const input = path.join(dir, 'link.up')
  const out = path.join(dir, 'link.json')
  writeFileSync(input, Array.from({ length: 1000 }, (_, i) => String(i + 1)).join('\n'))
  const cli = path.join(__dirname, '../../../bench/bitrate/cli.ts')
  const tsx = path.join(__dirname, '../../../node_modules/.bin/tsx')
  execFileSync(tsx, [cli, '--import-mahimahi', input, '--scale', '0.1', '--name', 'link', '--licence', 'CC0', '--out', out], { stdio: 'pipe' })
  const trace = parseTrace(JSON.parse(readFileSync(out, 'utf8')))
  expect(trace).toMatchObject({ name: 'link', durationS: 1, capacityKbps: [[0, 1200]], source: { licence: 'CC0', scale: 0.1 } })
  let status = 0
  try {
    execFileSync(tsx, [cli, '--import-mahimahi', input], { stdio: 'pipe' })
  } catch (error) {
    status = (error as { status: number }).status
  }
  expect(status).toBe(2)
})
