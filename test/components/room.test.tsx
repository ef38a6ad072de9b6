import { act, render, screen, waitFor } from '@testing-library/react'
import RoomPage from '../../src/packages/meeting/room/index'
import { currentMedia, currentSession } from '../../src/services/session'
import { meetingStore } from '../../src/store'
import { renderCounts } from '../mocks/taro-components'
import Taro, { emitPlatform, emitWindowResize, modalAnswer, permissions, pusherContextCalls, system } from '../mocks/taro'
import { fireError, fireNetStatus, fireStateChange, fireWeChatEvent } from '../mocks/wechat'
import { playerOf, pusherOf, tileOf } from './setup'
import { others, renderRoom, until, useRoomTestLifecycle } from './room-helpers'

useRoomTestLifecycle()

describe('remote tiles', () => {
  test('every remote participant gets a live-player in RTC mode, autoplay, fillCrop, playing its signed URL', async () => {
    const { container, ids } = await renderRoom(4)
    const players = container.querySelectorAll('live-player')
    expect(players).toHaveLength(4)
    players.forEach((p, i) => {
      expect(p.getAttribute('mode')).toBe('RTC')
      expect(p.getAttribute('autoplay')).toBe('true')
      expect(p.getAttribute('object-fit')).toBe('fillCrop')
      expect(p.getAttribute('src')).toBe(meetingStore.getState().participants.byId[ids[i]].playUrl)
      expect(p.getAttribute('src')).toMatch(/txSecret=[0-9a-f]{32}/)
    })
    expect(screen.getByText('R1')).toBeInTheDocument()
    // The navigation bar says where the user is, from the string tables.
    expect(Taro.setNavigationBarTitle).toHaveBeenLastCalledWith({ title: '会议中' })
  })

  test('a tile shows the name, the role badge, mic and camera state, the network dot and its status', async () => {
    const { container, ids } = await renderRoom(1, 'participant')
    const host = others[0]
    host.store.getState().micToggled()
    host.store.getState().cameraToggled()
    await until(() => meetingStore.getState().participants.byId[ids[0]].cameraOn === false, 'host camera off')
    await until(() => meetingStore.getState().participants.byId[ids[0]].micOn === false, 'host mic off')
    const tile = tileOf(container, ids[0])
    expect(tile).toHaveTextContent('R1')
    expect(tile).toHaveTextContent('主持人')
    expect(tile.querySelector('.tile__mic--off')).not.toBeNull()
    expect(tile.querySelector('.tile__camera--off')).not.toBeNull()
    expect(tile.querySelector('.tile__quality--unknown')).not.toBeNull()
    expect(tile).toHaveTextContent('连接中…')
    expect(tile).toHaveClass('tile--connecting', 'tile--camera-off')
  })

  test('statechange codes drive the tile status: connecting → live → reconnecting → live', async () => {
    const { container, ids } = await renderRoom(1)
    const [id] = ids
    const tile = tileOf(container, id)
    expect(tile).toHaveTextContent('连接中…')
    fireStateChange(playerOf(container, id), 2004)
    // The status line stays in the tree, blank and hidden (see TileStatus).
    expect(tile.querySelector('.tile__status')?.textContent?.trim()).toBe('')
    expect(tile).toHaveClass('tile--live', 'tile--no-status')
    fireStateChange(playerOf(container, id), 2103)
    expect(tile).toHaveTextContent('重新连接中…')
    expect(tile).not.toHaveClass('tile--no-status')
    fireStateChange(playerOf(container, id), 2004)
    expect(tile.querySelector('.tile__status')?.textContent?.trim()).toBe('')
    expect(tile).toHaveClass('tile--no-status')
  })

  test('-2301 remounts the player; after the automatic retries the tile fails and a tap retries', async () => {
    const { container, ids } = await renderRoom(1)
    const [id] = ids
    const first = playerOf(container, id)
    fireStateChange(first, -2301)
    const second = playerOf(container, id)
    expect(second).not.toBe(first) // a new live-player: the app restarted play
    fireStateChange(second, -2301)
    fireStateChange(playerOf(container, id), -2301)
    fireStateChange(playerOf(container, id), -2301)
    const tile = tileOf(container, id)
    expect(tile).toHaveClass('tile--failed')
    expect(tile).toHaveTextContent('连接失败，轻触重试')
    const failedPlayer = playerOf(container, id)
    act(() => {
      ;(tile.querySelector('.tile__status') as HTMLElement).click()
    })
    expect(playerOf(container, id)).not.toBe(failedPlayer)
    expect(tileOf(container, id)).toHaveTextContent('连接中…')
  })

  test('netstatus on a player sets that tile’s network dot', async () => {
    const { container, ids } = await renderRoom(2)
    fireStateChange(playerOf(container, ids[0]), 2004)
    fireNetStatus(playerOf(container, ids[0]), { videoBitrate: 300, audioBitrate: 24, netSpeed: 330, videoFPS: 15, netJitter: 0 })
    expect(tileOf(container, ids[0]).querySelector('.tile__quality--good')).not.toBeNull()
    fireNetStatus(playerOf(container, ids[0]), { videoBitrate: 300, audioBitrate: 24, netSpeed: 120, videoFPS: 2, netJitter: 80 })
    expect(tileOf(container, ids[0]).querySelector('.tile__quality--poor')).not.toBeNull()
    expect(tileOf(container, ids[1]).querySelector('.tile__quality--unknown')).not.toBeNull()
  })

  test('a netstatus storm for one of 9 remote tiles re-renders that tile only', async () => {
    // A desktop window, so all 9 are on the page (a phone shows 4).
    system.windowWidth = 1280
    system.windowHeight = 800
    const { container, ids } = await renderRoom(9)
    // Players carry an element id (for createLivePlayerContext), so the render counter keys on it.
    const srcs = ids.map((id) => `live-player#player-${id}`)
    const before = srcs.map((k) => renderCounts.get(k) ?? 0)
    const gridBefore = renderCounts.get('live-pusher#local-pusher') ?? 0
    const target = playerOf(container, ids[4])
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

  test('the grid follows the window: a phone in portrait, then a desktop window', async () => {
    const { container } = await renderRoom(5)
    // Tile sizes come from the grid's class (index.scss), one setData key per layout change.
    // 375 × (667 − 88) is a phone: a page of 4, in 2 columns × 2 rows.
    expect(container.querySelector('.video-grid')).toHaveClass('video-grid--2x2')
    expect(container.querySelectorAll('live-player')).toHaveLength(4)
    act(() => emitWindowResize(1280, 800))
    // 1280 × 712 is a desktop window: all 5 on one page, 3 columns × 2 rows.
    expect(container.querySelector('.video-grid')).toHaveClass('video-grid--3x2')
    expect(container.querySelectorAll('live-player')).toHaveLength(5)
  })

  test('on a phone only the visible page of 4 players is mounted', async () => {
    const { container } = await renderRoom(6)
    expect(container.querySelectorAll('live-player')).toHaveLength(4)
    expect(screen.getByText('第 1/2 页')).toBeInTheDocument()
    act(() => {
      screen.getByText('下一页').click()
    })
    const players = container.querySelectorAll('live-player')
    expect(players).toHaveLength(2)
    const fifth = meetingStore.getState().participants.order[4]
    expect(players[0].getAttribute('src')).toBe(meetingStore.getState().participants.byId[fifth].playUrl)
  })

  test('in a desktop window beyond 9 remote participants only the visible page of 9 players is mounted', async () => {
    system.windowWidth = 1280
    system.windowHeight = 800
    const { container } = await renderRoom(12)
    expect(container.querySelectorAll('live-player')).toHaveLength(9)
    expect(screen.getByText('第 1/2 页')).toBeInTheDocument()
    act(() => {
      screen.getByText('下一页').click()
    })
    const players = container.querySelectorAll('live-player')
    expect(players).toHaveLength(3)
    const tenth = meetingStore.getState().participants.order[9]
    expect(players[0].getAttribute('src')).toBe(meetingStore.getState().participants.byId[tenth].playUrl)
  })

  test('a participant leaving removes the tile', async () => {
    const { container, ids } = await renderRoom(3)
    await others[1].client.leave()
    await until(() => container.querySelectorAll('live-player').length === 2, 'tile removed')
    // Its slot stays, empty and hidden, so the mini program does not re-send the grid's children.
    const slot = container.querySelector(`[data-participant="${ids[1]}"]`)
    expect(slot).toHaveClass('tile--gone')
    expect(slot?.childNodes).toHaveLength(0)
  })

  test('an empty room says so', async () => {
    await renderRoom(0)
    expect(screen.getByText('会议里还没有其他人')).toBeInTheDocument()
  })
})

describe('the local pusher', () => {
  test('one live-pusher in RTC mode with the host preset bitrates, audio high, pushing its signed URL', async () => {
    const { container } = await renderRoom(1, 'host')
    expect(container.querySelectorAll('live-pusher')).toHaveLength(1)
    const pusher = pusherOf(container)
    expect(pusher.getAttribute('mode')).toBe('RTC')
    expect(pusher.getAttribute('min-bitrate')).toBe('200')
    expect(pusher.getAttribute('max-bitrate')).toBe('1000')
    expect(pusher.getAttribute('audio-quality')).toBe('high')
    expect(pusher.getAttribute('autopush')).toBe('true')
    expect(pusher.getAttribute('url')).toBe(meetingStore.getState().publisher.pushUrl)
    expect(pusher.getAttribute('url')).toMatch(/^rtmp:\/\/.*txSecret=[0-9a-f]{32}/)
  })

  test('a participant pushes with 150–300 kbps and audio low', async () => {
    const { container } = await renderRoom(1, 'participant')
    const pusher = pusherOf(container)
    expect([pusher.getAttribute('min-bitrate'), pusher.getAttribute('max-bitrate')]).toEqual(['150', '300'])
    expect(pusher.getAttribute('audio-quality')).toBe('low')
  })

  test('congestion reported through bindnetstatus lowers max-bitrate, and never below the preset minimum', async () => {
    const { container } = await renderRoom(1, 'host')
    const congested = { videoBitrate: 900, audioBitrate: 48, netSpeed: 400, netJitter: 70, videoFPS: 15, videoCache: 25 }
    for (let i = 0; i < 3; i++) fireNetStatus(pusherOf(container), congested)
    const cut = Number(pusherOf(container).getAttribute('max-bitrate'))
    expect(cut).toBeLessThan(1000)
    for (let i = 0; i < 40; i++) fireNetStatus(pusherOf(container), { ...congested, videoBitrate: 150, netSpeed: 30 })
    expect(Number(pusherOf(container).getAttribute('max-bitrate'))).toBe(200)
  })

  test('the `details` payload some WeChat versions send is understood too', async () => {
    const { container, ids } = await renderRoom(1, 'host')
    fireWeChatEvent(pusherOf(container), 'statechange', { code: 1002 }, 'details')
    expect(meetingStore.getState().publisher.media).toBe('live')
    fireWeChatEvent(playerOf(container, ids[0]), 'statechange', { code: '2004' }, 'details')
    expect(meetingStore.getState().participants.byId[ids[0]].media).toBe('live')
    fireWeChatEvent(pusherOf(container), 'error', { errCode: 10001, errMsg: 'denied' }, 'details')
    expect(meetingStore.getState().publisher.media).toBe('blocked')
    expect(meetingStore.getState().ui.debugLog.at(-1)).toMatchObject({ code: 10001, source: 'pusher-error' })
  })

  test('1101 (uplink too slow) shows a toast and cuts the ceiling at once', async () => {
    const { container } = await renderRoom(1, 'host')
    fireStateChange(pusherOf(container), 1002)
    fireStateChange(pusherOf(container), 1101)
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalled())
    expect(Number(pusherOf(container).getAttribute('max-bitrate'))).toBeLessThan(1000)
  })

  test('binderror 10001 (camera denied): a modal offers the settings, then the push restarts', async () => {
    const { container } = await renderRoom(1, 'host')
    const before = pusherOf(container)
    fireError(before, 10001, 'camera permission denied')
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalled())
    const modal = (Taro.showModal as jest.Mock).mock.calls[0][0]
    expect(modal.content).toContain('摄像头')
    expect(modal.confirmText).toBe('去设置')
    await waitFor(() => expect(Taro.openSetting).toHaveBeenCalled())
    await waitFor(() => expect(pusherOf(container)).not.toBe(before))
    expect(meetingStore.getState().publisher.media).toBe('connecting')
  })

  test('declining the permission modal keeps the attendee in the meeting, muted, and the push starts again', async () => {
    const { container } = await renderRoom(1, 'host')
    permissions['scope.record'] = false
    modalAnswer.confirm = false
    const before = pusherOf(container)
    fireError(before, 10002, 'mic denied')
    await waitFor(() => expect(pusherOf(container).getAttribute('enable-mic')).toBe('false'))
    expect(pusherOf(container)).not.toBe(before)
    expect(Taro.openSetting).not.toHaveBeenCalled()
    expect(Taro.navigateBack).not.toHaveBeenCalled()
    const selfId = meetingStore.getState().publisher.selfId as string
    await until(() => others[0].store.getState().participants.byId[selfId]?.micOn === false, 'the others to see the mic off')
  })
})

