/**
 * Who is speaking, in a real Chromium: two bots publish their clips over the
 * real media server, each clip's tone "speaking" for 3 s of its 10 s loop at
 * its own phase (scripts/assets/bots/make-speech.sh). The viewer's browser
 * measures each player's audio with Web Audio (src/platform/h5/audio-level.ts)
 * and the tile of the bot whose tone plays gets `tile--speaking`, which it
 * loses when its tone stops.
 */
import type { Browser } from 'playwright-core'
import { startPublishingBots } from '../../bench/e2e/first-frame'
import type { BotFleet } from '../../scripts/lib/bot'
import { createMeeting } from '../../scripts/lib/service-api'
import { fillHome, joinFromPreJoin, launchBrowser, remoteTiles, sleep, waitForPlaying, openApp, type AppPage } from './helpers/browser'
import { startStack, type Stack } from './stack-control'

let stack: Stack
let browser: Browser
let fleet: BotFleet | null = null
let app: AppPage | null = null

beforeAll(async () => {
  stack = await startStack()
  browser = await launchBrowser()
})

afterAll(async () => {
  await app?.close().catch(() => {})
  await fleet?.stop()
  await browser?.close()
  await stack?.stop()
})

it('the tile of the bot whose tone plays is highlighted, and loses the highlight when the tone stops', async () => {
  const { meetingId } = await createMeeting(stack.url)
  fleet = await startPublishingBots(stack.url, meetingId, 2)
  app = await openApp(browser, stack.url, { path: `/#/pages/home/index?meetingId=${meetingId}` })
  const { page } = app
  await fillHome(page, 'Listener')
  await page.getByText('加入会议', { exact: true }).click()
  await joinFromPreJoin(page)
  await waitForPlaying(page, ['Bot 1', 'Bot 2'], { timeoutMs: 20_000 })

  // Two loops of the clips (10 s each): every bot speaks once per loop, for 3 s.
  const seen: Record<string, boolean[]> = { 'Bot 1': [], 'Bot 2': [] }
  const began = Date.now()
  while (Date.now() - began < 21_000) {
    for (const tile of await remoteTiles(page)) seen[tile.name]?.push(/\btile--speaking\b/.test(tile.className))
    await sleep(150)
  }
  for (const [name, samples] of Object.entries(seen)) {
    const on = samples.filter(Boolean).length
    // Highlighted for part of the time (≈3.8 of every 10 s: the tone and the release), not all of it…
    expect({ name, highlighted: on > 0 }).toEqual({ name, highlighted: true })
    expect({ name, alwaysOn: on === samples.length }).toEqual({ name, alwaysOn: false })
    // …and it went off again after being on (silence clears it).
    const firstOn = samples.indexOf(true)
    expect({ name, clearedAfter: samples.slice(firstOn).includes(false) }).toEqual({ name, clearedAfter: true })
  }
  expect(app.problems.filter((p) => p.startsWith('pageerror'))).toEqual([])
})
