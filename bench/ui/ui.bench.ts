/** @jest-environment jsdom */
/**
 * `npm run bench:ui`: what the room page's events cost the compiled mini
 * program (dist/weapp in miniprogram-simulate, the harness of test/weapp),
 * for 4, 9 and 25 remote participants: setData calls, keys and bytes of
 * every instance, what the payload carried, and the React renders.
 *
 * The page's user creates the meeting on the home page; the others are the
 * app's room client in Node (real sockets, real room service). Every event
 * is delivered as WeChat delivers it (statechange / netstatus on the
 * `<live-player>`, a real participant joining and leaving).
 *
 * BENCH_UI_SIZES=4,9 picks the room sizes; BENCH_UI_SAVE=path writes the raw
 * results there instead of BENCHMARKS.md (e.g. a build of an older commit,
 * WEAPP_DIST=…, to compare: BENCH_UI_BEFORE=path adds it to the table).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { PAGE_SIZES } from '../../src/core/grid-layout'
import { unloadAll, type PageHandle } from '../../test/weapp/harness'
import { Others, openMeeting } from '../../test/weapp/meeting'
import type { RoomDriver } from '../../test/weapp/room-driver'
import { writeBenchSection } from '../lib/benchmarks-md'
import { CostMeter, liveTileBytes } from './measure'
import { renderUiSection, type RoomRun } from './report'

const SIZES = (process.env.BENCH_UI_SIZES ?? '4,9,25').split(',').map((n) => Number(n.trim()))
/** The fake client is a phone held upright: this many players per page (core/grid-layout.ts). */
const PAGE = PAGE_SIZES.phone.portrait
const STEADY_MS = 3_000
/** WeChat's audiovolumenotify period (about; it is not documented). */
const SPEAK_TICK_MS = 300
/** A healthy RTC stream, as live-player reports it (netstatus `detail.info`). */
const HEALTHY = { videoBitrate: 480, audioBitrate: 32, videoFPS: 15, netSpeed: 560, netJitter: 2, videoWidth: 360, videoHeight: 640, videoCache: 0 }

const others = new Others()
const runs: RoomRun[] = []
const started = Date.now()

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

afterAll(() => {
  const save = process.env.BENCH_UI_SAVE
  if (save) {
    writeFileSync(save, `${JSON.stringify(runs, null, 2)}\n`)
    return
  }
  if (runs.length !== SIZES.length) return // a room failed: keep the last good section
  const beforeFile = process.env.BENCH_UI_BEFORE ?? 'bench/ui/before.json'
  const before = existsSync(beforeFile) ? (JSON.parse(readFileSync(beforeFile, 'utf8')) as RoomRun[]) : null
  const section = renderUiSection(runs, before, (Date.now() - started) / 1000)
  writeBenchSection('ui', section)
  process.stdout.write(`\n${section}\n`)
})

/** Waits until the control bar counts `n` people (the page's user included). */
const peopleCount = (page: PageHandle, n: number) =>
  page.waitFor(() => page.text().includes(`成员 ${n}`), `the control bar to count ${n} people`, { timeoutMs: 10_000 })

async function everyTileLive(room: RoomDriver): Promise<void> {
  for (let i = 0; i < room.players().length; i++) await room.firePlayerStateChange(i, 2004)
}

async function everyTileNetStatus(room: RoomDriver): Promise<void> {
  for (let i = 0; i < room.players().length; i++) await room.firePlayerNetStatus(i, HEALTHY)
}


