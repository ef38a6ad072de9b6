/**
 * Push presets: the whole 参数设置 table of the platform reference
 * (live-pusher-live-player.zh.txt), one entry per row. Bitrates are kbps, as
 * `min-bitrate` / `max-bitrate` take them. Everything else (role mapping,
 * controller bounds, the UI's preset label) is derived from this table.
 */

/** `mode` of `<live-pusher>`. */
export type PusherMode = 'SD' | 'HD' | 'FHD' | 'RTC'

/** `audio-quality` of `<live-pusher>`: high = 48 kHz, low = 16 kHz. */
export type AudioQuality = 'high' | 'low'

/** A zh-CN and an en string. */
export interface Localized {
  readonly 'zh-CN': string
  readonly en: string
}

export type PresetId =
  | 'live-sd'
  | 'live-hd'
  | 'live-fhd'
  | 'rtc-video-support'
  | 'rtc-car-insurance'
  | 'meeting-host'
  | 'meeting-participant'

export interface Preset {
  readonly id: PresetId
  /** The 场景 column. */
  readonly scene: Localized
  readonly mode: PusherMode
  readonly minBitrateKbps: number
  readonly maxBitrateKbps: number
  readonly audioQuality: AudioQuality
  /** The 说明 column. */
  readonly note: Localized
}

export const PRESETS = {
  /** 标清直播: narrow-band scenes such as outdoors or unstable networks. */
  'live-sd': {
    id: 'live-sd',
    scene: { 'zh-CN': '标清直播', en: 'SD live' },
    mode: 'SD',
    minBitrateKbps: 300,
    maxBitrateKbps: 800,
    audioQuality: 'high',
    note: { 'zh-CN': '窄带场景，例如户外或者网络不稳定的情况下适用', en: 'Narrow-band scenes, e.g. outdoors or on unstable networks' },
  },
  /** 高清直播: the mainstream setting for ordinary live streaming. */
  'live-hd': {
    id: 'live-hd',
    scene: { 'zh-CN': '高清直播', en: 'HD live' },
    mode: 'HD',
    minBitrateKbps: 600,
    maxBitrateKbps: 1200,
    audioQuality: 'high',
    note: { 'zh-CN': '目前主流的 App 所采用的参数设定，普通直播场景推荐使用这一档', en: 'What mainstream apps use; recommended for ordinary live streaming' },
  },
  /** 超清直播: demanding picture quality; HD is enough for phone viewers. */
  'live-fhd': {
    id: 'live-fhd',
    scene: { 'zh-CN': '超清直播', en: 'Full-HD live' },
    mode: 'FHD',
    minBitrateKbps: 600,
    maxBitrateKbps: 1800,
    audioQuality: 'high',
    note: { 'zh-CN': '对清晰度要求比较苛刻的场景，普通手机观看使用 HD 即可', en: 'Scenes that demand sharp pictures; HD is enough for phone viewers' },
  },
  /** 视频客服(用户): voice first, picture second. */
  'rtc-video-support': {
    id: 'rtc-video-support',
    scene: { 'zh-CN': '视频客服(用户)', en: 'Video support (customer)' },
    mode: 'RTC',
    minBitrateKbps: 200,
    maxBitrateKbps: 500,
    audioQuality: 'high',
    note: { 'zh-CN': '这是一种声音为主，画面为辅的场景，所以画质不要设置的太高', en: 'Voice first, picture second, so the picture need not be sharp' },
  },
  /** 车险定损(车主): the car's condition must be visible, so a higher ceiling. */
  'rtc-car-insurance': {
    id: 'rtc-car-insurance',
    scene: { 'zh-CN': '车险定损(车主)', en: 'Car insurance survey (owner)' },
    mode: 'RTC',
    minBitrateKbps: 200,
    maxBitrateKbps: 1200,
    audioQuality: 'high',
    note: { 'zh-CN': '由于可能要看车况详情，画质上限会设置的高一些', en: 'The car must be seen in detail, so the ceiling is higher' },
  },
  /** 多人会议(主讲): the presenter's picture may be sharper than the others'. */
  'meeting-host': {
    id: 'meeting-host',
    scene: { 'zh-CN': '多人会议(主讲)', en: 'Meeting (presenter)' },
    mode: 'RTC',
    minBitrateKbps: 200,
    maxBitrateKbps: 1000,
    audioQuality: 'high',
    note: { 'zh-CN': '主讲人画质可以适当高一些，参与的质量可以设置的低一些', en: 'The presenter may be sharper; participants can be lower' },
  },
  /** 多人会议(参与): participants need neither high picture nor audio quality. */
  'meeting-participant': {
    id: 'meeting-participant',
    scene: { 'zh-CN': '多人会议(参与)', en: 'Meeting (participant)' },
    mode: 'RTC',
    minBitrateKbps: 150,
    maxBitrateKbps: 300,
    audioQuality: 'low',
    note: { 'zh-CN': '作为会议参与者，不需要太高的画质和音质', en: 'A participant needs neither high picture nor audio quality' },
  },
} as const satisfies { readonly [K in PresetId]: Preset & { readonly id: K } }

/** A meeting role. Permissions per role are enforced by the room service. */
export type Role = 'host' | 'participant'

/** Which preset each meeting role pushes with. */
export const ROLE_PRESET = {
  host: 'meeting-host',
  participant: 'meeting-participant',
} as const satisfies { readonly [R in Role]: PresetId }

/** The preset a participant of this role pushes with. */
export function presetForRole(role: Role): Preset {
  return PRESETS[ROLE_PRESET[role]]
}

/** Clamp a bitrate into the preset's [min, max] range; NaN becomes the minimum. */
export function clampToPreset(kbps: number, preset: Preset): number {
  if (!Number.isFinite(kbps)) return Number.isNaN(kbps) ? preset.minBitrateKbps : kbps > 0 ? preset.maxBitrateKbps : preset.minBitrateKbps
  return Math.min(preset.maxBitrateKbps, Math.max(preset.minBitrateKbps, kbps))
}
