import { meetingStore } from '../../src/store'
import { renderCounts } from '../mocks/taro-components'
import { resetTaroMock } from '../mocks/taro'

/** Each test starts from a fresh store, fresh mocks and zeroed render counters. */
export function resetAll() {
  meetingStore.getState().meetingLeft()
  meetingStore.getState().languageSet('zh-CN')
  resetTaroMock()
  renderCounts.clear()
}

/** The element of a remote tile by participant id. */
export function tileOf(container: HTMLElement, id: string): HTMLElement {
  const el = container.querySelector<HTMLElement>(`[data-participant="${id}"]`)
  if (!el) throw new Error(`no tile for ${id}`)
  return el
}

export function playerOf(container: HTMLElement, id: string): HTMLElement {
  const el = tileOf(container, id).querySelector<HTMLElement>('live-player')
  if (!el) throw new Error(`no live-player in tile ${id}`)
  return el
}

export function pusherOf(container: HTMLElement): HTMLElement {
  const el = container.querySelector<HTMLElement>('live-pusher')
  if (!el) throw new Error('no live-pusher')
  return el
}
