import Taro from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { meetingStore } from '../store'
import { systemLanguage } from '../platform/system'
import { validateMeetingId, validateNickname, newMeetingId } from '../core/meeting-input'
import { useStrings } from './useStrings'

/** The home form: nickname and meeting id, create and join, with clear errors. */
export function useHomeForm() {
  const t = useStrings()
  const [nickname, setNickname] = useState('')
  const [meetingId, setMeetingId] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    meetingStore.getState().languageSet(systemLanguage())
  }, [])

  const onNicknameInput = useCallback((e: { detail: { value: string } }) => {
    setNickname(e.detail.value)
    setError(null)
  }, [])
  const onMeetingIdInput = useCallback((e: { detail: { value: string } }) => {
    setMeetingId(e.detail.value)
    setError(null)
  }, [])

  const go = useCallback(
    (role: 'host' | 'participant') => {
      const name = validateNickname(nickname)
      if (!name.ok) {
        setError(name.error === 'empty' ? t.nicknameRequired : t.nicknameTooLong)
        return
      }
      let id: string
      if (role === 'host') {
        id = newMeetingId()
      } else {
        const checked = validateMeetingId(meetingId)
        if (!checked.ok) {
          setError(t.meetingIdInvalid)
          return
        }
        id = checked.value
      }
      const query = `meetingId=${encodeURIComponent(id)}&nickname=${encodeURIComponent(name.value)}&role=${role}`
      Taro.navigateTo({ url: `/pages/room/index?${query}` }).catch(() => undefined)
    },
    [nickname, meetingId, t],
  )
  const onCreate = useCallback(() => go('host'), [go])
  const onJoin = useCallback(() => go('participant'), [go])
  return { t, nickname, meetingId, error, onNicknameInput, onMeetingIdInput, onCreate, onJoin }
}
