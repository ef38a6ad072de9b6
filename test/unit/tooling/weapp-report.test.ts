import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { MAIN_PACKAGE_BUDGET, measureWeapp, renderSizeSection, sizeProblems } from '../../../scripts/weapp-report'

let dist: string
const file = (relative: string, bytes: number | string): void => {
  const p = path.join(dist, relative)
  mkdirSync(path.dirname(p), { recursive: true })
  writeFileSync(p, typeof bytes === 'string' ? bytes : Buffer.alloc(bytes, 0x61))
}

beforeEach(() => {
  dist = mkdtempSync(path.join(os.tmpdir(), 'weapp-report-'))
})
afterEach(() => rmSync(dist, { recursive: true, force: true }))

describe('weapp size: main package and subpackages from app.json', () => {
  test('files under a subpackage root count for that subpackage, the rest for the main package', () => {
    const appJson = JSON.stringify({ pages: ['pages/home/index'], subPackages: [{ root: 'packages/extra', pages: ['index'] }] })
    file('app.json', appJson)
    file('app.js', 1000)
    file('pages/home/index.js', 500)
    file('packages/extra/index.js', 300)
    file('packages/extra-not-a-root.js', 7) // a prefix of the root's name is not inside it
    const size = measureWeapp(dist)
    expect(size.main).toEqual({ name: 'main', bytes: Buffer.byteLength(appJson) + 1000 + 500 + 7, files: 4 })
    expect(size.subpackages).toEqual([{ name: 'packages/extra', bytes: 300, files: 1 }])
    expect(size.total).toBe(size.main.bytes + 300)
    expect(size.largest[0]).toEqual({ file: 'app.js', bytes: 1000 })
    expect(sizeProblems(size)).toEqual([])
  })

  test('a main package over its 450 KiB budget is a problem; the same bytes in a subpackage are not', () => {
    file('app.json', JSON.stringify({ subpackages: [{ root: 'sub/' }] }))
    file('vendors.js', MAIN_PACKAGE_BUDGET + 1)
    expect(sizeProblems(measureWeapp(dist))).toEqual([expect.stringContaining('over its 450 KiB budget')])
    rmSync(path.join(dist, 'vendors.js'))
    file('sub/vendors.js', MAIN_PACKAGE_BUDGET + 1)
    expect(sizeProblems(measureWeapp(dist))).toEqual([])
  })

  test('the BENCHMARKS.md section states the budget and the ratio', () => {
    file('app.json', '{}')
    file('app.js', 46080)
    const section = renderSizeSection(measureWeapp(dist))
    expect(section).toContain('450 KiB budget: ratio **0.10**')
    expect(section).toContain('npm run bench:size')
  })
})
