/** @jest-environment jsdom */
/**
 * The compiled room page (dist/weapp/packages/meeting/room/index) end to end: WeChat's
 * wxml compiler renders Taro's base.wxml, and WeChat-shaped component events
 * go through the real Taro runtime (page `eh` → Taro dispatch → React props).
 *
 * The page is reached as a user reaches it: the home page creates a meeting
 * on the test run's room service (global-setup.ts) and navigates to the room;
 * two other participants (the app's room client in Node) are in the meeting,
 * so the page has two live-players.
 *
 * Extend it with assertions on what the page shows: fire events with the
 * room driver, then read attributes (`room.pusherAttr('max-bitrate')`),
 * text (`page.text()`) and the WeChat calls (`page.wx.toasts`,
 * `page.wx.pusherContexts[0].methods()`).
 */
import { unloadAll, type PageHandle, type WeappNode } from './harness'
import { Others, openMeeting } from './meeting'
import type { NetStatusInfo, RoomDriver } from './room-driver'

const others = new Others()
let page: PageHandle
let room: RoomDriver
let meetingId: string

beforeEach(async () => {
  ;({ page, room, meetingId } = await openMeeting(others, { remotes: 2 }))
})

afterEach(async () => {
  await unloadAll()
  others.dispose()
})

/**
 * Observes the React prop bound for `eventType` on `node` and checks it is the
 * very function React rendered as `prop`: a spy that fires proves the event
 * went WeChat → Taro → React props, whatever the handler does with it.
 */
function spyOnProp(node: WeappNode, eventType: string, prop: string) {
  const spy = page.taro.spyOnHandler(node, eventType)
  expect(spy.handler).toBe(page.taro.reactProps(node)[prop])
  return spy
}

