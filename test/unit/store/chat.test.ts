/** The chat slice through getState(): ordering, deduplication, own lines' states, unread, the cap, and leaving. */
import type { ChatLine } from '../../../src/core/protocol'
import { CHAT_KEPT } from '../../../src/store/chat-slice'
import { createMeetingStore } from '../../../src/store'

function storeAs(selfId: string) {
  const store = createMeetingStore()
  store.getState().joined({ id: selfId, nickname: 'Me', role: 'participant', pushUrl: 'rtmp://x/live/me' })
  return store
}

function line(atSeq: number, fromId: string, text = `t${atSeq}`, clientMsgId = `k${atSeq}`): ChatLine {
  return { id: `c${atSeq}`, atSeq, atMs: 1000 + atSeq, from: { id: fromId, nickname: fromId, role: 'participant' }, text, clientMsgId }
}

const texts = (store: ReturnType<typeof storeAs>) => store.getState().chat.messages.map((m) => `${m.text}:${m.status}`)

test('lines are kept in the service order, each once, whatever order they arrive in', () => {
  const store = storeAs('me')
  const s = store.getState()
  s.chatReceived(line(5, 'a'))
  s.chatReceived(line(3, 'b'))
  s.chatReceived(line(5, 'a'))
  expect(texts(store)).toEqual(['t3:sent', 't5:sent'])
})

test('unread counts others’ lines while closed, not one’s own; opening resets it; lines while open are read', () => {
  const store = storeAs('me')
  const s = store.getState()
  s.chatReceived(line(1, 'a'))
  s.chatReceived(line(2, 'me'))
  s.chatReceived(line(3, 'b'))
  expect(store.getState().chat.unread).toBe(2)
  s.chatToggled()
  expect(store.getState().chat).toMatchObject({ open: true, unread: 0 })
  s.chatReceived(line(4, 'a'))
  expect(store.getState().chat.unread).toBe(0)
  s.chatToggled(false)
  s.chatReceived(line(5, 'a'))
  expect(store.getState().chat).toMatchObject({ open: false, unread: 1 })
})

test('an own line: pending, failed with its reason, pending again on retry, then confirmed by its echo in place', () => {
  const store = storeAs('me')
  const s = store.getState()
  s.chatReceived(line(1, 'a'))
  s.chatSendStarted('mine1', 'hello', 50)
  expect(texts(store)).toEqual(['t1:sent', 'hello:pending'])
  s.chatSendFailed('mine1', 'rate_limited')
  expect(store.getState().chat.messages[1]).toMatchObject({ status: 'failed', error: 'rate_limited', mine: true })
  s.chatSendStarted('mine1', 'hello')
  expect(store.getState().chat.messages[1]).toMatchObject({ status: 'pending', error: null })
  expect(store.getState().chat.messages).toHaveLength(2)
  s.chatReceived(line(7, 'me', 'hello', 'mine1'))
  expect(texts(store)).toEqual(['t1:sent', 'hello:sent'])
  expect(store.getState().chat.messages[1]).toMatchObject({ id: 'c7', atSeq: 7, mine: true })
})

test('a welcome history replaces the confirmed lines and keeps own unsent ones after them; ones it confirms are not doubled', () => {
  const store = storeAs('me')
  const s = store.getState()
  s.chatReceived(line(1, 'a'))
  s.chatSendStarted('x', 'confirmed by history')
  s.chatSendStarted('y', 'still failed')
  s.chatSendFailed('y', 'network')
  s.chatHistoryReplaced([line(1, 'a'), line(2, 'b'), line(3, 'me', 'confirmed by history', 'x')], true)
  expect(texts(store)).toEqual(['t1:sent', 't2:sent', 'confirmed by history:sent', 'still failed:failed'])
  // t1 arrived live; b's t2 only in the history (written while cut off): both unread. Our own line is not.
  expect(store.getState().chat.unread).toBe(2)
})

test('a first welcome’s history is not news; on a resume others’ lines after the last one shown are, unless the panel is open', () => {
  const store = storeAs('me')
  const s = store.getState()
  s.chatHistoryReplaced([line(1, 'a'), line(2, 'b')])
  expect(store.getState().chat.unread).toBe(0)
  // Cut off; meanwhile b, a and this user (from another device, say) wrote: the resume's history.
  s.chatHistoryReplaced([line(1, 'a'), line(2, 'b'), line(3, 'b'), line(4, 'me'), line(5, 'a')], true)
  expect(store.getState().chat.unread).toBe(2)
  s.chatToggled(true)
  s.chatHistoryReplaced([line(1, 'a'), line(2, 'b'), line(3, 'b'), line(4, 'me'), line(5, 'a'), line(6, 'b')], true)
  expect(store.getState().chat.unread).toBe(0)
  // Joined with an empty history, cut off, then a resume: everything others wrote is new.
  const empty = storeAs('me')
  empty.getState().chatHistoryReplaced([])
  empty.getState().chatHistoryReplaced([line(1, 'a'), line(2, 'b')], true)
  expect(empty.getState().chat.unread).toBe(2)
})

test(`at most ${CHAT_KEPT} lines are kept, the newest`, () => {
  const store = storeAs('me')
  for (let i = 1; i <= CHAT_KEPT + 30; i++) store.getState().chatReceived(line(i, 'a'))
  const messages = store.getState().chat.messages
  expect(messages).toHaveLength(CHAT_KEPT)
  expect(messages[0].atSeq).toBe(31)
  expect(messages.at(-1)?.atSeq).toBe(CHAT_KEPT + 30)
})

test('leaving the meeting forgets the chat and the hand', () => {
  const store = storeAs('me')
  store.getState().chatReceived(line(1, 'a'))
  store.getState().selfHandUpdated(123)
  store.getState().meetingLeft()
  expect(store.getState().chat).toEqual({ messages: [], unread: 0, open: false, selfHandRaisedAt: null })
})
