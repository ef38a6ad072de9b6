/** @jest-environment jsdom */
/**
 * Checks of the harness itself, on the built app (not on any page's
 * behaviour): pages load one after another, deep trees rendered through
 * Taro's `comp` component are readable, selectors work, and the WeChat fake
 * records what an app would call and talks to the test run's room service
 * over real HTTP and WebSockets in WeChat's shapes.
 */
import { createMeeting, join } from '../server/helpers/http'
import { flush, getWx, loadPage, SERVICE_URL, unloadAll, waitFor } from './harness'

afterEach(() => unloadAll())

/** The SocketTask wx.connectSocket hands to the app, as WeChat types it (loosely). */
interface SocketTask {
  onOpen(cb: (res: unknown) => void): void
  onMessage(cb: (res: unknown) => void): void
  onClose(cb: (res: unknown) => void): void
  onError(cb: (res: unknown) => void): void
  send(options: Record<string, unknown>): void
  close(options: Record<string, unknown>): void
}

/** Taro's shortcut data for `depth` nested <view class="lvl lvlN"> around a text node. */
function nestedViews(depth: number, text: string): Record<string, unknown> {
  // Aliases from the build's node table: 3 = plain view, 9 = text node (#text).
  let node: Record<string, unknown> = { nn: '9', sid: '_harness_text', v: text }
  for (let i = 0; i < depth; i++) node = { nn: '3', sid: `_harness_${i}`, cl: `lvl lvl${i}`, cn: [node] }
  return node
}

