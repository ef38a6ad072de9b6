/**
 * Join → first decoded remote frame in the browser build, one join at a time.
 *
 * A fresh browser context opens the shared link (meeting id filled in),
 * types a nickname, presses 加入会议 and waits for the first remote frame.
 * The clock runs in the page (performance.now(), see MEASURE): from the click
 * on the join button (capture phase, before the app's handler) to the first
 * animation frame at which a remote tile's `<video>` reports a decoded frame
 * (getVideoPlaybackQuality().totalVideoFrames > 0). Used by bench/e2e (the
 * numbers) and by test/e2e/first-frame.test.ts (the behaviour).
 */
import type { Browser } from 'playwright-core'
import { startBots, type BotFleet } from '../../scripts/lib/bot'
import { joinFromPreJoin, leaveThroughUi, openApp, remoteTiles, waitUntil, type AppPage } from '../../test/e2e/helpers/browser'

/** Runs in the page before the app: stamps the join click and what follows it. */
const measureScript = (remotes: number): string => `(() => {
  const m = { joinAt: null, roomAt: null, tileAt: null, frameAt: null, allFramesAt: null }
  window.__e2eJoin = m
  document.addEventListener('click', (event) => {
    const target = event.target
    if (m.joinAt === null && target instanceof Element && target.closest('.prejoin__button--join')) m.joinAt = performance.now()
  }, true)
  const poll = () => {
    if (m.joinAt !== null) {
      const now = performance.now()
      if (m.roomAt === null && location.hash.includes('meeting/room/')) m.roomAt = now
      const videos = Array.from(document.querySelectorAll('.video-grid .tile video'))
      if (m.tileAt === null && videos.length > 0) m.tileAt = now
      const decoded = videos.filter((v) => v.getVideoPlaybackQuality().totalVideoFrames > 0).length
      if (m.frameAt === null && decoded > 0) m.frameAt = now
      if (m.allFramesAt === null && decoded >= ${remotes}) m.allFramesAt = now
    }
    if (m.allFramesAt === null) requestAnimationFrame(poll)
  }
  requestAnimationFrame(poll)
})()`

export interface JoinTimes {
  /** All relative to the join click, ms. */
  readonly roomPage: number
  readonly firstTile: number
  readonly firstFrame: number
  readonly allFrames: number
  /** The remote tiles' names once every one had a frame. */
  readonly tiles: readonly string[]
}

type Stamps = { joinAt: number | null; roomAt: number | null; tileAt: number | null; frameAt: number | null; allFramesAt: number | null }

/**
 * One join into `meetingId`, where `remotes` participants already publish;
 * the joiner leaves through the UI afterwards. `onOpen` gets the page (so a
 * caller can close it if this throws).
 */
export async function measureJoin(
  browser: Browser,
  serviceUrl: string,
  meetingId: string,
  { nickname, remotes, onOpen }: { nickname: string; remotes: number; onOpen?: (app: AppPage) => void },
): Promise<JoinTimes> {
  const app = await openApp(browser, serviceUrl, { path: `/#/packages/meeting/prejoin/index?meetingId=${meetingId}`, initScript: measureScript(remotes) })
  onOpen?.(app)
  try {
    const { page } = app
    await joinFromPreJoin(page, nickname)
    const { value: stamps } = await waitUntil(
      () => page.evaluate(() => (window as unknown as { __e2eJoin: Stamps }).__e2eJoin),
      (s) => s.allFramesAt !== null,
      { timeoutMs: 20_000, intervalMs: 100, what: `${nickname}: every remote tile's first frame` },
    )
    const at = (value: number | null): number => Math.round((value ?? NaN) - (stamps.joinAt ?? NaN))
    const tiles = (await remoteTiles(page)).map((t) => t.name)
    await leaveThroughUi(page)
    return { roomPage: at(stamps.roomAt), firstTile: at(stamps.tileAt), firstFrame: at(stamps.frameAt), allFrames: at(stamps.allFramesAt), tiles }
  } finally {
    await app.close()
  }
}

/**
 * `count` bots in the meeting, each publishing (so the media server holds a
 * keyframe of each for a joiner). On a timeout the bots are stopped, not leaked.
 */
export async function startPublishingBots(serviceUrl: string, meetingId: string, count: number): Promise<BotFleet> {
  const fleet = await startBots({ serviceUrl, meetingId, count, log: () => {} })
  try {
    await waitUntil(
      async () => fleet.bots.map((b) => b.publisher?.currentState),
      (states) => states.length === count && states.every((s) => s === 'publishing'),
      { timeoutMs: 10_000, what: 'the bots to publish' },
    )
    return fleet
  } catch (e) {
    await fleet.stop()
    throw e
  }
}
