/**
 * The synthetic participants (scripts/lib/bot.ts, scripts/lib/flv-loop.ts)
 * against a real room service and its real embedded media server: they join
 * as the app does and everyone sees their names; their streams play over
 * HTTP-FLV and loop with increasing timestamps; they heartbeat, resume after
 * a dropped socket, answer host actions, stop when removed, and leave
 * cleanly. Plus the command line's refusals.
 */
import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import type WebSocket from 'ws'
import type { ParticipantView } from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import type { LocalMediaProvider } from '../../server/media/local'
import { Bot, FleetError, greetingOf, loadBotClips, preflight, startBots, type BotFleet } from '../../scripts/lib/bot'
import { FlvLoopPublisher, LoopTimeline } from '../../scripts/lib/flv-loop'
import { closeAll, enter, sleep, type Member } from './helpers/client'
import { createMeeting } from './helpers/http'
import { hasPlayableAv, mediaTags, playHttpFlv, type FlvTag } from './helpers/media'
import { LOCAL_MEDIA_ENV, startTestService } from './helpers/service'

jest.setTimeout(30_000)

const CLIP_MS = 10_000
const clips = loadBotClips()

let service: RunningService
let meetingId: string
let host: Member
let fleet: BotFleet | null = null
const others: Member[] = []

/** A port free right now (fixed media ports survive a media server restart; 0 would move them). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

beforeAll(async () => {
  const [rtmp, httpFlv] = [await freePort(), await freePort()]
  service = await startTestService({
    ...LOCAL_MEDIA_ENV,
    RTMP_PORT: String(rtmp),
    HTTP_FLV_PORT: String(httpFlv),
    // A short heartbeat: a bot that did not ping would be dropped within a second.
    HEARTBEAT_INTERVAL_MS: '100',
    HEARTBEAT_TIMEOUT_MS: '1000',
  })
  const created = await createMeeting(service.url)
  meetingId = created.meetingId
  host = await enter(service, meetingId, { nickname: 'Host', hostKey: created.hostKey })
  host.client.startHeartbeat(100)
})

afterAll(async () => {
  await fleet?.stop()
  await closeAll([host?.client, ...others.map((m) => m.client)])
  await service?.stop()
})

/** Track-wise: timestamps never go backwards. */
function monotonic(tags: readonly FlvTag[], type: number): boolean {
  const ts = tags.filter((t) => t.type === type && t.packetType === 1).map((t) => t.timestamp)
  return ts.every((t, i) => i === 0 || t >= ts[i - 1])
}

const botView = (views: readonly ParticipantView[], nickname: string): ParticipantView | undefined =>
  views.find((p) => p.nickname === nickname)

describe('clips', () => {
  it('are nine 10 s H.264 + AAC clips whose idle stand-in matches frame for frame', () => {
    expect(clips.clips).toHaveLength(9)
    for (const clip of clips.clips) {
      expect(clip.video.loopMs).toBeCloseTo(CLIP_MS, -1)
      expect(clip.audio.loopMs).toBeGreaterThanOrEqual(CLIP_MS)
      expect(clip.video.frames[0].key).toBe(true)
      expect([clip.width, clip.height]).toEqual([320, 240])
    }
  })

  it('loop with each track strictly increasing across the seam', () => {
    const timeline = new LoopTimeline(clips.clips[0])
    const seen = { audio: [] as number[], video: [] as number[] }
    for (let due = timeline.take(3 * CLIP_MS); due !== null; due = timeline.take(3 * CLIP_MS)) seen[due.kind].push(due.ts)
    for (const ts of [seen.audio, seen.video]) {
      expect(ts.every((t, i) => i === 0 || t > ts[i - 1])).toBe(true)
      expect(ts[ts.length - 1]).toBeGreaterThan(2.9 * CLIP_MS)
    }
    // 15 fps for three loops
    expect(seen.video.length).toBeGreaterThanOrEqual(3 * 150 - 1)
  })
})

