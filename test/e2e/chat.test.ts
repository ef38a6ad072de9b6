/**
 * Chat and raised hands in a real browser against the whole stack (room
 * service, media server, the H5 build): Alice creates a meeting, a bot joins
 * and greets it, Bob joins; they chat both ways (Bob's unread badge counts
 * Alice's line until he opens the chat); Bob raises his hand, Alice (the
 * host) sees it on his tile and first in the participant panel and lowers
 * it there, and both pages see it go down.
 *
 * Screenshot: test-results/e2e/chat.png (Bob's page with the chat open).
 */
import type { Browser, Page } from 'playwright-core'
import { greetingOf, startBots, type BotFleet } from '../../scripts/lib/bot'
import { fillHome, joinFromPreJoin, launchBrowser, meetingIdOf, openApp, ROOM_URL, saveScreenshot, waitUntil, type AppPage } from './helpers/browser'
import { startStack, type Stack } from './stack-control'

let stack: Stack
let browser: Browser
let alice: AppPage
let bob: AppPage
let fleet: BotFleet | null = null

beforeAll(async () => {
  stack = await startStack()
  browser = await launchBrowser()
})

afterAll(async () => {
  await fleet?.stop()
  await bob?.close().catch(() => {})
  await alice?.close().catch(() => {})
  await browser?.close()
  await stack?.stop()
})

/** The chat lines a page shows, oldest first (the list is column-reverse: newest first in the DOM). */
async function chatLines(page: Page): Promise<string[]> {
  const texts = await page.locator('.chat-panel__message .chat-panel__text').allTextContents()
  return texts.map((t) => t.trim()).reverse()
}

async function send(page: Page, text: string): Promise<void> {
  await page.locator('.chat-panel__input input').fill(text)
  await page.locator('.chat-panel__send').click()
}

const badge = (page: Page) => page.locator('.control-bar__badge')

test('two pages chat both ways; one raises a hand, the host lowers it from the participant panel, and both pages see it', async () => {
  alice = await openApp(browser, stack.url)
  await fillHome(alice.page, 'Alice')
  await alice.page.getByText('发起会议', { exact: true }).click()
  await joinFromPreJoin(alice.page)
  await alice.page.waitForURL(ROOM_URL, { timeout: 10_000 })
  const meetingId = meetingIdOf(alice.page)

  fleet = await startBots({ serviceUrl: stack.url, meetingId, count: 1, chat: true, log: () => {} })
  await badge(alice.page).filter({ hasText: '1' }).waitFor({ timeout: 10_000 })

  bob = await openApp(browser, stack.url, { path: `/#/pages/home/index?meetingId=${meetingId}`, viewport: { width: 390, height: 844 } })
  await fillHome(bob.page, 'Bob')
  await bob.page.getByText('加入会议', { exact: true }).click()
  await joinFromPreJoin(bob.page)
  await bob.page.waitForURL(ROOM_URL, { timeout: 10_000 })
  await bob.page.locator('.control-bar__button--chat').waitFor()
  // The bot's greeting came before Bob: history, not news.
  expect(await badge(bob.page).count()).toBe(0)

  // Alice → Bob, while Bob's chat is closed.
  await alice.page.locator('.control-bar__button--chat').click()
  expect(await chatLines(alice.page)).toEqual([greetingOf('Bot 1')])
  await send(alice.page, '你好 Bob，欢迎 👋')
  await alice.page.locator('.chat-panel__message--mine.chat-panel__message--sent').waitFor({ timeout: 5_000 })
  await badge(bob.page).filter({ hasText: '1' }).waitFor({ timeout: 5_000 })

  // Bob opens the chat: the history and Alice's line; the badge goes.
  await bob.page.locator('.control-bar__button--chat').click()
  await waitUntil(() => chatLines(bob.page), (lines) => lines.length === 2, { timeoutMs: 5_000, what: 'Bob’s chat' })
  expect(await chatLines(bob.page)).toEqual([greetingOf('Bot 1'), '你好 Bob，欢迎 👋'])
  expect(await badge(bob.page).count()).toBe(0)

  // Bob → Alice, whose chat is open: it shows at once, no badge.
  await send(bob.page, 'Hi Alice, thanks!')
  await waitUntil(() => chatLines(alice.page), (lines) => lines.at(-1) === 'Hi Alice, thanks!', { timeoutMs: 5_000, what: 'Alice to see Bob’s line' })
  expect(await badge(alice.page).count()).toBe(0)
  await bob.page.locator('.chat-panel__message--mine.chat-panel__message--sent').waitFor({ timeout: 5_000 })
  await saveScreenshot(bob.page, 'chat')

  // Bob raises his hand.
  await bob.page.locator('.chat-panel__close').click()
  await bob.page.locator('.control-bar__button--hand').click()
  await bob.page.locator('.control-bar__button--hand.control-bar__button--active').waitFor({ timeout: 5_000 })
  await alice.page.locator('.chat-panel__close').click()
  await alice.page.locator('.video-grid .tile__hand').waitFor({ timeout: 5_000 })

  // Alice lowers it from the participant panel, where raised hands come first.
  await alice.page.locator('.control-bar__button--people').click()
  const firstRow = alice.page.locator('.participant-list__row').first()
  await expect(firstRow.textContent()).resolves.toContain('Bob')
  expect(await firstRow.getAttribute('class')).toContain('participant-list__row--hand')
  await firstRow.locator('.participant-list__action--lower-hand').click()

  await alice.page.locator('.participant-list__row--hand').waitFor({ state: 'detached', timeout: 5_000 })
  await alice.page.locator('.video-grid .tile__hand').waitFor({ state: 'detached', timeout: 5_000 })
  await bob.page.locator('.control-bar__button--hand.control-bar__button--active').waitFor({ state: 'detached', timeout: 5_000 })
  expect(await bob.page.locator('.control-bar__button--hand').getAttribute('aria-label')).toBe('举手')
  expect(alice.problems.filter((p) => p.startsWith('pageerror'))).toEqual([])
  expect(bob.problems.filter((p) => p.startsWith('pageerror'))).toEqual([])
}, 90_000)
