/**
 * Media providers: where participants push and play. The room service only
 * asks for signed URLs and revokes a stream when its participant is gone;
 * `MEDIA_PROVIDER` picks the implementation.
 */
import { randomBytes } from 'node:crypto'
import type { Role } from '../../src/core/presets'

/** A participant's signed URLs; both stay valid until `expiresAt`. */
export interface StreamUrls {
  /** For `<live-pusher url>`: RTMP, or room:// with UserSig and PrivateMapKey (trtc). */
  readonly pushUrl: string
  /** For `<live-player src>`: HTTP(S)-FLV, or room://…?userid=…&streamtype=main (trtc). */
  readonly playUrl: string
  readonly expiresAt: number
}

/** Who the URLs are for: what a provider whose credentials name the participant (TRTC) signs. */
export interface MediaSubject {
  readonly meetingId: string
  readonly participantId: string
  readonly role: Role
  readonly mutedByHost: boolean
}

export interface MediaProvider {
  readonly kind: 'local' | 'tencent-css' | 'trtc'
  /**
   * The push credential encodes the participant's privileges (TRTC's
   * PrivateMapKey): the room re-issues it when a host control changes them
   * and renews it before it expires, telling the participant with
   * `media_credentials`. URL-signing providers leave this unset.
   */
  readonly credentialsFollowParticipant?: boolean
  start(): Promise<void>
  /** Idempotent. */
  stop(): Promise<void>
  /** Signed push and play URLs for `streamName`, valid until `expiresAt` (epoch ms). */
  urls(streamName: string, expiresAt: number, subject: MediaSubject): StreamUrls
  /**
   * The stream's participant is gone: refuse new publishes and plays of it
   * until `until` (its URLs' expiry) and drop a live publisher, where the
   * provider can.
   */
  revoke(streamName: string, until: number, subject: MediaSubject): void
  /** The meeting closed (ended or emptied), after its streams were revoked; providers with rooms of their own end them. */
  roomClosed?(meetingId: string): void
  /** What to print at startup. */
  describe(): string
}

/**
 * A stream name unique per participant join (so a rejoin never collides with
 * a lingering publish), using only characters every RTMP server accepts.
 */
export function newStreamName(meetingId: string, participantId: string): string {
  return `m${meetingId}_${participantId}_${randomBytes(4).toString('hex')}`
}
