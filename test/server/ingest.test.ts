/**
 * Browser publishing through the room service's ingest socket, end to end
 * with the real service, the embedded media server and a real ffmpeg: WebM
 * bytes in over a WebSocket come out as a publish that plays back over
 * HTTP-FLV and WS-FLV from the participant's play URL; URLs the service did
 * not issue are refused without starting ffmpeg; one ingest per participant;
 * and no ffmpeg outlives its socket, its participant or the service.
 *
 * Fixture `test/fixtures/test-pattern-h264-opus.webm` (≈43 KB): 3 s of
 * ffmpeg's testsrc, 320×240 at 15 fps, H.264 Constrained Baseline (keyframe
 * every second) + Opus 48 kHz mono, written as a live Matroska stream (what
 * the relay's `-f webm` demuxer reads; ffmpeg's WebM muxer refuses H.264,
 * Chromium's MediaRecorder writes the same codecs with a "webm" doctype).
 * Made once with:
 *
 *   ffmpeg -f lavfi -i "testsrc=size=320x240:rate=15" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
 *     -t 3 -c:v libx264 -profile:v baseline -pix_fmt yuv420p -preset veryslow -b:v 150k -maxrate 200k \
 *     -bufsize 300k -g 15 -keyint_min 15 -sc_threshold 0 -c:a libopus -b:a 24k -ac 1 -ar 48000 \
 *     -map_metadata -1 -fflags +bitexact -live 1 -f matroska test/fixtures/test-pattern-h264-opus.webm
 */
import { packagedFfmpeg } from '../../server/config'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join as joinPath } from 'node:path'
import WebSocket from 'ws'
import { INGEST_ERRORS, INGEST_MAX_FRAME_BYTES, ingestSocketUrl, type IngestServerMessage } from '../../src/core/ingest'
import type { RunningService } from '../../server/service'
import { closeAll, enter, sleep, TestClient, type Member } from './helpers/client'
import { createMeeting } from './helpers/http'
import { hasPlayableAv, playHttpFlv, playWsFlv } from './helpers/media'
import { LOCAL_MEDIA_ENV, startTestService } from './helpers/service'

const FFMPEG = process.env.FFMPEG_PATH ?? packagedFfmpeg()
const WEBM = readFileSync(joinPath(__dirname, '..', 'fixtures', 'test-pattern-h264-opus.webm'))

/** The relay needs a real ffmpeg; CI installs it. Fail loudly rather than skip. */
function requireFfmpeg(): void {
  const probe = spawnSync(FFMPEG, ['-hide_banner', '-version'], { encoding: 'utf8' })
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(`ffmpeg not found at "${FFMPEG}" (FFMPEG_PATH): install ffmpeg (apt-get install -y ffmpeg)`)
  }
}

/** ffmpeg processes whose parent is this test process (the relay's children). */
function ffmpegChildren(comm = 'ffmpeg'): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === process.pid && name.startsWith(comm)) pids.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}

/** Processes in a process group (the relay gives each ffmpeg its own). */
function groupMembers(pgid: number): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(25)
  }
}

/** A browser's side of the ingest socket. */
class IngestClient {
  readonly messages: IngestServerMessage[] = []
  readonly closed: Promise<{ code: number; reason: string }>
  readonly opened: Promise<void>

  constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.messages.push(JSON.parse(data.toString()) as IngestServerMessage)
    })
    socket.on('error', () => {
      // surfaced through `closed`
    })
  }

  static open(service: RunningService, pushUrl: string, video: 'h264' | 'vp8' = 'h264'): IngestClient {
    return new IngestClient(new WebSocket(ingestSocketUrl(service.url, pushUrl, video)))
  }

  /** Send the WebM in frames of at most INGEST_MAX_FRAME_BYTES, as the H5 pusher does. */
  sendWebm(bytes: Buffer = WEBM): void {
    for (let offset = 0; offset < bytes.length; offset += INGEST_MAX_FRAME_BYTES) {
      this.socket.send(bytes.subarray(offset, offset + INGEST_MAX_FRAME_BYTES), { binary: true })
    }
  }

  async message(type: IngestServerMessage['type'], timeoutMs = 10_000): Promise<IngestServerMessage> {
    await waitFor(() => this.messages.some((m) => m.type === type) || this.socket.readyState === WebSocket.CLOSED, timeoutMs, type)
    const found = this.messages.find((m) => m.type === type)
    if (found === undefined) throw new Error(`socket closed without ${type}: ${JSON.stringify(this.messages)}`)
    return found
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close(1000)
    return this.closed
  }
}

