/** @jest-environment jsdom */
/**
 * The compiled room page on a tablet-sized window (1024 × 1366, WeChat on an
 * iPad): the grid's shorter side is past DESKTOP_MIN_SHORT_SIDE, so a page
 * holds 9 players, and a memory warning is what limits them. Its own file:
 * the fake client's window is set once, when the app launches.
 */
import { PAGE_SIZES } from '../../src/core/grid-layout'
import { getWx, unloadAll, type PageHandle } from './harness'
import { Others, openMeeting } from './meeting'
import type { RoomDriver } from './room-driver'

getWx({ wx: { systemInfo: { screenWidth: 1024, screenHeight: 1366, windowWidth: 1024, windowHeight: 1366 } } })

const others = new Others()
let page: PageHandle
let room: RoomDriver

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

async function open(remotes: number) {
  const meeting = await openMeeting(others, { remotes, pageSize: PAGE_SIZES.desktop.portrait })
  page = meeting.page
  room = meeting.room
  return meeting
}

test('beyond 9 remote participants only a page of 9 players is mounted', async () => {
  const { remotes } = await open(12)
  expect(room.players()).toHaveLength(9)
  expect(page.text()).toContain('第 1/2 页')
  const next = page.findAll('.video-grid__page-button').find((b) => b.text().includes('下一页'))
  await next?.tap()
  expect(room.players().map((p) => p.attr('src'))).toEqual(remotes.slice(9).map((r) => r.playUrl))
  expect(page.text()).toContain('第 2/2 页')
})

test('a memory warning unmounts the players beyond the first four and says so', async () => {
  await open(6)
  expect(room.players()).toHaveLength(6)
  page.wx.emitMemoryWarning()
  await page.flush()
  expect(room.players()).toHaveLength(4)
  expect(page.findAll('.video-grid .tile')).toHaveLength(6)
  expect(page.text()).toContain('为节省内存，画面已暂停')
  expect(page.wx.toasts.map((t) => t.title)).toContain('手机内存不足，已暂停部分成员的画面')
})
