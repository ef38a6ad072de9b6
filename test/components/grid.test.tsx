import { act, screen } from '@testing-library/react'
import { meetingStore } from '../../src/store'
import { DOUBLE_TAP_MS } from '../../src/hooks/useTaps'
import { playerContextCalls, system } from '../mocks/taro'
import { fireFullScreenChange, fireNetStatus, fireStateChange, fireSwipe, fireWeChatEvent } from '../mocks/wechat'
import { others, renderRoom, until, useRoomTestLifecycle } from './room-helpers'
import { playerOf, tileOf } from './setup'

/**
 * The grid on a phone (pages of 4, swipe and dots), focus and full screen,
 * and the statistics view, on the room page against a real room service.
 * WeChat's events are shaped as WeChat delivers them (touches, taps,
 * bindfullscreenchange's detail).
 */
useRoomTestLifecycle()

const mountedSrcs = (container: HTMLElement) => Array.from(container.querySelectorAll('live-player')).map((p) => p.getAttribute('src'))
const playUrlOf = (id: string) => meetingStore.getState().participants.byId[id].playUrl
const grid = (container: HTMLElement) => container.querySelector('.video-grid') as HTMLElement

/** Taps with the double-tap window run on fake timers; the sockets keep real ones outside. */
function withFakeTimers(fn: () => void): void {
  jest.useFakeTimers()
  try {
    fn()
  } finally {
    jest.useRealTimers()
  }
}
const tap = (el: HTMLElement) => act(() => el.click())
const wait = (ms: number) => act(() => void jest.advanceTimersByTime(ms))

describe('pages on a phone', () => {
  test('a swipe to the left mounts page 2’s players and unmounts page 1’s; the dots follow; a swipe back returns', async () => {
    const { container, ids } = await renderRoom(6)
    expect(mountedSrcs(container)).toEqual(ids.slice(0, 4).map(playUrlOf))
    expect(container.querySelector('.video-grid__dots')?.textContent).toBe('● ○')

    fireSwipe(grid(container), [300, 300], [60, 320])
    expect(mountedSrcs(container)).toEqual(ids.slice(4).map(playUrlOf))
    expect(container.querySelector('.video-grid__dots')?.textContent).toBe('○ ●')
    expect(screen.getByText('第 2/2 页')).toBeInTheDocument()

    // Past the last page: nothing changes.
    fireSwipe(grid(container), [300, 300], [60, 300])
    expect(mountedSrcs(container)).toEqual(ids.slice(4).map(playUrlOf))

    fireSwipe(grid(container), [60, 300], [300, 300])
    expect(mountedSrcs(container)).toEqual(ids.slice(0, 4).map(playUrlOf))
  })

  test('a short or vertical drag does not turn the page', async () => {
    const { container, ids } = await renderRoom(6)
    fireSwipe(grid(container), [300, 300], [270, 300])
    fireSwipe(grid(container), [300, 100], [200, 500])
    expect(mountedSrcs(container)).toEqual(ids.slice(0, 4).map(playUrlOf))
  })

  test('when the last page empties, the grid shows the page before it', async () => {
    const { container, ids } = await renderRoom(5)
    fireSwipe(grid(container), [300, 300], [60, 300])
    expect(mountedSrcs(container)).toEqual([playUrlOf(ids[4])])
    await others[4].client.leave()
    await until(() => meetingStore.getState().participants.order.length === 4, 'the fifth left')
    expect(meetingStore.getState().ui.page).toBe(0)
    expect(mountedSrcs(container)).toEqual(ids.slice(0, 4).map(playUrlOf))
  })
})

