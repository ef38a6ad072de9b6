import { PRESETS, ROLE_PRESET, clampToPreset, presetForRole, type AudioQuality, type PresetId, type PusherMode, type Role } from '@/core/presets'

/**
 * The 参数设置 table of the platform reference (live-pusher-live-player.zh.txt),
 * typed in again by hand so a slip in presets.ts cannot hide behind itself.
 */
const REFERENCE_ROWS: ReadonlyArray<[string, PusherMode, number, number, AudioQuality, PresetId]> = [
  ['标清直播', 'SD', 300, 800, 'high', 'live-sd'],
  ['高清直播', 'HD', 600, 1200, 'high', 'live-hd'],
  ['超清直播', 'FHD', 600, 1800, 'high', 'live-fhd'],
  ['视频客服(用户)', 'RTC', 200, 500, 'high', 'rtc-video-support'],
  ['车险定损(车主)', 'RTC', 200, 1200, 'high', 'rtc-car-insurance'],
  ['多人会议(主讲)', 'RTC', 200, 1000, 'high', 'meeting-host'],
  ['多人会议(参与)', 'RTC', 150, 300, 'low', 'meeting-participant'],
]

test('the table has exactly the reference\'s 7 rows', () => {
  expect(Object.keys(PRESETS).sort()).toEqual(REFERENCE_ROWS.map((r) => r[5]).sort())
})

test.each(REFERENCE_ROWS)('%s: %s %i–%i kbps, audio %s', (scene, mode, min, max, audio, id) => {
  const preset = PRESETS[id]
  expect(preset).toMatchObject({ id, mode, minBitrateKbps: min, maxBitrateKbps: max, audioQuality: audio })
  expect(preset.scene['zh-CN']).toBe(scene)
})

describe.each(Object.values(PRESETS).map((p) => [p.id, p] as const))('%s', (_id, preset) => {
  test('min < max, both positive', () => {
    expect(preset.minBitrateKbps).toBeGreaterThan(0)
    expect(preset.maxBitrateKbps).toBeGreaterThan(preset.minBitrateKbps)
  })

  test('has zh-CN and en scene and note', () => {
    for (const text of [preset.scene['zh-CN'], preset.scene.en, preset.note['zh-CN'], preset.note.en]) expect(text.trim()).not.toBe('')
  })
})

test.each<[Role, PresetId, number, number, AudioQuality]>([
  ['host', 'meeting-host', 200, 1000, 'high'],
  ['participant', 'meeting-participant', 150, 300, 'low'],
])('role %s pushes with %s (%i–%i kbps, audio %s)', (role, id, min, max, audio) => {
  expect(ROLE_PRESET[role]).toBe(id)
  expect(presetForRole(role)).toBe(PRESETS[id])
  expect(presetForRole(role)).toMatchObject({ mode: 'RTC', minBitrateKbps: min, maxBitrateKbps: max, audioQuality: audio })
})

describe('clampToPreset', () => {
  test.each<[string, PresetId, number, number]>([
    ['host: inside the range stays', 'meeting-host', 500, 500],
    ['host: the minimum stays', 'meeting-host', 200, 200],
    ['host: the maximum stays', 'meeting-host', 1000, 1000],
    ['host: a fraction inside stays', 'meeting-host', 250.5, 250.5],
    ['host: below the minimum is raised', 'meeting-host', 150, 200],
    ['host: above the maximum is lowered', 'meeting-host', 1001, 1000],
    ['participant: inside the range stays', 'meeting-participant', 250, 250],
    ['participant: the minimum stays', 'meeting-participant', 150, 150],
    ['participant: the maximum stays', 'meeting-participant', 300, 300],
    ["participant: the host's maximum is lowered", 'meeting-participant', 1000, 300],
    ['participant: below the minimum is raised', 'meeting-participant', 149, 150],
    ['participant: zero is raised', 'meeting-participant', 0, 150],
    ['participant: a negative is raised', 'meeting-participant', -100, 150],
    ['participant: NaN becomes the minimum', 'meeting-participant', NaN, 150],
    ['participant: Infinity becomes the maximum', 'meeting-participant', Infinity, 300],
    ['participant: -Infinity becomes the minimum', 'meeting-participant', -Infinity, 150],
    ['live-fhd: NaN becomes the minimum', 'live-fhd', NaN, 600],
    ['live-fhd: Infinity becomes the maximum', 'live-fhd', Infinity, 1800],
  ])('%s (%s: %p kbps → %p)', (_name, id, kbps, expected) => {
    expect(clampToPreset(kbps, PRESETS[id])).toBe(expected)
  })
})
