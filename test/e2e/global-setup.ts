/**
 * Once per e2e run: check that the H5 build exists and talks to the origin it
 * is served from (built without TARO_APP_SERVICE_URL, as `npm run test:e2e`
 * does), that Chromium and ffmpeg are there, and copy the build to
 * test-results/e2e/h5, which the stacks serve.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../server/config'
import { CHROMIUM_PATH } from './helpers/browser'
import { H5_BUILD, H5_COPY, RESULTS, ROOT } from './paths'

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs)
}

export default function globalSetup(): void {
  const index = join(H5_BUILD, 'index.html')
  if (!existsSync(index)) {
    throw new Error(`${index} is missing: run the e2e tests with "npm run test:e2e", which builds the H5 app first`)
  }
  // serviceUrl() (src/services/session.ts) returns a baked TARO_APP_SERVICE_URL when there is one.
  const jsDir = join(H5_BUILD, 'js')
  for (const file of readdirSync(jsDir).filter((f) => f.endsWith('.js'))) {
    const baked = /function serviceUrl\(\)\{return"(https?:\/\/[^"]+)"\}/.exec(readFileSync(join(jsDir, file), 'utf8'))
    if (baked !== null) {
      throw new Error(
        `dist/h5 was built for ${baked[1]} (TARO_APP_SERVICE_URL); the e2e stacks run on free ports and need a build that uses ` +
          'its page origin: run "npm run test:e2e" (it builds with TARO_APP_SERVICE_URL unset)',
      )
    }
  }
  if (newestMtime(join(ROOT, 'src')) > statSync(index).mtimeMs) {
    process.stderr.write('\nNote: src/ changed after dist/h5 was built; "npm run test:e2e" rebuilds it.\n')
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium (apt-get install chromium), or set E2E_CHROMIUM`)
  }
  // The ffmpeg the stacks' ingest relay will run (FFMPEG_PATH, else the packaged one, else PATH).
  const { ffmpegPath } = loadConfig({ ...process.env, MEDIA_PROVIDER: 'local' })
  try {
    execFileSync(ffmpegPath, ['-version'], { stdio: 'ignore' })
  } catch (error) {
    throw new Error(
      `cannot run ffmpeg at ${JSON.stringify(ffmpegPath)} (${error instanceof Error ? error.message : String(error)}): ` +
        'browser publishing relays through it; reinstall @ffmpeg-installer/ffmpeg or set FFMPEG_PATH',
    )
  }
  mkdirSync(RESULTS, { recursive: true })
  rmSync(H5_COPY, { recursive: true, force: true })
  cpSync(H5_BUILD, H5_COPY, { recursive: true })
}
