import { act, render, screen, waitFor } from '@testing-library/react'
import RoomPage from '../../src/pages/room/index'
import { meetingStore, type ParticipantInfo } from '../../src/store'
import { renderCounts } from '../mocks/taro-components'
import Taro, { modalAnswer, router, system } from '../mocks/taro'
import { fireError, fireNetStatus, fireStateChange, fireWeChatEvent } from '../mocks/wechat'
import { playerOf, pusherOf, resetAll, tileOf } from './setup'

/** The room page with `n` demo participants from the development fixture. */
function renderRoom(n: number, role: 'host' | 'participant' = 'host') {
  process.env.TARO_APP_DEV_FIXTURE = '1'
  router.params = { meetingId: '123456789', nickname: encodeURIComponent('主持人'), role, demo: String(n) }
  return render(<RoomPage />)
}

const participant = (id: string, patch: Partial<ParticipantInfo> = {}): ParticipantInfo => ({
  id,
  nickname: `N-${id}`,
  role: 'participant',
  micOn: true,
  cameraOn: true,
  playUrl: `rtmp://127.0.0.1/live/${id}`,
  ...patch,
})

beforeEach(resetAll)
afterEach(() => {
  delete process.env.TARO_APP_DEV_FIXTURE
})

describe('remote tiles', () => {
  test('every remote participant gets a live-player in RTC mode, autoplay, fillCrop', () => {
    const { container } = renderRoom(4)
    const players = container.querySelectorAll('live-player')
    expect(players).toHaveLength(4)
    players.forEach((p, i) => {
      expect(p.getAttribute('mode')).toBe('RTC')
      expect(p.getAttribute('autoplay')).toBe('true')
      expect(p.getAttribute('object-fit')).toBe('fillCrop')
      expect(p.getAttribute('src')).toBe(`rtmp://127.0.0.1:1935/live/demo-${i + 1}`)
    })
  })

  test('a tile shows the name, the role badge, mic and camera state, the network dot and its status', () => {
    const { container } = renderRoom(0)
    act(() => {
      meetingStore.getState().participantJoined(participant('h', { nickname: '王老师', role: 'host', micOn: false, cameraOn: false }))
    })
    const tile = tileOf(container, 'h')
    expect(tile).toHaveTextContent('王老师')
    expect(tile).toHaveTextContent('主持人')
    expect(tile.querySelector('.tile__mic--off')).not.toBeNull()
    expect(tile.querySelector('.tile__camera--off')).not.toBeNull()
    expect(tile.querySelector('.tile__quality--unknown')).not.toBeNull()
    expect(tile).toHaveTextContent('连接中…')
    expect(tile).toHaveClass('tile--connecting', 'tile--camera-off')
  })

  test('statechange codes drive the tile status: connecting → live → reconnecting → live', () => {
    const { container } = renderRoom(1)
    const tile = tileOf(container, 'demo-1')
    expect(tile).toHaveTextContent('连接中…')
    fireStateChange(playerOf(container, 'demo-1'), 2004)
    expect(tile.querySelector('.tile__status')).toBeNull()
    expect(tile).toHaveClass('tile--live')
    fireStateChange(playerOf(container, 'demo-1'), 2103)
    expect(tile).toHaveTextContent('重新连接中…')
    fireStateChange(playerOf(container, 'demo-1'), 2004)
    expect(tile.querySelector('.tile__status')).toBeNull()
  })

  test('-2301 remounts the player; after the automatic retries the tile fails and a tap retries', () => {
    const { container } = renderRoom(1)
    const first = playerOf(container, 'demo-1')
    fireStateChange(first, -2301)
    const second = playerOf(container, 'demo-1')
    expect(second).not.toBe(first) // a new live-player: the app restarted play
    fireStateChange(second, -2301)
    fireStateChange(playerOf(container, 'demo-1'), -2301)
    fireStateChange(playerOf(container, 'demo-1'), -2301)
    const tile = tileOf(container, 'demo-1')
    expect(tile).toHaveClass('tile--failed')
    expect(tile).toHaveTextContent('连接失败，轻触重试')
    const failedPlayer = playerOf(container, 'demo-1')
    act(() => {
      ;(tile.querySelector('.tile__status') as HTMLElement).click()
    })
    expect(playerOf(container, 'demo-1')).not.toBe(failedPlayer)
    expect(tileOf(container, 'demo-1')).toHaveTextContent('连接中…')
  })

  test('netstatus on a player sets that tile’s network dot', () => {
    const { container } = renderRoom(2)
    fireStateChange(playerOf(container, 'demo-1'), 2004)
    fireNetStatus(playerOf(container, 'demo-1'), { videoBitrate: 300, audioBitrate: 24, netSpeed: 330, videoFPS: 15, netJitter: 0 })
    expect(tileOf(container, 'demo-1').querySelector('.tile__quality--good')).not.toBeNull()
    fireNetStatus(playerOf(container, 'demo-1'), { videoBitrate: 300, audioBitrate: 24, netSpeed: 60, videoFPS: 2, netJitter: 80 })
    expect(tileOf(container, 'demo-1').querySelector('.tile__quality--poor')).not.toBeNull()
    expect(tileOf(container, 'demo-2').querySelector('.tile__quality--unknown')).not.toBeNull()
  })

  test('a netstatus storm for one of 9 remote tiles re-renders that tile only', () => {
    const { container } = renderRoom(9)
    const srcs = Array.from({ length: 9 }, (_, i) => `live-player[rtmp://127.0.0.1:1935/live/demo-${i + 1}]`)
    const before = srcs.map((k) => renderCounts.get(k) ?? 0)
    const gridBefore = renderCounts.get('live-pusher#local-pusher') ?? 0
    const target = playerOf(container, 'demo-5')
    // Alternate between a healthy and a starved stream so the dot really changes.
    for (let i = 0; i < 50; i++) {
      const healthy = i % 2 === 0
      fireNetStatus(target, {
        videoBitrate: 300,
        audioBitrate: 24,
        netSpeed: healthy ? 330 : 40,
        videoFPS: healthy ? 15 : 1,
        netJitter: healthy ? 1 : 90,
        videoWidth: 360,
        videoHeight: 640,
      })
    }
    const after = srcs.map((k) => renderCounts.get(k) ?? 0)
    const rerendered = srcs.filter((_, i) => after[i] !== before[i])
    expect(rerendered).toEqual([srcs[4]])
    expect(after[4] - before[4]).toBeGreaterThanOrEqual(10)
    expect(renderCounts.get('live-pusher#local-pusher') ?? 0).toBe(gridBefore)
  })

  test('beyond 9 remote participants only the visible page of 9 players is mounted', () => {
    const { container } = renderRoom(12)
    expect(container.querySelectorAll('live-player')).toHaveLength(9)
    expect(screen.getByText('第 1/2 页')).toBeInTheDocument()
    act(() => {
      screen.getByText('下一页').click()
    })
    const players = container.querySelectorAll('live-player')
    expect(players).toHaveLength(3)
    expect(players[0].getAttribute('src')).toContain('demo-10')
  })

  test('a participant leaving removes the tile', () => {
    const { container } = renderRoom(3)
    act(() => meetingStore.getState().participantLeft('demo-2'))
    expect(container.querySelectorAll('live-player')).toHaveLength(2)
    expect(container.querySelector('[data-participant="demo-2"]')).toBeNull()
  })

  test('an empty room says so', () => {
    renderRoom(0)
    expect(screen.getByText('会议里还没有其他人')).toBeInTheDocument()
  })
})

