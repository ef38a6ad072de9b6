/** @jest-environment jsdom */
/**
 * What the compiled room page does with WeChat's events: the built dist/weapp
 * (made with TARO_APP_DEV_FIXTURE=1 so the room has demo participants) run by
 * miniprogram-simulate, events through the real Taro runtime.
 */
import { loadPage, unloadAll, type PageHandle } from './harness'
import { roomDriver, type RoomDriver } from './room-driver'

let page: PageHandle
let room: RoomDriver

async function openRoom(role: 'host' | 'participant', demo: number) {
  page = await loadPage('pages/room/index', { meetingId: '123456789', nickname: 'weapp', role, demo: String(demo) })
  room = roomDriver(page)
}

afterEach(() => unloadAll())

/** The remote tiles in grid order (Taro renders no data-* attributes, so by position). */
const remoteTiles = () => page.findAll('.video-grid .tile')

const congested = { videoBitrate: 900, audioBitrate: 48, netSpeed: 400, netJitter: 70, videoFPS: 15, videoCache: 25 }

test('one pusher with the host preset and a RTC player per remote participant', async () => {
  await openRoom('host', 3)
  expect(page.findAll('live-pusher')).toHaveLength(1)
  expect(room.pusherAttr('mode')).toBe('RTC')
  expect(room.pusherAttr('min-bitrate')).toBe(200)
  expect(room.pusherAttr('max-bitrate')).toBe(1000)
  expect(room.pusherAttr('audio-quality')).toBe('high')
  expect(room.players()).toHaveLength(3)
  room.players().forEach((_p, i) => {
    expect(room.playerAttr(i, 'mode')).toBe('RTC')
    expect(room.playerAttr(i, 'object-fit')).toBe('fillCrop')
    expect(room.playerAttr(i, 'autoplay')).toBe(true)
    expect(room.playerAttr(i, 'src')).toBe(`rtmp://127.0.0.1:1935/live/demo-${i + 1}`)
  })
})

test('a participant pushes with 150–300 kbps and low audio', async () => {
  await openRoom('participant', 1)
  expect([room.pusherAttr('min-bitrate'), room.pusherAttr('max-bitrate')]).toEqual([150, 300])
  expect(room.pusherAttr('audio-quality')).toBe('low')
})

test('congestion in bindnetstatus lowers the pusher max-bitrate, never below the preset minimum', async () => {
  await openRoom('host', 1)
  for (let i = 0; i < 3; i++) await room.firePusherNetStatus(congested)
  const cut = room.pusherAttr('max-bitrate') as number
  expect(cut).toBeLessThan(1000)
  expect(cut).toBeGreaterThanOrEqual(200)
  for (let i = 0; i < 30; i++) await room.firePusherNetStatus({ ...congested, videoBitrate: 150, netSpeed: 30 })
  expect(room.pusherAttr('max-bitrate')).toBe(200)
  expect(room.pusherAttr('min-bitrate')).toBe(200)
})

test('1101 cuts at once and shows a toast', async () => {
  await openRoom('host', 1)
  await room.firePusherStateChange(1002)
  await room.firePusherStateChange(1101)
  expect(room.pusherAttr('max-bitrate') as number).toBeLessThan(1000)
  expect(page.wx.toasts.length).toBeGreaterThanOrEqual(1)
  expect(page.wx.toasts.at(-1)?.title).toMatch(/网络/)
})

test('player statechange codes show on the tile: connecting, then live, then reconnecting', async () => {
  await openRoom('host', 2)
  const tile = () => remoteTiles()[0]
  expect(tile().text()).toContain('连接中…')
  await room.firePlayerStateChange(0, 2004)
  expect(tile().text()).not.toContain('连接中…')
  await room.firePlayerStateChange(0, 2103)
  expect(tile().text()).toContain('重新连接中…')
  // The other tile did not change.
  expect(remoteTiles()[1].text()).toContain('连接中…')
})

test('player netstatus colours that tile’s network dot', async () => {
  await openRoom('host', 2)
  await room.firePlayerStateChange(0, 2004)
  await room.firePlayerNetStatus(0, { videoBitrate: 300, audioBitrate: 24, netSpeed: 40, videoFPS: 1, netJitter: 90 })
  const [first, second] = remoteTiles()
  expect(first.markup()).toContain('tile__quality--poor')
  expect(second.markup()).toContain('tile__quality--unknown')
})

test('binderror 10001 opens a modal that sends the user to the settings', async () => {
  await openRoom('host', 1)
  await room.firePusherError(10001, 'camera denied')
  expect(page.wx.modals).toHaveLength(1)
  expect(page.wx.modals[0].content).toContain('相机')
  expect(page.wx.modals[0].confirmText).toBe('去设置')
})
