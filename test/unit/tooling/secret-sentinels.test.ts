/**
 * The check that keeps server secrets out of client builds
 * (scripts/secret-sentinels.ts): the sentinel values are a valid `trtc`
 * configuration (so the builds run with the provider really configured),
 * and the search finds a planted secret wherever it is, and nothing in a
 * clean tree.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig } from '../../../server/config'
import { findSecrets, SECRET_SENTINELS } from '../../../scripts/secret-sentinels'

describe('secret sentinels', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sentinels-'))
    mkdirSync(path.join(dir, 'js'))
    writeFileSync(path.join(dir, 'js', 'app.js'), 'var a="room://cloud.tencent.com/rtc?sdkappid=";')
    writeFileSync(path.join(dir, 'index.html'), '<html></html>')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  test('they are a valid trtc configuration for the service', () => {
    expect(loadConfig({ ...SECRET_SENTINELS }).media.provider).toBe('trtc')
  })

  test('a clean build has no findings', () => {
    expect(findSecrets([dir])).toEqual([])
  })

  test.each([
    ['the TRTC secret key in a nested chunk', 'js/chunk.js', `x="${SECRET_SENTINELS.TRTC_SECRET_KEY}"`, SECRET_SENTINELS.TRTC_SECRET_KEY],
    ['the API key in a source map', 'js/app.js.map', `{"k":"${SECRET_SENTINELS.TENCENTCLOUD_SECRET_KEY}"}`, SECRET_SENTINELS.TENCENTCLOUD_SECRET_KEY],
    ['server config code (a variable name) bundled', 'app.js', 'process.env.TRTC_SECRET_KEY', 'TRTC_SECRET_KEY'],
  ])('finds %s', (_name, file, content, found) => {
    writeFileSync(path.join(dir, file), content)
    expect(findSecrets([dir])).toContainEqual({ file: path.join(dir, file), found })
  })
})
