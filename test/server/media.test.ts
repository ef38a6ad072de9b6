/**
 * Publish and play authorisation against the embedded media server, with a
 * real RTMP publisher (the fixture clip, sent from Node) and real players:
 * a signed publish plays back over HTTP-FLV (and WS-FLV, RTMP); unsigned,
 * wrongly signed, expired, other-stream and wrong-app publishes are refused
 * before any media reaches a player; plays are checked the same way; a
 * participant who leaves has its stream cut.
 */
import type { LocalMediaProvider, RefusalEvent, StreamEvent } from '../../server/media/local'
import { signedQuery } from '../../server/media/tencent-sign'
import type { RunningService } from '../../server/service'
import { closeAll, enter, TestClient } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import {
  hasPlayableAv,
  mediaTags,
  playHttpFlv,
  playRtmp,
  playWsFlv,
  publish,
  readFixturePackets,
  type PlayResult,
} from './helpers/media'
import { LOCAL_MEDIA_ENV, startTestService } from './helpers/service'

const PUSH_KEY = LOCAL_MEDIA_ENV.MEDIA_PUSH_KEY as string
const PLAY_KEY = LOCAL_MEDIA_ENV.MEDIA_PLAY_KEY as string
const HOUR = 3600_000

let service: RunningService
let media: LocalMediaProvider
const packets = readFixturePackets()
const opened: TestClient[] = []
let streamCounter = 0

/** A stream name no other test uses. */
const uniqueStream = (label: string): string => `t${process.pid}_${Date.now().toString(36)}_${streamCounter++}_${label}`

const pushUrl = (stream: string, query: string, app = 'live'): string =>
  `rtmp://127.0.0.1:${media.ports.rtmp}/${app}/${stream}${query === '' ? '' : `?${query}`}`
const flvUrl = (stream: string, query: string): string => `http://127.0.0.1:${media.ports.httpFlv}/live/${stream}.flv${query === '' ? '' : `?${query}`}`
const signed = (key: string, stream: string, expiresAt = Date.now() + HOUR): string => signedQuery(key, stream, expiresAt)

/** Resolve with the next event of this name about `stream`. */
function nextEvent<E extends 'publish-accepted' | 'publish-refused' | 'play-refused' | 'play-accepted'>(
  name: E,
  stream: string,
): Promise<E extends 'publish-refused' | 'play-refused' ? RefusalEvent : StreamEvent> {
  return new Promise((resolve) => {
    const listener = (event: StreamEvent | RefusalEvent): void => {
      if (event.streamName !== stream) return
      media.events.off(name, listener as never)
      resolve(event as never)
    }
    media.events.on(name, listener as never)
  })
}

/** Start a signed HTTP-FLV player and wait until it is attached, so it sees everything published afterwards. */
async function attachPlayer(
  stream: string,
  timeoutMs: number,
  until = hasPlayableAv,
  stopWhen?: Promise<unknown>,
): Promise<{ result: Promise<PlayResult> }> {
  let attached: () => void = () => {}
  const ready = new Promise<void>((resolve) => (attached = resolve))
  const result = playHttpFlv(flvUrl(stream, signed(PLAY_KEY, stream)), { timeoutMs, until, onAttached: attached, stopWhen })
  await ready
  // Wrapped: an async function returning a promise would wait for it.
  return { result }
}

beforeAll(async () => {
  service = await startTestService(LOCAL_MEDIA_ENV)
  media = service.media as LocalMediaProvider
})

afterEach(async () => {
  await closeAll(opened.splice(0))
})

afterAll(async () => {
  await service.stop()
})

test('the fixture is a small H.264 + AAC clip', () => {
  expect(packets.length).toBeGreaterThan(50)
  expect(packets.some((p) => p.codec_type === 9 && p.flags === 2)).toBe(true)
  expect(packets.some((p) => p.codec_type === 8 && p.flags === 0)).toBe(true)
})

