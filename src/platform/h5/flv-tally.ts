/**
 * Counts what an FLV byte stream carries, as it arrives in arbitrary chunks,
 * without copying it: bytes per tag type and video frames. The H5 player
 * feeds it every WS-FLV message, so its netstatus can split the received rate
 * into videoBitrate and audioBitrate the way `<live-player>` reports them
 * (mpegts.js only reports the total). Pure.
 */

const FLV_HEADER_BYTES = 9
const PREVIOUS_TAG_SIZE_BYTES = 4
const TAG_HEADER_BYTES = 11
const TAG_AUDIO = 8
const TAG_VIDEO = 9

/** Running totals since the start of the stream. */
export interface FlvTotals {
  /** Every byte received, headers included. */
  readonly bytes: number
  /** Bytes of audio tags (tag header, body and trailing size). */
  readonly audioBytes: number
  /** Bytes of video tags. */
  readonly videoBytes: number
  /** Video tags carrying a frame (not a sequence header). */
  readonly videoFrames: number
  readonly keyFrames: number
  /** Timestamp (ms) of the latest video frame, or null before the first. */
  readonly lastVideoTimestampMs: number | null
}

type Phase = 'file-header' | 'tag-header' | 'tag-body'

export class FlvTally {
  private totals = { bytes: 0, audioBytes: 0, videoBytes: 0, videoFrames: 0, keyFrames: 0, lastVideoTimestampMs: null as number | null }
  private phase: Phase = 'file-header'
  /** Bytes still expected in the current phase. */
  private need = FLV_HEADER_BYTES + PREVIOUS_TAG_SIZE_BYTES
  /** The tag header being assembled (it may span chunks). */
  private readonly header = new Uint8Array(TAG_HEADER_BYTES + 2)
  private headerFill = 0
  private tagType = 0
  /** Body bytes (and the trailing size) left after the two read with a video tag's header. */
  private pendingBody = 0
  /** Set when the stream is not FLV; counting stops but bytes are still summed. */
  private broken = false

  get current(): FlvTotals {
    return { ...this.totals }
  }

  /** Feed the next received chunk. */
  push(chunk: Uint8Array): void {
    this.totals.bytes += chunk.length
    let offset = 0
    while (offset < chunk.length && !this.broken) {
      if (this.phase === 'file-header') {
        // 'FLV' signature is checked on the first three bytes.
        const take = Math.min(this.need, chunk.length - offset)
        for (let i = 0; i < take; i++) {
          const index = FLV_HEADER_BYTES + PREVIOUS_TAG_SIZE_BYTES - this.need + i
          if (index < 3 && chunk[offset + i] !== 'FLV'.charCodeAt(index)) this.broken = true
        }
        offset += take
        this.need -= take
        if (this.need === 0) this.startTagHeader()
      } else if (this.phase === 'tag-header') {
        // Two body bytes are read with the header: frame type/codec and the AVC packet type.
        const take = Math.min(this.need, chunk.length - offset)
        this.header.set(chunk.subarray(offset, offset + take), this.headerFill)
        this.headerFill += take
        offset += take
        this.need -= take
        if (this.need === 0) this.finishTagHeader()
      } else {
        const take = Math.min(this.need, chunk.length - offset)
        this.count(take)
        offset += take
        this.need -= take
        if (this.need === 0) this.startTagHeader()
      }
    }
  }

  private startTagHeader(): void {
    this.phase = 'tag-header'
    this.headerFill = 0
    this.need = TAG_HEADER_BYTES
  }

  private finishTagHeader(): void {
    const h = this.header
    if (this.headerFill === TAG_HEADER_BYTES) {
      this.tagType = h[0] & 0x1f
      const size = (h[1] << 16) | (h[2] << 8) | h[3]
      this.count(TAG_HEADER_BYTES)
      if (this.tagType === TAG_VIDEO && size >= 2) {
        // Read the first two body bytes along with the header.
        this.need = 2
        this.pendingBody = size - 2 + PREVIOUS_TAG_SIZE_BYTES
        return
      }
      this.phase = 'tag-body'
      this.need = size + PREVIOUS_TAG_SIZE_BYTES
      return
    }
    // Header plus the two video body bytes.
    this.count(2)
    const frameType = h[TAG_HEADER_BYTES] >> 4
    const codec = h[TAG_HEADER_BYTES] & 0x0f
    const avcPacketType = h[TAG_HEADER_BYTES + 1]
    // H.264/HEVC: packet type 0 is a sequence header, not a frame; frame type 5 is video info.
    const isFrame = frameType !== 5 && !((codec === 7 || codec === 12) && avcPacketType !== 1)
    if (isFrame) {
      this.totals.videoFrames += 1
      if (frameType === 1) this.totals.keyFrames += 1
      this.totals.lastVideoTimestampMs = ((h[7] << 24) | (h[4] << 16) | (h[5] << 8) | h[6]) >>> 0
    }
    this.phase = 'tag-body'
    this.need = this.pendingBody
  }

  private count(n: number): void {
    if (this.tagType === TAG_VIDEO) this.totals.videoBytes += n
    else if (this.tagType === TAG_AUDIO) this.totals.audioBytes += n
  }
}
