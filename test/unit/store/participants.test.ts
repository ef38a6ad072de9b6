import { createMeetingStore, MAX_AUTO_RESTARTS, selectVisibleIds } from '../../../src/store'
import { info, infos } from './helpers'

function joinedStore() {
  const store = createMeetingStore()
  store.getState().joined({ id: 'me', nickname: 'Me', role: 'participant', pushUrl: 'rtmp://x/live/me' }, 0)
  return store
}

describe('participants slice', () => {
  test('participantsReplaced normalises by id and order, skipping duplicates and self', () => {
    const store = joinedStore()
    store.getState().participantsReplaced([info('a'), info('b'), info('a'), info('me')])
    const { byId, order } = store.getState().participants
    expect(order).toEqual(['a', 'b'])
    expect(Object.keys(byId).sort()).toEqual(['a', 'b'])
    expect(byId.a.media).toBe('connecting')
  })

  test('participantJoined appends once; a second join with the same id updates in place', () => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    store.getState().participantJoined(info('b'))
    store.getState().participantJoined(info('a', { nickname: 'Renamed' }))
    expect(store.getState().participants.order).toEqual(['a', 'b'])
    expect(store.getState().participants.byId.a.nickname).toBe('Renamed')
  })

  test('every update makes new objects (zustand compares by reference)', () => {
    const store = joinedStore()
    store.getState().participantsReplaced([info('a'), info('b')])
    const before = store.getState().participants
    store.getState().participantUpdated('a', { micOn: false })
    const after = store.getState().participants
    expect(after).not.toBe(before)
    expect(after.byId).not.toBe(before.byId)
    expect(after.byId.a).not.toBe(before.byId.a)
    expect(after.byId.b).toBe(before.byId.b)
    expect(after.byId.a.micOn).toBe(false)
  })

  test('a new play URL restarts the player (new generation), the same URL keeps it', () => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    store.getState().playerStateChanged('a', 2004, 1)
    store.getState().participantUpdated('a', { micOn: false })
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'live', playGeneration: 0 })
    store.getState().participantUpdated('a', { playUrl: 'rtmp://127.0.0.1/live/a-2' })
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'connecting', playGeneration: 1 })
  })

  test('participantLeft removes the participant and its network entry', () => {
    const store = joinedStore()
    store.getState().participantsReplaced([info('a'), info('b')])
    store.getState().playerNetStatus('a', { videoBitrate: 300, netSpeed: 320, videoFPS: 15 }, 1)
    expect(store.getState().network.byId.a).toBeDefined()
    store.getState().participantLeft('a')
    expect(store.getState().participants.order).toEqual(['b'])
    expect(store.getState().participants.byId.a).toBeUndefined()
    expect(store.getState().network.byId.a).toBeUndefined()
  })

  test('unknown ids are ignored, never a crash', () => {
    const store = joinedStore()
    const before = store.getState()
    store.getState().participantLeft('nobody')
    store.getState().participantUpdated('nobody', { micOn: false })
    store.getState().playerStateChanged('nobody', 2004)
    store.getState().playerNetStatus('nobody', { netSpeed: 1 })
    expect(store.getState().participants).toBe(before.participants)
    expect(store.getState().network).toBe(before.network)
  })
})

describe('player state codes', () => {
  test.each([
    ['2001 connected', [2001], 'connecting'],
    ['2004 play begin', [2001, 2004], 'live'],
    ['2032 first frame rendered', [2032], 'live'],
    ['2007 loading while live', [2004, 2007], 'loading'],
    ['2007 loading then 2004', [2004, 2007, 2004], 'live'],
    ['2103 reconnecting', [2004, 2103], 'reconnecting'],
    ['2001 after 2103 still reconnecting', [2004, 2103, 2001], 'reconnecting'],
    ['2004 after 2103, 2001 is live', [2004, 2103, 2001, 2004], 'live'],
    ['2105 stutter keeps live', [2004, 2105], 'live'],
    ['unknown 2027 keeps the state', [2004, 2027], 'live'],
  ] as const)('%s → %s', (_name, codes, media) => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    codes.forEach((code, i) => store.getState().playerStateChanged('a', code, i))
    expect(store.getState().participants.byId.a.media).toBe(media)
  })

  test('-2301 remounts the player up to MAX_AUTO_RESTARTS times, then the tile fails until the user retries', () => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    for (let i = 1; i <= MAX_AUTO_RESTARTS; i++) {
      store.getState().playerStateChanged('a', -2301, i)
      expect(store.getState().participants.byId.a).toMatchObject({ media: 'reconnecting', playGeneration: i, restarts: i })
    }
    store.getState().playerStateChanged('a', -2301, 10)
    expect(store.getState().participants.byId.a).toMatchObject({ media: 'failed', playGeneration: MAX_AUTO_RESTARTS })
    store.getState().playerRetried('a')
    expect(store.getState().participants.byId.a).toMatchObject({
      media: 'connecting',
      playGeneration: MAX_AUTO_RESTARTS + 1,
      restarts: 0,
    })
  })

  test('going live resets the restart count', () => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    store.getState().playerStateChanged('a', -2301, 1)
    store.getState().playerStateChanged('a', 2004, 2)
    expect(store.getState().participants.byId.a.restarts).toBe(0)
  })

  test('every player code lands in the debug log, unknown ones marked', () => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    store.getState().playerStateChanged('a', 2004, 1)
    store.getState().playerStateChanged('a', 2027, 2)
    expect(store.getState().ui.debugLog.map((e) => [e.code, e.known])).toEqual([
      [2004, true],
      [2027, false],
    ])
    expect(warn).toHaveBeenCalledTimes(1)
    warn.mockRestore()
  })

  test('player problems never toast or open a modal: the tile shows them', () => {
    const store = joinedStore()
    store.getState().participantJoined(info('a'))
    ;[2103, 2105, -2301, -2302].forEach((code, i) => store.getState().playerStateChanged('a', code, i))
    expect(store.getState().ui.notices).toEqual([])
    expect(store.getState().ui.modal).toBeNull()
  })
})

describe('grid paging', () => {
  test.each([
    [0, 0, []],
    [5, 0, ['p1', 'p2', 'p3', 'p4', 'p5']],
    [12, 0, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']],
    [12, 1, ['p10', 'p11', 'p12']],
    [12, 7, ['p10', 'p11', 'p12']],
  ])('%i participants, page %i → mounted %j', (n, page, ids) => {
    const store = joinedStore()
    store.getState().gridAreaMeasured({ width: 375, height: 579 })
    store.getState().participantsReplaced(infos(n))
    store.getState().pageChanged(page)
    expect(selectVisibleIds(store.getState())).toEqual(ids)
  })

  test('the page is clamped when participants leave', () => {
    const store = joinedStore()
    store.getState().participantsReplaced(infos(12))
    store.getState().pageChanged(1)
    expect(store.getState().ui.page).toBe(1)
    store.getState().pageChanged(-4)
    expect(store.getState().ui.page).toBe(0)
  })
})
