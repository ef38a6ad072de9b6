/**
 * Debian Chromium driven by playwright-core, headless, with a fake camera and
 * microphone that need no prompt; and what the tests read from the H5 app's
 * DOM (Taro renders `<View className>` as `<taro-view-core class>`, inputs as
 * `<taro-input-core><input></taro-input-core>`).
 */
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { RESULTS, ROOT } from '../paths'

export const CHROMIUM_PATH = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

export interface AppPage {
  readonly context: BrowserContext
  readonly page: Page
  /** Page errors and console errors/warnings, for failure messages. */
  readonly problems: string[]
  close(): Promise<void>
}

export interface OpenOptions {
  /** zh-CN (the app's default language) unless said otherwise. */
  readonly locale?: string
  readonly viewport?: { width: number; height: number }
  /** Device pixels per CSS pixel (2 for docs-quality phone screenshots); 1 unless said. */
  readonly deviceScaleFactor?: number
  /** A path on the stack's origin, e.g. `/#/pages/home/index?meetingId=…`. Default `/`. */
  readonly path?: string
  /** A script run in the page before the app's own (see measure-join in first-frame.test.ts). */
  readonly initScript?: string
}

/** A fresh context (its own storage, its own camera grant) and a page on the app. */
export async function openApp(browser: Browser, baseUrl: string, options: OpenOptions = {}): Promise<AppPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'zh-CN',
    viewport: options.viewport ?? { width: 1024, height: 700 },
    ...(options.deviceScaleFactor !== undefined ? { deviceScaleFactor: options.deviceScaleFactor } : {}),
  })
  const problems: string[] = []
  const page = await context.newPage()
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`)
  })
  if (options.initScript !== undefined) await page.addInitScript(options.initScript)
  await page.goto(`${baseUrl}${options.path ?? '/'}`)
  // The home page, or the pre-join page a shared link opens.
  await page.locator('.home__input--nickname input, .prejoin__button--join').first().waitFor({ timeout: 15_000 })
  return {
    context,
    page,
    problems,
    close: () => context.close(),
  }
}

/** Type the nickname (and the meeting id, when given) into the home form. */
export async function fillHome(page: Page, nickname: string, meetingId?: string): Promise<void> {
  await page.locator('.home__input--nickname input').fill(nickname)
  if (meetingId !== undefined) await page.locator('.home__input--meeting-id input').fill(meetingId)
}

/** The room page's URL (a page of the `packages/meeting` subpackage). */
export const ROOM_URL = /packages\/meeting\/room\/index/

/**
 * On the pre-join page (home's 加入会议 / 发起会议 open it, as does a shared
 * link): type the nickname when given, and press its join button (进入会议 /
 * 开始会议 / Enter meeting).
 */
export async function joinFromPreJoin(page: Page, nickname?: string): Promise<void> {
  const button = page.locator('.prejoin__button--join')
  await button.waitFor({ timeout: 15_000 })
  if (nickname !== undefined) await page.locator('.prejoin__input--nickname input').fill(nickname)
  await button.click()
}

/** The meeting id of the room page the app is on. */
export function meetingIdOf(page: Page): string {
  const match = /[?&]meetingId=(\d+)/.exec(page.url())
  if (match === null) throw new Error(`not on a room page: ${page.url()}`)
  return match[1]
}

/** Leave through the UI (离开 → confirm), as a user does: the participant leaves the meeting at once. */
export async function leaveThroughUi(page: Page): Promise<void> {
  await page.locator('.control-bar__button--leave').click()
  await page.locator('.taro-model__confirm').click()
  await page.locator('.home__input--nickname input').waitFor({ timeout: 10_000 })
}

/** One remote tile as the user sees it. */
export interface TileInfo {
  /** `data-participant` */
  readonly participant: string | null
  readonly name: string
  /** The status line over the video (连接中…, 重新连接中…, …); null while live (the line is blank then). */
  readonly status: string | null
  readonly className: string
  /** The tile's `<video>`: playhead (s), decoded frames, intrinsic size. */
  readonly currentTime: number
  readonly frames: number
  readonly width: number
  readonly height: number
}

/** The remote tiles (`.video-grid .tile`, without the empty slots of those who left), in page order. */
export function remoteTiles(page: Page): Promise<TileInfo[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('.video-grid .tile:not(.tile--gone)')).map((tile) => {
      const video = tile.querySelector('video')
      return {
        participant: tile.getAttribute('data-participant'),
        name: tile.querySelector('.tile__name')?.textContent?.trim() ?? '',
        status: tile.querySelector('.tile__status')?.textContent?.trim() || null,
        className: tile.getAttribute('class') ?? '',
        currentTime: video?.currentTime ?? 0,
        frames: video?.getVideoPlaybackQuality().totalVideoFrames ?? 0,
        width: video?.videoWidth ?? 0,
        height: video?.videoHeight ?? 0,
      }
    }),
  )
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Poll `probe` until `done` holds for its result; rejects after `timeoutMs`
 * with `what` and the last result.
 */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<{ value: T; elapsedMs: number }> {
  const began = Date.now()
  let last: T | undefined
  for (;;) {
    last = await probe()
    if (done(last)) return { value: last, elapsedMs: Date.now() - began }
    if (Date.now() - began > options.timeoutMs) {
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}; last seen: ${JSON.stringify(last)}`)
    }
    await sleep(options.intervalMs ?? 200)
  }
}