describe('the local pusher', () => {
  test('one live-pusher in RTC mode with the host preset bitrates, audio high', () => {
    const { container } = renderRoom(1, 'host')
    expect(container.querySelectorAll('live-pusher')).toHaveLength(1)
    const pusher = pusherOf(container)
    expect(pusher.getAttribute('mode')).toBe('RTC')
    expect(pusher.getAttribute('min-bitrate')).toBe('200')
    expect(pusher.getAttribute('max-bitrate')).toBe('1000')
    expect(pusher.getAttribute('audio-quality')).toBe('high')
    expect(pusher.getAttribute('autopush')).toBe('true')
    expect(pusher.getAttribute('url')).toMatch(/^rtmp:\/\//)
  })

  test('a participant pushes with 150–300 kbps and audio low', () => {
    const { container } = renderRoom(1, 'participant')
    const pusher = pusherOf(container)
    expect([pusher.getAttribute('min-bitrate'), pusher.getAttribute('max-bitrate')]).toEqual(['150', '300'])
    expect(pusher.getAttribute('audio-quality')).toBe('low')
  })

  test('congestion reported through bindnetstatus lowers max-bitrate, and never below the preset minimum', () => {
    const { container } = renderRoom(1, 'host')
    const congested = { videoBitrate: 900, audioBitrate: 48, netSpeed: 400, netJitter: 70, videoFPS: 15, videoCache: 25 }
    for (let i = 0; i < 3; i++) fireNetStatus(pusherOf(container), congested)
    const cut = Number(pusherOf(container).getAttribute('max-bitrate'))
    expect(cut).toBeLessThan(1000)
    for (let i = 0; i < 40; i++) fireNetStatus(pusherOf(container), { ...congested, videoBitrate: 150, netSpeed: 30 })
    expect(Number(pusherOf(container).getAttribute('max-bitrate'))).toBe(200)
  })

  test('the `details` payload some WeChat versions send is understood too', () => {
    const { container } = renderRoom(1, 'host')
    fireWeChatEvent(pusherOf(container), 'statechange', { code: 1002 }, 'details')
    expect(meetingStore.getState().publisher.media).toBe('live')
    fireWeChatEvent(playerOf(container, 'demo-1'), 'statechange', { code: '2004' }, 'details')
    expect(meetingStore.getState().participants.byId['demo-1'].media).toBe('live')
    fireWeChatEvent(pusherOf(container), 'error', { errCode: 10001, errMsg: 'denied' }, 'details')
    expect(meetingStore.getState().ui.modal).toMatchObject({ code: 10001 })
  })

  test('1101 (uplink too slow) shows a toast and cuts the ceiling at once', async () => {
    const { container } = renderRoom(1, 'host')
    fireStateChange(pusherOf(container), 1002)
    fireStateChange(pusherOf(container), 1101)
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalled())
    expect(Number(pusherOf(container).getAttribute('max-bitrate'))).toBeLessThan(1000)
  })

  test('binderror 10001 (camera denied): a modal offers the settings, then the push restarts', async () => {
    const { container } = renderRoom(1, 'host')
    const before = pusherOf(container)
    fireError(before, 10001, 'camera permission denied')
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled())
    const modal = (Taro.showModal as jest.Mock).mock.calls[0][0]
    expect(modal.content).toContain('相机')
    expect(modal.confirmText).toBe('去设置')
    await waitFor(() => expect(Taro.openSetting).toHaveBeenCalled())
    await waitFor(() => expect(pusherOf(container)).not.toBe(before))
    expect(meetingStore.getState().publisher.media).toBe('connecting')
  })

  test('declining the permission modal leaves the meeting', async () => {
    modalAnswer.confirm = false
    const { container } = renderRoom(1, 'host')
    fireError(pusherOf(container), 10002, 'mic denied')
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
    expect(Taro.openSetting).not.toHaveBeenCalled()
  })
})

