/**
 * The meeting session the pages share: the home page starts it (create or
 * join), the room page uses and ends it. One at a time.
 */
import type { CreateMeetingResponse } from '../core/protocol'
import { meetingStore } from '../store'
import { RoomClient } from './room-client'
import { serviceUrl } from '../platform/service-url'

export { serviceUrl }

let current: RoomClient | null = null

/** The running session, if any. */
export function currentSession(): RoomClient | null {
  return current
}

export interface StartOptions {
  readonly meetingId?: string
  readonly nickname: string
  readonly passcode?: string
  readonly micOn?: boolean
  readonly cameraOn?: boolean
}

/**
 * Create a meeting (without `meetingId`) and join it as host, or join an
 * existing one. Rejects with a RoomError and leaves no session behind on failure.
 */
export async function startSession(options: StartOptions): Promise<RoomClient> {
  // A session still running (the user came back without leaving) is left
  // properly, so the service does not keep a ghost participant for 30 s.
  if (current !== null) await current.leave()
  endSession()
  meetingStore.getState().meetingLeft()
  let meetingId = options.meetingId
  let created: CreateMeetingResponse | null = null
  if (meetingId === undefined) {
    created = await RoomClient.createMeeting(serviceUrl())
    meetingId = created.meetingId
  }
  const client = new RoomClient({ serviceUrl: serviceUrl(), store: meetingStore })
  try {
    await client.join(meetingId, {
      nickname: options.nickname,
      passcode: options.passcode,
      hostKey: created?.hostKey,
      micOn: options.micOn,
      cameraOn: options.cameraOn,
    })
  } catch (e) {
    client.dispose()
    throw e
  }
  current = client
  return client
}

/** Stop the session's client (after leave, removal or the end of the meeting). */
export function endSession(): void {
  current?.dispose()
  current = null
}
