/** @jest-environment jsdom */
/**
 * What the compiled room page does in a real meeting: the built dist/weapp
 * run by miniprogram-simulate (events through the real Taro runtime), the
 * page's user entering from the home page, the meeting on the test run's room
 * service (global-setup.ts), the other participants real room clients with
 * their own stores. Only the WeChat client is fake.
 */
import type { HelloMessage, WelcomeMessage } from '../../src/core/protocol'
import { loadPage, unloadAll, waitFor, type PageHandle, type WeappNode } from './harness'
import { Others, framesOf, homeDriver, openMeeting, preJoinDriver, sentFrames } from './meeting'
import type { RoomDriver } from './room-driver'

const others = new Others()
let page: PageHandle
let room: RoomDriver

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

async function open(remotes: number, role: 'host' | 'participant' = 'host') {
  const meeting = await openMeeting(others, { remotes, role })
  page = meeting.page
  room = meeting.room
  return meeting
}

/** The remote tiles in grid order (Taro renders no data-* attributes, so by position). */
const remoteTiles = (): WeappNode[] => page.findAll('.video-grid .tile')

/** A button of the control bar by its label. */
function controlButton(label: string): WeappNode {
  const button = page.findAll('.control-bar__button').find((b) => b.text().trim() === label)
  if (!button) throw new Error(`no control-bar button '${label}':\n${page.get('.control-bar').markup()}`)
  return button
}

const congested = { videoBitrate: 900, audioBitrate: 48, netSpeed: 400, netJitter: 70, videoFPS: 15, videoCache: 25 }

describe('media views', () => {
  test('the host pushes its signed URL with the host preset; an RTC player per remote participant plays theirs', async () => {
    const { remotes, welcome } = await open(3)
    expect(welcome.role).toBe('host')
    expect(page.findAll('live-pusher')).toHaveLength(1)
    expect(room.pusherAttr('mode')).toBe('RTC')
    expect(room.pusherAttr('min-bitrate')).toBe(200)
    expect(room.pusherAttr('max-bitrate')).toBe(1000)
    expect(room.pusherAttr('audio-quality')).toBe('high')
    expect(room.pusherAttr('url')).toBe(welcome.pushUrl)
    expect(room.pusherAttr('url')).toMatch(/^rtmp:\/\/.*txSecret=[0-9a-f]{32}/)
    expect(room.players()).toHaveLength(3)
    room.players().forEach((_p, i) => {
      expect(room.playerAttr(i, 'mode')).toBe('RTC')
      expect(room.playerAttr(i, 'object-fit')).toBe('fillCrop')
      expect(room.playerAttr(i, 'autoplay')).toBe(true)
      expect(room.playerAttr(i, 'src')).toBe(remotes[i].playUrl)
      expect(room.playerAttr(i, 'src')).toMatch(/txSecret=[0-9a-f]{32}/)
    })
    expect(remoteTiles().map((t) => t.get('.tile__name').text())).toEqual(['R1', 'R2', 'R3'])
  })

  test('a participant pushes with 150–300 kbps and low audio', async () => {
    const { welcome } = await open(1, 'participant')
    expect(welcome.role).toBe('participant')
    expect([room.pusherAttr('min-bitrate'), room.pusherAttr('max-bitrate')]).toEqual([150, 300])
    expect(room.pusherAttr('audio-quality')).toBe('low')
    expect(room.pusherAttr('url')).toBe(welcome.pushUrl)
  })

  test('on a phone only a page of 4 players is mounted', async () => {
    const { remotes } = await open(6)
    expect(room.players()).toHaveLength(4)
    expect(page.text()).toContain('第 1/2 页')
    const next = page.findAll('.video-grid__page-button').find((b) => b.text().includes('下一页'))
    await next?.tap()
    expect(room.players().map((p) => p.attr('src'))).toEqual(remotes.slice(4).map((r) => r.playUrl))
    expect(page.text()).toContain('第 2/2 页')
  })
})

