import Taro, { useShareAppMessage } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { formatElapsed, groupedMeetingId, inviteLink, invitePath } from '../core/invite'
import { copyText } from '../platform/clipboard'
import { serviceUrl } from '../platform/service-url'
import { hasEarpiece } from '../platform/system'
import { selectAudioRoute, useMeeting, meetingStore, type MeetingState } from '../store'
import { useStrings } from './useStrings'

/** The host's name as the header shows it: you, a participant's nickname, or nobody. */
function selectHostName(s: MeetingState): string | null {
  const hostId = s.session.hostId
  if (hostId === null) return null
  if (hostId === s.publisher.selfId) return s.publisher.nickname
  return s.participants.byId[hostId]?.nickname ?? null
}

/** The browser link to the meeting, on the origin that serves the H5 app (this page's, in a browser). */
function linkTo(meetingId: string): string {
  const origin = process.env.TARO_ENV === 'h5' && typeof window !== 'undefined' ? window.location.origin : serviceUrl()
  return inviteLink(origin, meetingId)
}

/**
 * The room header's logic: the meeting id (tap → copy the id or the link),
 * who hosts, the invite (a share card in WeChat, the link copied in a
 * browser) and the speaker/earpiece toggle. The clock has its own hook
 * (useMeetingClock) so its tick re-renders the clock's text only.
 */
export function useRoomHeader() {
  const t = useStrings()
  const meetingId = useMeeting((s) => s.session.meetingId) ?? ''
  const hostName = useMeeting(selectHostName)
  const selfIsHost = useMeeting((s) => s.session.hostId !== null && s.session.hostId === s.publisher.selfId)
  const route = useMeeting(selectAudioRoute)

  // The card WeChat sends from the ··· menu or the invite button: it opens
  // this meeting's pre-join, which asks for the passcode; the card never carries it.
  useShareAppMessage(() => {
    const s = meetingStore.getState()
    const id = s.session.meetingId ?? ''
    return { title: t.inviteTitle(s.publisher.nickname, groupedMeetingId(id)), path: invitePath(id) }
  })

  const copy = useCallback(
    async (text: string) => {
      const ok = await copyText(text)
      // WeChat's setClipboardData shows its own toast; the browser needs ours.
      if (!ok) Taro.showToast({ title: t.copyFailed, icon: 'none' }).catch(() => undefined)
      else if (process.env.TARO_ENV === 'h5') Taro.showToast({ title: t.copied, icon: 'none' }).catch(() => undefined)
    },
    [t],
  )
  const onMeetingIdTap = useCallback(() => {
    Taro.showActionSheet({ itemList: [t.copyMeetingId, t.copyLink] }).then(
      ({ tapIndex }) => void copy(tapIndex === 0 ? meetingId : linkTo(meetingId)),
      () => undefined, // dismissed
    )
  }, [copy, meetingId, t])

  // In a browser the invite copies the link; in WeChat the invite button is a share button (open-type="share").
  const onInviteTap = useCallback(() => void copy(linkTo(meetingId)), [copy, meetingId])

  return {
    t,
    meetingIdText: groupedMeetingId(meetingId),
    hostText: hostName === null ? t.noHost : t.hostIs(selfIsHost ? `${hostName} (${t.you})` : hostName),
    shareButton: process.env.TARO_ENV !== 'h5',
    showAudioRoute: hasEarpiece,
    routeText: route === 'speaker' ? t.speaker : t.earpiece,
    route,
    onMeetingIdTap,
    onInviteTap,
    onAudioRouteTap: useCallback(() => meetingStore.getState().audioRouteToggled(), []),
  }
}

/**
 * The meeting clock: time since the meeting started (the service says how
 * long it has run; without that, since this attendee entered), as "mm:ss".
 * Ticks once a second; only the component that calls it re-renders, so a
 * tick is one setData of a few bytes (the clock's text node).
 */
export function useMeetingClock(now: () => number = Date.now): string {
  const [entered] = useState(now)
  const start = useMeeting((s) => s.session.startedAtMs) ?? entered
  const [text, setText] = useState(() => formatElapsed(now() - start))
  useEffect(() => {
    const timer = setInterval(() => {
      const next = formatElapsed(now() - start)
      // Same text (a tick that fired early) → same state → no render.
      setText(next)
    }, 1000)
    return () => clearInterval(timer)
  }, [now, start])
  return text
}
