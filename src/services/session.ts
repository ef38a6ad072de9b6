/**
 * The meeting session the pages share: the home page starts it (create or
 * join), the room page uses and ends it. One at a time.
 */
import type { CreateMeetingResponse } from '../core/protocol'
import { meetingStore } from '../store'
import { RoomClient } from './room-client'
import { MediaSession } from './media-session'
import { serviceUrl } from '../platform/service-url'
import { taroMediaPlatform } from '../platform/media-platform'

export { serviceUrl }

let current: RoomClient | null = null
let media: MediaSession | null = null
let leaving: Promise<void> | null = null

/** The running session, if any. */
export function currentSession(): RoomClient | null {
  return current
}

/** The running session's media (pusher and players), if any. */
export function currentMedia(): MediaSession | null {
  return media
}

export interface StartOptions {
  readonly meetingId?: string
  readonly nickname: string
  readonly passcode?: string
  readonly micOn?: boolean
  readonly cameraOn?: boolean
  /** The camera chosen on the pre-join page; front unless said otherwise. */
  readonly devicePosition?: 'front' | 'back'
}

/**
 * Create a meeting (without `meetingId`) and join it as host, or join an
 * existing one. Rejects with a RoomError and leaves no session behind on failure.
 */
export async function startSession(options: StartOptions): Promise<RoomClient> {
  // A session still running (the user came back without leaving) is left
  // properly, so the service does not keep a ghost participant for 30 s.
  if (current !== null) await leaveSession()
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
  // The pre-join page's flip: the room's pusher opens the same camera.
  if (options.devicePosition !== undefined && meetingStore.getState().publisher.devicePosition !== options.devicePosition) {
    meetingStore.getState().cameraSwitched()
  }
  media = new MediaSession({
    store: meetingStore,
    platform: taroMediaPlatform,
    onAway: (away) => client.setAway(away),
    credentials: { renew: () => client.renewMediaCredentials(), useRenewed: () => client.useRenewedMediaCredentials() },
    onRemovedFromRoom: (reason) => client.removedFromMedia(reason),
  })
  media.start()
  const reportsTo = media
  client.setSpeakingReports({ reported: (id, speaking) => reportsTo.remoteSpeaking(id, speaking), cleared: () => reportsTo.remoteSpeakingCleared() })
  return client
}

/**
 * Leave the meeting exactly once, whoever asks first (the leave button, the
 * back gesture, the page unloading): the pusher is stopped before anything
 * clears its URL, then the service is told (one participant_left for the
 * others). Later calls get the same promise.
 */
export function leaveSession(): Promise<void> {
  if (leaving !== null) return leaving
  const client = current
  if (client === null) return Promise.resolve()
  media?.leave()
  const told = meetingStore.getState().session.ended === null ? client.leave() : Promise.resolve()
  leaving = told.catch(() => undefined)
  return leaving
}

/** Stop the session's client and media (after leave, removal or the end of the meeting). */
export function endSession(): void {
  // Removed or ended by the host: the pusher stops before the store forgets its URL.
  media?.leave()
  media?.dispose()
  media = null
  current?.dispose()
  current = null
  leaving = null
}
