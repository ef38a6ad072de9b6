/**
 * Camera and microphone permission. `wx.authorize` prompts only once; after a
 * refusal the user must be sent to the settings page (platform-facts: trtc-wx
 * checkDeviceAuthorize), so a refusal always leads to a modal that explains
 * and offers openSetting — before entering, and again when the pusher
 * reports 10001/10002 in the room. The user may instead go on without the
 * device (camera off, or muted).
 *
 * A browser has neither authorize nor openSetting: getUserMedia asks, and its
 * refusal comes back as -1301/-1302, which the media session treats as
 * 10001/10002. There the modal's confirm just tries again.
 */
import Taro from '@tarojs/taro'
import type { Device } from '../core/media-session'
import { stringsFor, type Language } from '../i18n'

export interface Allowed {
  readonly camera: boolean
  readonly mic: boolean
}

const SCOPE: Readonly<Record<Device, 'scope.camera' | 'scope.record'>> = { camera: 'scope.camera', mic: 'scope.record' }
const isBrowser = () => process.env.TARO_ENV === 'h5'

async function authSetting(): Promise<Record<string, boolean | undefined>> {
  try {
    return (await Taro.getSetting()).authSetting as Record<string, boolean | undefined>
  } catch {
    return {}
  }
}

/**
 * Explain why `devices` are needed and offer the settings page. Resolves with
 * what is allowed afterwards (a device the user declines stays refused).
 */
export async function askForPermission(devices: readonly Device[], language: Language): Promise<Allowed> {
  const t = stringsFor(language)
  const camera = devices.includes('camera')
  const mic = devices.includes('mic')
  const content = camera && mic ? t.permissionBoth : camera ? t.permissionCamera : t.permissionMic
  const { confirm } = await Taro.showModal({
    title: t.permissionTitle,
    content,
    confirmText: t.openSettings,
    cancelText: camera ? t.enterWithoutCamera : t.enterMuted,
  }).catch(() => ({ confirm: false }))
  if (isBrowser()) return confirm ? { camera: true, mic: true } : { camera: !camera, mic: !mic }
  let setting: Record<string, boolean | undefined>
  if (confirm) {
    try {
      setting = (await Taro.openSetting()).authSetting as Record<string, boolean | undefined>
    } catch {
      setting = await authSetting()
    }
  } else {
    setting = await authSetting()
  }
  return { camera: setting[SCOPE.camera] === true, mic: setting[SCOPE.mic] === true }
}

/**
 * Before entering: ask for what the attendee wants to use (getSetting →
 * authorize), and on a refusal explain and offer the settings. Resolves with
 * what they will enter with: a refused device is off.
 */
export async function permissionsBeforeEntering(wanted: Allowed, language: Language): Promise<Allowed> {
  if (isBrowser()) return wanted
  const setting = await authSetting()
  const refused: Device[] = []
  for (const device of ['camera', 'mic'] as const) {
    if (!wanted[device] || setting[SCOPE[device]] === true) continue
    try {
      await Taro.authorize({ scope: SCOPE[device] })
    } catch {
      refused.push(device)
    }
  }
  if (refused.length === 0) return wanted
  const allowed = await askForPermission(refused, language)
  return { camera: wanted.camera && allowed.camera, mic: wanted.mic && allowed.mic }
}