describe('control bar', () => {
  test('mic, camera and camera switch change the pusher attributes, and the others see mic and camera', async () => {
    const { container } = await renderRoom(1)
    act(() => screen.getByText('静音').click())
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('false')
    act(() => screen.getByText('关闭视频').click())
    expect(pusherOf(container).getAttribute('enable-camera')).toBe('false')
    act(() => screen.getByText('翻转').click())
    expect(pusherOf(container).getAttribute('device-position')).toBe('back')
    const selfId = meetingStore.getState().publisher.selfId as string
    await until(() => others[0].store.getState().participants.byId[selfId]?.cameraOn === false, 'camera off seen')
    act(() => screen.getByText('解除静音').click())
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('true')
  })

  test('leave asks for confirmation first, then tells the others', async () => {
    await renderRoom(1)
    modalAnswer.confirm = false
    act(() => screen.getByText('离开').click())
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledTimes(1))
    expect(Taro.navigateBack).not.toHaveBeenCalled()
    modalAnswer.confirm = true
    act(() => screen.getByText('离开').click())
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalledTimes(1))
    await until(() => others[0].store.getState().participants.order.length === 0, 'the others see us leave')
  })

  test('a participant muted by the host is muted, cannot unmute and is told why', async () => {
    const { container } = await renderRoom(1, 'participant')
    await others[0].client.muteMic(meetingStore.getState().publisher.selfId as string)
    await until(() => meetingStore.getState().publisher.mutedByHost, 'muted by host')
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('false')
    act(() => screen.getByText('解除静音').click())
    expect(pusherOf(container).getAttribute('enable-mic')).toBe('false')
    await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '主持人已将你静音' })))
  })
})