describe('loadPage', () => {
  it('loads pages one after another, and the same page again', async () => {
    const home = await loadPage('pages/home/index')
    expect(home.findAll('view').length).toBeGreaterThanOrEqual(1)
    await home.unload()
    const room = await loadPage('/packages/meeting/room/index', { meetingId: 'a' })
    expect(room.find('live-pusher')).toBeDefined()
    await room.unload()
    const again = await loadPage('packages/meeting/room/index', { meetingId: 'b' })
    expect(again.taro.router()?.params.meetingId).toBe('b')
    expect(again.find('live-pusher')).toBeDefined()
  })

  it('keeps the page stack for getCurrentPages()', async () => {
    const home = await loadPage('pages/home/index')
    const room = await loadPage('packages/meeting/room/index')
    const getCurrentPages = (globalThis as unknown as { getCurrentPages: () => unknown[] }).getCurrentPages
    expect(getCurrentPages()).toEqual([home.instance, room.instance])
    await room.unload()
    expect(getCurrentPages()).toEqual([home.instance])
  })

  it('fails the next flush with errors thrown outside a handler (timers, React rendering)', async () => {
    const page = await loadPage('pages/home/index')
    setTimeout(() => {
      throw new Error('thrown in a timer')
    }, 0)
    await expect(page.flush()).rejects.toThrow(/1 error\(s\) in the mini program:\n.*thrown in a timer/)
    await expect(page.flush()).resolves.toBeUndefined()
  })

  it('says which page is missing', async () => {
    await expect(loadPage('pages/nope/index')).rejects.toThrow(/page 'pages\/nope\/index' is not in \//)
  })
})

describe('reading the tree', () => {
  it('reads trees deeper than the base templates (rendered through comp)', async () => {
    const page = await loadPage('pages/home/index')
    page.instance.setData({ 'root.cn.[0].cn': [nestedViews(24, 'deep leaf')] })
    await page.flush()

    expect(page.findAll('.lvl')).toHaveLength(24)
    expect(page.get('.lvl0').text()).toBe('deep leaf')
    expect(page.get('#_harness_23 .lvl0').id).toBe('_harness_0')
    expect(page.get('view.lvl23 view.lvl12 .lvl0').id).toBe('_harness_0')
    expect(page.find('.lvl0 .lvl23')).toBeUndefined()
    expect(page.text()).toContain('deep leaf')
  })

  it('bubbles taps to the nearest element that binds them, as WeChat does', async () => {
    const page = await loadPage('pages/home/index')
    // 0 = a view with event bindings (bindtap="eh"), 3 = a static view (no bindings).
    page.instance.setData({
      'root.cn.[0].cn': [
        { nn: '0', sid: '_harness_button', cn: [{ nn: '3', sid: '_harness_label', cl: 'label', cn: [] }] },
        { nn: '3', sid: '_harness_static', cl: 'static', cn: [] },
      ],
    })
    await page.flush()

    await page.get('.label').tap()
    expect(page.events).toEqual([expect.objectContaining({ type: 'tap', targetSid: '_harness_button' })])
    await expect(page.get('.static').tap()).rejects.toThrow(/has no bindtap \(nor any ancestor\)/)
    // Component events do not bubble.
    await expect(page.get('.label').dispatch('netstatus', {})).rejects.toThrow(/has no bindnetstatus in/)
  })

  it('matches attributes by their wxml name and value', async () => {
    const page = await loadPage('packages/meeting/room/index')
    const pusher = page.get('live-pusher')
    expect(page.get('live-pusher[mode=RTC]').id).toBe(pusher.id)
    expect(page.findAll('[mode=RTC]').map((n) => n.tag)).toContain('live-pusher')
    expect(pusher.attr('max-bitrate')).toBe(pusher.attr('maxBitrate'))
    expect(page.find(`[max-bitrate=${String(pusher.attr('max-bitrate'))}]`)?.id).toBe(pusher.id)
    expect(pusher.markup()).toMatch(/^<live-pusher [^>]*id="[^"]+"/)
    expect(() => page.get('video')).toThrow(/no node matches 'video'[^]*<live-pusher/)
  })
})

describe('the WeChat fake', () => {
  it('records calls and answers like the client', async () => {
    await loadPage('pages/home/index')
    const wx = getWx()
    const api = wx.api as Record<string, (...args: unknown[]) => unknown>
    wx.clearCalls()

    const done: unknown[] = []
    api.showToast({ title: '已复制', icon: 'none', success: (res: unknown) => done.push(res) })
    wx.modalResults.push({ confirm: false, cancel: true })
    api.showModal({ title: '离开会议？', success: (res: unknown) => done.push(res) })
    api.setStorageSync('name', { nick: '小明' })
    const pusher = api.createLivePusherContext() as Record<string, (opts?: unknown) => void>
    pusher.start()
    wx.pusherContexts[0].failNext('switchCamera', 'no camera')
    pusher.switchCamera({ fail: (err: unknown) => done.push(err) })
    const player = api.createLivePlayerContext('player-u1') as Record<string, (opts?: unknown) => void>
    player.play()
    await new Promise((resolve) => setTimeout(resolve, 5))

    expect(wx.toasts).toEqual([{ title: '已复制', icon: 'none' }])
    expect(wx.modals).toEqual([{ title: '离开会议？' }])
    expect(done).toEqual([
      { errMsg: 'showToast:ok' },
      { errMsg: 'showModal:ok', confirm: false, cancel: true },
      { errMsg: 'switchCamera:fail no camera' },
    ])
    expect(api.getStorageSync('name')).toEqual({ nick: '小明' })
    expect(wx.pusherContexts[0].methods()).toEqual(['start', 'switchCamera'])
    expect(wx.playerContext('player-u1')?.methods()).toEqual(['play'])
    expect((api.getAppBaseInfo() as { language: string }).language).toBe('zh_CN')
    expect(wx.callsTo('setStorageSync')).toEqual([['name', { nick: '小明' }]])
  })

  it('answers wx.request over real HTTP, in WeChat\'s shapes', async () => {
    await loadPage('pages/home/index')
    const wx = getWx()
    const api = wx.api as Record<string, (...args: unknown[]) => unknown>
    const results: Record<string, unknown> = {}
    const callbacks = (name: string) => ({
      success: (res: unknown) => (results[name] = res),
      fail: (err: unknown) => (results[name] = err),
      complete: (res: unknown) => (results[`${name}:complete`] = res),
    })
    api.request({ url: `${SERVICE_URL}/healthz`, ...callbacks('health') })
    api.request({ url: `${SERVICE_URL}/v1/meetings/999999999/join`, method: 'POST', data: { nickname: 'Ann' }, ...callbacks('unknown') })
    api.request({ url: 'http://127.0.0.1:9/refused', ...callbacks('refused') })
    // flush waits for requests in flight.
    await flush()

    expect(results.health).toEqual({
      errMsg: 'request:ok',
      statusCode: 200,
      data: { ok: true },
      header: expect.objectContaining({ 'content-type': expect.stringContaining('application/json') }),
      cookies: [],
    })
    // Any HTTP answer is a success in WeChat, whatever its status.
    expect(results.unknown).toMatchObject({ errMsg: 'request:ok', statusCode: 404, data: { error: { code: 'unknown_meeting' } } })
    expect(results.refused).toEqual({ errMsg: expect.stringMatching(/^request:fail /) })
    expect(results['health:complete']).toBe(results.health)
    expect(wx.requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', `${SERVICE_URL}/healthz`, undefined],
      ['POST', `${SERVICE_URL}/v1/meetings/999999999/join`, '{"nickname":"Ann"}'],
      ['GET', 'http://127.0.0.1:9/refused', undefined],
    ])
    expect(wx.requests[1].response).toMatchObject({ statusCode: 404 })
  })

  it('opens real WebSockets behind a WeChat SocketTask, and a test can cut them', async () => {
    await loadPage('pages/home/index')
    const wx = getWx()
    const api = wx.api as Record<string, (...args: unknown[]) => unknown>
    const { meetingId, hostKey } = await createMeeting(SERVICE_URL)
    const joined = await join(SERVICE_URL, meetingId, { nickname: 'Fake', hostKey })

    const task = api.connectSocket({ url: `${SERVICE_URL.replace(/^http/, 'ws')}/v1/ws` }) as SocketTask
    const fake = wx.sockets[wx.sockets.length - 1]
    const events: unknown[] = []
    task.onOpen(() => events.push('open'))
    task.onMessage((msg) => events.push(msg))
    task.onClose((res) => events.push(res))
    task.onError((res) => events.push(res))
    expect(fake.readyState).toBe(0)
    await fake.opened()
    task.send({ data: JSON.stringify({ type: 'hello', token: joined.token, id: 'h1' }) })
    await waitFor(() => fake.received.length > 0, 'the welcome')
    expect(fake.messages()[0]).toMatchObject({ type: 'welcome', id: 'h1', participantId: joined.participantId })
    expect(events).toEqual(['open', { data: fake.received[0] }])
    expect(fake.sent).toEqual([JSON.stringify({ type: 'hello', token: joined.token, id: 'h1' })])

    // A lost network: no close handshake.
    expect(await fake.cut()).toEqual({ code: 1006, reason: '' })
    expect(events.at(-1)).toEqual({ code: 1006, reason: '' })
    expect(fake.readyState).toBe(3)
    const failed: unknown[] = []
    task.send({ data: 'late', fail: (err: unknown) => failed.push(err) })
    await flush()
    expect(failed).toEqual([{ errMsg: 'sendSocketMessage:fail socket is not connected' }])
  })

  it('closes a socket the app closes, with WeChat\'s rules for the code', async () => {
    await loadPage('pages/home/index')
    const wx = getWx()
    const api = wx.api as Record<string, (...args: unknown[]) => unknown>
    const task = api.connectSocket({ url: `${SERVICE_URL.replace(/^http/, 'ws')}/v1/ws` }) as SocketTask
    const fake = wx.sockets[wx.sockets.length - 1]
    const closes: unknown[] = []
    task.onClose((res) => closes.push(res))
    await fake.opened()
    const results: unknown[] = []
    task.close({ code: 1006, fail: (err: unknown) => results.push(err) })
    task.close({ code: 1000, reason: 'bye', success: (res: unknown) => results.push(res) })
    const closed = await fake.whenClosed()
    expect(results).toEqual([
      { errMsg: 'closeSocket:fail invalid code 1006: only 1000 or 3000-4999' },
      { errMsg: 'closeSocket:ok' },
    ])
    expect(fake.closed).toEqual({ code: 1000, reason: 'bye' })
    expect(closed.code).toBe(1000)
    expect(closes).toEqual([closed])
  })

  it('fires network changes', async () => {
    await loadPage('pages/home/index')
    const wx = getWx()
    const api = wx.api as Record<string, (...args: unknown[]) => unknown>
    const statuses: unknown[] = []
    api.onNetworkStatusChange((s: unknown) => statuses.push(s))
    wx.emitNetworkStatusChange({ isConnected: false, networkType: 'none' })
    expect(statuses).toEqual([{ isConnected: false, networkType: 'none' }])
  })
})