let service: RunningService
const clients: TestClient[] = []
const ingests: IngestClient[] = []

/** A meeting with a host and a guest; the guest sees the host's play URL. */
async function meeting(): Promise<{ host: Member; guest: Member; hostPlayUrl: string }> {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await enter(service, meetingId, { nickname: 'Host', hostKey })
  const guest = await enter(service, meetingId, { nickname: 'Guest' })
  clients.push(host.client, guest.client)
  const hostPlayUrl = guest.welcome.participants.find((p) => p.id === host.id)?.playUrl as string
  return { host, guest, hostPlayUrl }
}

function ingest(pushUrl: string, video: 'h264' | 'vp8' = 'h264'): IngestClient {
  const client = IngestClient.open(service, pushUrl, video)
  ingests.push(client)
  return client
}

describe('with ffmpeg and the embedded media server', () => {
  beforeAll(async () => {
    requireFfmpeg()
    service = await startTestService({ ...LOCAL_MEDIA_ENV, FFMPEG_PATH: FFMPEG })
  })

  afterEach(async () => {
    await Promise.all(ingests.splice(0).map((i) => i.close()))
    await closeAll(clients.splice(0))
    // Every ffmpeg the relay started is gone once its socket is.
    await waitFor(() => ffmpegChildren().length === 0, 5000, 'ffmpeg children to exit')
  })

  afterAll(async () => {
    await service?.stop()
  })

  test('WebM sent over the ingest socket plays back over HTTP-FLV and WS-FLV from the participant’s play URL', async () => {
    const { host, hostPlayUrl } = await meeting()
    let attached = 0
    let bothAttached: () => void = () => {}
    const ready = new Promise<void>((resolve) => (bothAttached = resolve))
    const onAttached = (): void => {
      attached += 1
      if (attached === 2) bothAttached()
    }
    const httpPlay = playHttpFlv(hostPlayUrl, { timeoutMs: 15_000, until: hasPlayableAv, onAttached })
    const wsPlay = playWsFlv(hostPlayUrl.replace(/^http/, 'ws'), { timeoutMs: 15_000, until: hasPlayableAv, onAttached })
    await ready

    const browser = ingest(host.join.pushUrl)
    await browser.opened
    browser.sendWebm()
    expect(await browser.message('publishing')).toEqual({ type: 'publishing' })
    expect(ffmpegChildren()).toHaveLength(1)
    // The relay reports what it took in, which is what the pusher measures its uplink by.
    await waitFor(() => browser.messages.some((m) => m.type === 'progress' && m.receivedBytes === WEBM.length), 5000, 'progress = all bytes')

    const [viaHttp, viaWs] = await Promise.all([httpPlay, wsPlay])
    expect(viaHttp.status).toBe(200)
    expect(hasPlayableAv(viaHttp.tags)).toBe(true)
    expect(hasPlayableAv(viaWs.tags)).toBe(true)
    // H.264 copied (codec 7), Opus re-encoded to AAC (sound format 10).
    expect(viaHttp.tags.find((t) => t.type === 9)).toMatchObject({ codec: 7, packetType: 0 })
    expect(viaHttp.tags.find((t) => t.type === 8)).toMatchObject({ codec: 10, packetType: 0 })

    // The browser hangs up: ffmpeg goes with it.
    expect(await browser.close()).toMatchObject({ code: 1000 })
    await waitFor(() => ffmpegChildren().length === 0, 5000, 'ffmpeg to exit after the socket closed')
  }, 30_000)

  test.each<[string, (m: { host: Member; guest: Member; hostPlayUrl: string }) => string]>([
    ['a forged signature', ({ host }) => host.join.pushUrl.replace(/txSecret=[0-9a-f]+/, 'txSecret=00000000000000000000000000000000')],
    ['an arbitrary RTMP target', ({ host }) => host.join.pushUrl.replace(/^rtmp:\/\/[^/]+/, 'rtmp://203.0.113.7:1935')],
    ['the play URL instead of the push URL', ({ hostPlayUrl }) => hostPlayUrl],
    ['a made-up stream of the same meeting', ({ host }) => host.join.pushUrl.replace(/_[0-9a-f]{8}\?/, '_deadbeef?')],
    ['not a URL', () => 'not a url'],
  ])('%s is refused with bad_push_url, before any ffmpeg starts', async (_label, urlOf) => {
    const m = await meeting()
    const browser = ingest(urlOf(m))
    const closed = await browser.closed
    expect(closed.code).toBe(INGEST_ERRORS.bad_push_url.close)
    expect(browser.messages).toEqual([{ type: 'error', code: 'bad_push_url', message: expect.any(String) }])
    expect(ffmpegChildren()).toEqual([])
  })

  test('a participant who left can no longer ingest, and its running ingest ends', async () => {
    const { host, guest } = await meeting()
    const browser = ingest(guest.join.pushUrl)
    await browser.opened
    browser.sendWebm()
    await browser.message('publishing')
    // Let ffmpeg take in all of the clip and go idle waiting for more: an idle
    // ffmpeg never notices its RTMP connection being cut, so the relay must.
    await waitFor(() => browser.messages.some((m) => m.type === 'progress' && m.receivedBytes === WEBM.length), 5000, 'all bytes relayed')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await guest.client.request({ type: 'leave' })).toMatchObject({ type: 'ack' })
    // Revocation cuts the RTMP publish; ffmpeg exits; the socket is told and closed.
    expect((await browser.closed).code).toBe(INGEST_ERRORS.relay_failed.close)
    await waitFor(() => ffmpegChildren().length === 0, 5000, 'ffmpeg to exit after the participant left')

    const again = ingest(guest.join.pushUrl)
    expect((await again.closed).code).toBe(INGEST_ERRORS.bad_push_url.close)
    expect(host.client.isOpen).toBe(true)
  }, 20_000)

  test('one ingest per participant: a second socket replaces the first, and only one ffmpeg runs', async () => {
    const { host, hostPlayUrl } = await meeting()
    const first = ingest(host.join.pushUrl)
    await first.opened
    first.sendWebm()
    await first.message('publishing')

    const second = ingest(host.join.pushUrl)
    await second.opened
    expect((await first.closed).code).toBe(INGEST_ERRORS.ingest_replaced.close)
    expect(first.messages.at(-1)).toMatchObject({ type: 'error', code: 'ingest_replaced' })
    second.sendWebm()
    await second.message('publishing')
    expect(ffmpegChildren()).toHaveLength(1)
    const played = await playWsFlv(hostPlayUrl.replace(/^http/, 'ws'), { timeoutMs: 10_000, until: hasPlayableAv })
    expect(hasPlayableAv(played.tags)).toBe(true)
  }, 30_000)

  test('text frames are refused and end the ingest', async () => {
    const { host } = await meeting()
    const browser = ingest(host.join.pushUrl)
    await browser.opened
    browser.socket.send('hello')
    expect((await browser.closed).code).toBe(INGEST_ERRORS.bad_message.close)
    await waitFor(() => ffmpegChildren().length === 0, 5000, 'ffmpeg to exit')
  })

  test('VP8 input (browsers without an H.264 recorder) is re-encoded to H.264', async () => {
    const vp8 = spawnSync(
      FFMPEG,
      ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '200k', '-c:a', 'copy', '-f', 'webm', 'pipe:1'],
      { input: WEBM, maxBuffer: 16 << 20 },
    )
    expect(vp8.status).toBe(0)
    const { host, hostPlayUrl } = await meeting()
    const browser = ingest(host.join.pushUrl, 'vp8')
    await browser.opened
    browser.sendWebm(vp8.stdout)
    await browser.message('publishing')
    const played = await playHttpFlv(hostPlayUrl, { timeoutMs: 10_000, until: hasPlayableAv })
    expect(played.tags.find((t) => t.type === 9)).toMatchObject({ codec: 7 })
  }, 30_000)

  test('stopping the service with an ingest running leaves no ffmpeg behind', async () => {
    const { host } = await meeting()
    const browser = ingest(host.join.pushUrl)
    await browser.opened
    browser.sendWebm()
    await browser.message('publishing')
    expect(ffmpegChildren()).toHaveLength(1)
    await service.stop()
    expect(ffmpegChildren()).toEqual([])
    expect((await browser.closed).code).not.toBe(1000)
    clients.splice(0)
    // Later tests in this block get a fresh service.
    service = await startTestService({ ...LOCAL_MEDIA_ENV, FFMPEG_PATH: FFMPEG })
  }, 20_000)
})