describe('what WeChat reports', () => {
  test('congestion in bindnetstatus lowers the pusher max-bitrate, never below the preset minimum', async () => {
    await open(1)
    for (let i = 0; i < 3; i++) await room.firePusherNetStatus(congested)
    const cut = room.pusherAttr('max-bitrate') as number
    expect(cut).toBeLessThan(1000)
    expect(cut).toBeGreaterThanOrEqual(200)
    for (let i = 0; i < 30; i++) await room.firePusherNetStatus({ ...congested, videoBitrate: 150, netSpeed: 30 })
    expect(room.pusherAttr('max-bitrate')).toBe(200)
    expect(room.pusherAttr('min-bitrate')).toBe(200)
  })

  test('1101 cuts at once and shows a toast', async () => {
    await open(1)
    await room.firePusherStateChange(1002)
    await room.firePusherStateChange(1101)
    expect(room.pusherAttr('max-bitrate') as number).toBeLessThan(1000)
    expect(page.wx.toasts.length).toBeGreaterThanOrEqual(1)
    expect(page.wx.toasts.at(-1)?.title).toMatch(/网络/)
  })

  test('player statechange codes show on the tile: connecting, then live, then reconnecting', async () => {
    await open(2)
    const tile = () => remoteTiles()[0]
    expect(tile().text()).toContain('连接中…')
    await room.firePlayerStateChange(0, 2004)
    expect(tile().text()).not.toContain('连接中…')
    expect(tile().classes).toContain('tile--live')
    await room.firePlayerStateChange(0, 2103)
    expect(tile().text()).toContain('重新连接中…')
    // The other tile did not change.
    expect(remoteTiles()[1].text()).toContain('连接中…')
  })

  test('player netstatus colours that tile’s network dot', async () => {
    await open(2)
    await room.firePlayerStateChange(0, 2004)
    await room.firePlayerNetStatus(0, { videoBitrate: 300, audioBitrate: 24, netSpeed: 120, videoFPS: 1, netJitter: 90 })
    const [first, second] = remoteTiles()
    expect(first.markup()).toContain('tile__quality--poor')
    // Receiving almost nothing is the fourth level.
    await room.firePlayerNetStatus(0, { videoBitrate: 300, audioBitrate: 24, netSpeed: 20, videoFPS: 1, netJitter: 90 })
    expect(remoteTiles()[0].markup()).toContain('tile__quality--bad')
    expect(second.markup()).toContain('tile__quality--unknown')
  })

  test('binderror 10001 opens a modal that sends the user to the settings', async () => {
    await open(1)
    await room.firePusherError(10001, 'camera denied')
    expect(page.wx.modals).toHaveLength(1)
    expect(page.wx.modals[0].content).toContain('摄像头')
    expect(page.wx.modals[0].confirmText).toBe('去设置')
  })
})

