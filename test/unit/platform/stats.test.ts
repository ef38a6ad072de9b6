import { qualityFromNetStatus } from '../../../src/core/netstatus'
import { playerNetStatus, pusherNetStatus, queuedBytes, queuedFrames, type PlayerSample, type PusherSample } from '../../../src/platform/h5/stats'

const player = (over: Partial<PlayerSample> = {}): PlayerSample => ({
  atMs: 0,
  bytes: 0,
  videoBytes: 0,
  audioBytes: 0,
  receivedVideoFrames: 0,
  decodedFrames: 0,
  videoWidth: 640,
  videoHeight: 360,
  bufferedMs: 0,
  ...over,
})

const pusher = (over: Partial<PusherSample> = {}): PusherSample => ({
  atMs: 0,
  producedBytes: 0,
  bufferedBytes: 0,
  deliveredBytes: null,
  audioBps: 48_000,
  videoTargetBps: 300_000,
  fps: 15,
  width: 640,
  height: 360,
  ...over,
})

describe('playerNetStatus', () => {
  test('rates in kbps over the interval, fps from decoded frames, caches as ms buffered', () => {
    const status = playerNetStatus(
      player({ atMs: 1000, bytes: 10_000, videoBytes: 8_000, audioBytes: 1_500, receivedVideoFrames: 10, decodedFrames: 9 }),
      player({ atMs: 3000, bytes: 110_000, videoBytes: 95_500, audioBytes: 9_500, receivedVideoFrames: 40, decodedFrames: 39, bufferedMs: 412.6 }),
    )
    expect(status).toEqual({
      videoBitrate: 350, // 87 500 B in 2 s
      audioBitrate: 32,
      netSpeed: 400,
      videoFPS: 15,
      videoWidth: 640,
      videoHeight: 360,
      videoCache: 413,
      audioCache: 413,
    })
  })

  test('received frames stand in when the browser does not count decoded ones', () => {
    const status = playerNetStatus(player({ decodedFrames: undefined }), player({ atMs: 1000, receivedVideoFrames: 14, decodedFrames: undefined }))
    expect(status?.videoFPS).toBe(14)
  })

  test('a restarted stream (counters back to small numbers) is not a negative rate', () => {
    const status = playerNetStatus(player({ bytes: 900_000, videoBytes: 800_000 }), player({ atMs: 1000, bytes: 50_000, videoBytes: 40_000 }))
    expect(status).toMatchObject({ netSpeed: 400, videoBitrate: 320 })
  })

  test('samples too close together give nothing', () => {
    expect(playerNetStatus(player({ atMs: 1000 }), player({ atMs: 1100 }))).toBeNull()
  })

  test('an empty buffer while video flows reads as fair, as on a phone', () => {
    const status = playerNetStatus(player(), player({ atMs: 1000, bytes: 40_000, videoBytes: 36_000, audioBytes: 4_000, decodedFrames: 15 }))
    expect(qualityFromNetStatus(status, 'player')).toBe('fair')
  })
})

describe('pusherNetStatus', () => {
  test('a link that keeps up: netSpeed = produced rate, audio its target, video the rest, nothing queued', () => {
    const status = pusherNetStatus(pusher({ atMs: 0 }), pusher({ atMs: 1000, producedBytes: 43_500 }))
    expect(status).toEqual({ videoBitrate: 300, audioBitrate: 48, netSpeed: 348, videoFPS: 15, videoWidth: 640, videoHeight: 360, videoCache: 0 })
    expect(qualityFromNetStatus(status, 'pusher')).toBe('good')
  })

  test('a congested link: the queue grows, netSpeed falls behind, videoCache counts queued frames', () => {
    const status = pusherNetStatus(
      pusher({ atMs: 0, producedBytes: 100_000, bufferedBytes: 20_000 }),
      pusher({ atMs: 1000, producedBytes: 143_500, bufferedBytes: 50_000 }),
    )
    // 43 500 B produced, the queue grew by 30 000 → 13 500 B (108 kbps) left the page.
    expect(status).toMatchObject({ netSpeed: 108, videoBitrate: 300, audioBitrate: 48 })
    // 50 000 B at 43 500 B/s is 1.15 s, 17 frames at 15 fps.
    expect(status?.videoCache).toBe(17)
    expect(qualityFromNetStatus(status, 'pusher')).toBe('poor')
  })

  test('a draining queue counts as sent', () => {
    const status = pusherNetStatus(pusher({ atMs: 0, bufferedBytes: 30_000 }), pusher({ atMs: 1000, producedBytes: 10_000, bufferedBytes: 0 }))
    expect(status?.netSpeed).toBe(320)
  })

  test('microphone off: no audio bitrate; camera off: no fps or size', () => {
    const status = pusherNetStatus(pusher(), pusher({ atMs: 2000, producedBytes: 20_000, audioBps: 0, fps: 0, width: 0, height: 0 }))
    expect(status).toMatchObject({ audioBitrate: 0, videoBitrate: 80, videoFPS: 0, videoWidth: 0, videoCache: 0 })
  })

  test('once the relay reports, netSpeed is what reached it and the queue includes what the socket no longer shows', () => {
    // The socket looks empty (the kernel took the bytes), but the relay has 60 000 of 143 500.
    const status = pusherNetStatus(
      pusher({ atMs: 0, producedBytes: 100_000, deliveredBytes: 50_000 }),
      pusher({ atMs: 1000, producedBytes: 143_500, deliveredBytes: 60_000 }),
    )
    expect(status).toMatchObject({ netSpeed: 80, videoBitrate: 300 })
    // 83 500 B queued at 43 500 B/s is 1.9 s, 29 frames.
    expect(status?.videoCache).toBe(29)
    expect(qualityFromNetStatus(status, 'pusher')).toBe('poor')
  })

  test('the first relay report cannot give a rate yet; the socket queue stands in', () => {
    const status = pusherNetStatus(pusher({ atMs: 0 }), pusher({ atMs: 1000, producedBytes: 43_500, deliveredBytes: 40_000 }))
    expect(status?.netSpeed).toBe(348)
  })

  test('audio never exceeds what was produced', () => {
    expect(pusherNetStatus(pusher(), pusher({ atMs: 1000, producedBytes: 1000 }))).toMatchObject({ audioBitrate: 8, videoBitrate: 0 })
  })
})

test.each([
  [0, 15, 0],
  [43_500, 15, 15],
  [43_500, 0, 0],
  [87_000, 30, 60],
])('queuedFrames(%i B queued at %i fps) = %i', (bytes, fps, frames) => {
  expect(queuedFrames(bytes, { fps, audioBps: 48_000, videoTargetBps: 300_000 })).toBe(frames)
})

test.each([
  ['before the relay reports: the socket queue', { producedBytes: 50_000, bufferedBytes: 7_000, deliveredBytes: null }, 7_000],
  ['after: produced minus delivered', { producedBytes: 50_000, bufferedBytes: 7_000, deliveredBytes: 20_000 }, 30_000],
  ['never less than the socket shows', { producedBytes: 50_000, bufferedBytes: 9_000, deliveredBytes: 45_000 }, 9_000],
])('queuedBytes: %s', (_name, sample, expected) => {
  expect(queuedBytes(sample)).toBe(expected)
})