/**
 * Wait until every named tile is present and its video advances: between two
 * samples `gapMs` apart, both the playhead and the decoded frame count grew.
 * Returns the second sample.
 */
export async function waitForPlaying(
  page: Page,
  names: readonly string[],
  options: { timeoutMs: number; gapMs?: number },
): Promise<{ tiles: TileInfo[]; elapsedMs: number }> {
  const began = Date.now()
  let previous: TileInfo[] = []
  const { value, elapsedMs } = await waitUntil(
    async () => {
      const current = await remoteTiles(page)
      const pair = { previous, current }
      previous = current
      return pair
    },
    ({ previous: before, current }) =>
      names.every((name) => {
        const now = current.find((t) => t.name === name)
        const then = before.find((t) => t.name === name && t.participant === now?.participant)
        return now !== undefined && then !== undefined && now.frames > then.frames && now.currentTime > then.currentTime
      }),
    { timeoutMs: options.timeoutMs, intervalMs: options.gapMs ?? 500, what: `${names.join(', ')} playing` },
  )
  return { tiles: value.current, elapsedMs: Math.max(elapsedMs, Date.now() - began) }
}

/** A status line a tile showed, sampled in the page every 50 ms (Date.now() clock, as in Node). */
export interface StatusSample {
  readonly at: number
  readonly name: string
  readonly status: string | null
}

/**
 * Start recording every change of the remote tiles' status lines in the page,
 * so that a state shown for a few hundred milliseconds is not missed between
 * two polls from the test.
 */
export async function recordTileStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __e2eStatuses?: StatusSample[]; __e2eStatusTimer?: number }
    if (w.__e2eStatusTimer !== undefined) clearInterval(w.__e2eStatusTimer)
    const log: StatusSample[] = []
    const last = new Map<string, string | null>()
    w.__e2eStatuses = log
    w.__e2eStatusTimer = window.setInterval(() => {
      for (const tile of Array.from(document.querySelectorAll('.video-grid .tile:not(.tile--gone)'))) {
        const name = tile.querySelector('.tile__name')?.textContent?.trim() ?? ''
        const status = tile.querySelector('.tile__status')?.textContent?.trim() || null
        if (last.has(name) && last.get(name) === status) continue
        last.set(name, status)
        log.push({ at: Date.now(), name, status })
      }
    }, 50)
  })
}

/** What recordTileStatuses saw so far. */
export function recordedTileStatuses(page: Page): Promise<StatusSample[]> {
  return page.evaluate(() => (window as unknown as { __e2eStatuses?: StatusSample[] }).__e2eStatuses ?? [])
}

/**
 * A screenshot to test-results/e2e/<name>.png; with E2E_UPDATE_SCREENSHOT=1
 * also to docs/screenshot-<name>.png, the README's copy (so the README shows
 * what an e2e run saw, not a hand-made picture).
 */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  const file = join(RESULTS, `${name}.png`)
  await page.screenshot({ path: file })
  if (process.env.E2E_UPDATE_SCREENSHOT === '1') copyFileSync(file, join(ROOT, 'docs', `screenshot-${name}.png`))
}