test.each(SIZES)('%i remote participants', async (n) => {
  const { page, room, remotes, meetingId } = await openMeeting(others, { remotes: n })
  const meter = new CostMeter(page)
  // A tile is known by its player's signed src, which the service gave each participant.
  const idBySrc = new Map(remotes.map((r) => [r.playUrl, r.id]))
  const tileId = (index: number): string => idBySrc.get(String(room.playerAttr(index, 'src'))) ?? '?'
  const events: RoomRun['events'][number][] = []
  try {
    const first = tileId(0)
    events.push({ ...(await meter.measure('2004: a tile goes live', () => room.firePlayerStateChange(0, 2004))), kind: 'status', concerned: [first] })
    await everyTileLive(room)
    const tileBytes = liveTileBytes(page)

    const steady = await meter.measure(`steady room, ${STEADY_MS / 1000} s`, () => page.wait(STEADY_MS))
    events.push({ ...steady, kind: 'steady', concerned: [] })

    await everyTileNetStatus(room) // the first tick sets each tile's quality dot
    events.push({ ...(await meter.measure('netstatus on every tile, quality level kept', () => everyTileNetStatus(room))), kind: 'netstatus', concerned: [] })

    // who is speaking: a level tick every 300 ms, as bindaudiovolumenotify sends them.
    const talker = tileId(0)
    const speechLevels = [20, 55, 70, 35, 10, 60, 45, 80, 30, 50, 65, 25, 40, 70, 15, 55]
    events.push({
      ...(await meter.measure(`one participant talking, ${(speechLevels.length * SPEAK_TICK_MS) / 1000} s`, async () => {
        for (const level of speechLevels) {
          await room.firePlayerVolume(0, level)
          await page.wait(SPEAK_TICK_MS)
        }
      })),
      kind: 'talking',
      concerned: [talker],
    })
    await page.wait(2_000) // the talker’s release and stale deadlines (1.5 s) pass
    events.push({
      ...(await meter.measure('silence: level 0 ticks on every tile', async () => {
        for (let t = 0; t < 6; t++) {
          for (let i = 0; i < room.players().length; i++) await room.firePlayerVolume(i, 0)
          await page.wait(SPEAK_TICK_MS)
        }
      })),
      kind: 'silence',
      concerned: [],
    })

    const second = tileId(1)
    events.push({ ...(await meter.measure('2103: live → reconnecting', () => room.firePlayerStateChange(1, 2103))), kind: 'status', concerned: [second] })
    events.push({ ...(await meter.measure('2004: reconnecting → live', () => room.firePlayerStateChange(1, 2004))), kind: 'status', concerned: [second] })
    events.push({ ...(await meter.measure('-2301: SDK gave up, the app remounts the player', () => room.firePlayerStateChange(1, -2301))), kind: 'restart', concerned: [second] })
    await room.firePlayerStateChange(1, 2004)

    let joiner: Awaited<ReturnType<Others['join']>> | undefined
    const join = await meter.measure(`a join (${n + 1}th remote${n + 1 > PAGE ? ', on another page' : ''})`, async () => {
      joiner = await others.join(meetingId, `R${n + 1}`)
      await peopleCount(page, n + 2)
    })
    events.push({ ...join, kind: 'join', concerned: [joiner?.id ?? '?'] })

    const joined = joiner
    if (!joined) throw new Error('the join did not happen')
    const leaveWhere = n + 1 > PAGE ? (n === PAGE ? 'on another page; the pager goes away' : 'on another page') : 'on the page'
    events.push({
      ...(await meter.measure(`a leave (${leaveWhere})`, async () => {
        await joined.client.leave()
        await peopleCount(page, n + 1)
      })),
      kind: 'leave',
      concerned: [joined.id],
    })

    const leaver = remotes[0]
    const movesIn = n > PAGE ? remotes[PAGE]?.id : undefined
    events.push({
      ...(await meter.measure(`a leave (on the page${movesIn ? `; the ${PAGE + 1}th moves in` : ''})`, async () => {
        await leaver.client.leave()
        await peopleCount(page, n)
      })),
      kind: 'leave',
      concerned: movesIn ? [leaver.id, movesIn] : [leaver.id],
    })

    runs.push({ remotes: n, tileBytes, events })
  } finally {
    meter.dispose()
  }
})
