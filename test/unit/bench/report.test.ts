import { SECTION_END, SECTION_START, machineInfo, renderSection, withSection } from '../../../bench/bitrate/report'
import { runTrace } from '../../../bench/bitrate/suite'
import { parseTrace } from '../../../bench/bitrate/trace'

const SECTION = `${SECTION_START}\nnew numbers\n${SECTION_END}`

describe('BENCHMARKS.md: only our marked section is written', () => {
  test('a missing file gets a header and the section', () => {
    const text = withSection(null, SECTION)
    expect(text.startsWith('# Benchmarks')).toBe(true)
    expect(text).toContain(SECTION)
  })

  test('the section is replaced between the markers; other sections are kept', () => {
    const before = `# Benchmarks\n\n<!-- bench:load:start -->\nload numbers\n<!-- bench:load:end -->\n\n${SECTION_START}\nold numbers\n${SECTION_END}\n\n## Notes\nkept\n`
    const after = withSection(before, SECTION)
    expect(after).toBe(before.replace('old numbers', 'new numbers'))
  })

  test('a file without our markers gets the section appended', () => {
    expect(withSection('# Benchmarks\n\nother\n', SECTION)).toBe(`# Benchmarks\n\nother\n\n${SECTION}\n`)
  })
})

test('the rendered section shows every controller side by side with the target results', () => {
  const trace = parseTrace({ name: 'tiny-drop', role: 'host', durationS: 30, seed: 5, capacityKbps: [[0, 1200], [12, 500]] })
  const section = renderSection([runTrace(trace)], machineInfo(), 1.23, '2025-01-01')
  expect(section.startsWith(SECTION_START)).toBe(true)
  expect(section.endsWith(SECTION_END)).toBe(true)
  for (const row of ['| tiny-drop | app |', '| tiny-drop | static |', '| tiny-drop | gcc-like |', '| tiny-drop | naive |']) expect(section).toContain(row)
  expect(section).toContain('npm run bench:bitrate')
  expect(section).toMatch(/Machine: .+ cores/)
})
