import Taro from '@tarojs/taro'
import { useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { meetingStore, selectModal, selectNextNotice, useMeeting } from '../store'
import { useStrings } from './useStrings'

/**
 * Presents what the store asks the user: toasts (one at a time, oldest
 * first) and the modal the media session asks for when retrying cannot help
 * (confirm leaves). It decides nothing: restarts, back-off and the permission
 * flow are the media session's (src/services/media-session.ts). `onLeave`
 * leaves the meeting.
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
    Taro.showModal({ title: t.appTitle, content: modal.text[language], confirmText: t.leave, cancelText: t.cancel })
      .catch(() => ({ confirm: false }))
      .then(({ confirm }) => {
        if (cancelled) return
        meetingStore.getState().modalClosed()
        if (confirm && modal.recovery === 'leave') onLeave()
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
