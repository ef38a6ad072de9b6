/**
 * The pre-join page and the README screenshots, in a real Chromium against
 * one stack (room service + media server + the H5 build):
 *
 * 1. The shared link of a meeting with a passcode opens its pre-join on a
 *    phone (390×844 @2x): the camera previews (the fake camera's frames
 *    decode in the preview, nothing is published), the passcode is asked
 *    for, joining without it is refused, with it the page enters the room
 *    and its pusher publishes. Screenshot: prejoin.png.
 * 2. Three bots join: the phone's room plays them (room-phone.png); the
 *    invite copies the meeting's pre-join link.
 * 3. A desktop browser (1280×800) joins through the same link
 *    (room-desktop.png).
 * 4. The home page in the light and the dark system theme: the theme tokens
 *    reach the computed colours (home-dark.png).
 *
 * Screenshots go to test-results/e2e/; E2E_UPDATE_SCREENSHOT=1 copies them to
 * docs/ (screenshot-prejoin.png, screenshot-room-phone.png, screenshot-room-desktop.png, screenshot-home-dark.png).
 */
import type { Browser } from 'playwright-core'
import { startBots, type BotFleet } from '../../scripts/lib/bot'
import { createMeeting, getMeeting } from '../../scripts/lib/service-api'
import { joinFromPreJoin, launchBrowser, openApp, ROOM_URL, saveScreenshot, waitForPlaying, waitUntil, type AppPage } from './helpers/browser'
import { startStack, type Stack } from './stack-control'

const PASSCODE = '2468'
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 }
const BOT_NAMES = ['Bot 1', 'Bot 2', 'Bot 3']

let stack: Stack
let browser: Browser
let phone: AppPage | null = null
let desktop: AppPage | null = null
let fleet: BotFleet | null = null
let meetingId = ''

const screenshot = (app: AppPage, name: string): Promise<void> => saveScreenshot(app.page, name)

const linkPath = (id: string) => `/#/packages/meeting/prejoin/index?meetingId=${id}`

beforeAll(async () => {
  stack = await startStack()
  browser = await launchBrowser()
  ;({ meetingId } = await createMeeting(stack.url, { passcode: PASSCODE }))
})

afterAll(async () => {
  await fleet?.stop()
  await desktop?.close().catch(() => {})
  await phone?.close().catch(() => {})
  await browser?.close()
  await stack?.stop()
})

it('1. a shared link to a meeting with a passcode: preview, the passcode asked for, then the room', async () => {
  phone = await openApp(browser, stack.url, { ...PHONE, path: linkPath(meetingId) })
  const { page } = phone
  // The preview plays the (fake) camera: its frames decode in the page.
  await waitUntil(
    () => page.evaluate(() => document.querySelector<HTMLVideoElement>('.prejoin__preview video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0),
    (frames) => frames > 0,
    { timeoutMs: 10_000, what: 'the camera preview to show frames' },
  )
  // The look-up said the meeting has a passcode: the field is there.
  const passcode = page.locator('.prejoin__input--passcode input')
  await passcode.waitFor({ timeout: 10_000 })
  await page.locator('.prejoin__input--nickname input').fill('Alice')
  // A preview publishes nothing: the meeting still has nobody in it.
  expect((await getMeeting(stack.url, meetingId)).participantCount).toBe(0)
  await screenshot(phone, 'prejoin')

  await joinFromPreJoin(page)
  expect((await page.locator('.prejoin__error').textContent())?.trim()).toBe('请输入会议密码')
  expect(page.url()).not.toMatch(ROOM_URL)
  await passcode.fill(PASSCODE)
  await joinFromPreJoin(page)
  await page.waitForURL(ROOM_URL, { timeout: 10_000 })
  await waitUntil(
    () => page.locator('.tile--local').getAttribute('class'),
    (cls) => cls?.includes('tile--live') === true,
    { timeoutMs: 15_000, what: "Alice's own tile to be live (publishing)" },
  )
  expect((await getMeeting(stack.url, meetingId)).participantCount).toBe(1)
})

it('2. bots join: the phone room plays them; the invite copies the pre-join link', async () => {
  if (phone === null) throw new Error('step 1 did not open the phone')
  fleet = await startBots({ serviceUrl: stack.url, meetingId, count: 3, passcode: PASSCODE })
  await waitForPlaying(phone.page, BOT_NAMES, { timeoutMs: 15_000 })
  await screenshot(phone, 'room-phone')

  await phone.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url })
  await phone.page.locator('.room-header__action--invite').click()
  await waitUntil(
    () => phone!.page.evaluate(() => navigator.clipboard.readText()),
    (text) => text === `${stack.url}${linkPath(meetingId)}`,
    { timeoutMs: 5_000, what: 'the link on the clipboard' },
  )
  // There is no earpiece in a browser: no speaker/earpiece toggle.
  expect(await phone.page.locator('.room-header__action--route').count()).toBe(0)
})

it('3. a desktop browser joins through the same link', async () => {
  desktop = await openApp(browser, stack.url, { viewport: { width: 1280, height: 800 }, path: linkPath(meetingId) })
  await desktop.page.locator('.prejoin__input--passcode input').fill(PASSCODE)
  await joinFromPreJoin(desktop.page, 'Bob')
  await desktop.page.waitForURL(ROOM_URL, { timeout: 10_000 })
  await waitForPlaying(desktop.page, ['Alice', ...BOT_NAMES], { timeoutMs: 15_000 })
  await waitUntil(
    () => desktop!.page.locator('.tile--local').getAttribute('class'),
    (cls) => cls?.includes('tile--live') === true,
    { timeoutMs: 15_000, what: "Bob's own tile to be live (publishing)" },
  )
  await screenshot(desktop, 'room-desktop')
})

it('4. the home page follows the system theme: light and dark tokens, in a real browser', async () => {
  const home = await openApp(browser, stack.url, PHONE)
  try {
    const colours = () =>
      home.page.evaluate(() => {
        const card = document.querySelector('.home__card') as HTMLElement
        const join = document.querySelector('.home__button--join') as HTMLElement
        return [getComputedStyle(document.body).backgroundColor, getComputedStyle(card).backgroundColor, getComputedStyle(join).color]
      })
    await home.page.emulateMedia({ colorScheme: 'light' })
    expect(await colours()).toEqual(['rgb(244, 245, 247)', 'rgb(255, 255, 255)', 'rgb(255, 255, 255)'])
    await home.page.emulateMedia({ colorScheme: 'dark' })
    expect(await colours()).toEqual(['rgb(17, 18, 20)', 'rgb(28, 30, 34)', 'rgb(255, 255, 255)'])
    await screenshot(home, 'home-dark')
  } finally {
    await home.close()
  }
})
