import {
  BAD_PUSHER_VIDEO_CACHE_FRAMES,
  FAIR_PUSHER_VIDEO_CACHE_FRAMES,
  fullScreenDirection,
  NETSTATUS_FIELDS,
  POOR_PLAYER_VIDEO_CACHE_MS,
  POOR_PUSHER_VIDEO_CACHE_FRAMES,
  parseNetStatus,
  parseNetStatusInfo,
  qualityFromNetStatus,
  type NetStatus,
  type QualityLevel,
} from '@/core/netstatus'

/** A `bindnetstatus` event as WeChat delivers it. */
const netstatus = (info: unknown) => ({ type: 'netstatus', timeStamp: 1234, target: { id: 'p' }, currentTarget: { id: 'p' }, detail: { info } })

/** A healthy RTC push at the participant preset (150–300 kbps). */
const HEALTHY_PUSH = {
  videoBitrate: 260,
  audioBitrate: 24,
  videoFPS: 15,
  videoGOP: 3,
  netSpeed: 290,
  netJitter: 0,
  videoWidth: 360,
  videoHeight: 640,
  videoCache: 1,
  audioCache: 0,
}

/** A healthy RTC-mode player. */
const HEALTHY_PLAY = {
  videoBitrate: 480,
  audioBitrate: 40,
  videoFPS: 15,
  videoGOP: 2,
  netSpeed: 520,
  netJitter: 2,
  videoWidth: 360,
  videoHeight: 640,
  videoCache: 300,
  audioCache: 300,
  vDecCacheSize: 1,
  vSumCacheSize: 5,
  avPlayInterval: 10,
  avRecvInterval: 12,
  audioCacheThreshold: 500,
}

describe('NETSTATUS_FIELDS', () => {
  test('lists every NetStatus key once', () => {
    expect([...NETSTATUS_FIELDS].sort()).toEqual(
      ['audioBitrate', 'audioCache', 'netJitter', 'netQualityLevel', 'netSpeed', 'videoBitrate', 'videoCache', 'videoFPS', 'videoGOP', 'videoHeight', 'videoWidth'],
    )
    expect(new Set(NETSTATUS_FIELDS).size).toBe(NETSTATUS_FIELDS.length)
  })

  test('cannot be modified at runtime', () => {
    expect(Object.isFrozen(NETSTATUS_FIELDS)).toBe(true)
  })
})

describe('parseNetStatusInfo', () => {
  test('keeps every known field of a full pusher info', () => {
    const info = { ...HEALTHY_PUSH, netQualityLevel: 2 }
    expect(parseNetStatusInfo(info)).toEqual(info)
  })

  test('ignores player-only and unknown keys', () => {
    const parsed = parseNetStatusInfo(HEALTHY_PLAY)
    expect(parsed).toEqual({
      videoBitrate: 480, audioBitrate: 40, videoFPS: 15, videoGOP: 2, netSpeed: 520, netJitter: 2,
      videoWidth: 360, videoHeight: 640, videoCache: 300, audioCache: 300,
    })
    expect(parsed).not.toHaveProperty('vSumCacheSize')
  })

  test.each<[string, unknown, number | undefined]>([
    ['an integer', 300, 300],
    ['a fraction', 12.5, 12.5],
    ['zero', 0, 0],
    ['minus zero, as zero', -0, 0],
    ['a numeric string', '300', 300],
    ['a fractional numeric string', '12.5', 12.5],
    ['a padded numeric string', ' 300 ', 300],
    ['a string with a leading dot', '.5', 0.5],
    ['NaN', NaN, undefined],
    ['Infinity', Infinity, undefined],
    ['-Infinity', -Infinity, undefined],
    ['a negative number', -1, undefined],
    ['a negative string', '-5', undefined],
    ['an empty string', '', undefined],
    ['a non-numeric string', 'fast', undefined],
    ['a number with units', '300kbps', undefined],
    ['a hex string', '0x12C', undefined],
    ['an exponent string', '3e2', undefined],
    ['"Infinity"', 'Infinity', undefined],
    ['null', null, undefined],
    ['a boolean', true, undefined],
    ['an object', { value: 300 }, undefined],
    ['an array', [300], undefined],
  ])('netSpeed as %s', (_name, value, expected) => {
    const parsed = parseNetStatusInfo({ netSpeed: value, videoWidth: 360 })
    expect(parsed).toEqual(expected === undefined ? { videoWidth: 360 } : { netSpeed: expected, videoWidth: 360 })
  })

  test('drops bad fields but keeps the good ones', () => {
    expect(parseNetStatusInfo({ videoBitrate: NaN, audioBitrate: '24', videoFPS: -3, netSpeed: 'n/a', videoCache: {}, netQualityLevel: 3 }))
      .toEqual({ audioBitrate: 24, netQualityLevel: 3 })
  })

  test.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 300],
    ['a string', '{"netSpeed":300}'],
    ['an array', [300]],
    ['an empty object', {}],
    ['only unknown keys', { vSumCacheSize: 5, CPU: '12%' }],
    ['only bad values', { netSpeed: NaN, videoBitrate: -1, videoFPS: 'x' }],
  ])('is null for %s', (_name, info) => {
    expect(parseNetStatusInfo(info)).toBeNull()
  })

  test('never returns the input object (the store keeps its own copy)', () => {
    const info = { netSpeed: 1 }
    expect(parseNetStatusInfo(info)).not.toBe(info)
  })
})

