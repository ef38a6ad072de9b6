/** @jest-environment jsdom */
/**
 * What the room page's events send over setData and render, structurally
 * (issue 12): which nodes travel, not how many bytes (bench/ui measures
 * those; `npm run bench:ui`). Taro re-sends a parent's whole child list when
 * a node leaves it and a node whole when it is new, so these say that the
 * grid keeps its nodes and changes classes and texts instead.
 */
import { CostMeter } from '../../bench/ui/measure'
import { unloadAll } from './harness'
import { Others, openMeeting } from './meeting'

const others = new Others()
let meter: CostMeter | undefined

afterEach(async () => {
  meter?.dispose()
  meter = undefined
  await unloadAll()
  others.dispose()
})

const HEALTHY = { videoBitrate: 480, audioBitrate: 32, videoFPS: 15, netSpeed: 560, netJitter: 2, videoWidth: 360, videoHeight: 640 }

test('a tile going live (2004) and back to reconnecting (2103) changes a class and a text: no player node, no other tile', async () => {
  const { page, room, remotes } = await openMeeting(others, { remotes: 3 })
  meter = new CostMeter(page)
  const first = remotes[0].id
  expect(room.playerAttr(0, 'src')).toBe(remotes[0].playUrl)

  const live = await meter.measure('2004', () => room.firePlayerStateChange(0, 2004))
  expect(page.findAll('.tile')[0].classes).toContain('tile--live')
  expect(live.calls).toBeGreaterThan(0)
  expect(live.playersSent).toBe(0)
  expect(live.tilesSent).toBe(0)
  expect(live.tileListsSent).toBe(0)
  expect(live.tileRenders).toEqual([first])
  expect(live.gridRenders).toBe(0)

  const reconnecting = await meter.measure('2103', () => room.firePlayerStateChange(0, 2103))
  expect(page.findAll('.tile')[0].text()).toContain('重新连接中')
  expect(reconnecting.playersSent).toBe(0)
  expect(reconnecting.tilesSent).toBe(0)
  expect(reconnecting.tileRenders).toEqual([first])
})

test('a netstatus that keeps the quality level sends nothing and renders nothing', async () => {
  const { page, room } = await openMeeting(others, { remotes: 2 })
  meter = new CostMeter(page)
  await room.firePlayerStateChange(0, 2004)
  const firstTick = await meter.measure('first tick', () => room.firePlayerNetStatus(0, HEALTHY))
  expect(firstTick.calls).toBeGreaterThan(0) // the quality dot appears: the meter does see setData
  const sameLevel = await meter.measure('same level', () => room.firePlayerNetStatus(0, HEALTHY))
  expect(sameLevel.calls).toBe(0)
  expect(sameLevel.renderCount).toBe(0)
})

test('a join sends the new tile only and renders no other tile', async () => {
  // 3 + 1: the newcomer still fits the phone's page of 4.
  const { page, room, meetingId } = await openMeeting(others, { remotes: 3 })
  meter = new CostMeter(page)
  let joinedId = ''
  const join = await meter.measure('join', async () => {
    joinedId = (await others.join(meetingId, 'R4')).id
    await page.waitFor(() => room.players().length === 4, 'the 4th tile')
  })
  expect(join.tilesSent).toBe(1)
  expect(join.playersSent).toBe(1)
  expect(join.tileListsSent).toBe(0)
  expect(join.tileRerenders).toEqual([])
  expect(join.tileRenders).toEqual([joinedId])
  expect(join.gridRenders).toBe(1)
})

test('a leave on the page does not re-send the grid’s child list nor render the other tiles', async () => {
  const { page, room, remotes } = await openMeeting(others, { remotes: 4 })
  meter = new CostMeter(page)
  const leave = await meter.measure('leave', async () => {
    await remotes[1].client.leave()
    await page.waitFor(() => room.players().length === 3, 'R2’s tile to go')
  })
  expect(room.players().map((p) => p.attr('src'))).toEqual([remotes[0], remotes[2], remotes[3]].map((r) => r.playUrl))
  expect(leave.calls).toBeGreaterThan(0)
  expect(leave.tileListsSent).toBe(0)
  expect(leave.tilesSent).toBe(0)
  expect(leave.playersSent).toBe(0)
  expect(leave.tileRerenders.filter((id) => id !== remotes[1].id)).toEqual([])
})

test('a leave on another page that removes the pager does not re-send the grid', async () => {
  // 5 on a phone's pages of 4: the fifth alone on page 2.
  const { page, room, remotes } = await openMeeting(others, { remotes: 5 })
  expect(page.find('.video-grid__pager')?.classes).not.toContain('video-grid__pager--hidden')
  meter = new CostMeter(page)
  const leave = await meter.measure('leave', async () => {
    await remotes[4].client.leave()
    await page.waitFor(() => page.get('.video-grid__pager').classes.includes('video-grid__pager--hidden'), 'the pager to hide')
  })
  expect(room.players()).toHaveLength(4)
  expect(leave.tileListsSent).toBe(0)
  expect(leave.tilesSent).toBe(0)
  expect(leave.playersSent).toBe(0)
  expect(leave.tileRenders).toEqual([])
})

// who is speaking: the level ticks of a talking room must cost little.
const SPEAK_TICK_MS = 300
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('one participant talking (a tick every 300 ms, level varying) changes only that tile’s classes, a few times a second', async () => {
  const { page, room, remotes } = await openMeeting(others, { remotes: 4 })
  for (let i = 0; i < 4; i++) await room.firePlayerStateChange(i, 2004)
  meter = new CostMeter(page)
  const levels = [20, 55, 70, 35, 10, 60, 45, 80, 30, 50, 65, 25, 40, 70, 15, 55]
  const talking = await meter.measure('talking', async () => {
    for (const level of levels) {
      await room.firePlayerVolume(2, level)
      await pause(SPEAK_TICK_MS)
    }
  })
  expect(page.findAll('.video-grid .tile')[2].classes).toContain('tile--speaking')
  // Something did change (the meter sees it), but never more than once per tick…
  expect(talking.calls).toBeGreaterThan(0)
  expect(talking.calls).toBeLessThanOrEqual(levels.length)
  // …and only the talking tile: no other tile, no player node, no tile list, no grid render.
  expect(new Set(talking.tileRenders)).toEqual(new Set([remotes[2].id]))
  expect(talking.playersSent).toBe(0)
  expect(talking.tilesSent).toBe(0)
  expect(talking.tileListsSent).toBe(0)
  expect(talking.gridRenders).toBe(0)
})

test('a silent room (ticks at level 0 on every player and the pusher) sends nothing and renders nothing', async () => {
  const { page, room } = await openMeeting(others, { remotes: 3 })
  for (let i = 0; i < 3; i++) await room.firePlayerStateChange(i, 2004)
  meter = new CostMeter(page)
  const silence = await meter.measure('silence', async () => {
    for (let n = 0; n < 6; n++) {
      await room.firePusherVolume(0)
      for (let i = 0; i < 3; i++) await room.firePlayerVolume(i, 2)
      await pause(SPEAK_TICK_MS)
    }
  })
  expect(silence.calls).toBe(0)
  expect(silence.renderCount).toBe(0)
})