describe('language', () => {
  test('English when the system language is English', async () => {
    system.language = 'en_US'
    await renderRoom(1)
    expect(screen.getByText('Leave')).toBeInTheDocument()
    expect(screen.getByText('Mute')).toBeInTheDocument()
  })
})

describe('the meeting as the room service runs it', () => {
  test('the host sees everyone in the participant list and mutes, then removes, a participant', async () => {
    await renderRoom(2, 'host')
    act(() => screen.getByText('成员 3').click())
    expect(document.querySelector('.participant-list__row--self')).toHaveTextContent('主持人 (我)')
    expect(document.querySelectorAll('.participant-list__row')).toHaveLength(3)
    const muteButtons = document.querySelectorAll<HTMLElement>('.participant-list__action--mute')
    expect(muteButtons).toHaveLength(2)
    act(() => muteButtons[0].click())
    await until(() => others[0].store.getState().publisher.mutedByHost, 'R1 muted')
    await until(() => document.querySelectorAll('.participant-list__action--unmute').length === 1, 'list shows the mute')
    act(() => document.querySelectorAll<HTMLElement>('.participant-list__action--remove')[1].click())
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '确定将 R2 移出会议吗？' })))
    await until(() => others[1].store.getState().session.ended === 'removed', 'R2 removed')
    await until(() => meetingStore.getState().participants.order.length === 1, 'host sees the removal')
  })

  test('a participant sees the list without host controls', async () => {
    await renderRoom(1, 'participant')
    act(() => screen.getByText('成员 2').click())
    expect(document.querySelector('.participant-list__row--self')).toHaveTextContent('参会者 (我)')
    expect(document.querySelector('.participant-list__action')).toBeNull()
  })

  test('a participant the host removes is told so and sent home', async () => {
    await renderRoom(1, 'participant')
    await others[0].client.removeParticipant(meetingStore.getState().publisher.selfId as string)
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '你已被主持人移出会议' })))
    await waitFor(() => expect(Taro.navigateBack).toHaveBeenCalled())
    expect(currentSession()).toBeNull()
  })

  test('when the host ends the meeting everyone is told', async () => {
    await renderRoom(1, 'participant')
    await others[0].client.endMeeting()
    await waitFor(() => expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '主持人已结束会议' })))
  })

  test('leaving the page without pressing leave (swipe back) still leaves the meeting', async () => {
    const { unmount } = await renderRoom(1, 'host')
    unmount()
    await until(() => others[0].store.getState().participants.order.length === 0, 'the others see us leave')
    expect(currentSession()).toBeNull()
  })

  test('opening the room without a session goes back to the home page', () => {
    render(<RoomPage />)
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
  })
})

