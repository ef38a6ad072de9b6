/**
 * Capture → screen of a remote tile in the browser build: the publisher's
 * camera is replaced (in this bench only, by an init script) with a canvas
 * that draws `Date.now()` as 24 black/white blocks into every frame; the
 * viewer reads the blocks of each frame it presents (requestVideoFrameCallback)
 * and subtracts them from the frame's expected display time. Both pages run
 * in one browser on one machine, so they share the clock.
 *
 * The path measured is the product's: canvas track → MediaRecorder (WebM
 * H.264) → ingest socket → ffmpeg → RTMP → node-media-server → WS-FLV →
 * mpegts.js → MSE → `<video>`.
 */
import type { Browser } from 'playwright-core'
import { joinFromPreJoin, openApp, sleep, waitForPlaying, type AppPage } from '../../test/e2e/helpers/browser'

const BITS = 24
const COLUMNS = 6
const ROWS = 4

/** Publisher side: the clock canvas as the camera (the microphone stays the fake device). */
const CLOCK_CAMERA = `(() => {
  const W = 320, H = 240
  const canvas = document.createElement('canvas')
  canvas.width = W
  canvas.height = H
  const ctx = canvas.getContext('2d')
  const draw = () => {
    const t = Date.now() % ${2 ** BITS}
    for (let i = 0; i < ${BITS}; i++) {
      ctx.fillStyle = (t >> i) & 1 ? '#fff' : '#000'
      ctx.fillRect((i % ${COLUMNS}) * W / ${COLUMNS}, Math.floor(i / ${COLUMNS}) * H / ${ROWS}, W / ${COLUMNS}, H / ${ROWS})
    }
  }
  draw()
  setInterval(draw, 5)
  const media = navigator.mediaDevices
  const original = media.getUserMedia.bind(media)
  media.getUserMedia = async (constraints) => {
    const out = new MediaStream()
    if (constraints && constraints.video) out.addTrack(canvas.captureStream(30).getVideoTracks()[0])
    if (constraints && constraints.audio) (await original({ audio: constraints.audio })).getAudioTracks().forEach((t) => out.addTrack(t))
    return out
  }
})()`

/** Viewer side: decode the clock of every presented frame of the first remote tile. */
const READ_CLOCK = `(() => {
  const samples = []
  const stalls = []
  window.__e2eLatency = samples
  window.__e2eStalls = stalls
  const video = document.querySelector('.video-grid .tile:not(.tile--gone) video')
  if (!video) throw new Error('no remote video')
  video.addEventListener('waiting', () => stalls.push(Date.now()))
  const canvas = document.createElement('canvas')
  const ctx = canvas.getContext('2d', { willReadFrequently: true })
  const onFrame = (_now, meta) => {
    const w = video.videoWidth, h = video.videoHeight
    if (w > 0 && h > 0) {
      canvas.width = w
      canvas.height = h
      ctx.drawImage(video, 0, 0, w, h)
      let t = 0
      let ambiguous = 0
      for (let i = 0; i < ${BITS}; i++) {
        const x = Math.floor(((i % ${COLUMNS}) + 0.5) * w / ${COLUMNS}) - 2
        const y = Math.floor((Math.floor(i / ${COLUMNS}) + 0.5) * h / ${ROWS}) - 2
        const d = ctx.getImageData(x, y, 4, 4).data
        let sum = 0
        for (let k = 0; k < d.length; k += 4) sum += d[k] + d[k + 1] + d[k + 2]
        const level = sum / (d.length / 4) / 3
        if (level > 64 && level < 192) ambiguous++
        if (level >= 128) t += 2 ** i
      }
      const shown = (performance.timeOrigin + meta.expectedDisplayTime) % ${2 ** BITS}
      const b = video.buffered
      const ahead = b.length > 0 ? (b.end(b.length - 1) - video.currentTime) * 1000 : 0
      samples.push({ at: Date.now(), ms: (shown - t + ${2 ** BITS}) % ${2 ** BITS}, ambiguous, ahead })
    }
    video.requestVideoFrameCallback(onFrame)
  }
  video.requestVideoFrameCallback(onFrame)
})()`

export interface CaptureToScreen {
  /** One per presented frame whose blocks decoded cleanly, ms. */
  readonly latencies: readonly number[]
  /** Per clean frame: media buffered ahead of the playhead in the viewer's `<video>`, ms (the player's share). */
  readonly buffered: readonly number[]
  /** Frames left out: a block neither black nor white (a blend), or an impossible value (≥ 10 s). */
  readonly rejected: number
  /** `waiting` events of the viewer's video in the measured window (the buffer ran dry). */
  readonly stalls: number
  readonly seconds: number
}

/**
 * A publisher (the clock camera) and a viewer join `meetingId`; after
 * `warmupMs` of play, every frame the viewer presents for `seconds` is timed.
 */
export async function measureCaptureToScreen(
  browser: Browser,
  serviceUrl: string,
  meetingId: string,
  { warmupMs = 5_000, seconds = 30 }: { warmupMs?: number; seconds?: number } = {},
): Promise<CaptureToScreen> {
  const opened: AppPage[] = []
  try {
    const path = `/#/packages/meeting/prejoin/index?meetingId=${meetingId}`
    const publisher = await openApp(browser, serviceUrl, { path, initScript: CLOCK_CAMERA })
    opened.push(publisher)
    await joinFromPreJoin(publisher.page, 'Clock')
    const viewer = await openApp(browser, serviceUrl, { path })
    opened.push(viewer)
    await joinFromPreJoin(viewer.page, 'Viewer')
    await waitForPlaying(viewer.page, ['Clock'], { timeoutMs: 30_000 })
    await viewer.page.evaluate(READ_CLOCK)
    await sleep(warmupMs)
    const from = Date.now()
    await sleep(seconds * 1000)
    type Sample = { at: number; ms: number; ambiguous: number; ahead: number }
    const samples = (await viewer.page.evaluate(() => (window as unknown as { __e2eLatency: Sample[] }).__e2eLatency)).filter(
      (s) => s.at >= from,
    )
    const clean = samples.filter((s) => s.ambiguous === 0 && s.ms < 10_000)
    if (clean.length === 0) throw new Error(`no frame of the clock decoded cleanly (${samples.length} presented)`)
    const stalls = (await viewer.page.evaluate(() => (window as unknown as { __e2eStalls: number[] }).__e2eStalls)).filter((at) => at >= from)
    return { latencies: clean.map((s) => s.ms), buffered: clean.map((s) => s.ahead), rejected: samples.length - clean.length, stalls: stalls.length, seconds }
  } finally {
    for (const app of opened.reverse()) await app.close().catch(() => {})
  }
}