describe('parseNetStatus', () => {
  test('reads e.detail.info', () => {
    expect(parseNetStatus(netstatus({ netSpeed: 300, videoFPS: '15' }))).toEqual({ netSpeed: 300, videoFPS: 15 })
  })

  test('reads e.details.info', () => {
    expect(parseNetStatus({ type: 'netstatus', details: { info: { netSpeed: 300 } } })).toEqual({ netSpeed: 300 })
  })

  test.each<[string, unknown]>([
    ['no info', { type: 'netstatus', detail: {} }],
    ['info is a string', netstatus('netSpeed=300')],
    ['info has nothing usable', netstatus({ netSpeed: 'x' })],
    ['no detail', { type: 'netstatus' }],
    ['null', null],
    ['a number', 7],
  ])('is null for %s', (_name, e) => {
    expect(parseNetStatus(e)).toBeNull()
  })
})

describe('qualityFromNetStatus', () => {
  test.each<[number, QualityLevel]>([
    [1, 'good'],
    [2, 'good'],
    [3, 'fair'],
    [4, 'poor'],
    [5, 'bad'],
    [6, 'bad'],
  ])('netQualityLevel %i → %s, whatever the other fields say', (level, expected) => {
    // Terrible raw fields: the SDK's own level still wins.
    const status: NetStatus = { netQualityLevel: level, videoBitrate: 500, netSpeed: 10, videoCache: 100 }
    expect(qualityFromNetStatus(status, 'pusher')).toBe(expected)
    expect(qualityFromNetStatus({ netQualityLevel: level }, 'player')).toBe(expected)
  })

  test.each<[string, number]>([
    ['0 (undefined)', 0],
    ['7 (out of range)', 7],
    ['2.5 (not a level)', 2.5],
  ])('netQualityLevel %s falls through to the raw fields', (_name, level) => {
    expect(qualityFromNetStatus({ ...HEALTHY_PUSH, netQualityLevel: level }, 'pusher')).toBe('good')
    expect(qualityFromNetStatus({ ...HEALTHY_PUSH, netQualityLevel: level, netSpeed: 100 }, 'pusher')).toBe('poor')
    expect(qualityFromNetStatus({ netQualityLevel: level }, 'pusher')).toBe('unknown')
  })

  test.each<[string, NetStatus | null | undefined]>([
    ['null', null],
    ['undefined', undefined],
    ['an empty status', {}],
    ['only the picture size', { videoWidth: 360, videoHeight: 640 }],
    ['netSpeed without bitrates', { netSpeed: 300 }],
    ['bitrates without netSpeed', { videoBitrate: 300, audioBitrate: 24 }],
    ['fps without a bitrate', { videoFPS: 2 }],
    ['a tiny stream (ratios are noise)', { videoBitrate: 0, audioBitrate: 8, netSpeed: 1 }],
  ])('unknown for %s', (_name, status) => {
    expect(qualityFromNetStatus(status, 'pusher')).toBe('unknown')
    expect(qualityFromNetStatus(status, 'player')).toBe('unknown')
  })

  describe('pusher, derived (rtmp:// push, no netQualityLevel)', () => {
    test.each<[string, NetStatus, QualityLevel]>([
      ['a healthy push', HEALTHY_PUSH, 'good'],
      ['sending what it encodes', { videoBitrate: 500, audioBitrate: 48, netSpeed: 548 }, 'good'],
      ['sending 85 % of it', { videoBitrate: 500, audioBitrate: 48, netSpeed: 466 }, 'good'],
      ['sending 70 % of it', { videoBitrate: 500, audioBitrate: 48, netSpeed: 384 }, 'fair'],
      ['sending 40 % of it', { videoBitrate: 500, audioBitrate: 48, netSpeed: 219 }, 'poor'],
      ['sending 21 % of it', { videoBitrate: 500, audioBitrate: 48, netSpeed: 116 }, 'poor'],
      ['sending 15 % of it', { videoBitrate: 500, audioBitrate: 48, netSpeed: 82 }, 'bad'],
      ['sending nothing', { videoBitrate: 500, audioBitrate: 48, netSpeed: 0 }, 'bad'],
      ['audio only (camera off), keeping up', { videoBitrate: 0, audioBitrate: 48, netSpeed: 50, videoFPS: 0 }, 'good'],
      [`a backlog of ${FAIR_PUSHER_VIDEO_CACHE_FRAMES} frames`, { ...HEALTHY_PUSH, videoCache: FAIR_PUSHER_VIDEO_CACHE_FRAMES }, 'fair'],
      [`a backlog of ${POOR_PUSHER_VIDEO_CACHE_FRAMES} frames`, { ...HEALTHY_PUSH, videoCache: POOR_PUSHER_VIDEO_CACHE_FRAMES }, 'poor'],
      ['cache alone, small', { videoCache: 2 }, 'good'],
      ['cache alone, piling up', { videoCache: 45 }, 'poor'],
      [`a backlog of ${BAD_PUSHER_VIDEO_CACHE_FRAMES} frames (~4 s)`, { ...HEALTHY_PUSH, videoCache: BAD_PUSHER_VIDEO_CACHE_FRAMES }, 'bad'],
      ['fps 0 while video bits flow: frames lost', { ...HEALTHY_PUSH, videoFPS: 0 }, 'bad'],
      ['fps 1 is poor, not bad', { ...HEALTHY_PUSH, videoFPS: 1 }, 'poor'],
      ['fps dropping to 8', { ...HEALTHY_PUSH, videoFPS: 8 }, 'fair'],
      ['fps collapsing to 3', { ...HEALTHY_PUSH, videoFPS: 3 }, 'poor'],
      ['fps 0 with the camera off is fine', { videoBitrate: 0, audioBitrate: 48, videoFPS: 0, netSpeed: 48 }, 'good'],
      ['the worst signal wins', { ...HEALTHY_PUSH, videoFPS: 8, videoCache: 40 }, 'poor'],
    ])('%s → %s', (_name, status, expected) => {
      expect(qualityFromNetStatus(status, 'pusher')).toBe(expected)
    })
  })

  describe('player, derived', () => {
    test.each<[string, NetStatus, QualityLevel]>([
      ['a healthy stream', parseNetStatusInfo(HEALTHY_PLAY) as NetStatus, 'good'],
      ['receiving 60 % of the bitrate', { videoBitrate: 480, audioBitrate: 40, netSpeed: 312, videoFPS: 15, videoCache: 300 }, 'fair'],
      ['receiving 30 % of the bitrate', { videoBitrate: 480, audioBitrate: 40, netSpeed: 156, videoFPS: 15, videoCache: 300 }, 'poor'],
      ['fps collapsing', { videoBitrate: 480, audioBitrate: 40, netSpeed: 520, videoFPS: 2, videoCache: 300 }, 'poor'],
      ['receiving almost nothing (10 %)', { videoBitrate: 480, audioBitrate: 40, netSpeed: 52, videoFPS: 15, videoCache: 300 }, 'bad'],
      ['receiving nothing of a live stream', { videoBitrate: 480, audioBitrate: 40, netSpeed: 0 }, 'bad'],
      ['a frozen picture (0 fps, bits arriving)', { videoBitrate: 480, audioBitrate: 40, netSpeed: 520, videoFPS: 0, videoCache: 300 }, 'bad'],
      ['fps dropping', { videoBitrate: 480, audioBitrate: 40, netSpeed: 520, videoFPS: 9, videoCache: 300 }, 'fair'],
      ['an empty buffer while video flows', { videoBitrate: 480, audioBitrate: 40, netSpeed: 520, videoFPS: 15, videoCache: 0 }, 'fair'],
      [`more than ${POOR_PLAYER_VIDEO_CACHE_MS} ms buffered`, { videoBitrate: 480, audioBitrate: 40, netSpeed: 520, videoFPS: 15, videoCache: POOR_PLAYER_VIDEO_CACHE_MS + 1 }, 'poor'],
      [`exactly ${POOR_PLAYER_VIDEO_CACHE_MS} ms buffered`, { videoBitrate: 480, videoCache: POOR_PLAYER_VIDEO_CACHE_MS }, 'good'],
      ['camera off: empty buffer and 0 fps are normal', { videoBitrate: 0, audioBitrate: 40, netSpeed: 42, videoFPS: 0, videoCache: 0 }, 'good'],
      ['a backlog in frames that a pusher would flag is fine in ms', { videoBitrate: 480, audioBitrate: 40, netSpeed: 520, videoFPS: 15, videoCache: 60 }, 'good'],
    ])('%s → %s', (_name, status, expected) => {
      expect(qualityFromNetStatus(status, 'player')).toBe(expected)
    })
  })

  test('works end to end from a WeChat event', () => {
    const e = netstatus({ videoBitrate: '500', audioBitrate: '48', netSpeed: '120', videoFPS: '15' })
    expect(qualityFromNetStatus(parseNetStatus(e), 'pusher')).toBe('poor')
  })
})

describe('fullScreenDirection', () => {
  test.each<[string, NetStatus | null | undefined, 0 | 90]>([
    ['a portrait camera (360×640)', { videoWidth: 360, videoHeight: 640 }, 0],
    ['a landscape stream (640×360)', { videoWidth: 640, videoHeight: 360 }, 90],
    ['a square picture', { videoWidth: 480, videoHeight: 480 }, 0],
    ['no size yet', { videoBitrate: 300 }, 0],
    ['only a width', { videoWidth: 640 }, 0],
    ['no netstatus at all', undefined, 0],
    ['null', null, 0],
  ])('%s → %i', (_name, status, direction) => {
    expect(fullScreenDirection(status)).toBe(direction)
  })
})
