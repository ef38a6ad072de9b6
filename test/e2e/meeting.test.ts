/**
 * A real meeting in a real browser (issue 4, "Browser tests" 1–4), one story
 * against one stack (./stack.ts: room service + embedded media server + the
 * H5 build on the same origin):
 *
 * 1. Alice opens the app and creates a meeting (发起会议); three bots
 *    (scripts/lib/bot.ts) join it → within 10 s three remote tiles show the
 *    bots' names and their videos advance (playhead and decoded frames grow).
 * 2. A bot leaves → its tile is gone within 5 s.
 * 3. The media server restarts (stop, 1 s down, start on the same ports; the
 *    meeting stays) → the tiles say 重新连接中…, then play again within 10 s.
 * 4. Alice's own (fake) camera publishes: Bob, on a second page, sees her tile
 *    play at the camera's size, and an HTTP-FLV pull from Node receives
 *    H.264 + AAC from her stream.
 *
 * The steps build on each other (a failed step leaves the next without its
 * starting point). Screenshots: test-results/e2e/meeting.png (Alice, zh-CN)
 * and meeting-en.png (Bob, en). The README's screenshots come from
 * prejoin.test.ts and chat.test.ts.
 */
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { Bot, startBots, type BotFleet } from '../../scripts/lib/bot'
import { hasPlayableAv, playHttpFlv } from '../server/helpers/media'
import {
  fillHome,
  joinFromPreJoin,
  ROOM_URL,
  launchBrowser,
  leaveThroughUi,
  meetingIdOf,
  openApp,
  recordTileStatuses,
  recordedTileStatuses,
  remoteTiles,
  waitForPlaying,
  waitUntil,
  type AppPage,
} from './helpers/browser'
import { RESULTS } from './paths'
import { startStack, type Stack } from './stack-control'

const BOT_NAMES = ['Bot 1', 'Bot 2', 'Bot 3']
const RECONNECTING = '重新连接中…'

let stack: Stack
let browser: Browser
let alice: AppPage
let bob: AppPage | null = null
let fleet: BotFleet | null = null
let observer: Bot | null = null
let meetingId = ''
const botLog: string[] = []

/** What to print when a step fails: the page's complaints, the bots' and the stack's logs. */
function context(): string {
  return [
    `alice: ${alice?.problems.slice(-15).join('\n  ') ?? '-'}`,
    `bob: ${bob?.problems.slice(-15).join('\n  ') ?? '-'}`,
    `bots:\n  ${botLog.slice(-20).join('\n  ')}`,
    `stack:\n${stack?.output().slice(-3000) ?? '-'}`,
  ].join('\n')
}

async function explained<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if (error instanceof Error) {
      const extra = `\n--- context ---\n${context()}`
      error.message += extra
      if (error.stack !== undefined) error.stack = `${error.stack}${extra}`
    }
    throw error
  }
}

beforeAll(async () => {
  stack = await startStack()
  browser = await launchBrowser()
})

afterAll(async () => {
  if (process.env.E2E_DEBUG === '1') process.stdout.write(`${context()}\n`)
  await observer?.stop()
  await fleet?.stop()
  await bob?.close().catch(() => {})
  await alice?.close().catch(() => {})
  await browser?.close()
  await stack?.stop()
})

it('1. create a meeting, three bots join: within 10 s their tiles play and show their names', () =>
  explained(async () => {
    alice = await openApp(browser, stack.url)
    await fillHome(alice.page, 'Alice')
    await alice.page.getByText('发起会议', { exact: true }).click()
    await joinFromPreJoin(alice.page)
    await alice.page.waitForURL(ROOM_URL, { timeout: 10_000 })
    meetingId = meetingIdOf(alice.page)
    expect(meetingId).toMatch(/^\d{9}$/)

    const began = Date.now()
    fleet = await startBots({ serviceUrl: stack.url, meetingId, count: 3, log: (line) => botLog.push(line) })
    const { tiles } = await waitForPlaying(alice.page, BOT_NAMES, { timeoutMs: 10_000 })
    const elapsed = Date.now() - began
    process.stdout.write(`[e2e] 3 bot tiles playing ${elapsed} ms after the bots were started\n`)
    expect(elapsed).toBeLessThanOrEqual(10_000)

    expect(tiles.map((t) => t.name).sort()).toEqual(BOT_NAMES)
    for (const tile of tiles) {
      expect(tile.status).toBeNull()
      expect(tile.className).toContain('tile--live')
      // The bots' clips are 320×240; data-participant does render in H5.
      expect([tile.width, tile.height]).toEqual([320, 240])
      expect(tile.participant).toMatch(/^p[0-9a-f]+$/)
    }
    await alice.page.screenshot({ path: join(RESULTS, 'meeting.png') })
  }))

it('2. a bot leaves: its tile disappears within 5 s', () =>
  explained(async () => {
    if (fleet === null) throw new Error('step 1 did not start the bots')
    const leaving = fleet.bots[2]
    const began = Date.now()
    await leaving.stop()
    const { value } = await waitUntil(
      () => remoteTiles(alice.page),
      (tiles) => !tiles.some((t) => t.name === leaving.nickname),
      { timeoutMs: 5_000, intervalMs: 100, what: `${leaving.nickname}'s tile to go` },
    )
    const elapsed = Date.now() - began
    process.stdout.write(`[e2e] ${leaving.nickname}'s tile gone ${elapsed} ms after it left\n`)
    expect(elapsed).toBeLessThanOrEqual(5_000)
    expect(value.map((t) => t.name).sort()).toEqual(['Bot 1', 'Bot 2'])
  }))