describe('backpressure', () => {
  let dir: string

  beforeAll(() => {
    dir = mkdtempSync(joinPath(tmpdir(), 'ingest-test-'))
  })

  afterEach(async () => {
    await Promise.all(ingests.splice(0).map((i) => i.close()))
    await closeAll(clients.splice(0))
    await service?.stop()
    expect(ffmpegChildren('slow-ffmpeg')).toEqual([])
  })

  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('a relay that cannot keep up stops the socket being read, instead of buffering without end', async () => {
    // Stands in for ffmpeg: reads nothing for 2 s, then everything — through
    // a child of its own (no exec), as a wrapper script given as FFMPEG_PATH
    // would — and then lingers past the end of its input, so only a signal to
    // its whole process group ends it.
    const shim = joinPath(dir, 'slow-ffmpeg.sh')
    writeFileSync(shim, '#!/bin/sh\nsleep 2\ncat > /dev/null\nsleep 30\n')
    chmodSync(shim, 0o755)
    service = await startTestService({ ...LOCAL_MEDIA_ENV, FFMPEG_PATH: shim })
    const { host } = await meeting()
    const browser = ingest(host.join.pushUrl)
    await browser.opened
    const total = 4 << 20
    browser.sendWebm(Buffer.alloc(total, 0x5a))
    const received = (): number => Math.max(0, ...browser.messages.map((m) => (m.type === 'progress' ? m.receivedBytes : 0)))
    await sleep(1500)
    // What the relay took in while its child read nothing: the pipe and one
    // write's worth, not the megabytes the browser sent.
    expect(browser.messages.some((m) => m.type === 'progress')).toBe(true)
    expect(received()).toBeLessThan(total / 4)
    // Once the child reads, the rest flows.
    await waitFor(() => received() === total, 15_000, 'every byte to reach the relay')

    // Hanging up ends the wrapper and its child: nothing is left in its process group.
    const [wrapper] = ffmpegChildren('slow-ffmpeg')
    expect(groupMembers(wrapper).length).toBeGreaterThanOrEqual(2)
    await browser.close()
    await waitFor(() => groupMembers(wrapper).length === 0, 5000, 'the wrapper and its child to exit')
  }, 30_000)
})

