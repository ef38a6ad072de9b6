import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { meetingStore, useMeeting, type SessionEnd } from '../store'
import { keepScreenOn, systemLanguage, watchWindowSize, windowSize } from '../platform/system'
import { currentMedia, currentSession, endSession, leaveSession } from '../services/session'
import type { Strings } from '../i18n'
import { useMeetingDialogs } from './useMeetingDialogs'
import { usePageTitle } from './usePageTitle'
import { useStrings } from './useStrings'

/** Height of the control bar, px; the grid takes the rest of the window. */
export const CONTROL_BAR_HEIGHT = 88

function endedText(reason: SessionEnd, t: Strings): string | null {
  switch (reason) {
    case 'left':
      return null
    case 'removed':
      return t.endedRemoved
    case 'ended_by_host':
      return t.endedByHost
    case 'server_shutdown':
      return t.endedServer
    case 'replaced':
      return t.endedReplaced
    case 'timeout':
    case 'failed':
      return t.endedFailed
  }
}

function backToHome(): void {
  Taro.navigateBack().catch(() => Taro.reLaunch({ url: '/pages/home/index' }).catch(() => undefined))
}

/**
 * The room page's logic: sizes the grid, keeps the screen on, resumes the
 * session when the app returns to the foreground, leaves the meeting when the
 * page goes away (a swipe back must not leave a ghost publisher), presents
 * toasts and modals, and says why a meeting ended.
 */
export function useRoomPage() {
  const t = useStrings()
  usePageTitle(t.roomTitle)
  const [panelOpen, setPanelOpen] = useState(false)
  const ended = useMeeting((s) => s.session.ended)
  const connection = useMeeting((s) => s.session.connection)
  const offline = useMeeting((s) => s.media.offline)
  const interrupted = useMeeting((s) => s.media.interrupted)
  const debugOpen = useMeeting((s) => s.ui.debugOpen)

  useEffect(() => {
    const store = meetingStore.getState()
    store.languageSet(systemLanguage())
    // The grid takes the window less the control bar, and follows it when it changes.
    const measure = ({ width, height }: { width: number; height: number }) =>
      meetingStore.getState().gridAreaMeasured({ width, height: Math.max(0, height - CONTROL_BAR_HEIGHT) })
    measure(windowSize())
    const stopWatching = watchWindowSize(measure)
    if (currentSession() === null) {
      // Opened without joining (a restored page, a shared path): start at home.
      Taro.reLaunch({ url: '/pages/home/index' }).catch(() => undefined)
      return stopWatching
    }
    keepScreenOn(true)
    return () => {
      stopWatching()
      keepScreenOn(false)
      // The back gesture, navigateBack or an unload: leave once (stopping the
      // pusher first), then forget the meeting, which clears the push URL.
      void leaveSession()
      endSession()
      meetingStore.getState().meetingLeft()
    }
  }, [])

  useDidShow(() => {
    currentSession()?.reconnectNow()
    currentMedia()?.pageVisible(true)
  })
  useDidHide(() => currentMedia()?.pageVisible(false))

  const leave = useCallback(() => {
    const done = () => {
      endSession()
      backToHome()
    }
    leaveSession().then(done, done)
  }, [])

  useEffect(() => {
    if (ended === null) return
    const text = endedText(ended, t)
    endSession()
    if (text === null) return
    Taro.showModal({ title: t.appTitle, content: text, showCancel: false, confirmText: t.confirm })
      .catch(() => undefined)
      .then(backToHome)
  }, [ended, t])

  useMeetingDialogs(leave)
  const togglePanel = useCallback(() => setPanelOpen((open) => !open), [])
  // One banner, the most basic cause first: no network, a call, the socket reconnecting.
  const banner = offline ? t.bannerOffline : interrupted ? t.bannerInterrupted : connection === 'reconnecting' ? t.reconnecting : null
  return { t, leave, debugOpen, panelOpen, togglePanel, banner }
}
