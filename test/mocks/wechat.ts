/** Deliver events to the mocked components exactly as WeChat shapes them. */
import { act } from '@testing-library/react'

/**
 * Fire `type` on a mocked component; its handler receives `{ type, detail }`
 * (or `{ type, details }`, as some WeChat versions deliver it).
 */
export function fireWeChatEvent(
  element: Element,
  type: string,
  detail: Record<string, unknown>,
  key: 'detail' | 'details' | 'touch' = 'detail',
): void {
  act(() => {
    element.dispatchEvent(new CustomEvent(type, { detail: { key, payload: detail }, bubbles: false }))
  })
}

/** `bindstatechange`: `e.detail.code`. */
export const fireStateChange = (el: Element, code: number) => fireWeChatEvent(el, 'statechange', { code })
/** `bindnetstatus`: `e.detail.info`. */
export const fireNetStatus = (el: Element, info: Record<string, unknown>) => fireWeChatEvent(el, 'netstatus', { info })
/** live-pusher `binderror`: `e.detail.errCode`, `e.detail.errMsg`. */
export const fireError = (el: Element, errCode: number, errMsg = '') => fireWeChatEvent(el, 'error', { errCode, errMsg })
/** Input: `e.detail.value`. */
export const fireInput = (el: Element, value: string) => fireWeChatEvent(el, 'input', { value })
/** live-player `bindfullscreenchange`: `e.detail = { direction, fullScreen }`. */
export const fireFullScreenChange = (el: Element, fullScreen: boolean, direction = 0) =>
  fireWeChatEvent(el, 'fullscreenchange', { direction, fullScreen })

/** A touch as WeChat delivers it: `{ identifier, pageX, pageY, clientX, clientY }`. */
const touch = (x: number, y: number) => ({ identifier: 0, pageX: x, pageY: y, clientX: x, clientY: y })

/** A one-finger swipe from (x0, y0) to (x1, y1): touchstart with `touches`, touchend with `changedTouches` (its `touches` empty). */
export function fireSwipe(el: Element, [x0, y0]: [number, number], [x1, y1]: [number, number]): void {
  fireWeChatEvent(el, 'touchstart', { touches: [touch(x0, y0)], changedTouches: [touch(x0, y0)] }, 'touch')
  fireWeChatEvent(el, 'touchend', { touches: [], changedTouches: [touch(x1, y1)] }, 'touch')
}