describe('bots in a meeting', () => {
  it('join as the app does: everyone sees them by name, they heartbeat and their streams play', async () => {
    fleet = await startBots({ serviceUrl: service.url, meetingId, count: 3 })
    const names = fleet.bots.map((b) => b.nickname)
    expect(names).toEqual(['Bot 1', 'Bot 2', 'Bot 3'])

    // The host was told of each, in order, with the name.
    const joined = await Promise.all([0, 1, 2].map(() => host.client.event('participant_joined')))
    expect(joined.map((m) => m.participant.nickname)).toEqual(names)

    // A newcomer sees them in its snapshot.
    const newcomer = await enter(service, meetingId, { nickname: 'Newcomer' })
    others.push(newcomer)
    newcomer.client.startHeartbeat(100)
    for (const name of names) expect(botView(newcomer.welcome.participants, name)?.role).toBe('participant')

    // Each bot's stream plays over HTTP-FLV with both tracks, in real time.
    const played = await Promise.all(
      names.map((name) =>
        playHttpFlv(botView(newcomer.welcome.participants, name)?.playUrl ?? '', {
          timeoutMs: 4_000,
          until: (tags) => hasPlayableAv(tags) && mediaTags(tags).filter((t) => t.type === 9).length >= 20,
        }),
      ),
    )
    for (const result of played) {
      expect(result.status).toBe(200)
      expect(hasPlayableAv(result.tags)).toBe(true)
      expect(monotonic(result.tags, 9)).toBe(true)
      expect(monotonic(result.tags, 8)).toBe(true)
    }

    // Well past the 1 s heartbeat timeout: still there, nobody timed out.
    await sleep(1_300)
    expect(host.client.received('participant_left')).toEqual([])
    expect(fleet.bots.every((b) => !b.stopped)).toBe(true)
  })

  it('loop the clip forever: a player sees timestamps run past the clip length, through the seam', async () => {
    const media = service.media as LocalMediaProvider
    const member = await enter(service, meetingId, { nickname: 'Looper' })
    others.push(member)
    member.client.startHeartbeat(100)
    const self = member.welcome.participants.find((p) => p.id === member.id)
    // The player waits on the stream before the publisher starts, so it sees every frame.
    let attached: () => void = () => {}
    const ready = new Promise<void>((resolve) => (attached = resolve))
    const playing = playHttpFlv(self?.playUrl ?? '', {
      timeoutMs: 8_000,
      onAttached: attached,
      until: (tags) => tags.some((t) => t.type === 9 && t.timestamp > CLIP_MS + 1_000),
    })
    await ready
    const accepted = new Promise((resolve) => media.events.once('publish-accepted', resolve))
    // Fast-forward: send 12 s of the clip at once instead of in real time.
    const publisher = new FlvLoopPublisher({ url: member.join.pushUrl, clip: clips.clips[3], idle: clips.idle, aheadMs: 12_000 })
    publisher.start()
    await accepted
    const result = await playing
    await publisher.stop()

    const video = result.tags.filter((t) => t.type === 9 && t.packetType === 1)
    const audio = result.tags.filter((t) => t.type === 8 && t.packetType === 1)
    expect(Math.max(...video.map((t) => t.timestamp))).toBeGreaterThan(CLIP_MS + 1_000)
    expect(Math.max(...audio.map((t) => t.timestamp))).toBeGreaterThan(CLIP_MS)
    // More frames than the clip holds, none going backwards.
    expect(video.length).toBeGreaterThan(150)
    expect(monotonic(result.tags, 9)).toBe(true)
    expect(monotonic(result.tags, 8)).toBe(true)
    // A keyframe right after the seam: the loop restarts at the clip's first (key) frame.
    expect(video.some((t) => t.timestamp >= CLIP_MS && t.timestamp < CLIP_MS + 100 && t.frameType === 1)).toBe(true)
    expect(publisher.statistics.connects).toBe(1)
  })

  it('answer host actions: muted → report micOn false and send silence; unmute → mic back on; camera off → report it', async () => {
    const bot = requireFleet().bots[0]
    const reported = (): Promise<unknown> => new Promise((resolve) => bot.events.once('reported', resolve))

    let report = reported()
    expect(await host.client.request({ type: 'mute_mic', participantId: bot.participantId })).toMatchObject({ type: 'ack' })
    expect(await report).toEqual({ micOn: false })
    expect(bot.micOn).toBe(false)
    expect(bot.publisher?.audio).toBe(false)
    const updated = await host.client.event('participant_updated')
    expect(updated.participant).toMatchObject({ id: bot.participantId, micOn: false, mutedByHost: true })

    report = reported()
    await host.client.request({ type: 'unmute_mic', participantId: bot.participantId })
    expect(await report).toEqual({ micOn: true })
    expect(bot.publisher?.audio).toBe(true)

    report = reported()
    await host.client.request({ type: 'camera_off', participantId: bot.participantId })
    expect(await report).toEqual({ cameraOn: false })
    expect(bot.cameraOn).toBe(false)
    expect(bot.publisher?.video).toBe(false)
    // Still publishing (black frames), as a phone with its camera off keeps its pusher.
    expect(bot.publisher?.currentState).toBe('publishing')
  })

  it('resume after the socket drops: same participant, nobody else hears anything', async () => {
    const bot = requireFleet().bots[0]
    const id = bot.participantId
    const welcomed = new Promise<{ resumed: boolean }>((resolve) => bot.events.once('welcome', resolve))
    const leftBefore = host.client.received('participant_left').length
    ;(bot as unknown as { socket: WebSocket }).socket.terminate()
    expect(await welcomed).toEqual({ resumed: true })
    expect(bot.participantId).toBe(id)
    await sleep(200)
    expect(host.client.received('participant_left')).toHaveLength(leftBefore)
    expect(bot.stopped).toBe(false)
  })

  it('keep publishing across a media server restart', async () => {
    const bot = requireFleet().bots[0]
    const publisher = bot.publisher
    if (publisher === null) throw new Error('bot 1 publishes')
    const connects = publisher.statistics.connects
    const state = (wanted: string): Promise<void> =>
      new Promise((resolve) => {
        const listener = (s: string): void => {
          if (s !== wanted) return
          bot.events.off('publisher', listener)
          resolve()
        }
        bot.events.on('publisher', listener)
      })
    const retrying = state('retrying')
    await service.media.stop()
    await retrying
    const publishing = state('publishing')
    await service.media.start()
    await publishing
    expect(publisher.statistics.connects).toBe(connects + 1)
    // And it plays again.
    const view = botView(
      host.client.received('participant_joined').map((m) => m.participant),
      bot.nickname,
    )
    const result = await playHttpFlv(view?.playUrl ?? '', { timeoutMs: 4_000, until: hasPlayableAv })
    expect(hasPlayableAv(result.tags)).toBe(true)
  })

  it('a removed bot stops: leaves the room and its publisher stops', async () => {
    const bot = requireFleet().bots[1]
    await host.client.request({ type: 'remove_participant', participantId: bot.participantId })
    expect(await bot.ended).toBe('removed')
    expect(bot.publisher?.currentState).toBe('stopped')
    const left = await host.client.event('participant_left')
    expect(left).toEqual({ type: 'participant_left', participantId: bot.participantId, reason: 'removed' })
  })

  it('stop() leaves cleanly: the others get participant_left {reason: "left"}', async () => {
    const bot = requireFleet().bots[2]
    expect(await bot.stop()).toBe('left')
    const left = await host.client.event('participant_left')
    expect(left).toEqual({ type: 'participant_left', participantId: bot.participantId, reason: 'left' })
    expect(bot.publisher?.currentState).toBe('stopped')
    // Idempotent.
    expect(await bot.stop()).toBe('left')
  })

  it('with chat, each bot greets the meeting once after joining and answers nothing', async () => {
    // A meeting of its own: the tests above share the first test's fleet.
    const created = await createMeeting(service.url)
    const chatHost = await enter(service, created.meetingId, { nickname: 'Host', hostKey: created.hostKey })
    others.push(chatHost)
    const greeters = await startBots({ serviceUrl: service.url, meetingId: created.meetingId, count: 2, clips: null, chat: true })
    try {
      const lines = [await chatHost.client.event('chat_message'), await chatHost.client.event('chat_message')]
      expect(lines.map((l) => [l.from.nickname, l.text])).toEqual([
        ['Bot 1', greetingOf('Bot 1')],
        ['Bot 2', greetingOf('Bot 2')],
      ])
      expect(await chatHost.client.request({ type: 'chat_send', text: 'hello bots', clientMsgId: 'h1' })).toMatchObject({ type: 'ack' })
      await chatHost.client.event('chat_message')
      await sleep(300)
      expect(chatHost.client.received('chat_message').map((l) => l.from.nickname)).toEqual(['Bot 1', 'Bot 2', 'Host'])
    } finally {
      await greeters.stop()
    }
  })

  it('stop when the host ends the meeting', async () => {
    const created = await createMeeting(service.url)
    const boss = await enter(service, created.meetingId, { nickname: 'Boss', hostKey: created.hostKey })
    others.push(boss)
    const bot = new Bot({ serviceUrl: service.url, meetingId: created.meetingId, nickname: 'Short-lived', clip: null })
    await bot.start()
    await boss.client.request({ type: 'end_meeting' })
    expect(await bot.ended).toBe('meeting_ended')
  })
})

