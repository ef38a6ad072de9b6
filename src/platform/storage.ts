/**
 * What the app remembers on the device (Taro's sync storage: wx storage in
 * the mini program, localStorage in the browser). Reads never throw: storage
 * that is full, disabled (private browsing) or holds something another
 * version wrote reads as nothing, and a value that is not what we stored is
 * removed so it does not come back.
 */
import Taro from '@tarojs/taro'
import { validateNickname } from '../core/meeting-input'

const NICKNAME_KEY = 'meeting.nickname'

/** The nickname last used to join, or '' when there is none (or it is not a valid nickname). */
export function rememberedNickname(): string {
  let stored: unknown
  try {
    stored = Taro.getStorageSync(NICKNAME_KEY)
  } catch {
    return ''
  }
  // getStorageSync returns '' for a missing key.
  if (stored === '' || stored === undefined || stored === null) return ''
  const checked = validateNickname(stored)
  if (checked.ok) return checked.value
  try {
    Taro.removeStorageSync(NICKNAME_KEY)
  } catch {
    // Nothing more to do: it reads as no nickname either way.
  }
  return ''
}

/** Remember `nickname` for next time; a device that cannot store it simply asks again. */
export function rememberNickname(nickname: string): void {
  try {
    Taro.setStorageSync(NICKNAME_KEY, nickname)
  } catch {
    // Storage full or disabled: the nickname is not remembered, nothing else changes.
  }
}
