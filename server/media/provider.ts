/**
 * Media providers: where participants push and play. The room service only
 * asks for signed URLs and revokes a stream when its participant is gone;
 * `MEDIA_PROVIDER` picks the implementation.
 */
import { randomBytes } from 'node:crypto'

/** A participant's signed URLs; both stay valid until `expiresAt`. */
export interface StreamUrls {
  /** RTMP, for `<live-pusher url>`. */
  readonly pushUrl: string
  /** HTTP(S)-FLV, for `<live-player src>`. */
  readonly playUrl: string
  readonly expiresAt: number
}

export interface MediaProvider {
  readonly kind: 'local' | 'tencent-css'
  start(): Promise<void>
  /** Idempotent. */
  stop(): Promise<void>
  /** Signed push and play URLs for `streamName`, valid until `expiresAt` (epoch ms). */
  urls(streamName: string, expiresAt: number): StreamUrls
  /**
   * The stream's participant is gone: refuse new publishes and plays of it
   * until `until` (its URLs' expiry) and drop a live publisher, where the
   * provider can.
   */
  revoke(streamName: string, until: number): void
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