describe('refusals, worded for the command line', () => {
  it('an unknown meeting, a bad count, a full room, an unreachable service', async () => {
    await expect(preflight(service.url, '123', 1)).rejects.toThrow(new FleetError('meeting 123 does not exist', 'unknown_meeting'))
    await expect(preflight(service.url, '999999999', 1)).rejects.toThrow('meeting 999999999 does not exist')
    await expect(preflight(service.url, meetingId, 0)).rejects.toThrow('--count must be a whole number from 1 to 50 (got 0)')
    await expect(preflight(service.url, meetingId, 51)).rejects.toThrow('from 1 to 50')
    await expect(preflight(service.url, meetingId, 9)).rejects.toThrow(/^meeting \d{9} has room for \d more \(capacity 9, \d in it\); asked for 9 bots$/)
    await expect(preflight('http://127.0.0.1:9', meetingId, 1)).rejects.toThrow(
      /^cannot reach the room service at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)\. Is it running\?/,
    )
  })

  it('npm run bots exits 1 with the message, 2 with usage for bad arguments', async () => {
    const run = (args: string[]): Promise<{ code: number; stderr: string }> =>
      new Promise((resolve) => {
        const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx')
        execFile(tsx, [join(__dirname, '..', '..', 'scripts', 'bots.ts'), ...args], { timeout: 20_000 }, (error, _stdout, stderr) => {
          resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr })
        })
      })
    const [unknown, badCount] = await Promise.all([
      run(['--meeting', '123', '--count', '2', '--service', service.url]),
      run(['--meeting', '123', '--count', '0']),
    ])
    expect(unknown).toEqual({ code: 1, stderr: 'meeting 123 does not exist\n' })
    expect(badCount.code).toBe(2)
    expect(badCount.stderr).toMatch(/^--count must be a whole number from 1 to 50 \(got "0"\)\n\nUsage: npm run bots/)
  })
})

function requireFleet(): BotFleet {
  if (fleet === null) throw new Error('the first test starts the fleet')
  return fleet
}
