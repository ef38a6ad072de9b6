import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { meetingStore } from '../store'
import { systemLanguage } from '../platform/system'
import { validateMeetingId, validateNickname, validatePasscode } from '../core/meeting-input'
import { RoomError } from '../services/room-client'
import { endSession, leaveSession, startSession } from '../services/session'
import { permissionsBeforeEntering } from '../platform/permissions'
import type { Strings } from '../i18n'
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

/** The home form: nickname, meeting id and passcode; create and join against the room service. */
export function useHomeForm() {
  const t = useStrings()
  // A shared link (…/pages/home/index?meetingId=123456789) fills the meeting id in.
  const { params } = useRouter()
  const [nickname, setNickname] = useState('')
  const [meetingId, setMeetingId] = useState(() => params.meetingId ?? '')
  const [passcode, setPasscode] = useState('')
  const [needsPasscode, setNeedsPasscode] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

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
    async (create: boolean) => {
      if (busy) return
      const name = validateNickname(nickname)
      if (!name.ok) return setError(name.error === 'empty' ? t.nicknameRequired : t.nicknameInvalid)
      const id = validateMeetingId(meetingId)
      if (!create && !id.ok) return setError(t.meetingIdInvalid)
      const code = validatePasscode(passcode)
      if (!create && !code.ok) return setError(t.passcodeInvalid)
      setBusy(true)
      setError(null)
      try {
        const { publisher, ui } = meetingStore.getState()
        // Camera and microphone before entering; a refused one (or one the
        // user chose to go without) is off in the meeting.
        const allowed = await permissionsBeforeEntering({ camera: publisher.cameraOn, mic: publisher.micOn }, ui.language)
        await startSession({
          meetingId: create || !id.ok ? undefined : id.value,
          nickname: name.value,
          passcode: !create && code.ok && code.value !== '' ? code.value : undefined,
          micOn: allowed.mic,
          cameraOn: allowed.camera,
        })
      } catch (e) {
        if (e instanceof RoomError && e.code === 'wrong_passcode') setNeedsPasscode(true)
        setError(joinErrorText(e, t))
        setBusy(false)
        return
      }
      const url = `/pages/room/index?meetingId=${encodeURIComponent(meetingStore.getState().session.meetingId ?? '')}`
      try {
        // navigateTo fails when WeChat's page stack is full (10 pages); replace the page then.
        await Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }))
      } catch {
        // The room cannot be shown: do not stay in the meeting as a ghost.
        await leaveSession()
        endSession()
        setError(t.errorOpenRoom)
      } finally {
        setBusy(false)
      }
    },
    [busy, nickname, meetingId, passcode, t],
  )

  return {
    t,
    nickname,
    meetingId,
    passcode,
    needsPasscode,
    error,
    busy,
    onNicknameInput: edited(setNickname),
    onMeetingIdInput: edited(setMeetingId),
    onPasscodeInput: edited(setPasscode),
    onCreate: useCallback(() => void go(true), [go]),
    onJoin: useCallback(() => void go(false), [go]),
  }
}