test('a signed publish from the join response plays back over HTTP-FLV from the URL the others were given', async () => {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await enter(service, meetingId, { nickname: 'Host', hostKey })
  const guest = await enter(service, meetingId, { nickname: 'Guest' })
  opened.push(host.client, guest.client)
  const hostPlayUrl = guest.welcome.participants.find((p) => p.id === host.id)?.playUrl as string
  const stream = /\/live\/([^.?]+)/.exec(host.join.pushUrl)?.[1] as string

  let attached: () => void = () => {}
  const ready = new Promise<void>((resolve) => (attached = resolve))
  const playing = playHttpFlv(hostPlayUrl, { timeoutMs: 5000, until: hasPlayableAv, onAttached: attached })
  await ready
  const accepted = nextEvent('publish-accepted', stream)
  const attempt = await publish(host.join.pushUrl, packets, { whilePublishing: async () => void (await playing) })
  const played = await playing

  expect(attempt).toMatchObject({ started: true, closedByServer: false, error: undefined, packetsWritten: packets.length })
  expect(await accepted).toMatchObject({ streamName: stream, protocol: 'rtmp' })
  expect(played.status).toBe(200)
  expect(hasPlayableAv(played.tags)).toBe(true)
  const video = played.tags.filter((t) => t.type === 9)
  expect(video[0]).toMatchObject({ codec: 7, packetType: 0 })
})

describe('publishes that must be refused before any media flows', () => {
  test.each<[string, string, (stream: string) => string]>([
    ['unsigned', 'unsigned', (s) => pushUrl(s, '')],
    ['signed with a wrong key', 'bad_signature', (s) => pushUrl(s, signed('not-the-push-key-0000', s))],
    ['signed with the play key', 'bad_signature', (s) => pushUrl(s, signed(PLAY_KEY, s))],
    ['signed for another stream', 'bad_signature', (s) => pushUrl(s, signed(PUSH_KEY, `${s}_other`))],
    ['expired', 'expired', (s) => pushUrl(s, signed(PUSH_KEY, s, Date.now() - 1000))],
    ['with a tampered txTime', 'bad_signature', (s) => pushUrl(s, signed(PUSH_KEY, s).replace(/txTime=([0-9A-F]+)/, (_m, t: string) => `txTime=${(parseInt(t, 16) + 3600).toString(16).toUpperCase()}`))],
    ['to another app', 'bad_path', (s) => pushUrl(s, signed(PUSH_KEY, s), 'other')],
  ])('a publish %s is refused (%s); a player waiting on the stream gets no media', async (label, reason, urlFor) => {
    for (const eager of [false, true]) {
      const stream = uniqueStream(`${label.replace(/\W+/g, '_')}${eager ? '_eager' : ''}`)
      let attemptDone: () => void = () => {}
      const settled = new Promise<void>((resolve) => (attemptDone = resolve))
      const player = await attachPlayer(stream, 5000, (tags) => mediaTags(tags).length > 0, settled)
      const refused = nextEvent('publish-refused', stream)
      // eager: the media rides in the same TCP write as the publish command.
      const attempt = await publish(urlFor(stream), packets, { holdMs: 1000, eager })
      expect(await refused).toMatchObject({ streamName: stream, reason })
      expect(attempt.closedByServer || attempt.error !== undefined).toBe(true)
      // Anything relayed would reach the player within this margin (an accepted publish does in a few ms).
      setTimeout(attemptDone, 300)
      const played = await player.result
      expect(played.status).toBe(200)
      expect(mediaTags(played.tags)).toEqual([])
    }
  })

  test('HTTP-FLV publishing (POST) is refused: RTMP is the only way in', async () => {
    const stream = uniqueStream('post')
    const refused = nextEvent('publish-refused', stream)
    const res = await http('POST', flvUrl(stream, signed(PUSH_KEY, stream)), 'FLV')
    expect(res.status).toBe(403)
    expect(await refused).toMatchObject({ reason: 'not_rtmp' })
  })
})

