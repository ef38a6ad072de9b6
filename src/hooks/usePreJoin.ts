import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'
import { classifyCode, type Device } from '../core/media-session'
import { validateMeetingId, validateNickname, validatePasscode } from '../core/meeting-input'
import { groupedMeetingId, roomPath } from '../core/invite'
import { PRESETS, ROLE_PRESET } from '../core/presets'
import type { CodeSource } from '../core/state-codes'
import { meetingStore } from '../store'
import { systemLanguage } from '../platform/system'
import { askForPermission, permissionsBeforeEntering } from '../platform/permissions'
import { rememberedNickname, rememberNickname } from '../platform/storage'
import { serviceUrl } from '../platform/service-url'
import { RoomClient, RoomError } from '../services/room-client'
import { endSession, leaveSession, startSession } from '../services/session'
import { joinErrorText } from './useHomeForm'
import { usePageTitle } from './usePageTitle'
import { useStrings } from './useStrings'

type InputEvent = { detail: { value: string } }

/** The preview pusher's fixed attributes: a participant's preset (nothing is sent: it has no url). */
const PREVIEW_PRESET = PRESETS[ROLE_PRESET.participant]

/**
 * The pre-join page: the camera previewed through the pusher without a url
 * (it opens the camera and sends nothing), mic and camera toggles and the
 * flip, the nickname (remembered), the meeting id and, when the meeting has
 * one, its passcode. Opened from home (`?meetingId=…` or `?create=1`) or
 * from a shared card or link (`?meetingId=…`). Join enters the room with
 * what was chosen; leaving the page unmounts the pusher, which stops the camera.
 */
