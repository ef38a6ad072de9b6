import {
  createMeetingStore,
  selectFocusId,
  selectMountedIds,
  selectShownIds,
  selectStripNameIds,
  type MediaView,
} from '../../../src/store'
import { infos } from './helpers'

const PHONE = { width: 375, height: 579 }

function storeWith(n: number, area = PHONE) {
  const store = createMeetingStore()
  store.getState().joined({ id: 'self', nickname: 'Me', role: 'host', pushUrl: 'rtmp://push.example/live/self' })
  store.getState().gridAreaMeasured(area)
  store.getState().participantsReplaced(infos(n))
  return store
}

const memoryWarning = (s: ReturnType<typeof storeWith>): MediaView => ({
  streams: {},
  hidden: false,
  offline: false,
  interrupted: false,
  memoryLimited: true,
  remoteStreams: s.getState().media.remoteStreams,
})

describe('focus', () => {
  test('focusing a tile on the page keeps the page (same array) and names the rest', () => {
    const store = storeWith(6)
    const before = selectShownIds(store.getState())
    store.getState().tileFocused('p3')
    expect(selectFocusId(store.getState())).toBe('p3')
    expect(selectShownIds(store.getState())).toEqual(['p1', 'p2', 'p3', 'p4'])
    expect(selectShownIds(store.getState())).toEqual(before)
    expect(selectStripNameIds(store.getState())).toEqual(['p5', 'p6'])
    expect(selectMountedIds(store.getState())).toHaveLength(4)
  })

  test('a focused participant off the page takes the last place: never more than 4 players on a phone', () => {
    const store = storeWith(6)
    store.getState().tileFocused('p6')
    expect(selectShownIds(store.getState())).toEqual(['p1', 'p2', 'p3', 'p6'])
    expect(selectMountedIds(store.getState())).toEqual(['p1', 'p2', 'p3', 'p6'])
    expect(selectStripNameIds(store.getState())).toEqual(['p4', 'p5'])
  })

  test('after a memory warning the focused player is among the ones kept', () => {
    const store = storeWith(9, { width: 1280, height: 712 })
    store.getState().tileFocused('p8')
    store.getState().mediaUpdated(memoryWarning(store))
    expect(selectMountedIds(store.getState())).toEqual(['p8', 'p1', 'p2', 'p3'])
  })

  test('a participant who left is not focused; tileFocused(null) is the grid', () => {
    const store = storeWith(3)
    store.getState().tileFocused('p2')
    store.getState().participantLeft('p2')
    expect(selectFocusId(store.getState())).toBeNull()
    expect(selectStripNameIds(store.getState())).toEqual([])
    store.getState().tileFocused('p1')
    store.getState().tileFocused(null)
    expect(selectFocusId(store.getState())).toBeNull()
  })

  test('the same focus twice changes nothing (no re-render)', () => {
    const store = storeWith(2)
    store.getState().tileFocused('p1')
    const focus = store.getState().focus
    store.getState().tileFocused('p1')
    expect(store.getState().focus).toBe(focus)
  })

  test('full screen follows the player’s own events; leaving the meeting resets focus', () => {
    const store = storeWith(2)
    store.getState().fullScreenChanged('p1')
    expect(store.getState().focus.fullScreenId).toBe('p1')
    store.getState().tileFocused('p1')
    store.getState().meetingLeft()
    expect(store.getState().focus).toEqual({ id: null, fullScreenId: null })
  })
})