describe('focus', () => {
  test('a tap focuses the tile: large, the others in a strip, no player remounted, the rest by name; a tap on it returns', async () => {
    const { container, ids } = await renderRoom(6)
    const before = mountedSrcs(container)
    withFakeTimers(() => {
      tap(tileOf(container, ids[2]))
      // The single tap waits out the double-tap window.
      expect(grid(container)).not.toHaveClass('video-grid--focus')
      wait(DOUBLE_TAP_MS)
    })
    expect(grid(container)).toHaveClass('video-grid--focus')
    expect(tileOf(container, ids[2])).toHaveClass('tile--focused')
    expect(tileOf(container, ids[0])).not.toHaveClass('tile--focused')
    // Still the page's 4 players (the cap), in the same nodes.
    expect(mountedSrcs(container)).toEqual(before)
    expect(screen.getByText('还有 2 人: R5 · R6')).toBeInTheDocument()
    // No paging while focused.
    expect(container.querySelector('.video-grid__pager')).toHaveClass('video-grid__pager--hidden')

    withFakeTimers(() => {
      tap(tileOf(container, ids[2]))
      wait(DOUBLE_TAP_MS)
    })
    expect(grid(container)).not.toHaveClass('video-grid--focus')
    expect(container.querySelector('.video-grid__focus-bar')).toHaveClass('video-grid__focus-bar--hidden')
  })

  test('"back to grid" leaves the focus layout', async () => {
    const { container, ids } = await renderRoom(2)
    withFakeTimers(() => {
      tap(tileOf(container, ids[1]))
      wait(DOUBLE_TAP_MS)
    })
    expect(grid(container)).toHaveClass('video-grid--focus')
    tap(screen.getByText('返回宫格'))
    expect(grid(container)).not.toHaveClass('video-grid--focus')
  })

  test('a back while focused (page-container afterleave) returns to the grid; the container shows only while focused', async () => {
    const { container, ids } = await renderRoom(2)
    const guard = () => container.querySelector('page-container') as HTMLElement
    expect(guard().getAttribute('show')).toBe('false')
    withFakeTimers(() => {
      tap(tileOf(container, ids[0]))
      wait(DOUBLE_TAP_MS)
    })
    expect(guard().getAttribute('show')).toBe('true')
    fireWeChatEvent(guard(), 'afterleave', {})
    expect(grid(container)).not.toHaveClass('video-grid--focus')
    expect(guard().getAttribute('show')).toBe('false')
  })

  test('a focused participant who leaves gives the grid back', async () => {
    const { container, ids } = await renderRoom(2)
    withFakeTimers(() => {
      tap(tileOf(container, ids[0]))
      wait(DOUBLE_TAP_MS)
    })
    await others[0].client.leave()
    await until(() => meetingStore.getState().participants.order.length === 1, 'the focused one left')
    expect(grid(container)).not.toHaveClass('video-grid--focus')
  })
})

describe('full screen', () => {
  test.each<[string, number, number, 0 | 90]>([
    ['a landscape stream turns the screen (90)', 640, 360, 90],
    ['a portrait stream stays upright (0)', 360, 640, 0],
  ])('a double tap asks that player for full screen: %s', async (_name, videoWidth, videoHeight, direction) => {
    const { container, ids } = await renderRoom(3)
    fireStateChange(playerOf(container, ids[1]), 2004)
    fireNetStatus(playerOf(container, ids[1]), { videoBitrate: 400, audioBitrate: 32, netSpeed: 440, videoFPS: 15, videoWidth, videoHeight })
    withFakeTimers(() => {
      tap(tileOf(container, ids[1]))
      wait(DOUBLE_TAP_MS / 2)
      tap(tileOf(container, ids[1]))
      wait(DOUBLE_TAP_MS * 2)
    })
    expect(playerContextCalls.map((c) => [c.id, c.method, (c.args[0] as { direction?: number }).direction])).toEqual([
      [`player-${ids[1]}`, 'requestFullScreen', direction],
    ])
    // The single tap was dropped: no focus layout under the full screen.
    expect(grid(container)).not.toHaveClass('video-grid--focus')
    // The element id the context is created with is the player's own.
    expect(playerOf(container, ids[1]).id).toBe(`player-${ids[1]}`)
  })

  test('two taps further apart than the window are two single taps', async () => {
    const { container, ids } = await renderRoom(2)
    withFakeTimers(() => {
      tap(tileOf(container, ids[0]))
      wait(DOUBLE_TAP_MS + 10)
      tap(tileOf(container, ids[0]))
      wait(DOUBLE_TAP_MS + 10)
    })
    expect(playerContextCalls).toEqual([])
    // Focused, then unfocused.
    expect(grid(container)).not.toHaveClass('video-grid--focus')
  })

  test('bindfullscreenchange is the truth; "back to grid" exits full screen through the context', async () => {
    const { container, ids } = await renderRoom(2)
    withFakeTimers(() => {
      tap(tileOf(container, ids[0]))
      wait(DOUBLE_TAP_MS)
    })
    fireFullScreenChange(playerOf(container, ids[0]), true, 90)
    expect(meetingStore.getState().focus.fullScreenId).toBe(ids[0])
    tap(screen.getByText('返回宫格'))
    expect(playerContextCalls.map((c) => [c.id, c.method])).toEqual([[`player-${ids[0]}`, 'exitFullScreen']])
    fireFullScreenChange(playerOf(container, ids[0]), false, 0)
    expect(meetingStore.getState().focus.fullScreenId).toBeNull()
    expect(grid(container)).not.toHaveClass('video-grid--focus')
  })
})

