/**
 * The `trtc` media provider: meetings are TRTC rooms. The room service stays
 * the authority on who is in a meeting and in what role; this provider turns
 * that into TRTC credentials and enforcement:
 *
 * - the TRTC room is the meeting id (`strroomid`), the TRTC user the
 *   participant id;
 * - each push URL is `room://…` with a UserSig and a PrivateMapKey whose
 *   privilege bits follow the participant's grants and the host's controls
 *   (muted by the host → no send-audio), so a mute holds in the media layer;
 * - a participant who is gone (left, removed, timed out) is removed from the
 *   TRTC room (RemoveUserByStrRoomId) and an ended meeting is dismissed
 *   (DismissRoomByStrRoomId), through {@link TrtcRoomApi}.
 *
 * The secret key never leaves the service; clients only see the signatures.
 */
import { buildTrtcPlayUrl, buildTrtcPushUrl } from '../../src/core/trtc'
import { ROLE_GRANTS } from '../../src/core/protocol'
import type { TrtcMediaConfig } from '../config'
import type { Logger } from '../logger'
import type { MediaProvider, MediaSubject, StreamUrls } from './provider'
import { TencentCloudTrtcApi, type TrtcRoomApi } from './trtc-api'
import { genPrivateMapKey, genUserSig, TRTC_PRIVILEGES } from './trtc-usersig'

const P = TRTC_PRIVILEGES

/**
 * PrivateMapKey privileges of a participant. Everyone may create the room
 * (whoever enters first creates it, and participants may arrive before the
 * host), enter it and receive everything; publishing follows `canPublish`,
 * and sending audio is withdrawn while the host keeps the participant muted.
 * Nobody gets send-aux: a mini program cannot share its screen.
 */
export function trtcPrivileges(subject: Pick<MediaSubject, 'role' | 'mutedByHost'>): number {
  let bits = P.createRoom | P.enterRoom | P.receiveAudio | P.receiveVideo | P.receiveAux
  if (ROLE_GRANTS[subject.role].canPublish) {
    bits |= P.sendVideo
    if (!subject.mutedByHost) bits |= P.sendAudio
  }
  return bits
}

/** How long stop() waits for API calls still in flight. */
const DRAIN_MS = 3000

export class TrtcProvider implements MediaProvider {
  readonly kind = 'trtc'
  readonly credentialsFollowParticipant = true
  private readonly api: TrtcRoomApi
  /** Removals waiting for the end of the current tick, per room, so one host action or a closing room makes one call. */
  private readonly pendingRemovals = new Map<string, Set<string>>()
  private flushScheduled = false
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly config: TrtcMediaConfig,
    private readonly log: Logger,
    api?: TrtcRoomApi,
    private readonly now: () => number = Date.now,
  ) {
    this.api =
      api ??
      new TencentCloudTrtcApi({
        sdkAppId: config.sdkAppId,
        secretId: config.api.secretId,
        secretKey: config.api.secretKey,
        region: config.api.region,
        endpoint: config.api.endpoint,
        log,
      })
  }

  async start(): Promise<void> {}

  /** Sends what is queued, then waits (bounded) for calls in flight. */
  async stop(): Promise<void> {
    this.flush()
    const drained = Promise.allSettled([...this.inFlight])
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())])
  }

  /**
   * `room://…?sdkappid&strroomid=<meeting>&userid=<participant>&usersig&privatemapkey&appscene=videocall`,
   * both signatures valid until `expiresAt`; the play URL is the one the
   * native side generates for that user's main stream. The stream name is
   * not used: TRTC names streams by user.
   */
  urls(_streamName: string, expiresAt: number, subject: MediaSubject): StreamUrls {
    const time = Math.floor(this.now() / 1000)
    const expireS = Math.max(60, Math.floor(expiresAt / 1000) - time)
    const signing = { sdkAppId: this.config.sdkAppId, secretKey: this.config.secretKey, userId: subject.participantId, time, expireS }
    const pushUrl = buildTrtcPushUrl({
      sdkAppId: this.config.sdkAppId,
      strRoomId: subject.meetingId,
      userId: subject.participantId,
      userSig: genUserSig(signing),
      privateMapKey: genPrivateMapKey({ ...signing, strRoomId: subject.meetingId, privileges: trtcPrivileges(subject) }),
      appScene: 'videocall',
    })
    return { pushUrl, playUrl: buildTrtcPlayUrl(subject.participantId), expiresAt: (time + expireS) * 1000 }
  }

  /** The participant is gone from the meeting: remove it from the TRTC room too (batched per room within a tick). */
  revoke(_streamName: string, _until: number, subject: MediaSubject): void {
    let users = this.pendingRemovals.get(subject.meetingId)
    if (users === undefined) {
      users = new Set()
      this.pendingRemovals.set(subject.meetingId, users)
    }
    users.add(subject.participantId)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      setImmediate(() => this.flush())
    }
  }

  /** The meeting closed: one DismissRoomByStrRoomId instead of removing its members one by one. */
  roomClosed(meetingId: string): void {
    this.pendingRemovals.delete(meetingId)
    this.track('DismissRoomByStrRoomId', meetingId, [], this.api.dismissRoom(meetingId))
  }

  describe(): string {
    return `trtc: SDKAppID ${this.config.sdkAppId}, room:// with server-issued UserSig and PrivateMapKey; API ${this.config.api.endpoint} (${this.config.api.region})`
  }

  private flush(): void {
    this.flushScheduled = false
    for (const [meetingId, users] of this.pendingRemovals) {
      const userIds = [...users]
      this.track('RemoveUserByStrRoomId', meetingId, userIds, this.api.removeUsers(meetingId, userIds))
    }
    this.pendingRemovals.clear()
  }

  /** An API call runs in the background; a failure is logged with what was not enforced (it never breaks the meeting). */
  private track(action: string, meetingId: string, userIds: readonly string[], call: Promise<void>): void {
    const tracked = call.then(
      () => {
        this.log.debug({ action, meetingId, userIds }, 'TRTC room updated')
      },
      (error: unknown) => {
        this.log.error(
          { err: error, action, meetingId, userIds },
          `TRTC ${action} failed: the TRTC room may still hold ${userIds.length > 0 ? 'these users' : 'its members'} until their credentials expire`,
        )
      },
    )
    this.inFlight.add(tracked)
    void tracked.finally(() => this.inFlight.delete(tracked))
  }
}
