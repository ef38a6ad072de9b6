/** @jest-environment jsdom */
/**
 * Who is speaking, on the compiled mini program: a player's (and the
 * pusher's) `audiovolumenotify` goes through the template binding and the
 * real Taro runtime to the speaking service, and the right tile gets
 * `tile--speaking` and its volume bar's bucket class; silence clears them.
 * WeChat reports the level every few hundred ms, so the ticks here come
 * 300 ms apart in real time (the service's clock is the real one).
 */
import { createSpeakingService } from '../../src/services/speaking'
import { unloadAll, type PageHandle, type WeappNode } from './harness'
import { Others, openMeeting } from './meeting'
import type { RoomDriver } from './room-driver'

const others = new Others()
const TICK_MS = 300
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

const remoteTiles = (page: PageHandle): WeappNode[] => page.findAll('.video-grid .tile')

/** `levels` on the index-th player (or the pusher for 'self'), one every 300 ms. */
async function talk(room: RoomDriver, who: number | 'self', levels: readonly number[]): Promise<void> {
  for (const level of levels) {
    await (who === 'self' ? room.firePusherVolume(level) : room.firePlayerVolume(who, level))
    await sleep(TICK_MS)
  }
}

test('the tile whose player reports voice is highlighted, and only that one; silence clears it', async () => {
  const { page, room } = await openMeeting(others, { remotes: 3 })
  for (let i = 0; i < 3; i++) await room.firePlayerStateChange(i, 2004)

  await talk(room, 1, [50, 55, 60, 50])
  await page.waitFor(() => remoteTiles(page)[1].classes.includes('tile--speaking'), 'the second tile to be highlighted')
  const tiles = remoteTiles(page)
  expect(tiles.map((t) => t.classes.includes('tile--speaking'))).toEqual([false, true, false])
  expect(tiles[1].get('.tile__mic').classes).toContain('tile__volume--3')
  expect(tiles[0].get('.tile__mic').classes).toContain('tile__volume--0')
  expect(page.find('.tile--local')?.classes).not.toContain('tile--speaking')

  await talk(room, 1, [0, 0, 0, 0])
  await page.waitFor(() => !remoteTiles(page)[1].classes.includes('tile--speaking'), 'the highlight to clear after silence')
  expect(remoteTiles(page)[1].get('.tile__mic').classes).toContain('tile__volume--0')
})

test('the pusher’s level highlights the local tile', async () => {
  const { page, room } = await openMeeting(others, { remotes: 1 })
  await talk(room, 'self', [40, 45, 40])
  await page.waitFor(() => page.get('.tile--local').classes.includes('tile--speaking'), 'the local tile to be highlighted')
  expect(remoteTiles(page)[0].classes).not.toContain('tile--speaking')
})

test('an event WeChat sends without a readable volume changes nothing', async () => {
  const { page, room } = await openMeeting(others, { remotes: 1 })
  await room.player(0).dispatch('audiovolumenotify', { volume: 'loud' })
  await room.player(0).dispatch('audiovolumenotify', {})
  await sleep(TICK_MS)
  expect(remoteTiles(page)[0].get('.tile__mic').classes).toContain('tile__volume--0')
})

test('a speaker on page 2 whose own app reports speaking through the real service is brought onto page 1, its player mounted', async () => {
  const { page, room, remotes } = await openMeeting(others, { remotes: 6 })
  const srcs = () => room.players().map((p) => p.attr('src'))
  expect(srcs()).toEqual(remotes.slice(0, 4).map((r) => r.playUrl))
  // R6's own app: its pusher's level into its speaking service, whose flip its room client sends.
  const r6 = remotes[5]
  const clock = { now: () => Date.now(), setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimer: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) }
  const r6Speaking = createSpeakingService(r6.store, clock)
  try {
    for (let i = 0; i < 5; i++) {
      r6Speaking.selfLevel(60)
      await sleep(TICK_MS)
    }
    expect(r6.store.getState().speaking.self.speaking).toBe(true)
    // The viewer never saw R6's tile (page 2): only the relayed report can bring it in; it takes page 1's last slot.
    await page.waitFor(() => srcs().includes(r6.playUrl), "R6's player to mount on page 1")
    expect(srcs()).toEqual([...remotes.slice(0, 3).map((r) => r.playUrl), r6.playUrl])
    expect(page.get('.video-grid__dots').text()).toBe('● ○')
  } finally {
    r6Speaking.dispose()
  }
})