describe('control bar', () => {
  test('mic, camera and camera switch change the pusher attributes', () => {
    const { container } = renderRoom(1)
    act(() => screen.getByText('静音').click())
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('false')
    act(() => screen.getByText('关闭视频').click())
    expect(pusherOf(container).getAttribute('enable-camera')).toBe('false')
    act(() => screen.getByText('翻转').click())
    expect(pusherOf(container).getAttribute('device-position')).toBe('back')
    act(() => screen.getByText('解除静音').click())
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('true')
  })

  test('leave asks for confirmation first', async () => {
    modalAnswer.confirm = false
    renderRoom(1)
    act(() => screen.getByText('离开').click())
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1))
    expect(Taro.navigateBack).not.toHaveBeenCalled()
    modalAnswer.confirm = true
    act(() => screen.getByText('离开').click())
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalledTimes(1))
  })

  test('a participant muted by the host cannot unmute and is told why', async () => {
    const { container } = renderRoom(1, 'participant')
    act(() => meetingStore.getState().mutedByHost(true))
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('false')
    act(() => screen.getByText('解除静音').click())
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('false')
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '主持人已将你静音' })))
  })
})

describe('language', () => {
  test('English when the system language is English', () => {
    system.language = 'en_US'
    renderRoom(1)
    expect(screen.getByText('Leave')).toBeInTheDocument()
    expect(screen.getByText('Mute')).toBeInTheDocument()
  })
})
