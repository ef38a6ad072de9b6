import Taro from '@tarojs/taro'
import { useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { meetingStore, selectModal, selectNextNotice, useMeeting } from '../store'
import { requestMediaPermissionAgain } from '../platform/permissions'
import { useStrings } from './useStrings'

/**
 * Presents what the store asks the user: warnings as toasts (one at a time,
 * oldest first) and fatal errors as a modal whose confirm button runs the
 * recovery the state-code table names. `onLeave` leaves the meeting.
 */
export function useMeetingDialogs(onLeave: () => void) {
  const notice = useMeeting(selectNextNotice)
  const modal = useMeeting(selectModal)
  const { cameraOn, audioOnlySuggested } = useMeeting(
    useShallow((s) => ({ cameraOn: s.publisher.cameraOn, audioOnlySuggested: s.publisher.audioOnlySuggested })),
  )
  const language = useMeeting((s) => s.ui.language)
  const t = useStrings()

  useEffect(() => {
    if (notice === undefined) return
    Taro.showToast({ title: notice.text[language], icon: 'none', duration: 2500 }).catch(() => undefined)
    meetingStore.getState().noticeShown(notice.id)
  }, [notice, language])

  useEffect(() => {
    if (modal === null) return
    let cancelled = false
    const confirmText =
      modal.recovery === 'request-permission' ? t.openSettings : modal.recovery === 'leave' ? t.leave : t.retry
    Taro.showModal({
      title: t.appTitle,
      content: modal.text[language],
      confirmText,
      cancelText: modal.recovery === 'leave' ? t.cancel : t.leave,
    })
      .catch(() => ({ confirm: false }))
      .then(async ({ confirm }) => {
        if (cancelled) return
        const store = meetingStore.getState()
        store.modalClosed()
        if (modal.recovery === 'leave') {
          if (confirm) onLeave()
          return
        }
        if (!confirm) {
          onLeave()
          return
        }
        if (modal.recovery === 'request-permission') {
          // Retry whatever the user decided; a still-missing permission
          // comes back as 10001/10002 and asks again.
          await requestMediaPermissionAgain()
        }
        if (modal.source !== 'player') store.pushRetried()
      })
    return () => {
      cancelled = true
    }
  }, [modal, language, t, onLeave])

  // Audio only: offer to turn the camera off when the uplink cannot carry
  // video, and offer it back when the link recovers.
  const offeredAudioOnly = useRef(false)
  useEffect(() => {
    if (audioOnlySuggested && cameraOn && !offeredAudioOnly.current) {
      offeredAudioOnly.current = true
      Taro.showModal({ title: t.appTitle, content: t.audioOnlySuggestion, confirmText: t.confirm, cancelText: t.cancel })
        .then(({ confirm }) => {
          if (confirm && meetingStore.getState().publisher.cameraOn) meetingStore.getState().cameraToggled()
        })
        .catch(() => undefined)
    } else if (!audioOnlySuggested && offeredAudioOnly.current) {
      offeredAudioOnly.current = false
      if (!cameraOn) {
        Taro.showModal({ title: t.appTitle, content: t.audioOnlyRecovered, confirmText: t.cameraOff, cancelText: t.cancel })
          .then(({ confirm }) => {
            if (confirm && !meetingStore.getState().publisher.cameraOn) meetingStore.getState().cameraToggled()
          })
          .catch(() => undefined)
      }
    }
  }, [audioOnlySuggested, cameraOn, t])
}
