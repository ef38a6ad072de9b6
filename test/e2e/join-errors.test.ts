/**
 * When the service refuses a join, the home page tells the user why, in
 * words, and keeps what they typed (issue 4, "Browser tests" 5): a meeting id
 * that names no meeting, and a meeting that is full. A stack with CAPACITY=2,
 * filled by two bots that join without publishing (the refusal is about
 * seats, not media).
 */
import type { Browser } from 'playwright-core'
import { startBots, type BotFleet } from '../../scripts/lib/bot'
import { createMeeting, getMeeting, ServiceError } from '../../scripts/lib/service-api'
import { fillHome, joinFromPreJoin, launchBrowser, leaveThroughUi, openApp, ROOM_URL, type AppPage } from './helpers/browser'
import { startStack, type Stack } from './stack-control'

const UNKNOWN_MEETING = '会议不存在或已结束，请核对会议号'
const ROOM_FULL = '会议人数已满，暂时无法加入'

let stack: Stack
let browser: Browser
let app: AppPage | null = null
let fleet: BotFleet | null = null

beforeAll(async () => {
  stack = await startStack({ CAPACITY: '2' })
  browser = await launchBrowser()
})

afterEach(async () => {
  await app?.close()
  app = null
})

afterAll(async () => {
  await fleet?.stop()
  await browser?.close()
  await stack?.stop()
})

/** A 9-digit id the service does not know. */
async function unusedMeetingId(): Promise<string> {
  for (let candidate = 123456789; ; candidate += 1) {
    const id = String(candidate)
    try {
      await getMeeting(stack.url, id)
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'unknown_meeting') return id
      throw error
    }
  }
}

it('a wrong meeting id: 会议不存在或已结束，请核对会议号, and the form is kept', async () => {
  const id = await unusedMeetingId()
  app = await openApp(browser, stack.url)
  await fillHome(app.page, 'Alice', id)
  await app.page.getByText('加入会议', { exact: true }).click()
  // The pre-join looks the meeting up as it opens and says so before the user tries.
  const error = app.page.locator('.prejoin__error')
  await error.waitFor({ timeout: 10_000 })
  expect((await error.textContent())?.trim()).toBe(UNKNOWN_MEETING)
  expect(app.page.url()).not.toMatch(ROOM_URL)
  expect(await app.page.locator('.prejoin__input--meeting-id input').inputValue()).toBe(id)
  expect(await app.page.locator('.prejoin__input--nickname input').inputValue()).toBe('Alice')
})

it('a full room: 会议人数已满，暂时无法加入; once a seat frees up, the same page gets in', async () => {
  const { meetingId } = await createMeeting(stack.url)
  fleet = await startBots({ serviceUrl: stack.url, meetingId, count: 2, clips: null })
  app = await openApp(browser, stack.url, { path: `/#/pages/home/index?meetingId=${meetingId}` })
  await fillHome(app.page, 'Carol')
  await app.page.getByText('加入会议', { exact: true }).click()
  await joinFromPreJoin(app.page)
  const error = app.page.locator('.prejoin__error')
  await error.waitFor({ timeout: 10_000 })
  expect((await error.textContent())?.trim()).toBe(ROOM_FULL)
  expect(app.page.url()).not.toMatch(ROOM_URL)

  // The message is about now: a bot leaves, and pressing 进入会议 again gets in.
  await fleet.bots[1].stop()
  await joinFromPreJoin(app.page)
  await app.page.waitForURL(ROOM_URL, { timeout: 10_000 })
  await leaveThroughUi(app.page)
})
