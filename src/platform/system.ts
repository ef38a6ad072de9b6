/** System facts the UI needs, read from the platform once per call. */
import Taro from '@tarojs/taro'
import { languageFromSystem, type Language } from '../i18n'
import type { Size } from '../core/grid-layout'

/** zh-CN unless WeChat (or the browser) runs in English. */
export function systemLanguage(): Language {
  try {
    const info = typeof Taro.getAppBaseInfo === 'function' ? Taro.getAppBaseInfo() : Taro.getSystemInfoSync()
    return languageFromSystem(info.language)
  } catch {
    return 'zh-CN'
  }
}

/**
 * The navigation bar's title (a browser: the document's title) in the user's
 * language: a page config holds one static title, the build's default.
 * Where the platform cannot set it, the static title stays.
 */
export function setPageTitle(title: string): void {
  try {
    Taro.setNavigationBarTitle({ title }).catch(() => undefined)
  } catch {
    // No navigation bar API here: keep the config's title.
  }
}

/** The window in px. */
export function windowSize(): Size {
  try {
    const info = typeof Taro.getWindowInfo === 'function' ? Taro.getWindowInfo() : Taro.getSystemInfoSync()
    return { width: info.windowWidth, height: info.windowHeight }
  } catch {
    return { width: 375, height: 667 }
  }
}

/**
 * Whether the players' sound can go to an earpiece: a phone's live-player has
 * `sound-mode`; a browser plays through whatever output the system chose.
 */
export const hasEarpiece = process.env.TARO_ENV !== 'h5'

type WakeLock = { release(): Promise<void> }
let wakeLock: WakeLock | null = null

/**
 * Call `onChange` with the new window size when it changes (a desktop browser
 * resized, a tablet rotated). Returns the function that stops watching.
 */
export function watchWindowSize(onChange: (size: Size) => void): () => void {
  const listener: Taro.onWindowResize.Callback = (res) => onChange({ width: res.size.windowWidth, height: res.size.windowHeight })
  try {
    Taro.onWindowResize(listener)
  } catch {
    return () => undefined
  }
  return () => {
    try {
      // Taro's typings give off* a looser callback type than on*; it is the same function.
      Taro.offWindowResize(listener as unknown as Taro.offWindowResize.Callback)
    } catch {
      // Nothing to stop where resizing is not reported.
    }
  }
}

/** Keep the screen on while in a meeting; harmless where unsupported. */
export function keepScreenOn(on: boolean): void {
  if (process.env.TARO_ENV === 'h5') {
    // Taro's H5 has no setKeepScreenOn; browsers have the Screen Wake Lock API.
    const nav = navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLock> } }
    if (on && nav.wakeLock && wakeLock === null) {
      nav.wakeLock.request('screen').then((lock) => (wakeLock = lock), () => undefined)
    } else if (!on && wakeLock !== null) {
      wakeLock.release().catch(() => undefined)
      wakeLock = null
    }
    return
  }
  Taro.setKeepScreenOn({ keepScreenOn: on }).catch(() => undefined)
}