describe('plays are signed and checked too', () => {
  test('while a signed stream is live, only correctly signed players get media', async () => {
    const stream = uniqueStream('play')
    const live = publish(pushUrl(stream, signed(PUSH_KEY, stream)), packets, {
      whilePublishing: async () => {
        const unsigned = await playHttpFlv(flvUrl(stream, ''), { timeoutMs: 1000 })
        const wrongKey = await playHttpFlv(flvUrl(stream, signed(PUSH_KEY, stream)), { timeoutMs: 1000 })
        const expired = await playHttpFlv(flvUrl(stream, signed(PLAY_KEY, stream, Date.now() - 1000)), { timeoutMs: 1000 })
        const otherStream = await playHttpFlv(flvUrl(stream, signed(PLAY_KEY, `${stream}x`)), { timeoutMs: 1000 })
        for (const refused of [unsigned, wrongKey, expired, otherStream]) {
          expect(refused.status).toBe(403)
          expect(refused.tags).toEqual([])
        }
        const good = await playHttpFlv(flvUrl(stream, signed(PLAY_KEY, stream)), { timeoutMs: 3000, until: hasPlayableAv })
        expect(good.status).toBe(200)
        expect(hasPlayableAv(good.tags)).toBe(true)

        const wsUrl = (query: string): string => `ws://127.0.0.1:${media.ports.httpFlv}/live/${stream}.flv?${query}`
        const wsRefused = await playWsFlv(wsUrl('txSecret=0&txTime=0'), { timeoutMs: 1000 })
        expect(wsRefused).toMatchObject({ closedByServer: true, bytes: 0 })
        const wsGood = await playWsFlv(wsUrl(signed(PLAY_KEY, stream)), { timeoutMs: 3000, until: hasPlayableAv })
        expect(hasPlayableAv(wsGood.tags)).toBe(true)

        const rtmpRefused = await playRtmp(pushUrl(stream, ''), 1000)
        expect(rtmpRefused).toMatchObject({ packets: 0, closedByServer: true })
        const rtmpGood = await playRtmp(pushUrl(stream, signed(PLAY_KEY, stream)), 3000)
        expect(rtmpGood.packets).toBeGreaterThanOrEqual(10)
      },
    })
    expect(await live).toMatchObject({ started: true, closedByServer: false, error: undefined })
  })
})

describe('streams follow their participants', () => {
  test('a participant who leaves has its publish cut, and its push URL no longer works', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const host = await enter(service, meetingId, { nickname: 'Host', hostKey })
    const guest = await enter(service, meetingId, { nickname: 'Guest' })
    opened.push(host.client, guest.client)
    const stream = /\/live\/([^.?]+)/.exec(guest.join.pushUrl)?.[1] as string

    const accepted = nextEvent('publish-accepted', stream)
    const attempt = await publish(guest.join.pushUrl, packets, {
      holdMs: 3000,
      whilePublishing: async () => {
        await accepted
        expect(await guest.client.request({ type: 'leave' })).toMatchObject({ type: 'ack' })
      },
    })
    expect(attempt).toMatchObject({ started: true, closedByServer: true })

    const refused = nextEvent('publish-refused', stream)
    await publish(guest.join.pushUrl, packets, { holdMs: 1000 })
    expect(await refused).toMatchObject({ reason: 'revoked' })
  })

  test('a stream re-published within 30 s resumes: the player keeps going and timestamps move on', async () => {
    const stream = uniqueStream('resume')
    const url = pushUrl(stream, signed(PUSH_KEY, stream))
    const enoughForTwo = (tags: readonly { type: number; timestamp: number }[]): boolean =>
      tags.filter((t) => t.type === 9).length >= 2 * packets.filter((p) => p.codec_type === 9).length - 5
    const player = await attachPlayer(stream, 6000, enoughForTwo)
    await publish(url, packets)
    const second = await publish(url, packets)
    expect(second).toMatchObject({ started: true, closedByServer: false })
    const played = await player.result
    const videoTimes = played.tags.filter((t) => t.type === 9 && t.packetType === 1).map((t) => t.timestamp)
    const clipEnd = Math.max(...packets.filter((p) => p.codec_type === 9).map((p) => p.dts))
    expect(Math.max(...videoTimes)).toBeGreaterThan(clipEnd)
  }, 15_000)
})
