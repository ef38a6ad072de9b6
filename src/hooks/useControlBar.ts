import Taro from '@tarojs/taro'
import { useCallback } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { currentSession } from '../services/session'
import { meetingStore, useMeeting } from '../store'
import { useStrings } from './useStrings'

/** The control bar's prop bag: mic, camera, switch camera, and leave with confirmation. */
export function useControlBar(onLeave: () => void) {
  const { micOn, cameraOn, mutedByHost } = useMeeting(
    useShallow((s) => ({ micOn: s.publisher.micOn, cameraOn: s.publisher.cameraOn, mutedByHost: s.publisher.mutedByHost })),
  )
  const count = useMeeting((s) => s.participants.order.length + 1)
  const t = useStrings()
  const onToggleMic = useCallback(() => {
    const s = meetingStore.getState()
    if (!s.publisher.micOn && s.publisher.mutedByHost) {
      Taro.showToast({ title: t.mutedByHost, icon: 'none' }).catch(() => undefined)
      return
    }
    s.micToggled()
  }, [t])
  const onToggleCamera = useCallback(() => meetingStore.getState().cameraToggled(), [])
  const onSwitchCamera = useCallback(() => meetingStore.getState().cameraSwitched(), [])
  const onLeaveTap = useCallback(async () => {
    const answer = await Taro.showModal({
      title: t.leaveConfirmTitle,
      content: t.leaveConfirmContent,
      confirmText: t.leave,
      cancelText: t.cancel,
    }).catch(() => ({ confirm: false }))
    if (answer.confirm) onLeave()
  }, [t, onLeave])
  const onToggleDebug = useCallback(() => meetingStore.getState().debugToggled(), [])
  // chat and hands: the badge counts unread lines; the hand shows the service's view, not the tap.
  const unread = useMeeting((s) => s.chat.unread)
  const handRaised = useMeeting((s) => s.chat.selfHandRaisedAt !== null)
  const onToggleChat = useCallback(() => meetingStore.getState().chatToggled(), [])
  const onToggleHand = useCallback(() => {
    const raised = meetingStore.getState().chat.selfHandRaisedAt !== null
    currentSession()
      ?.raiseHand(!raised)
      .catch(() => Taro.showToast({ title: t.raiseHandFailed, icon: 'none' }).catch(() => undefined))
  }, [t])
  return {
    micOn,
    cameraOn,
    mutedByHost,
    count,
    t,
    onToggleMic,
    onToggleCamera,
    onSwitchCamera,
    onLeaveTap,
    onToggleDebug,
    unread,
    unreadBadge: unread > 0 ? t.chatUnread(unread) : null,
    handRaised,
    onToggleChat,
    onToggleHand,
  }
}
