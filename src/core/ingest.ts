/**
 * Browser publishing (H5): the wire protocol of the room service's ingest
 * socket, shared by the service (server/media/ingest.ts) and the H5 pusher
 * (src/platform/live-media.h5.tsx). docs/protocol.md §9 is the prose.
 *
 * A browser cannot speak RTMP, so it records its camera with MediaRecorder
 * (WebM) and streams the bytes over a WebSocket to the service, which pipes
 * them through ffmpeg into the participant's signed RTMP push URL on the
 * embedded media server. The socket is authorised by that push URL itself:
 * it must be exactly the URL the service issued to a current participant.
 */

/** `ws(s)://<service>/v1/ingest?push=<signed push URL>&video=<codec>[&kbps=<n>]`. */
export const INGEST_PATH = '/v1/ingest'

/**
 * Video codecs a browser's MediaRecorder may produce. H.264 is copied into
 * FLV as it is; VP8/VP9 (browsers without an H.264 recorder) are re-encoded
 * to H.264 by the relay, which costs the service CPU and ~100 ms.
 */
export const INGEST_VIDEO_CODECS = ['h264', 'vp8', 'vp9'] as const
export type IngestVideoCodec = (typeof INGEST_VIDEO_CODECS)[number]

/**
 * Binary frames above this are split by the sender. The service's WebSocket
 * layer cuts frames above 64 KiB (close 1009), and a MediaRecorder chunk with
 * a keyframe can exceed that at meeting bitrates.
 */
export const INGEST_MAX_FRAME_BYTES = 32 * 1024

/** How often the relay reports `progress`. */
export const INGEST_PROGRESS_EVERY_MS = 1000

/** Re-encode bitrate bounds (kbps) for VP8/VP9 input; H.264 is copied at whatever the browser sends. */
export const INGEST_TRANSCODE_KBPS = Object.freeze({ min: 50, default: 500, max: 3000 })

/**
 * Why the service refused or ended an ingest. `retry`: whether reconnecting
 * with the same URL can help. Each code closes the socket with its own
 * close code, after an `error` message that names it.
 */
export const INGEST_ERRORS = Object.freeze({
  /** The push URL is not one this service issued to a current participant (or the participant left). */
  bad_push_url: { close: 4100, retry: false, message: 'The push URL was not issued by this service to a current participant' },
  /** No relay here: ffmpeg is missing (FFMPEG_PATH), or the media provider is not the embedded one. */
  ingest_unavailable: { close: 4101, retry: false, message: 'Browser publishing is not available on this service' },
  /** The same participant opened another ingest socket; the newer one publishes. */
  ingest_replaced: { close: 4102, retry: false, message: 'Another ingest socket of this participant took over' },
  /** ffmpeg or the RTMP publish stopped (a media-server restart, a cut stream); reconnecting may help. */
  relay_failed: { close: 4103, retry: true, message: 'The relay into the media server stopped' },
  /** A text frame, or a frame over the hard cap: the client is broken. */
  bad_message: { close: 4104, retry: false, message: 'Only binary WebM frames are accepted on the ingest socket' },
} satisfies Record<string, { close: number; retry: boolean; message: string }>)

export type IngestErrorCode = keyof typeof INGEST_ERRORS

/** Service → browser, JSON text frames. The browser sends only binary WebM bytes. */
export type IngestServerMessage =
  /** The media server accepted the RTMP publish: media is flowing to players (pusher code 1002). */
  | { readonly type: 'publishing' }
  /**
   * Every {@link INGEST_PROGRESS_EVERY_MS}: WebM bytes the relay has taken in
   * so far on this socket. The browser's `bufferedAmount` hides what sits in
   * kernel buffers and in flight (megabytes on a fast local link), so the
   * pusher measures its uplink (netSpeed, 1101) against this instead.
   */
  | { readonly type: 'progress'; readonly receivedBytes: number }
  | { readonly type: 'error'; readonly code: IngestErrorCode; readonly message: string }

/** Whether reconnecting after this close code can help (unknown codes, e.g. 1006, may). */
export function ingestCloseIsRetryable(closeCode: number): boolean {
  for (const entry of Object.values(INGEST_ERRORS)) if (entry.close === closeCode) return entry.retry
  return closeCode !== 1000
}

/**
 * The ingest socket URL on the room service at `serviceUrl` (http(s)://host[:port][/prefix]):
 * the scheme becomes ws(s), the push URL rides in the query.
 */
export function ingestSocketUrl(serviceUrl: string, pushUrl: string, video: IngestVideoCodec, kbps?: number): string {
  const base = serviceUrl.replace(/\/+$/, '').replace(/^http(s?):/i, 'ws$1:')
  const query = new URLSearchParams({ push: pushUrl, video })
  if (kbps !== undefined && Number.isFinite(kbps)) query.set('kbps', String(Math.round(kbps)))
  return `${base}${INGEST_PATH}?${query.toString()}`
}

/** A service message, or null for anything else. */
export function parseIngestServerMessage(text: unknown): IngestServerMessage | null {
  if (typeof text !== 'string') return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const m = value as { type?: unknown; code?: unknown; message?: unknown }
  if (m.type === 'publishing') return { type: 'publishing' }
  if (m.type === 'progress') {
    const bytes = (m as { receivedBytes?: unknown }).receivedBytes
    return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? { type: 'progress', receivedBytes: bytes } : null
  }
  if (m.type === 'error' && typeof m.code === 'string' && Object.prototype.hasOwnProperty.call(INGEST_ERRORS, m.code)) {
    return { type: 'error', code: m.code as IngestErrorCode, message: typeof m.message === 'string' ? m.message : '' }
  }
  return null
}

/** `video=` as sent by a browser; null when it names nothing we relay. */
export function parseIngestVideoCodec(value: unknown): IngestVideoCodec | null {
  return typeof value === 'string' && (INGEST_VIDEO_CODECS as readonly string[]).includes(value) ? (value as IngestVideoCodec) : null
}