describe('without a relay', () => {
  afterEach(async () => {
    await Promise.all(ingests.splice(0).map((i) => i.close()))
    await closeAll(clients.splice(0))
    await service?.stop()
  })

  test('a missing ffmpeg answers ingest_unavailable and the service carries on', async () => {
    service = await startTestService({ ...LOCAL_MEDIA_ENV, FFMPEG_PATH: '/nonexistent/ffmpeg' })
    const { host } = await meeting()
    const browser = ingest(host.join.pushUrl)
    await browser.opened
    browser.sendWebm()
    const closed = await browser.closed
    expect(closed.code).toBe(INGEST_ERRORS.ingest_unavailable.close)
    expect(browser.messages).toEqual([{ type: 'error', code: 'ingest_unavailable', message: expect.stringMatching(/ffmpeg/) }])
    expect(await host.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
  })

  test('with the tencent-css provider there is no local relay: ingest_unavailable', async () => {
    service = await startTestService()
    const { host } = await meeting()
    const browser = ingest(host.join.pushUrl)
    expect((await browser.closed).code).toBe(INGEST_ERRORS.ingest_unavailable.close)
    expect(browser.messages[0]).toMatchObject({ code: 'ingest_unavailable', message: expect.stringMatching(/MEDIA_PROVIDER=local/) })
  })
})
