import Taro, { useRouter } from '@tarojs/taro'
import { useCallback, useEffect } from 'react'
import { meetingStore, useMeeting, type ParticipantInfo } from '../store'
import { keepScreenOn, systemLanguage, windowSize } from '../platform/system'
import type { Role } from '../core/presets'
import { useMeetingDialogs } from './useMeetingDialogs'
import { useStrings } from './useStrings'

/** Height of the control bar, px; the grid takes the rest of the window. */
export const CONTROL_BAR_HEIGHT = 88

/** Room page parameters, as the home page passes them. */
export interface RoomParams {
  readonly meetingId: string
  readonly nickname: string
  readonly role: Role
}

export function parseRoomParams(params: Record<string, string | undefined>): RoomParams {
  const decode = (v: string | undefined) => {
    try {
      return decodeURIComponent(v ?? '')
    } catch {
      return v ?? ''
    }
  }
  return {
    meetingId: decode(params.meetingId),
    nickname: decode(params.nickname),
    role: params.role === 'host' ? 'host' : 'participant',
  }
}

/**
 * Where the room's participants come from. Until the room service exists the
 * development build may use a fixture; the production build has none.
 */
export interface RoomSource {
  join(params: RoomParams): { self: { id: string; pushUrl: string }; participants: readonly ParticipantInfo[] } | null
}

/**
 * The room page's logic: joins the meeting, keeps the screen on, sizes the
 * grid to the window, presents toasts and modals, and leaves.
 */
export function useRoomPage(source: RoomSource | null) {
  const router = useRouter()
  const t = useStrings()
  const params = parseRoomParams(router.params)
  const { meetingId, nickname, role } = params

  useEffect(() => {
    const store = meetingStore.getState()
    store.languageSet(systemLanguage())
    const size = windowSize()
    store.gridAreaMeasured({ width: size.width, height: Math.max(0, size.height - CONTROL_BAR_HEIGHT) })
    keepScreenOn(true)
    const joined = source?.join({ meetingId, nickname, role }) ?? null
    store.joined({ id: joined?.self.id ?? 'self', nickname, role, pushUrl: joined?.self.pushUrl ?? '' })
    store.participantsReplaced(joined?.participants ?? [])
    return () => {
      keepScreenOn(false)
      meetingStore.getState().meetingLeft()
    }
  }, [source, meetingId, nickname, role])

  const leave = useCallback(() => {
    meetingStore.getState().meetingLeft()
    Taro.navigateBack().catch(() => Taro.reLaunch({ url: '/pages/home/index' }))
  }, [])

  useMeetingDialogs(leave)
  const debugOpen = useMeeting((s) => s.ui.debugOpen)
  return { t, meetingId, leave, debugOpen }
}
