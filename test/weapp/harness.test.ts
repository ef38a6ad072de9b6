/** @jest-environment jsdom */
/**
 * Checks of the harness itself, on the built app (not on any page's
 * behaviour): pages load one after another, deep trees rendered through
 * Taro's `comp` component are readable, selectors work, and the WeChat fake
 * records what an app would call.
 */
import { getWx, loadPage, unloadAll } from './harness'

afterEach(() => unloadAll())

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
    const room = await loadPage('/pages/room/index', { meetingId: 'a' })
    expect(room.find('live-pusher')).toBeDefined()
    await room.unload()
    const again = await loadPage('pages/room/index', { meetingId: 'b' })
    expect(again.taro.router()?.params.meetingId).toBe('b')
    expect(again.find('live-pusher')).toBeDefined()
  })

  it('keeps the page stack for getCurrentPages()', async () => {
    const home = await loadPage('pages/home/index')
    const room = await loadPage('pages/room/index')
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
    const page = await loadPage('pages/room/index')
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

  it('plays the server of a socket and fires network changes', async () => {
    await loadPage('pages/home/index')
    const wx = getWx()
    const api = wx.api as Record<string, (...args: unknown[]) => unknown>
    const task = api.connectSocket({ url: 'ws://127.0.0.1:1/ws' }) as Record<string, (arg?: unknown) => void>
    const received: unknown[] = []
    task.onMessage((msg: unknown) => received.push(msg))
    wx.sockets[0].serverOpen()
    task.send({ data: 'hello' })
    wx.sockets[0].serverSend({ type: 'welcome' })
    const statuses: unknown[] = []
    api.onNetworkStatusChange((s: unknown) => statuses.push(s))
    wx.emitNetworkStatusChange({ isConnected: false, networkType: 'none' })

    expect(wx.sockets[0].sent).toEqual(['hello'])
    expect(received).toEqual([{ data: '{"type":"welcome"}' }])
    expect(statuses).toEqual([{ isConnected: false, networkType: 'none' }])
  })
})
