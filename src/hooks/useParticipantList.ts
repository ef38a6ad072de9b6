import Taro from '@tarojs/taro'
import { useCallback, useMemo, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ROLE_GRANTS } from '../core/protocol'
import { RoomError, type RoomClient } from '../services/room-client'
import { currentSession } from '../services/session'
import { useMeeting, type ParticipantInfo } from '../store'
import { useStrings } from './useStrings'

/** A row of the list: the user or a remote participant. */
export type ListedParticipant = Omit<ParticipantInfo, 'playUrl' | 'handRaised' | 'handRaisedAt'> & {
  readonly isSelf: boolean
  readonly away: boolean
  /** When the hand went up, or null. */
  readonly handRaisedAt: number | null
}

/** The search box appears once the meeting has more people than this (one full page of the grid). */
export const SEARCH_AFTER = 9

/** Case- and width-insensitive form of a name for searching (ＡＢＣ, abc and ABC match; Chinese is unchanged). */
function searchable(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase()
}

/**
 * The panel's order: raised hands first, the longest-waiting first; then the
 * user; then everyone else in join order (the sort is stable).
 */
export function panelOrder(list: readonly ListedParticipant[]): ListedParticipant[] {
  return [...list].sort((a, b) => {
    if (a.handRaisedAt !== null || b.handRaisedAt !== null) {
      if (a.handRaisedAt === null) return 1
      if (b.handRaisedAt === null) return -1
      return a.handRaisedAt - b.handRaisedAt
    }
    return Number(b.isSelf) - Number(a.isSelf)
  })
}

/** The rows whose nickname contains the query (trimmed; empty: everyone). */
export function filterByName(list: readonly ListedParticipant[], query: string): ListedParticipant[] {
  const q = searchable(query.trim())
  return q === '' ? [...list] : list.filter((p) => searchable(p.nickname).includes(q))
}

/**
 * The participant list: everyone, the user first, and the host controls the
 * user's role grants (the service checks the same grants and refuses otherwise).
 */
export function useParticipantList() {
  const t = useStrings()
  const self = useMeeting(
    useShallow((s) => ({
      id: s.publisher.selfId ?? 'self',
      nickname: s.publisher.nickname,
      role: s.publisher.role,
      micOn: s.publisher.micOn,
      cameraOn: s.publisher.cameraOn,
      mutedByHost: s.publisher.mutedByHost,
      handRaisedAt: s.chat.selfHandRaisedAt,
    })),
  )
  const others = useMeeting(useShallow((s) => s.participants.order.map((id) => s.participants.byId[id])))
  const locked = useMeeting((s) => s.session.locked)
  const grants = ROLE_GRANTS[self.role]

  const run = useCallback(
    async (action: (client: RoomClient) => Promise<unknown>, confirmText?: string) => {
      const client = currentSession()
      if (client === null) return
      if (confirmText !== undefined) {
        const answer = await Taro.showModal({ title: t.appTitle, content: confirmText, confirmText: t.confirm, cancelText: t.cancel }).catch(
          () => ({ confirm: false }),
        )
        if (!answer.confirm) return
      }
      try {
        await action(client)
      } catch (e) {
        const title = e instanceof RoomError && e.code === 'not_host' ? t.notHost : t.hostActionFailed
        Taro.showToast({ title, icon: 'none' }).catch(() => undefined)
      }
    },
    [t],
  )

  const [query, setQuery] = useState('')
  const everyone = useMemo<ListedParticipant[]>(
    () =>
      panelOrder([
        { ...self, away: false, isSelf: true },
        ...others.map((p) => ({
          id: p.id,
          nickname: p.nickname,
          role: p.role,
          micOn: p.micOn,
          cameraOn: p.cameraOn,
          mutedByHost: p.mutedByHost,
          away: p.away ?? false,
          handRaisedAt: p.handRaised === true ? (p.handRaisedAt ?? 0) : null,
          isSelf: false,
        })),
      ]),
    [self, others],
  )
  const showSearch = everyone.length > SEARCH_AFTER
  // The query only applies while the box is shown: a meeting shrinking below it shows everyone.
  const list = showSearch ? filterByName(everyone, query) : everyone
  const anyHandRaised = everyone.some((p) => p.handRaisedAt !== null)

  return {
    t,
    list,
    /** Everyone, whatever the search says (the title's count). */
    total: everyone.length,
    searchable: showSearch,
    query,
    onQueryInput: (e: { detail: { value: string } }) => setQuery(e.detail.value),
    anyHandRaised,
    locked,
    grants,
    muteMic: (id: string) => run((c) => c.muteMic(id)),
    allowUnmute: (id: string) => run((c) => c.unmuteMic(id)),
    cameraOff: (id: string) => run((c) => c.cameraOff(id)),
    remove: (p: ListedParticipant) => run((c) => c.removeParticipant(p.id), t.removeConfirm(p.nickname)),
    makeHost: (p: ListedParticipant) => run((c) => c.transferHost(p.id), t.makeHostConfirm(p.nickname)),
    muteAll: () => run((c) => c.muteAll(), t.muteAllConfirm),
    /** The host lowers someone's hand; the user lowers their own. */
    lowerHand: (p: ListedParticipant) => run((c) => (p.isSelf ? c.raiseHand(false) : c.lowerHand(p.id))),
    lowerAllHands: () => run((c) => c.lowerAllHands()),
    toggleLock: () => run((c) => c.lockRoom(!locked)),
    endMeeting: () => run((c) => c.endMeeting(), t.endMeetingConfirm),
  }
}
