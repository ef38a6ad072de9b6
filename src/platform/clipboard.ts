/**
 * Copy text for the user. The mini program has setClipboardData (WeChat shows
 * its own "内容已复制" toast); the browser has navigator.clipboard, which
 * needs a secure context and may be refused, so a hidden textarea with
 * execCommand('copy') is the fallback. Resolves true when the text was copied.
 */
import Taro from '@tarojs/taro'

function copyWithTextarea(text: string): boolean {
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    document.body.removeChild(area)
  }
}

export async function copyText(text: string): Promise<boolean> {
  if (process.env.TARO_ENV === 'h5') {
    try {
      if (typeof navigator !== 'undefined' && navigator.clipboard !== undefined) {
        await navigator.clipboard.writeText(text)
        return true
      }
    } catch {
      // Refused (no permission, not a secure context): try the old way.
    }
    return copyWithTextarea(text)
  }
  try {
    await Taro.setClipboardData({ data: text })
    return true
  } catch {
    return false
  }
}

