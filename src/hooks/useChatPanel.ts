import { useCallback, useState } from 'react'
import { chatTextLength, LIMITS, normalizeChatText } from '../core/protocol'
import { currentSession } from '../services/session'
import { meetingStore, useMeeting, type ChatEntry } from '../store'
import type { Strings } from '../i18n'
import { useStrings } from './useStrings'

type InputEvent = { detail: { value: string } }

/** What a failed line says, by the reason it failed. */
export function chatFailureText(entry: ChatEntry, t: Strings): string {
  switch (entry.error) {
    case 'rate_limited':
      return t.chatRateLimited
    case 'invalid':
      return t.chatInvalid
    case 'network':
      return t.chatNetwork
    default:
      return t.chatFailed
  }
}

/**
 * The chat panel's prop bag: the lines, the send box with its counter and
 * the rule's verdict before sending (the service applies the same rule), and
 * retrying a failed line.
 */
export function useChatPanel() {
  const t = useStrings()
  const open = useMeeting((s) => s.chat.open)
  const messages = useMeeting((s) => s.chat.messages)
  const [draft, setDraft] = useState('')
  const [refused, setRefused] = useState(false)
  const length = chatTextLength(draft)
  const tooLong = length > LIMITS.chatTextMaxLength
  // The last own line that failed, so the box can say why right under what was typed.
  const lastFailure = [...messages].reverse().find((m) => m.mine && m.status === 'failed')

  const onInput = useCallback((e: InputEvent) => {
    setDraft(e.detail.value)
    setRefused(false)
  }, [])

  const onSend = useCallback(() => {
    if (draft.trim() === '') return
    const client = currentSession()
    if (normalizeChatText(draft) === null || client === null || !client.sendChat(draft)) {
      setRefused(true)
      return
    }
    setDraft('')
  }, [draft])

  const onRetry = useCallback((clientMsgId: string | null) => {
    if (clientMsgId !== null) currentSession()?.retryChat(clientMsgId)
  }, [])

  const onClose = useCallback(() => meetingStore.getState().chatToggled(false), [])

  let error: string | null = null
  if (tooLong) error = t.chatTooLong(LIMITS.chatTextMaxLength)
  else if (refused) error = t.chatInvalid
  else if (lastFailure !== undefined && lastFailure.error === 'rate_limited') error = t.chatRateLimited

  return {
    t,
    open,
    messages,
    /** For the list's column-reverse layout (see ChatPanel). */
    newestFirst: [...messages].reverse(),
    draft,
    counter: t.chatCounter(length, LIMITS.chatTextMaxLength),
    tooLong,
    error,
    canSend: draft.trim() !== '' && !tooLong,
    onInput,
    onSend,
    onRetry,
    onClose,
    failureText: (entry: ChatEntry) => chatFailureText(entry, t),
  }
}
