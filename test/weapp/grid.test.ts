/** @jest-environment jsdom */
/**
 * The grid, focus and full screen, and the statistics view in the compiled
 * mini program: the built dist/weapp through the real Taro runtime, a real
 * room service, the others real room clients. WeChat's events as the client
 * shapes them (taps, touches with `touches` / `changedTouches`,
 * `bindfullscreenchange`'s `detail`); the player context is the fake wx's
 * recording `createLivePlayerContext(id)`.
 */
import { DOUBLE_TAP_MS } from '../../src/hooks/useTaps'
import { unloadAll, type PageHandle, type WeappNode } from './harness'
import { Others, openMeeting } from './meeting'
import type { RoomDriver } from './room-driver'

const others = new Others()
let page: PageHandle
let room: RoomDriver

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

async function open(remotes: number) {
  const meeting = await openMeeting(others, { remotes })
  page = meeting.page
  room = meeting.room
  return meeting
}

/** The remote tiles in grid order (Taro renders no data-* attributes in weapp, so by position). */
const remoteTiles = (): WeappNode[] => page.findAll('.video-grid .tile').filter((t) => !t.classes.includes('tile--gone'))
const gridClasses = () => page.get('.video-grid').classes
const srcs = () => room.players().map((p) => p.attr('src'))

/** A touch as WeChat delivers it. */
const touch = (x: number, y: number) => ({ identifier: 0, pageX: x, pageY: y, clientX: x, clientY: y })

async function swipe(from: [number, number], to: [number, number]): Promise<void> {
  const grid = page.get('.video-grid')
  await grid.dispatch('touchstart', {}, { touches: [touch(...from)], changedTouches: [touch(...from)] })
  await grid.dispatch('touchend', {}, { touches: [], changedTouches: [touch(...to)] })
}

test('a phone mounts 4 players; a swipe to page 2 mounts its players and unmounts page 1’s; the dots follow', async () => {
  const { remotes } = await open(6)
  expect(srcs()).toEqual(remotes.slice(0, 4).map((r) => r.playUrl))
  expect(page.get('.video-grid__dots').text()).toBe('● ○')
  await swipe([320, 300], [60, 310])
  expect(srcs()).toEqual(remotes.slice(4).map((r) => r.playUrl))
  expect(page.get('.video-grid__dots').text()).toBe('○ ●')
  expect(page.text()).toContain('第 2/2 页')
  await swipe([60, 300], [320, 300])
  expect(srcs()).toEqual(remotes.slice(0, 4).map((r) => r.playUrl))
})

test('tap → focus layout; tap the large tile → grid; no player remounted on the way', async () => {
  const { remotes } = await open(3)
  const players = room.players().map((p) => p.raw)
  await remoteTiles()[1].tap()
  await page.waitFor(() => gridClasses().includes('video-grid--focus'), 'the focus layout')
  expect(remoteTiles()[1].classes).toContain('tile--focused')
  expect(remoteTiles().filter((t) => t.classes.includes('tile--focused'))).toHaveLength(1)
  expect(page.get('.video-grid__focus-bar').classes).not.toContain('video-grid__focus-bar--hidden')
  // The same player nodes: focus is a class, not a remount.
  expect(room.players().map((p) => p.raw)).toEqual(players)
  expect(srcs()).toEqual(remotes.map((r) => r.playUrl))

  await remoteTiles()[1].tap()
  await page.waitFor(() => !gridClasses().includes('video-grid--focus'), 'the grid again')
})

test.each<[string, number, number, number]>([
  ['a landscape stream: direction 90', 640, 360, 90],
  ['a portrait stream: direction 0', 360, 640, 0],
])('double tap → requestFullScreen on that player: %s; back to grid → exitFullScreen', async (_name, videoWidth, videoHeight, direction) => {
  const { remotes } = await open(3)
  await room.firePlayerStateChange(2, 2004)
  await room.firePlayerNetStatus(2, { videoBitrate: 500, audioBitrate: 40, netSpeed: 560, videoFPS: 15, videoWidth, videoHeight })
  const playerId = `player-${remotes[2].id}`
  expect(room.player(2).id).toBe(playerId)
  await remoteTiles()[2].tap()
  await remoteTiles()[2].tap()
  await page.wait(DOUBLE_TAP_MS + 100)
  const ctx = page.wx.playerContext(playerId)
  expect(ctx?.calls.map((c) => [c.method, (c.args[0] as { direction?: number } | undefined)?.direction])).toEqual([
    ['requestFullScreen', direction],
  ])
  // The single tap was dropped: the grid stays under the full screen.
  expect(gridClasses()).not.toContain('video-grid--focus')

  // The player reports full screen; focus it, then "back to grid" exits through the context.
  await room.player(2).dispatch('fullscreenchange', { fullScreen: true, direction })
  await remoteTiles()[2].tap()
  await page.waitFor(() => gridClasses().includes('video-grid--focus'), 'the focus layout')
  await page.get('.video-grid__back').tap()
  expect(page.wx.playerContext(playerId)?.methods()).toContain('exitFullScreen')
  expect(gridClasses()).not.toContain('video-grid--focus')
  await room.player(2).dispatch('fullscreenchange', { fullScreen: false, direction: 0 })
})

test('the statistics view shows numbers from netstatus and no full signed URL', async () => {
  const { remotes } = await open(2)
  await room.firePlayerStateChange(0, 2004)
  await room.firePlayerNetStatus(0, { videoBitrate: 412, audioBitrate: 32, netSpeed: 450, videoFPS: 15, netJitter: 3, videoWidth: 360, videoHeight: 640, videoCache: 280, audioCache: 190 })
  await room.firePusherNetStatus({ videoBitrate: 700, audioBitrate: 48, netSpeed: 760, videoFPS: 15, videoWidth: 360, videoHeight: 640, videoCache: 1 })
  expect(page.find('.stats-panel')).toBeUndefined()
  await page.get('.control-bar__debug').tap()
  const panel = page.get('.stats-panel')
  const text = panel.text()
  for (const shown of ['视频码率 412 kbps', '网速 450 kbps', '分辨率 360×640', '视频缓存 280', '视频码率 700 kbps', '推流码率上限 1000 kbps']) {
    expect(text).toContain(shown)
  }
  for (const url of [remotes[0].playUrl, remotes[1].playUrl, String(room.pusherAttr('url'))]) {
    const secret = /txSecret=([0-9a-f]{32})/.exec(url)?.[1]
    expect(secret).toBeDefined()
    expect(text).not.toContain(secret as string)
    expect(text).not.toContain(url)
  }
  expect(text).toContain('txSecret=***')
  await page.get('.stats-panel__close').tap()
  expect(page.find('.stats-panel')).toBeUndefined()
})

test('a back while focused closes the focus layout, not the page (page-container)', async () => {
  await open(2)
  const guard = page.get('page-container')
  expect(guard.attr('show')).toBe(false)
  await remoteTiles()[0].tap()
  await page.waitFor(() => gridClasses().includes('video-grid--focus'), 'the focus layout')
  expect(page.get('page-container').attr('show')).toBe(true)
  // What WeChat does on a right swipe / Android back while the container is shown.
  await page.get('page-container').dispatch('afterleave', {})
  expect(gridClasses()).not.toContain('video-grid--focus')
  expect(page.get('page-container').attr('show')).toBe(false)
  expect(page.wx.navigations.filter((n) => n.api === 'navigateBack')).toEqual([])
})
