import type { StateCreator } from 'zustand/vanilla'
import type { ChatLine } from '../core/protocol'
import type { ChatEntry, ChatSlice, MeetingState } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], ChatSlice>

/** Lines kept here: the service's history (100) plus what arrives while the meeting goes on, within bounds for setData. */
export const CHAT_KEPT = 200

export const initialChat: ChatSlice['chat'] = { messages: [], unread: 0, open: false, selfHandRaisedAt: null }

function entryOf(line: ChatLine, selfId: string | null): ChatEntry {
  return {
    id: line.id,
    clientMsgId: line.clientMsgId,
    atSeq: line.atSeq,
    atMs: line.atMs,
    from: line.from,
    text: line.text,
    mine: line.from.id === selfId,
    status: 'sent',
    error: null,
  }
}

/** Confirmed lines in the service's order, then this user's unconfirmed ones in the order they were written. */
function ordered(messages: readonly ChatEntry[]): ChatEntry[] {
  const sent = messages.filter((m) => m.status === 'sent').sort((a, b) => (a.atSeq ?? 0) - (b.atSeq ?? 0))
  const unsent = messages.filter((m) => m.status !== 'sent')
  return [...sent, ...unsent].slice(-CHAT_KEPT)
}

/** A line of ours: the entry waiting for it, matched by clientMsgId. */
function isEchoOf(entry: ChatEntry, line: ChatLine, selfId: string | null): boolean {
  return entry.status !== 'sent' && entry.clientMsgId === line.clientMsgId && line.from.id === selfId
}

export const createChatSlice: Creator = (set) => ({
  chat: initialChat,

  chatHistoryReplaced: (lines, resumed = false) =>
    set((s) => {
      const selfId = s.publisher.selfId
      const confirmed = lines.map((line) => entryOf(line, selfId))
      // Our lines still waiting (or failed) that the history does not hold yet stay, so nothing typed is lost.
      const waiting = s.chat.messages.filter((m) => m.status !== 'sent' && !lines.some((line) => isEchoOf(m, line, selfId)))
      // A resume's history holds what others wrote while this user was cut off: news (after the
      // newest line already shown), unless the panel is open. A first welcome's history is not news.
      const seen = s.chat.messages.reduce((max, m) => (m.atSeq !== null && m.atSeq > max ? m.atSeq : max), -1)
      const missed = !resumed || s.chat.open ? 0 : confirmed.filter((m) => !m.mine && (m.atSeq ?? -1) > seen).length
      return { chat: { ...s.chat, messages: ordered([...confirmed, ...waiting]), unread: s.chat.unread + missed } }
    }),

  chatReceived: (line) =>
    set((s) => {
      const selfId = s.publisher.selfId
      if (s.chat.messages.some((m) => m.id === line.id)) return s
      const entry = entryOf(line, selfId)
      const rest = s.chat.messages.filter((m) => !isEchoOf(m, line, selfId))
      const unread = s.chat.open || entry.mine ? s.chat.unread : s.chat.unread + 1
      return { chat: { ...s.chat, messages: ordered([...rest, entry]), unread } }
    }),

  chatSendStarted: (clientMsgId, text, atMs = Date.now()) =>
    set((s) => {
      const existing = s.chat.messages.find((m) => m.clientMsgId === clientMsgId && m.status !== 'sent')
      if (existing !== undefined) {
        const messages = s.chat.messages.map((m) => (m === existing ? { ...m, status: 'pending' as const, error: null } : m))
        return { chat: { ...s.chat, messages } }
      }
      const entry: ChatEntry = {
        id: `local:${clientMsgId}`,
        clientMsgId,
        atSeq: null,
        atMs,
        from: { id: s.publisher.selfId ?? '', nickname: s.publisher.nickname, role: s.publisher.role },
        text,
        mine: true,
        status: 'pending',
        error: null,
      }
      return { chat: { ...s.chat, messages: ordered([...s.chat.messages, entry]) } }
    }),

  chatSendFailed: (clientMsgId, error) =>
    set((s) => {
      const target = s.chat.messages.find((m) => m.clientMsgId === clientMsgId && m.status === 'pending')
      if (target === undefined) return s
      const messages = s.chat.messages.map((m) => (m === target ? { ...m, status: 'failed' as const, error } : m))
      return { chat: { ...s.chat, messages } }
    }),

  chatToggled: (open) =>
    set((s) => {
      const next = open ?? !s.chat.open
      if (next === s.chat.open && (!next || s.chat.unread === 0)) return s
      return { chat: { ...s.chat, open: next, unread: next ? 0 : s.chat.unread } }
    }),

  selfHandUpdated: (raisedAt) =>
    set((s) => (s.chat.selfHandRaisedAt === raisedAt ? s : { chat: { ...s.chat, selfHandRaisedAt: raisedAt } })),
})