describe('the meeting, as the room service runs it', () => {
  test('a remote participant leaving removes its tile', async () => {
    const { remotes } = await open(3)
    await remotes[1].client.leave()
    await page.waitFor(() => room.players().length === 2, 'R2’s tile to go')
    expect(room.players().map((p) => p.attr('src'))).toEqual([remotes[0].playUrl, remotes[2].playUrl])
    // Its slot stays, empty and hidden (so the grid's child list is not re-sent: render-cost.test.ts).
    const [gone, ...moreGone] = remoteTiles().filter((t) => t.classes.includes('tile--gone'))
    expect(moreGone).toEqual([])
    expect(gone.children()).toEqual([])
    const shown = remoteTiles().filter((t) => !t.classes.includes('tile--gone'))
    expect(shown.map((t) => t.get('.tile__name').text())).toEqual(['R1', 'R3'])
  })

  test('a remote participant joining later gets a tile', async () => {
    const { meetingId } = await open(1)
    const late = await others.join(meetingId, 'Late')
    await page.waitFor(() => room.players().length === 2, 'the late tile')
    expect(room.playerAttr(1, 'src')).toBe(late.playUrl)
  })

  test('a remote participant turning its camera off marks its tile and keeps its player', async () => {
    const { remotes } = await open(1)
    const before = room.player(0).id
    remotes[0].store.getState().cameraToggled()
    await page.waitFor(() => remoteTiles()[0].classes.includes('tile--camera-off'), 'the tile to show the camera off')
    // Same player (the participant is still heard), same signed URL.
    expect(room.player(0).id).toBe(before)
    expect(room.playerAttr(0, 'src')).toBe(remotes[0].playUrl)
  })

  test('the page’s host mutes and removes others from the participant list', async () => {
    const { remotes } = await open(2)
    const [r1, r2] = remotes
    await controlButton('成员 3').tap()
    expect(page.findAll('.participant-list__row')).toHaveLength(3)
    expect(page.get('.participant-list__row--self').text()).toContain('主持人 (我)')
    await page.findAll('.participant-list__action--mute')[0].tap()
    await waitFor(() => r1.store.getState().publisher.mutedByHost, 'R1 to be muted')
    await page.waitFor(() => page.findAll('.participant-list__action--unmute').length === 1, 'the list to show the mute')
    await page.findAll('.participant-list__action--remove')[1].tap()
    expect(page.wx.modals.at(-1)).toMatchObject({ content: '确定将 R2 移出会议吗？' })
    await waitFor(() => r2.store.getState().session.ended === 'removed', 'R2 to be removed')
    await page.waitFor(() => room.players().length === 1, 'R2’s tile to go')
  })

  test('the host mutes the page’s user: the pusher’s mic goes off, a toast says why, and it cannot be turned back on', async () => {
    const { remotes, selfId } = await open(1, 'participant')
    const [host] = remotes
    expect(room.pusherAttr('enable-mic')).toBe(true)
    await host.client.muteMic(selfId)
    await page.waitFor(() => room.pusherAttr('enable-mic') === false, 'the mic to go off')
    await page.waitFor(() => page.wx.toasts.some((t) => t.title === '主持人已将你静音'), 'the toast')
    await waitFor(() => host.store.getState().participants.byId[selfId]?.mutedByHost === true, 'the host to see the mute')
    const toasts = page.wx.toasts.length
    await controlButton('解除静音').tap()
    expect(room.pusherAttr('enable-mic')).toBe(false)
    expect(page.wx.toasts.slice(toasts)).toEqual([expect.objectContaining({ title: '主持人已将你静音' })])
  })

  test('mic and camera taps change the pusher, and the others see them', async () => {
    const { remotes, selfId } = await open(1)
    const [r1] = remotes
    await controlButton('静音').tap()
    expect(room.pusherAttr('enable-mic')).toBe(false)
    await controlButton('关闭视频').tap()
    expect(room.pusherAttr('enable-camera')).toBe(false)
    await waitFor(() => {
      const seen = r1.store.getState().participants.byId[selfId]
      return seen?.micOn === false && seen.cameraOn === false
    }, 'R1 to see the mic and camera off')
  })

  test('leaving asks first, then tells the others and goes back', async () => {
    const { remotes, selfId, socket } = await open(1)
    await controlButton('离开').tap()
    expect(page.wx.modals.at(-1)).toMatchObject({ content: '确定要离开会议吗？' })
    await page.waitFor(() => page.wx.navigations.some((n) => n.api === 'navigateBack'), 'navigateBack')
    await waitFor(() => !remotes[0].store.getState().participants.order.includes(selfId), 'R1 to see the page’s user leave')
    await waitFor(() => socket.closeEvent !== null, 'the socket to close')
  })

  test('a dropped socket resumes as the same participant, and the others notice nothing', async () => {
    const { remotes, socket, welcome, selfId } = await open(1)
    const [r1] = remotes
    const seenByR1: string[][] = []
    const unsubscribe = r1.store.subscribe((s) => {
      seenByR1.push([...s.participants.order])
    })
    try {
      const socketsBefore = page.wx.sockets.length
      const rendersBefore = page.setDataCalls.length
      const playerBefore = room.player(0).id
      const pusherBefore = room.pusher().attr('data-sid')
      const tileBefore = remoteTiles()[0].id
      // The network drops: no close handshake; the app sees 1006.
      expect(await socket.cut()).toMatchObject({ code: 1006 })
      // The page says so while it reconnects (read from what it rendered:
      // the reconnection may be quicker than the test).
      await page.waitFor(
        () => page.setDataCalls.slice(rendersBefore).some((d) => JSON.stringify(d).includes('网络中断，正在重新连接…')),
        'the reconnecting banner',
      )

      const welcomed = () => page.wx.sockets.slice(socketsBefore).some((s) => framesOf(s.messages(), 'welcome').length > 0)
      await page.waitFor(welcomed, 'the app to reconnect and be welcomed')
      const resumed = page.wx.sockets[page.wx.sockets.length - 1]
      const [hello] = framesOf<HelloMessage>(sentFrames(resumed), 'hello')
      const [again] = framesOf<WelcomeMessage>(resumed.messages(), 'welcome')
      expect(hello.token).toBe(welcome.token)
      expect(again).toMatchObject({ resumed: true, participantId: selfId, role: 'host', pushUrl: welcome.pushUrl })
      await page.waitFor(() => !page.text().includes('网络中断'), 'the reconnecting banner to go')

      expect(room.pusherAttr('url')).toBe(welcome.pushUrl)
      expect(room.players().map((p) => p.attr('src'))).toEqual([r1.playUrl])
      // Nothing was remounted: the player keeps playing, the pusher keeps pushing.
      expect(room.player(0).id).toBe(playerBefore)
      expect(remoteTiles()[0].id).toBe(tileBefore)
      expect(room.pusher().attr('data-sid')).toBe(pusherBefore)
      // R1 still follows this participant (not a ghost of the old socket):
      // a mute after the resume reaches it, so R1's updates below are not an
      // empty list that any check would pass.
      await controlButton('静音').tap()
      await waitFor(() => r1.store.getState().participants.byId[selfId]?.micOn === false, 'R1 to see the mute after the resume')
      expect(seenByR1.length).toBeGreaterThan(0)
      expect(seenByR1.filter((order) => !order.includes(selfId))).toEqual([])
      expect(r1.store.getState().participants.order).toEqual([selfId])
    } finally {
      unsubscribe()
    }
  })

  test('leaving the page without pressing leave (swipe back) still leaves the meeting', async () => {
    const { remotes, selfId } = await open(1)
    await page.unload()
    await waitFor(() => !remotes[0].store.getState().participants.order.includes(selfId), 'R1 to see the page’s user leave')
  })

  test('a participant the host removes is told so and sent back', async () => {
    const { remotes, selfId } = await open(1, 'participant')
    await remotes[0].client.removeParticipant(selfId)
    await page.waitFor(() => page.wx.modals.some((m) => m.content === '你已被主持人移出会议'), 'the removal modal')
    await page.waitFor(() => page.wx.navigations.at(-1)?.api === 'navigateBack', 'navigateBack')
  })

  test('when the host ends the meeting the page’s user is told', async () => {
    const { remotes } = await open(1, 'participant')
    await remotes[0].client.endMeeting()
    await page.waitFor(() => page.wx.modals.some((m) => m.content === '主持人已结束会议'), 'the end modal')
  })

  test('back on the home page after leaving, the user can start another meeting', async () => {
    const first = await open(1)
    await controlButton('离开').tap()
    await page.waitFor(() => page.wx.navigations.at(-1)?.api === 'navigateBack', 'navigateBack')
    // WeChat unloads the room and shows home again.
    await page.unload()
    await first.home.show()
    const form = homeDriver(first.home)
    let navigations = first.home.wx.navigations.length
    await form.tapCreate()
    await first.home.waitFor(() => first.home.wx.navigations.length > navigations, 'the pre-join to open')
    expect(first.home.wx.navigations.at(-1)?.url).toBe('/packages/meeting/prejoin/index?create=1')
    await first.home.hide()
    const preJoin = await loadPage('packages/meeting/prejoin/index', { create: '1' })
    navigations = preJoin.wx.navigations.length
    await preJoinDriver(preJoin).tapJoin()
    await preJoin.waitFor(() => preJoin.wx.navigations.length > navigations, 'the second meeting to open')
    const url = preJoin.wx.navigations.at(-1)?.url ?? ''
    await preJoin.unload()
    expect(url).toMatch(/^\/packages\/meeting\/room\/index\?meetingId=\d{9}$/)
    expect(url).not.toContain(first.meetingId)
    // Open it, as WeChat would (and so the session ends with the page).
    page = await loadPage('packages/meeting/room/index', Object.fromEntries(new URLSearchParams(url.split('?')[1])))
    expect(page.get('live-pusher').attr('url')).toMatch(/^rtmp:\/\//)
  })

  test('opening the room without a session goes back to the home page', async () => {
    page = await loadPage('packages/meeting/room/index', { meetingId: '123456789' })
    expect(page.wx.navigations.at(-1)).toEqual(expect.objectContaining({ api: 'reLaunch', url: '/pages/home/index' }))
  })
})
