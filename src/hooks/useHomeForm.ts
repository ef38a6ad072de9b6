import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { meetingStore } from '../store'
import { systemLanguage } from '../platform/system'
import { validateMeetingId, validateNickname } from '../core/meeting-input'
import { invitePath, PREJOIN_PAGE } from '../core/invite'
import { RoomError } from '../services/room-client'
import { rememberedNickname, rememberNickname } from '../platform/storage'
import type { Strings } from '../i18n'
import { usePageTitle } from './usePageTitle'
import { useStrings } from './useStrings'

/** What the user is told when the service refuses; the form keeps what they typed. */
export function joinErrorText(error: unknown, t: Strings): string {
  const code = error instanceof RoomError ? error.code : 'network'
  switch (code) {
    case 'unknown_meeting':
      return t.errorUnknownMeeting
    case 'room_full':
      return t.errorRoomFull
    case 'room_locked':
      return t.errorRoomLocked
    case 'wrong_passcode':
      return t.errorWrongPasscode
    case 'nickname_invalid':
      return t.nicknameInvalid
    case 'network':
      return t.errorNetwork
    case 'rate_limited':
      return t.errorRateLimited
    // 503s: this instance is at its open-file limit, draining, or cannot reach
    // its shared state for a moment; another try (another instance) will do.
    case 'server_full':
    case 'shutting_down':
    case 'unavailable':
      return t.errorServiceBusy
    default:
      return t.errorOther(code)
  }
}

type InputEvent = { detail: { value: string } }

/** Where the home form goes: the pre-join page, for the typed meeting or a new one. */
export function preJoinUrl(meetingId: string | null): string {
  return meetingId === null ? `${PREJOIN_PAGE}?create=1` : invitePath(meetingId)
}

/**
 * The home form: nickname (remembered from the last meeting) and meeting id.
 * Join and create check what was typed and open the pre-join page, where the
 * attendee sees their camera, picks mic and camera, and enters.
 */
export function useHomeForm() {
  const t = useStrings()
  usePageTitle(t.appTitle)
  // A shared link to home (…/pages/home/index?meetingId=123456789) fills the meeting id in.
  const { params } = useRouter()
  const [nickname, setNickname] = useState(rememberedNickname)
  const [meetingId, setMeetingId] = useState(() => params.meetingId ?? '')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    meetingStore.getState().languageSet(systemLanguage())
  }, [])

  const edited = useCallback(
    (set: (v: string) => void) => (e: InputEvent) => {
      set(e.detail.value)
      setError(null)
    },
    [],
  )

  const go = useCallback(
    (create: boolean) => {
      const name = validateNickname(nickname)
      if (!name.ok) return setError(name.error === 'empty' ? t.nicknameRequired : t.nicknameInvalid)
      const id = validateMeetingId(meetingId)
      if (!create && !id.ok) return setError(t.meetingIdInvalid)
      setError(null)
      rememberNickname(name.value)
      const url = preJoinUrl(create || !id.ok ? null : id.value)
      Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }).catch(() => setError(t.errorOpenRoom)))
    },
    [nickname, meetingId, t],
  )

  return {
    t,
    nickname,
    meetingId,
    error,
    onNicknameInput: edited(setNickname),
    onMeetingIdInput: edited(setMeetingId),
    onCreate: useCallback(() => go(true), [go]),
    onJoin: useCallback(() => go(false), [go]),
  }
}
