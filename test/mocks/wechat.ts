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
  key: 'detail' | 'details' = 'detail',
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
