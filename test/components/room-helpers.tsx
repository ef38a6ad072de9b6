/**
 * The room page against a real room service on loopback: this page's user
 * joins through the app's own session (src/services/session.ts), the other
 * participants are real room clients with their own stores. Shared by the
 * room page's component tests.
 */
import { act, render } from '@testing-library/react'
import RoomPage from '../../src/packages/meeting/room/index'
import { RoomClient } from '../../src/services/room-client'
import { endSession, startSession } from '../../src/services/session'
import { createMeetingStore, meetingStore, type MeetingStore } from '../../src/store'
import { resetAll } from './setup'

export const serviceUrl = process.env.TEST_SERVICE_URL as string // test/components/global-setup.ts
export const others: { client: RoomClient; store: MeetingStore }[] = []

/** Registers the per-test setup and cleanup of a room page test file. */
export function useRoomTestLifecycle(): void {
  beforeAll(() => {
    process.env.TARO_APP_SERVICE_URL = serviceUrl
  })
  beforeEach(resetAll)
  afterEach(() => {
    others.splice(0).forEach((o) => o.client.dispose())
    endSession()
  })
}

export async function until(check: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await act(() => new Promise((r) => setTimeout(r, 10)))
  }
}

export async function joinOther(meetingId: string, nickname: string, hostKey?: string) {
  const store = createMeetingStore()
  const client = new RoomClient({ serviceUrl, store })
  others.push({ client, store })
  await client.join(meetingId, { nickname, hostKey })
  return { client, store }
}

/**
 * Open the room page as `role` in a meeting with `remotes` other participants
 * (named R1, R2, … in join order); the host is the page's user or R1.
 */
export async function renderRoom(remotes: number, role: 'host' | 'participant' = 'host') {
  let meetingId: string
  if (role === 'host') {
    await startSession({ nickname: '主持人' })
    meetingId = meetingStore.getState().session.meetingId as string
    for (let i = 1; i <= remotes; i++) await joinOther(meetingId, `R${i}`)
  } else {
    const created = await RoomClient.createMeeting(serviceUrl)
    meetingId = created.meetingId
    await joinOther(meetingId, 'R1', created.hostKey)
    for (let i = 2; i <= remotes; i++) await joinOther(meetingId, `R${i}`)
    await startSession({ meetingId, nickname: '参会者' })
  }
  await until(() => meetingStore.getState().participants.order.length === remotes, `${remotes} remote participants`)
  await until(() => meetingStore.getState().session.connection === 'connected', 'socket connected')
  const view = render(<RoomPage />)
  return { ...view, ids: [...meetingStore.getState().participants.order], meetingId }
}