describe('audio only when the uplink cannot carry video', () => {
  test('after 10 s at the preset minimum the page offers to turn the camera off, and offers it back when the link recovers', async () => {
    const { container } = await renderRoom(1, 'host')
    const t0 = Date.now()
    const starved = { videoBitrate: 200, audioBitrate: 48, netSpeed: 60, netJitter: 80, videoFPS: 5, videoCache: 30 }
    act(() => {
      for (let i = 0; i < 20; i++) currentMedia()?.pusherNetStatus(starved, t0 + i * 1500)
    })
    expect(meetingStore.getState().publisher.maxBitrateKbps).toBe(200)
    expect(meetingStore.getState().publisher.audioOnlySuggested).toBe(true)
    await waitFor(() =>
      expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '网络较差，关闭视频可以让声音更清晰。是否关闭视频？' })),
    )
    await waitFor(() => expect(pusherOf(container).getAttribute('enable-camera')).toBe('false'))

    const healthy = { videoBitrate: 0, audioBitrate: 48, netSpeed: 1500, netJitter: 1, videoFPS: 0, videoCache: 0 }
    act(() => {
      for (let i = 20; i < 80; i++) currentMedia()?.pusherNetStatus(healthy, t0 + i * 1500)
    })
    expect(meetingStore.getState().publisher.audioOnlySuggested).toBe(false)
    await waitFor(() =>
      expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '网络已恢复，是否重新开启视频？', confirmText: '开启视频' })),
    )
    await waitFor(() => expect(pusherOf(container).getAttribute('enable-camera')).toBe('true'))
    expect(Taro.showModal).toHaveBeenCalledTimes(2)
  })
})