describe('render', () => {
  it('renders a live-pusher and a live-player per other participant', () => {
    expect(room.pusher().tag).toBe('live-pusher')
    expect(page.findAll('live-pusher')).toHaveLength(1)
    // Throws, with the rendered page, when there is none.
    expect(room.player(0).tag).toBe('live-player')
    expect(room.players()).toHaveLength(2)
  })

  it('binds the live-media events on the rendered elements', () => {
    expect(room.pusher().boundEvents()).toEqual(expect.arrayContaining(['netstatus', 'statechange', 'error']))
    for (const player of room.players()) {
      expect(player.boundEvents()).toEqual(expect.arrayContaining(['netstatus', 'statechange']))
    }
  })

  it('renders the attributes WeChat reads, not Taro\'s defaults', () => {
    expect(room.pusherAttr('url')).toMatch(/^rtmp:\/\//)
    expect(room.pusherAttr('mode')).toBe('RTC')
    // The page's user created the meeting: the host preset (Taro's default would be 200/1000 too, so
    // also check what only the app sets: autopush with a URL, voicecall volume, the waiting image).
    const min = room.pusherAttr('min-bitrate')
    const max = room.pusherAttr('max-bitrate')
    expect([min, max]).toEqual([200, 1000])
    expect(room.pusherAttr('autopush')).toBe(true)
    expect(room.pusherAttr('audio-volume-type')).toBe('voicecall')
    expect(room.pusherAttr('waiting-image')).toBe('/assets/waiting-image.png')
    room.players().forEach((_player, i) => {
      expect(room.playerAttr(i, 'src')).toMatch(/txSecret=[0-9a-f]{32}/)
      // Taro's defaults are mode="live" and object-fit="contain": losing RTC mode must fail here.
      expect(room.playerAttr(i, 'mode')).toBe('RTC')
      expect(room.playerAttr(i, 'object-fit')).toBe('fillCrop')
      expect(room.playerAttr(i, 'autoplay')).toBe(true)
    })
    // Same values in the markup a failing test prints.
    expect(page.markup()).toContain(`max-bitrate="${String(max)}"`)
  })

  it('hands the query of the pre-join page\'s redirectTo to the page', () => {
    expect(page.wx.navigations.at(-1)).toEqual(expect.objectContaining({ api: 'redirectTo', url: `/packages/meeting/room/index?meetingId=${meetingId}` }))
    expect(page.taro.router()?.params).toMatchObject({ meetingId })
    expect(page.taro.router()?.path).toBe('/packages/meeting/room/index')
  })
})

describe('events reach the React props through the real Taro runtime', () => {
  it('netstatus on a live-player → onNetStatus', async () => {
    const player = room.player(0)
    const spy = spyOnProp(player, 'netstatus', 'onNetStatus')
    const info: NetStatusInfo = { videoBitrate: 812, audioBitrate: 48, videoFPS: 15, netSpeed: 900, videoWidth: 360, videoHeight: 640 }

    await room.firePlayerNetStatus(0, info)

    expect(page.events).toContainEqual(expect.objectContaining({ type: 'netstatus', targetId: player.id, detail: { info } }))
    expect(spy.calls).toEqual([{ type: 'netstatus', detail: { info } }])
  })

  it('statechange on the pusher → onStateChange', async () => {
    const spy = spyOnProp(room.pusher(), 'statechange', 'onStateChange')

    await room.firePusherStateChange(1002, 'push started')

    expect(spy.calls).toEqual([{ type: 'statechange', detail: { code: 1002, message: 'push started' } }])
  })

  it('error on the pusher → onError (binderror added by the build plugin)', async () => {
    const spy = spyOnProp(room.pusher(), 'error', 'onError')

    await room.firePusherError(10001, 'camera permission denied')

    expect(spy.calls).toEqual([{ type: 'error', detail: { errCode: 10001, errMsg: 'camera permission denied' } }])
  })

  it('netstatus on the pusher and statechange on a live-player', async () => {
    const pusherSpy = spyOnProp(room.pusher(), 'netstatus', 'onNetStatus')
    const playerSpy = spyOnProp(room.player(0), 'statechange', 'onStateChange')

    await room.firePusherNetStatus({ videoBitrate: 600, netSpeed: 700 })
    await room.firePlayerStateChange(0, 2004, 'playing')

    expect(pusherSpy.calls).toEqual([{ type: 'netstatus', detail: { info: { videoBitrate: 600, netSpeed: 700 } } }])
    expect(playerSpy.calls).toEqual([{ type: 'statechange', detail: { code: 2004, message: 'playing' } }])
  })

  it('each event reaches only the element it was fired on', async () => {
    const pusherSpy = spyOnProp(room.pusher(), 'statechange', 'onStateChange')
    const playerSpy = spyOnProp(room.player(0), 'statechange', 'onStateChange')

    await room.firePlayerStateChange(0, 2004)

    expect(playerSpy.calls).toHaveLength(1)
    expect(pusherSpy.calls).toEqual([])
  })
})

describe('the harness fails a test when delivery fails', () => {
  it('rejects an event the template does not bind', async () => {
    await expect(room.pusher().dispatch('bgmnotbound', {})).rejects.toThrow(/has no bindbgmnotbound in the rendered template/)
  })

  it('rejects when the page event handler never receives the event', async () => {
    const eh = page.instance.eh
    page.instance.eh = () => undefined
    try {
      await expect(room.firePusherNetStatus({ videoBitrate: 1 })).rejects.toThrow(/never reached the page's Taro event handler/)
    } finally {
      page.instance.eh = eh
    }
  })

  it('rejects when a handler throws', async () => {
    const el = page.taro.element(room.pusher())
    const handlers = el.__handlers.netstatus
    el.__handlers.netstatus = [() => {
      throw new Error('handler exploded')
    }]
    try {
      await expect(room.firePusherNetStatus({ videoBitrate: 1 })).rejects.toThrow(/handler exploded/)
    } finally {
      el.__handlers.netstatus = handlers
    }
  })

  it('a spy sees nothing when the event goes to another element', async () => {
    const spy = spyOnProp(room.pusher(), 'netstatus', 'onNetStatus')
    await room.firePusherStateChange(1001)
    expect(spy.calls).toEqual([])
    spy.restore()
  })
})