describe('statistics', () => {
  test('ⓘ opens live numbers per stream, the ceiling and why, and the code log newest first; no signed URL in full', async () => {
    const { container, ids } = await renderRoom(2)
    const signed = playUrlOf(ids[0])
    const secret = /txSecret=([^&]+)/.exec(signed)?.[1]
    expect(secret).toBeDefined()
    fireStateChange(playerOf(container, ids[0]), 2004)
    fireStateChange(playerOf(container, ids[0]), 2027)
    fireNetStatus(playerOf(container, ids[0]), {
      videoBitrate: 412, audioBitrate: 32, videoFPS: 15, netSpeed: 450, netJitter: 3, videoWidth: 360, videoHeight: 640, videoCache: 280, audioCache: 190,
    })
    expect(container.querySelector('.stats-panel')).toBeNull()
    tap(screen.getByText('ⓘ'))
    const panel = container.querySelector('.stats-panel') as HTMLElement
    const stream = panel.querySelector(`[data-stream="${ids[0]}"]`) as HTMLElement
    for (const text of ['视频码率 412 kbps', '音频码率 32 kbps', '帧率 15 fps', '分辨率 360×640', '网速 450 kbps', '抖动 3', '视频缓存 280', '音频缓存 190']) {
      expect(stream.textContent).toContain(text)
    }
    expect(panel.querySelector(`[data-stream="${ids[1]}"]`)?.textContent).toContain('暂无数据')
    // Host preset: ceiling 1000 kbps, the controller has not acted yet.
    expect(panel.textContent).toContain('推流码率上限 1000 kbps（下限 200 kbps） · 初始值：按角色的预设')
    const lines = Array.from(panel.querySelectorAll('.stats-panel__line')).map((l) => l.textContent ?? '')
    expect(lines[0]).toMatch(/^player .*: 2027 UNKNOWN \[未知\] · 未知事件（代码 2027）$/)
    expect(panel.querySelector('.stats-panel__line')).toHaveClass('stats-panel__line--unknown')
    expect(lines[1]).toContain('2004 PLAY_EVT_PLAY_BEGIN')
    // The address is there, its credentials are not.
    expect(stream.textContent).toContain('txSecret=***')
    expect(panel.textContent).not.toContain(secret as string)
    expect(panel.textContent).not.toContain(signed)
    tap(screen.getByText('关闭'))
    expect(container.querySelector('.stats-panel')).toBeNull()
  })

  test('in English', async () => {
    system.language = 'en'
    await renderRoom(1)
    tap(screen.getByText('ⓘ'))
    expect(screen.getByText('Statistics')).toBeInTheDocument()
    expect(screen.getByText(/Send bitrate ceiling 1000 kbps/)).toBeInTheDocument()
  })
})
