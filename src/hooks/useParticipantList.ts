import Taro from '@tarojs/taro'
import { useCallback } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ROLE_GRANTS } from '../core/protocol'
import { RoomError, type RoomClient } from '../services/room-client'
import { currentSession } from '../services/session'
import { useMeeting, type ParticipantInfo } from '../store'
import { useStrings } from './useStrings'

/** A row of the list: the user or a remote participant. */
export type ListedParticipant = Omit<ParticipantInfo, 'playUrl'> & { readonly isSelf: boolean }

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

  const list: ListedParticipant[] = [
    { ...self, isSelf: true },
    ...others.map((p) => ({
      id: p.id,
      nickname: p.nickname,
      role: p.role,
      micOn: p.micOn,
      cameraOn: p.cameraOn,
      mutedByHost: p.mutedByHost,
      isSelf: false,
    })),
  ]

  return {
    t,
    list,
    locked,
    grants,
    muteMic: (id: string) => run((c) => c.muteMic(id)),
    allowUnmute: (id: string) => run((c) => c.unmuteMic(id)),
    cameraOff: (id: string) => run((c) => c.cameraOff(id)),
    remove: (p: ListedParticipant) => run((c) => c.removeParticipant(p.id), t.removeConfirm(p.nickname)),
    makeHost: (p: ListedParticipant) => run((c) => c.transferHost(p.id), t.makeHostConfirm(p.nickname)),
    muteAll: () => run((c) => c.muteAll()),
    toggleLock: () => run((c) => c.lockRoom(!locked)),
    endMeeting: () => run((c) => c.endMeeting(), t.endMeetingConfirm),
  }
}
