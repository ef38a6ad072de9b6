/**
 * One real room service for the weapp project (compiled mini-program tests),
 * started in Node before the test files run: the app under test (dist/weapp)
 * and the other participants of each test talk to it.
 *
 * It listens on a FIXED loopback port, because the service URL is compiled
 * into the build (`TARO_APP_SERVICE_URL`), which happens before Jest starts:
 * http://127.0.0.1:$WEAPP_SERVICE_PORT, default 18787. `npm run test:weapp`
 * builds with the same value. Tests read it from process.env.WEAPP_SERVICE_URL
 * (harness.ts `SERVICE_URL`).
 */
import type { Env } from '../../server/config'
import type { RunningService } from '../../server/service'
import { startFakeTrtcApi, type FakeTrtcApi } from '../server/helpers/fake-trtc-api'
import { startTestService } from '../server/helpers/service'
import { API_ID, API_KEY, trtcEnv } from '../server/helpers/trtc'

declare global {
  var __weappService: RunningService | undefined
  var __weappTrtc: { service: RunningService; api: FakeTrtcApi } | undefined
}

export const DEFAULT_WEAPP_SERVICE_PORT = 18787

export default async function globalSetup(): Promise<void> {
  // Capacity above the page's 9 tiles, so a test can fill more than one page of the grid.
  await startWeappService({ CAPACITY: '16' })
  await startTrtcService()
}

/**
 * A second room service, with the `trtc` provider, for trtc-room.test.ts: on
 * a free loopback port (the app reaches it through fake-network's
 * routeHost), its TRTC REST API the loopback fake that checks signatures.
 * Servers cannot run inside the files' jsdom realm, hence here.
 */
async function startTrtcService(): Promise<void> {
  const api = await startFakeTrtcApi(API_ID, API_KEY)
  const service = await startTestService({ ...trtcEnv(api.url), CAPACITY: '16' })
  globalThis.__weappTrtc = { service, api }
  process.env.WEAPP_TRTC_SERVICE_URL = service.url
  process.env.WEAPP_TRTC_API_URL = api.url
}

/** Starts the service of the run on WEAPP_SERVICE_PORT (also used by bench/ui with a larger capacity). */
export async function startWeappService(env: Env): Promise<void> {
  const raw = process.env.WEAPP_SERVICE_PORT || String(DEFAULT_WEAPP_SERVICE_PORT)
  const port = Number(raw)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`WEAPP_SERVICE_PORT must be a TCP port, got ${JSON.stringify(raw)}`)
  }
  let service: RunningService
  try {
    service = await startTestService({ ...env, PORT: String(port) })
  } catch (e) {
    const inUse = (e as { code?: unknown }).code === 'EADDRINUSE' || /EADDRINUSE/.test(String((e as Error).message))
    if (inUse) {
      throw new Error(
        `weapp tests: port ${port} is in use, so the room service cannot start there. Stop what uses it, or pick ` +
          `another port for both the build and the tests: WEAPP_SERVICE_PORT=<port> npm run test:weapp`,
      )
    }
    throw e
  }
  globalThis.__weappService = service
  process.env.WEAPP_SERVICE_URL = service.url
}