describe('the media session on the page', () => {
  test('a phone call: the banner says why, the push pauses and resumes', async () => {
    await renderRoom(1, 'host')
    act(() => emitPlatform('AudioInterruptionBegin'))
    expect(screen.getByText('通话中，会议音视频已暂停，通话结束后自动恢复')).toBeInTheDocument()
    act(() => emitPlatform('AudioInterruptionEnd'))
    expect(screen.queryByText('通话中，会议音视频已暂停，通话结束后自动恢复')).toBeNull()
    expect(pusherContextCalls).toEqual(['pause', 'resume'])
  })

  test('offline: a "no network" banner; back online it goes', async () => {
    await renderRoom(1, 'host')
    act(() => emitPlatform('NetworkStatusChange', { isConnected: false, networkType: 'none' }))
    expect(screen.getByText('没有网络，网络恢复后会议将自动继续')).toBeInTheDocument()
    act(() => emitPlatform('NetworkStatusChange', { isConnected: true, networkType: 'wifi' }))
    expect(screen.queryByText('没有网络，网络恢复后会议将自动继续')).toBeNull()
  })

  test('the others see the attendee away while the app is hidden', async () => {
    await renderRoom(1, 'host')
    const selfId = meetingStore.getState().publisher.selfId as string
    act(() => emitPlatform('AppHide'))
    await until(() => others[0].store.getState().participants.byId[selfId]?.away === true, 'R1 to see the attendee away')
    act(() => emitPlatform('AppShow'))
    await until(() => others[0].store.getState().participants.byId[selfId]?.away === false, 'R1 to see the attendee back')
  })

  test('the pusher has the bundled waiting image and its MD5', async () => {
    const { container } = await renderRoom(0, 'host')
    expect(pusherOf(container).getAttribute('waiting-image')).toBe('/assets/waiting-image.png')
    expect(pusherOf(container).getAttribute('waiting-image-hash')).toMatch(/^[0-9a-f]{32}$/)
  })

  test('unmounting the page (back gesture) stops the pusher while it still has its URL, and leaves once', async () => {
    const { unmount } = await renderRoom(1, 'host')
    const urlWhenStopped: string[] = []
    ;(Taro.createLivePusherContext as jest.Mock).mockImplementationOnce(() => ({
      stop: () => urlWhenStopped.push(meetingStore.getState().publisher.pushUrl),
    }))
    unmount()
    expect(urlWhenStopped).toHaveLength(1)
    expect(urlWhenStopped[0]).toMatch(/^rtmp:\/\//)
    expect(meetingStore.getState().publisher.pushUrl).toBe('')
    await until(() => others[0].store.getState().participants.order.length === 0, 'R1 to see the attendee leave')
  })
})

// who is speaking
describe('who is speaking', () => {
  /** WeChat's `bindaudiovolumenotify`: `e.detail.volume`, every few hundred ms. */
  async function volumeTicks(el: Element, levels: readonly (number | string)[], key: 'detail' | 'details' = 'detail') {
    for (const volume of levels) {
      fireWeChatEvent(el, 'audiovolumenotify', { volume }, key)
      await act(() => new Promise((r) => setTimeout(r, 300)))
    }
  }

  test('a player reporting voice highlights its tile and fills its volume bar; silence clears it; other tiles stay as they were', async () => {
    const { container, ids } = await renderRoom(3)
    await volumeTicks(playerOf(container, ids[1]), [60, 62, 58, 61])
    const tile = tileOf(container, ids[1])
    expect(tile).toHaveClass('tile--speaking')
    expect(tile.querySelector('.tile__volume--3')).not.toBeNull()
    expect(tile.querySelector('.tile__mic')?.getAttribute('aria-label')).toBe('正在讲话')
    for (const other of [ids[0], ids[2]]) {
      expect(tileOf(container, other)).not.toHaveClass('tile--speaking')
      expect(tileOf(container, other).querySelector('.tile__volume--0')).not.toBeNull()
    }
    await volumeTicks(playerOf(container, ids[1]), [0, 0, 0, 0])
    expect(tileOf(container, ids[1])).not.toHaveClass('tile--speaking')
    expect(tileOf(container, ids[1]).querySelector('.tile__volume--0')).not.toBeNull()
  })

  test('the pusher’s level (from `details` on some clients) highlights the local tile; muting turns it off', async () => {
    const { container } = await renderRoom(1)
    await volumeTicks(pusherOf(container), [40, 40, 40], 'details')
    const local = () => container.querySelector('.tile--local') as Element
    expect(local()).toHaveClass('tile--speaking')
    act(() => meetingStore.getState().micToggled())
    await volumeTicks(pusherOf(container), [40, 40, 40, 40])
    expect(local()).not.toHaveClass('tile--speaking')
  })

  test('unreadable volumes change nothing', async () => {
    const { container, ids } = await renderRoom(1)
    await volumeTicks(playerOf(container, ids[0]), ['loud', 'NaN', ''])
    expect(tileOf(container, ids[0])).not.toHaveClass('tile--speaking')
    expect(meetingStore.getState().speaking.byId).toEqual({})
  })

  test('a speaker of page 2, heard while the viewer is there, is on page 1 when the viewer comes back', async () => {
    // A phone: pages of 4, so page 2 holds ids[4..7].
    const { container, ids } = await renderRoom(10)
    act(() => meetingStore.getState().pageChanged(1))
    const speaker = ids[5]
    await volumeTicks(playerOf(container, speaker), [50, 50, 50])
    expect(tileOf(container, speaker)).toHaveClass('tile--speaking')
    act(() => meetingStore.getState().pageChanged(0))
    const mounted = Array.from(container.querySelectorAll('live-player')).map((p) => p.getAttribute('src'))
    expect(mounted).toHaveLength(4)
    expect(mounted).toContain(meetingStore.getState().participants.byId[speaker].playUrl)
    // The speaker took page 1's last slot.
    expect(mounted).not.toContain(meetingStore.getState().participants.byId[ids[3]].playUrl)
  })
})