it('3. the media server restarts: the tiles say 重新连接中…, then play again within 10 s', () =>
  explained(async () => {
    const names = ['Bot 1', 'Bot 2']
    await waitForPlaying(alice.page, names, { timeoutMs: 5_000 })
    await recordTileStatuses(alice.page)
    const began = Date.now()
    await stack.restartMedia(1_000)
    const backAt = Date.now()
    await waitForPlaying(alice.page, names, { timeoutMs: 10_000 })
    // Frames can advance a watch tick (250 ms) before the player's 2004 clears
    // the status line: wait, within the same 10 s, for the tiles to say so.
    await waitUntil(
      () => remoteTiles(alice.page),
      (tiles) => names.every((name) => tiles.some((t) => t.name === name && t.status === null)),
      { timeoutMs: Math.max(0, 10_000 - (Date.now() - backAt)), intervalMs: 100, what: `${names.join(', ')} live again` },
    )
    const elapsedMs = Date.now() - backAt
    const statuses = await recordedTileStatuses(alice.page)
    process.stdout.write(
      `[e2e] media server down ${backAt - began} ms; tiles playing again ${Date.now() - backAt} ms after it was back ` +
        `(statuses: ${statuses.map((s) => `${s.name}@${s.at - began}ms=${s.status ?? 'live'}`).join(', ')})\n`,
    )
    expect(elapsedMs).toBeLessThanOrEqual(10_000)
    for (const name of names) {
      const seen = statuses.filter((s) => s.name === name)
      // It said reconnecting after the restart began…
      expect(seen.some((s) => s.status === RECONNECTING && s.at >= began)).toBe(true)
      // …and is live again now.
      expect(seen[seen.length - 1]?.status ?? null).toBeNull()
    }
  }))

it("4. the browser's own camera publishes: a second page and a Node pull receive it", () =>
  explained(async () => {
    // Alice's pusher (fake camera → MediaRecorder → ingest → ffmpeg → RTMP) is live.
    await waitUntil(
      () => alice.page.locator('.tile--local').getAttribute('class'),
      (cls) => cls?.includes('tile--live') === true,
      { timeoutMs: 15_000, what: "Alice's own tile to be live (publishing)" },
    )

    // Bob opens the shared link (the id is filled in) and joins.
    bob = await openApp(browser, stack.url, {
      locale: 'en-US',
      viewport: { width: 800, height: 520 },
      path: `/#/pages/home/index?meetingId=${meetingId}`,
    })
    expect(await bob.page.locator('.home__input--meeting-id input').inputValue()).toBe(meetingId)
    await fillHome(bob.page, 'Bob')
    await bob.page.getByText('Join', { exact: true }).click()
    await joinFromPreJoin(bob.page)
    await bob.page.waitForURL(ROOM_URL, { timeout: 10_000 })
    const { tiles } = await waitForPlaying(bob.page, ['Alice', 'Bot 1', 'Bot 2'], { timeoutMs: 15_000 })
    const aliceTile = tiles.find((t) => t.name === 'Alice')
    // Her camera's picture, at the size her own preview shows (640×360 here), not a bot's 320×240.
    const preview = await alice.page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('.tile--local video')
      return [video?.videoWidth ?? 0, video?.videoHeight ?? 0]
    })
    expect(preview[0]).toBeGreaterThan(0)
    expect([aliceTile?.width, aliceTile?.height]).toEqual(preview)
    expect([aliceTile?.width, aliceTile?.height]).not.toEqual([320, 240])
    // Bob publishes too; once his own tile is live and the quality dots have a reading, the screenshot.
    await waitUntil(
      () => bob?.page.locator('.tile--local').getAttribute('class') ?? Promise.resolve(null),
      (cls) => cls?.includes('tile--live') === true,
      { timeoutMs: 15_000, what: "Bob's own tile to be live (publishing)" },
    )
    await waitForPlaying(bob.page, ['Alice', 'Bot 1', 'Bot 2'], { timeoutMs: 5_000, gapMs: 1_000 })
    // Cosmetic, so not asserted: the network dots have a reading (after two netstatus samples).
    await waitUntil(
      () => bob?.page.locator('.tile__quality--unknown').count() ?? Promise.resolve(0),
      (unknown) => unknown === 0,
      { timeoutMs: 6_000, what: 'quality readings' },
    ).catch(() => {})
    await bob.page.screenshot({ path: join(RESULTS, 'meeting-en.png') })

    // And at the media server: Alice's play URL, pulled over HTTP-FLV by a participant that does not publish.
    observer = new Bot({ serviceUrl: stack.url, meetingId, nickname: 'Observer', clip: null, log: (line) => botLog.push(line) })
    await observer.start()
    const playUrl = observer.snapshot?.participants.find((p) => p.nickname === 'Alice')?.playUrl
    expect(playUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/.+\.flv\?/)
    const pulled = await playHttpFlv(playUrl ?? '', {
      timeoutMs: 8_000,
      until: (tags) => hasPlayableAv(tags) && tags.filter((t) => t.type === 9 && t.packetType === 1).length >= 30,
    })
    expect(pulled.status).toBe(200)
    expect(hasPlayableAv(pulled.tags)).toBe(true)
    expect(pulled.tags.filter((t) => t.type === 9 && t.packetType === 1).length).toBeGreaterThanOrEqual(30)
    await observer.stop()
    observer = null

    // Bob leaves through the UI: Alice's grid loses his tile.
    await leaveThroughUi(bob.page)
    await waitUntil(
      () => remoteTiles(alice.page),
      (t) => !t.some((tile) => tile.name === 'Bob'),
      { timeoutMs: 5_000, what: "Bob's tile to go from Alice's grid" },
    )
  }))