export function usePreJoin() {
  const t = useStrings()
  usePageTitle(t.appTitle)
  const { params } = useRouter()
  const creating = params.create === '1'
  const [nickname, setNickname] = useState(rememberedNickname)
  const [meetingId, setMeetingId] = useState(() => (creating ? '' : (params.meetingId ?? '')))
  const [passcode, setPasscode] = useState('')
  const [passcodeRequired, setPasscodeRequired] = useState(false)
  const [micOn, setMicOn] = useState(true)
  const [cameraOn, setCameraOn] = useState(true)
  const [devicePosition, setDevicePosition] = useState<'front' | 'back'>('front')
  // A new key remounts the preview pusher (after a permission was granted in the settings).
  const [previewKey, setPreviewKey] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const asking = useRef(false)
  const mounted = useRef(true)

  useEffect(() => {
    mounted.current = true
    meetingStore.getState().languageSet(systemLanguage())
    return () => {
      mounted.current = false
    }
  }, [])

  // Ask for camera and microphone as the page opens (the preview needs them);
  // a refusal explains and offers the settings (src/platform/permissions.ts),
  // and a device still refused starts off.
  const firstAsk = useRef<Promise<unknown>>(Promise.resolve())
  useEffect(() => {
    firstAsk.current = permissionsBeforeEntering({ camera: true, mic: true }, meetingStore.getState().ui.language).then((allowed) => {
      if (!mounted.current) return
      if (!allowed.camera) setCameraOn(false)
      if (!allowed.mic) setMicOn(false)
    })
  }, [])

  // Does this meeting exist, and does it ask for a passcode? (The service tells: GET /v1/meetings/:id.)
  const lookupId = validateMeetingId(meetingId)
  const lookupKey = lookupId.ok && !creating ? lookupId.value : null
  useEffect(() => {
    if (lookupKey === null) return
    let current = true
    RoomClient.lookupMeeting(serviceUrl(), lookupKey).then(
      (info) => current && setPasscodeRequired(info.meeting.passcodeRequired),
      (e: unknown) => {
        // Only a definite answer is shown here; anything else the join will say.
        if (current && e instanceof RoomError && e.code === 'unknown_meeting') setError(t.errorUnknownMeeting)
      },
    )
    return () => {
      current = false
    }
  }, [lookupKey, t])

  /** The preview said the camera or the microphone is refused (10001/10002; -1301/-1302 in a browser). */
  const refused = useCallback((device: Device) => {
    if (asking.current) return
    asking.current = true
    void askForPermission([device], meetingStore.getState().ui.language).then((allowed) => {
      asking.current = false
      if (!mounted.current) return
      if (allowed[device]) setPreviewKey((k) => k + 1)
      else if (device === 'camera') setCameraOn(false)
      else setMicOn(false)
    })
  }, [])
  const denied = useCallback(
    (source: CodeSource, code: number) => {
      const signal = classifyCode(source, code)
      if (signal === 'camera-denied') refused('camera')
      else if (signal === 'mic-denied') refused('mic')
    },
    [refused],
  )
  const onPreviewCode = useCallback((code: number) => denied('pusher', code), [denied])
  const onPreviewError = useCallback((errCode: number) => denied('pusher-error', errCode), [denied])

  const edited = useCallback(
    (set: (v: string) => void) => (e: InputEvent) => {
      set(e.detail.value)
      setError(null)
    },
    [],
  )

  const join = useCallback(async () => {
    if (busy) return
    const name = validateNickname(nickname)
    if (!name.ok) return setError(name.error === 'empty' ? t.nicknameRequired : t.nicknameInvalid)
    const id = validateMeetingId(meetingId)
    if (!creating && !id.ok) return setError(t.meetingIdInvalid)
    const code = validatePasscode(passcode)
    if (!creating && !code.ok) return setError(t.passcodeInvalid)
    if (!creating && passcodeRequired && code.ok && code.value === '') return setError(t.passcodeRequired)
    setBusy(true)
    setError(null)
    try {
      // A join tapped while the first question is still open waits for its answer.
      await firstAsk.current
      // What the attendee chose, less what is refused (asked again, with the settings offered).
      const allowed = await permissionsBeforeEntering({ camera: cameraOn, mic: micOn }, meetingStore.getState().ui.language)
      await startSession({
        meetingId: creating || !id.ok ? undefined : id.value,
        nickname: name.value,
        passcode: !creating && code.ok && code.value !== '' ? code.value : undefined,
        micOn: allowed.mic,
        cameraOn: allowed.camera,
        devicePosition,
      })
    } catch (e) {
      if (e instanceof RoomError && e.code === 'wrong_passcode') setPasscodeRequired(true)
      setError(joinErrorText(e, t))
      setBusy(false)
      return
    }
    rememberNickname(name.value)
    const url = roomPath(meetingStore.getState().session.meetingId ?? '')
    try {
      // Replace the pre-join: its pusher must let the camera go (one pusher at
      // a time), and back from the room goes home.
      await Taro.redirectTo({ url })
    } catch {
      // The room cannot be shown: do not stay in the meeting as a ghost.
      await leaveSession()
      endSession()
      if (mounted.current) setError(t.errorOpenRoom)
    } finally {
      if (mounted.current) setBusy(false)
    }
  }, [busy, nickname, meetingId, passcode, passcodeRequired, creating, cameraOn, micOn, devicePosition, t])

  return {
    t,
    creating,
    nickname,
    meetingId,
    meetingIdText: groupedMeetingId(meetingId),
    passcode,
    passcodeRequired,
    micOn,
    cameraOn,
    devicePosition,
    previewKey,
    error,
    busy,
    preview: {
      minBitrateKbps: PREVIEW_PRESET.minBitrateKbps,
      maxBitrateKbps: PREVIEW_PRESET.maxBitrateKbps,
      audioQuality: PREVIEW_PRESET.audioQuality,
    },
    onNicknameInput: edited(setNickname),
    onMeetingIdInput: edited(setMeetingId),
    onPasscodeInput: edited(setPasscode),
    onToggleMic: useCallback(() => setMicOn((on) => !on), []),
    onToggleCamera: useCallback(() => setCameraOn((on) => !on), []),
    onFlip: useCallback(() => setDevicePosition((p) => (p === 'front' ? 'back' : 'front')), []),
    onPreviewCode,
    onPreviewError,
    onPreviewNetStatus: noop,
    onJoin: useCallback(() => void join(), [join]),
  }
}

function noop(): void {}
