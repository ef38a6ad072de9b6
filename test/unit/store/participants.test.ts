import { createMeetingStore, selectMountedIds, selectVisibleIds, type MediaView } from '../../../src/store'
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
    // Where the player stands is the media session's to say (mediaUpdated).
    expect(byId.a).toMatchObject({ media: 'idle', playGeneration: 0, restarts: 0, lastCode: null })
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
    store.getState().playerNetStatus('nobody', { netSpeed: 1 })
    expect(store.getState().participants).toBe(before.participants)
    expect(store.getState().network).toBe(before.network)
  })
})

describe('mediaUpdated: the media session’s mirror', () => {
  const view = (streams: MediaView['streams'], flags: Partial<MediaView> = {}): MediaView => ({
    streams,
    hidden: false,
    offline: false,
    interrupted: false,
    memoryLimited: false,
    ...flags,
  })
  const live = { phase: 'live' as const, generation: 2, restarts: 0, lastCode: 2004 }

  test('writes each stream to its participant or the publisher, and only what changed is a new object', () => {
    const store = joinedStore()
    store.getState().participantsReplaced([info('a'), info('b')])
    const before = store.getState()
    store.getState().mediaUpdated(view({ push: { phase: 'connecting', generation: 1, restarts: 0, lastCode: null }, 'play:a': live, 'play:b': { ...live, phase: 'idle', generation: 0, lastCode: null } }))
    const after = store.getState()
    expect(after.publisher).toMatchObject({ media: 'connecting', pushGeneration: 1 })
    expect(after.participants.byId.a).toMatchObject({ media: 'live', playGeneration: 2, lastCode: 2004 })
    // b's entry said what b already was: same object, so b's tile does not re-render.
    expect(after.participants.byId.b).toBe(before.participants.byId.b)
    expect(after.media).toBe(before.media)
  })

  test('the same view twice changes nothing at all', () => {
    const store = joinedStore()
    store.getState().participantsReplaced([info('a')])
    store.getState().mediaUpdated(view({ 'play:a': live }, { hidden: true }))
    const before = store.getState()
    store.getState().mediaUpdated(view({ 'play:a': live }, { hidden: true }))
    expect(store.getState()).toBe(before)
    expect(before.media).toEqual({ hidden: true, offline: false, interrupted: false, memoryLimited: false, remoteStreams: {} })
  })

  test('a player whose stream the session closed is idle; streams of unknown participants are ignored', () => {
    const store = joinedStore()
    store.getState().participantsReplaced([info('a')])
    store.getState().mediaUpdated(view({ 'play:a': live, 'play:ghost': live }))
    store.getState().mediaUpdated(view({}))
    expect(store.getState().participants.byId.a.media).toBe('idle')
    expect(store.getState().participants.byId.ghost).toBeUndefined()
  })

  test('after a memory warning only the first four players of the page are mounted', () => {
    const store = joinedStore()
    // A desktop window (a page of 9); a phone's page is 4 already.
    store.getState().gridAreaMeasured({ width: 1280, height: 712 })
    store.getState().participantsReplaced(infos(7))
    expect(selectMountedIds(store.getState())).toHaveLength(7)
    store.getState().mediaUpdated(view({}, { memoryLimited: true }))
    expect(selectMountedIds(store.getState())).toEqual(['p1', 'p2', 'p3', 'p4'])
  })
})

describe('grid paging', () => {
  test.each([
    [0, 0, []],
    [5, 0, ['p1', 'p2', 'p3', 'p4']],
    [5, 1, ['p5']],
    [12, 0, ['p1', 'p2', 'p3', 'p4']],
    [12, 1, ['p5', 'p6', 'p7', 'p8']],
    [12, 7, ['p9', 'p10', 'p11', 'p12']],
  ])('phone: %i participants, page %i → mounted %j', (n, page, ids) => {
    const store = joinedStore()
    store.getState().gridAreaMeasured({ width: 375, height: 579 })
    store.getState().participantsReplaced(infos(n))
    store.getState().pageChanged(page)
    expect(selectVisibleIds(store.getState())).toEqual(ids)
  })

  test.each([
    [5, 0, ['p1', 'p2', 'p3', 'p4', 'p5']],
    [12, 0, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']],
    [12, 1, ['p10', 'p11', 'p12']],
    [12, 7, ['p10', 'p11', 'p12']],
  ])('desktop: %i participants, page %i → mounted %j', (n, page, ids) => {
    const store = joinedStore()
    store.getState().gridAreaMeasured({ width: 1280, height: 712 })
    store.getState().participantsReplaced(infos(n))
    store.getState().pageChanged(page)
    expect(selectVisibleIds(store.getState())).toEqual(ids)
  })

  test('the stored page stays valid when the last page empties, so a later join does not jump pages', () => {
    const store = joinedStore()
    store.getState().gridAreaMeasured({ width: 375, height: 579 })
    store.getState().participantsReplaced(infos(5))
    store.getState().pageChanged(1)
    expect(selectVisibleIds(store.getState())).toEqual(['p5'])
    store.getState().participantLeft('p5')
    expect(store.getState().ui.page).toBe(0)
    store.getState().participantJoined(infos(6)[5])
    expect(store.getState().ui.page).toBe(0)
    expect(selectVisibleIds(store.getState())).toEqual(['p1', 'p2', 'p3', 'p4'])
  })

  test('a desktop window shrinking to a phone clamps the page into the phone’s pages', () => {
    const store = joinedStore()
    store.getState().gridAreaMeasured({ width: 1280, height: 712 })
    store.getState().participantsReplaced(infos(12))
    store.getState().pageChanged(1)
    store.getState().gridAreaMeasured({ width: 375, height: 579 })
    // 12 on phone pages of 4: pages 0–2, page 1 still exists.
    expect(store.getState().ui.page).toBe(1)
    store.getState().gridAreaMeasured({ width: 1280, height: 712 })
    store.getState().participantsReplaced(infos(4))
    expect(store.getState().ui.page).toBe(0)
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
