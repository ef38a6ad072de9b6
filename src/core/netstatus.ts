/**
 * `bindnetstatus` statistics of `<live-pusher>` / `<live-player>` (`e.detail.info`).
 * Every field is optional: WeChat versions and platforms omit some, and a
 * missing value must never be mistaken for a zero (a missing netSpeed is not
 * a dead uplink).
 */
export interface NetStatus {
  /** kbps the video encoder (pusher) or decoder (player) produces. */
  readonly videoBitrate?: number
  /** kbps of audio. */
  readonly audioBitrate?: number
  readonly videoFPS?: number
  /** Seconds between keyframes. */
  readonly videoGOP?: number
  /** kbps actually sent (pusher) or received (player). */
  readonly netSpeed?: number
  /** Unit-less; 0 = no jitter. The SDK itself calls it unreliable. */
  readonly netJitter?: number
  readonly videoWidth?: number
  readonly videoHeight?: number
  /** Pusher: frames piled up before sending (congestion). Player: buffered ms. */
  readonly videoCache?: number
  readonly audioCache?: number
  /** 0 undefined, 1 best … 6 unusable; only on room:// (TRTC) pushes. */
  readonly netQualityLevel?: number
}
