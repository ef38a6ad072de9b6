/**
 * The browser's TRTC client (trtc-sdk-v5) reports objects and promises; the
 * mini program's `<live-pusher>` reports state codes with a `message`. These
 * pure functions turn the first into the second, so the media session reads
 * one format whichever platform an attendee is on: remote users and streams
 * become 1031–1034 with the `userlist` JSON of shared/reference/trtc.md §2
 * (read back by src/core/trtc.ts), failures become -1301/-1302/-3301/-100018.
 */
import type { NetStatus } from '../../core/netstatus'
import { buildTrtcPlayUrl, type TrtcStreamType } from '../../core/trtc'

/** The SDK's stream types: `main` camera, `sub` screen share (the mini program calls it aux). */
export type SdkStreamType = 'main' | 'sub'

export const toTrtcStreamType = (type: SdkStreamType): TrtcStreamType => (type === 'sub' ? 'aux' : 'main')
export const toSdkStreamType = (type: TrtcStreamType): SdkStreamType => (type === 'aux' ? 'sub' : 'main')

/** A pusher state code and its message, as `bindstatechange` delivers them. */
export interface RoomCode {
  readonly code: number
  readonly message: string
}

const userlist = (entries: readonly Record<string, unknown>[]): string => JSON.stringify({ userlist: entries })

export const userEntered = (userId: string): RoomCode => ({ code: 1031, message: userlist([{ userid: userId }]) })
export const userLeft = (userId: string): RoomCode => ({ code: 1032, message: userlist([{ userid: userId }]) })

export function videoChanged(userId: string, streamType: SdkStreamType, hasVideo: boolean): RoomCode {
  const type = toTrtcStreamType(streamType)
  return { code: 1033, message: userlist([{ userid: userId, playurl: buildTrtcPlayUrl(userId, type), streamtype: type, hasvideo: hasVideo }]) }
}

export function audioChanged(userId: string, hasAudio: boolean): RoomCode {
  return { code: 1034, message: userlist([{ userid: userId, playurl: buildTrtcPlayUrl(userId, 'main'), hasaudio: hasAudio }]) }
}

export const entered = (costMs: number): RoomCode => ({ code: 1018, message: `onEnterRoom success, time cost[${Math.max(0, Math.round(costMs))}]` })

/**
 * KICKED_OUT's reason as the native onExitRoom reason: 1 removed by the
 * server (RemoveUser, banned), 2 room dismissed (DismissRoom).
 */
export function kickedOut(reason: string): RoomCode {
  return { code: 1019, message: `onExitRoom reason[${reason === 'room_disband' ? 2 : 1}]` }
}

/** The SDK's error object at the boundary: `code` (5000–5999) and the server's `extraCode`. */
export interface SdkError {
  readonly code?: unknown
  readonly extraCode?: unknown
  readonly message?: unknown
}

/** ERROR_CODE.DEVICE_ERROR: the camera or microphone could not be opened (denied, missing, busy). */
export const SDK_DEVICE_ERROR = 5300

/**
 * A failed enterRoom. The web SDK wraps the server's answer as SERVER_ERROR
 * with the server's code in `extraCode`; -100018 is "userSig verification
 * failed" in TRTC's error table (647/35142), so the media session's one
 * refresh applies. Everything else is the mini program's 1022 with the code.
 * (That the web SDK passes -100018 through as extraCode is UNVERIFIED: it
 * needs a real account; a message naming the userSig counts too.)
 */
export function enterFailed(error: unknown): RoomCode {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError
  const extra = typeof e.extraCode === 'number' ? e.extraCode : null
  const text = typeof e.message === 'string' ? e.message : String(error)
  if (extra === -100018 || /user\s*sig/i.test(text)) return { code: -100018, message: text }
  return { code: 1022, message: `onEnterRoom failed, error code[${extra ?? (typeof e.code === 'number' ? e.code : -3301)}]` }
}

/** startLocalVideo / startLocalAudio failed: the weapp codes for camera / microphone. */
export function deviceFailed(device: 'camera' | 'microphone', error: unknown): RoomCode {
  const text = typeof error === 'object' && error !== null && typeof (error as SdkError).message === 'string' ? ((error as SdkError).message as string) : String(error)
  return { code: device === 'camera' ? -1301 : -1302, message: text }
}

/** The slice of the SDK's STATISTICS event (every 2 s) we read; bitrates in kbps. */
export interface SdkStatistics {
  readonly localStatistics?: {
    readonly audio?: { readonly bitrate?: number }
    readonly video?: readonly { readonly width?: number; readonly height?: number; readonly frameRate?: number; readonly bitrate?: number; readonly videoType?: string }[]
  }
  readonly remoteStatistics?: readonly {
    readonly userId?: string
    readonly audio?: { readonly bitrate?: number; readonly jitterBufferDelay?: number }
    readonly video?: readonly {
      readonly width?: number
      readonly height?: number
      readonly frameRate?: number
      readonly bitrate?: number
      readonly videoType?: string
      readonly jitterBufferDelay?: number
    }[]
  }[]
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0)

type VideoStat = { readonly width?: number; readonly height?: number; readonly frameRate?: number; readonly bitrate?: number }

/** The fields both components report, from one video entry and the audio bitrate. */
function mediaStatus(video: VideoStat | undefined, audioBitrate: number): NetStatus {
  const videoBitrate = num(video?.bitrate)
  return {
    videoBitrate,
    audioBitrate,
    netSpeed: videoBitrate + audioBitrate,
    videoFPS: num(video?.frameRate),
    videoWidth: num(video?.width),
    videoHeight: num(video?.height),
  }
}

/** The pusher's netstatus from the local statistics (big stream), with the uplink quality when known. */
export function pusherNetStatus(stats: SdkStatistics, uplinkQuality?: number): NetStatus {
  const video = stats.localStatistics?.video?.find((v) => v.videoType === 'big') ?? stats.localStatistics?.video?.[0]
  return {
    ...mediaStatus(video, num(stats.localStatistics?.audio?.bitrate)),
    ...(uplinkQuality !== undefined ? { netQualityLevel: uplinkQuality } : {}),
  }
}

/** A player's netstatus from the remote statistics of its user and stream; null when the SDK listed none. */
export function playerNetStatus(stats: SdkStatistics, userId: string, streamType: TrtcStreamType): NetStatus | null {
  const remote = stats.remoteStatistics?.find((r) => r.userId === userId)
  if (remote === undefined) return null
  const wanted = streamType === 'aux' ? 'sub' : 'big'
  const video = remote.video?.find((v) => v.videoType === wanted) ?? (streamType === 'main' ? remote.video?.find((v) => v.videoType === 'small') : undefined)
  return {
    ...mediaStatus(video, streamType === 'main' ? num(remote.audio?.bitrate) : 0),
    videoCache: num(video?.jitterBufferDelay),
    audioCache: num(remote.audio?.jitterBufferDelay),
  }
}
