/**
 * TRTC in the mini program, without trtc-wx: the `room://` URLs of
 * `<live-pusher>` / `<live-player>` and the room events the pusher reports
 * through `bindstatechange` (`e.detail = {code, message}`). Formats from
 * shared/reference/trtc.md §1–2 (trtc-wx 1.1.15, trtc-room, the native
 * parser), pinned by test/unit/core/trtc.test.ts.
 *
 * Why not `trtc-wx-sdk`: it is constructed with the native page (`new
 * TRTC(this)`, `wx.createLivePusherContext`), keeps its own copy of the
 * pusher attributes and the player list (a second writer next to our store
 * and the media session), posts logs to yun.tim.qq.com with `wx.request`
 * (another request domain to whitelist), and ships minified without types.
 * What we need from it is a URL format and five payload shapes.
 *
 * Plain TypeScript: imported by the app and by the room service, which
 * builds the push URL with the participant's UserSig.
 */
import { eventDetail, toInteger } from './wechat-event'

/** Both host spellings the native side treats as TRTC; we build the first. */
export const TRTC_URL_PREFIX = 'room://cloud.tencent.com/rtc'
const TRTC_URL = /^room:\/\/(cloud\.tencent\.com\/rtc|rtc\.tencent\.com)\/?\?/i

/** `appscene`: `videocall` (≤ 300 per room, ≤ 50 publishing) is the meeting scene. */
export type TrtcAppScene = 'videocall' | 'live'

export interface TrtcPushParams {
  readonly sdkAppId: number
  /** Our meeting id. */
  readonly strRoomId: string
  /** Our participant id. */
  readonly userId: string
  readonly userSig: string
  readonly privateMapKey: string
  readonly appScene?: TrtcAppScene
}

/**
 * What may go into a value: the native side reads the query without
 * URL-decoding (trtc-wx concatenates raw values), so only characters that
 * need no encoding. UserSig and PrivateMapKey use `A–Z a–z 0–9 * - _`;
 * TRTC ids allow letters, digits, `_` and `-`.
 */
const SAFE_VALUE = /^[A-Za-z0-9*_-]+$/
const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/

/** Thrown by the builders for a value that cannot go into a room:// URL unencoded. */
export class TrtcUrlError extends Error {
  constructor(field: string, value: unknown) {
    super(`TRTC ${field} ${JSON.stringify(value)} cannot go into a room:// URL (use A–Z a–z 0–9 _ -)`)
    this.name = 'TrtcUrlError'
  }
}

/**
 * The pusher's `url`, in trtc-wx's parameter order. Never `roomid` (we use
 * string rooms), no `role` (the URL format has none), `recvmode=1` (receive
 * audio and video automatically), `cloudenv=PRO`.
 */
export function buildTrtcPushUrl(p: TrtcPushParams): string {
  if (!Number.isSafeInteger(p.sdkAppId) || p.sdkAppId <= 0) throw new TrtcUrlError('sdkappid', p.sdkAppId)
  if (!SAFE_ID.test(p.strRoomId)) throw new TrtcUrlError('strroomid', p.strRoomId)
  if (!SAFE_ID.test(p.userId)) throw new TrtcUrlError('userid', p.userId)
  if (!SAFE_VALUE.test(p.userSig)) throw new TrtcUrlError('usersig', '<redacted>')
  if (!SAFE_VALUE.test(p.privateMapKey)) throw new TrtcUrlError('privatemapkey', '<redacted>')
  return (
    `${TRTC_URL_PREFIX}?sdkappid=${p.sdkAppId}&strroomid=${p.strRoomId}&userid=${p.userId}` +
    `&usersig=${p.userSig}&appscene=${p.appScene ?? 'videocall'}&encsmall=0&cloudenv=PRO` +
    `&privatemapkey=${p.privateMapKey}&recvmode=1`
  )
}

export type TrtcStreamType = 'main' | 'aux'

/**
 * A remote participant's player `src` as the native side generates it
 * (1033/1034 `playurl`). The room service lists it as the participant's
 * `playUrl`, but a player should use the `playurl` from the event when
 * there is one.
 */
export function buildTrtcPlayUrl(userId: string, streamType: TrtcStreamType = 'main'): string {
  if (!SAFE_ID.test(userId)) throw new TrtcUrlError('userid', userId)
  return `${TRTC_URL_PREFIX}?userid=${userId}&streamtype=${streamType}`
}

export function isTrtcUrl(url: string): boolean {
  return TRTC_URL.test(url)
}

/** The query of a room:// URL, read the way the native side reads it (keys case-insensitive, values raw). */
function rawQuery(url: string): Map<string, string> | null {
  if (!isTrtcUrl(url)) return null
  const query = url.slice(url.indexOf('?') + 1)
  const params = new Map<string, string>()
  for (const pair of query.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase()
    if (!params.has(key)) params.set(key, eq < 0 ? '' : pair.slice(eq + 1))
  }
  return params
}

/**
 * The entry parameters of a push URL, for the browser (whose SDK takes them
 * as an object); null when it is not a complete TRTC push URL.
 */
export function parseTrtcPushUrl(url: string): TrtcPushParams | null {
  const q = rawQuery(url)
  if (q === null) return null
  const sdkAppId = Number(q.get('sdkappid'))
  const strRoomId = q.get('strroomid') ?? ''
  const userId = q.get('userid') ?? ''
  const userSig = q.get('usersig') ?? ''
  if (!Number.isSafeInteger(sdkAppId) || sdkAppId <= 0 || strRoomId === '' || userId === '' || userSig === '') return null
  const scene = q.get('appscene')
  return {
    sdkAppId,
    strRoomId,
    userId,
    userSig,
    privateMapKey: q.get('privatemapkey') ?? '',
    appScene: scene === 'live' ? 'live' : 'videocall',
  }
}

/** The remote user and stream a player URL names; null when it is not one. */
export function parseTrtcPlayUrl(url: string): { readonly userId: string; readonly streamType: TrtcStreamType } | null {
  const q = rawQuery(url)
  const userId = q?.get('userid')
  if (userId === undefined || userId === '') return null
  return { userId, streamType: q?.get('streamtype') === 'aux' ? 'aux' : 'main' }
}

// ---------------------------------------------------------------------------
// Room events of the pusher's bindstatechange

/** A remote stream as 1033/1034 report it. */
export interface TrtcRemoteStream {
  readonly userId: string
  /** The player `src` the native side made for it; '' when the payload had none. */
  readonly playUrl: string
  readonly streamType: TrtcStreamType
}

/**
 * What a room code means, typed. Membership still comes from the room
 * service: TRTC reports a participant with camera and mic both off as gone
 * (1032, or 1033/1034 with nothing left), which is not leaving the meeting.
 */
export type TrtcRoomEvent =
  /** 1018: this pusher entered the TRTC room. */
  | { readonly kind: 'entered'; readonly costMs: number | null }
  /** 1019: left the room; a non-zero reason means removed (trtc-wx's KICKED_OUT). */
  | { readonly kind: 'left'; readonly reason: number | null; readonly kicked: boolean }
  /** 1020: the full list (sent after each video-available change); shape UNVERIFIED, read leniently. */
  | { readonly kind: 'user_list'; readonly users: readonly TrtcRemoteStream[] }
  /** 1021: the network type changed; the SDK re-enters by itself. */
  | { readonly kind: 'reenter' }
  /** 1022 or -3301: entering failed. */
  | { readonly kind: 'enter_failed'; readonly errorCode: number | null }
  /** -100018: the UserSig was refused (wrong, expired, other app): get fresh credentials once. */
  | { readonly kind: 'bad_credentials' }
  /** 1031 / 1032: remote users entered / left TRTC. */
  | { readonly kind: 'users_entered' | 'users_left'; readonly userIds: readonly string[] }
  /** 1033: a remote video stream appeared or went away. */
  | { readonly kind: 'video'; readonly changes: readonly (TrtcRemoteStream & { readonly hasVideo: boolean })[] }
  /** 1034: a remote audio stream appeared or went away. */
  | { readonly kind: 'audio'; readonly changes: readonly (TrtcRemoteStream & { readonly hasAudio: boolean })[] }

/** Every room code, for the state-code table and the media session. */
export const TRTC_ROOM_CODES = [1018, 1019, 1020, 1021, 1022, -3301, -100018, 1031, 1032, 1033, 1034] as const

/** Where a malformed payload is reported; console.warn by default. */
export type TrtcWarn = (line: string) => void

const defaultWarn: TrtcWarn = (line) => console.warn(line)

function bracketNumber(message: unknown, label: string): number | null {
  if (typeof message !== 'string') return null
  const match = new RegExp(`${label}\\s*\\[\\s*(-?\\d+)\\s*\\]`, 'i').exec(message)
  return match === null ? null : Number(match[1])
}

function short(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value)
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** The `userlist` array of a 1031–1034 message (a JSON string, or an object some clients pass as is). */
function userList(code: number, message: unknown, warn: TrtcWarn): Record<string, unknown>[] | null {
  let value: unknown = message
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message)
    } catch {
      warn(`[trtc] ${code}: message is not JSON, ignored: ${short(message)}`)
      return null
    }
  }
  const list = typeof value === 'object' && value !== null ? (value as { userlist?: unknown }).userlist : undefined
  if (!Array.isArray(list)) {
    warn(`[trtc] ${code}: no "userlist" array in the message, ignored: ${short(message)}`)
    return null
  }
  const entries: Record<string, unknown>[] = []
  for (const item of list) {
    const userId = typeof item === 'object' && item !== null ? (item as { userid?: unknown }).userid : undefined
    if (typeof userId === 'string' && userId !== '') entries.push(item as Record<string, unknown>)
    else warn(`[trtc] ${code}: userlist entry without a userid, skipped: ${short(item)}`)
  }
  return entries
}

/** An entry's stream; without a `streamtype` field, the one its `playurl` names. */
function stream(entry: Record<string, unknown>): TrtcRemoteStream {
  const playUrl = typeof entry.playurl === 'string' ? entry.playurl : ''
  const streamType = entry.streamtype === 'aux' || entry.streamtype === 'main' ? entry.streamtype : parseTrtcPlayUrl(playUrl)?.streamType ?? 'main'
  return { userId: entry.userid as string, playUrl, streamType }
}

/** `true`/`false`, also as 1/0 or "true"/"false" (clients differ); null otherwise. */
function flag(value: unknown): boolean | null {
  if (value === true || value === 1 || value === 'true' || value === '1') return true
  if (value === false || value === 0 || value === 'false' || value === '0') return false
  return null
}

/**
 * The room event of a pusher state code and its `message`; null for codes
 * that are not room events (1001, 1101, 5000, … go through the state-code
 * table as before) and for payloads that cannot be read, which are reported
 * through `warn` with the code and the payload. Never throws.
 */
export function parseTrtcRoomEvent(code: number, message: unknown, warn: TrtcWarn = defaultWarn): TrtcRoomEvent | null {
  try {
    switch (code) {
      case 1018:
        return { kind: 'entered', costMs: bracketNumber(message, 'time cost') }
      case 1019: {
        const reason = bracketNumber(message, 'reason')
        return { kind: 'left', reason, kicked: reason !== null && reason !== 0 }
      }
      case 1021:
        return { kind: 'reenter' }
      case 1022:
        return { kind: 'enter_failed', errorCode: bracketNumber(message, 'error code') }
      case -3301:
        return { kind: 'enter_failed', errorCode: -3301 }
      case -100018:
        return { kind: 'bad_credentials' }
      case 1020:
        return parseFullList(message, warn)
      case 1031:
      case 1032: {
        const list = userList(code, message, warn)
        if (list === null) return null
        return { kind: code === 1031 ? 'users_entered' : 'users_left', userIds: list.map((e) => e.userid as string) }
      }
      case 1033:
      case 1034: {
        const list = userList(code, message, warn)
        if (list === null) return null
        const key = code === 1033 ? 'hasvideo' : 'hasaudio'
        const read: { readonly stream: TrtcRemoteStream; readonly on: boolean }[] = []
        for (const entry of list) {
          const on = flag(entry[key])
          if (on === null) warn(`[trtc] ${code}: entry without a boolean "${key}", skipped: ${short(entry)}`)
          else read.push({ stream: stream(entry), on })
        }
        return code === 1033
          ? { kind: 'video', changes: read.map((r) => ({ ...r.stream, hasVideo: r.on })) }
          : { kind: 'audio', changes: read.map((r) => ({ ...r.stream, hasAudio: r.on })) }
      }
      default:
        return null
    }
  } catch (error) {
    warn(`[trtc] ${code}: payload could not be read (${error instanceof Error ? error.message : String(error)}): ${short(message)}`)
    return null
  }
}

/**
 * 1020's payload is not documented (reference: "two arrays of {userid,
 * playurl}, key names UNVERIFIED"): every array of objects with a `userid`
 * found at the top level is read, and the streams are reported as listed.
 */
function parseFullList(message: unknown, warn: TrtcWarn): TrtcRoomEvent | null {
  let value: unknown = message
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message)
    } catch {
      warn(`[trtc] 1020: message is not JSON, ignored: ${short(message)}`)
      return null
    }
  }
  if (typeof value !== 'object' || value === null) {
    warn(`[trtc] 1020: message is not an object, ignored: ${short(message)}`)
    return null
  }
  const users: TrtcRemoteStream[] = []
  const arrays = Array.isArray(value) ? [value] : Object.values(value as Record<string, unknown>).filter(Array.isArray)
  for (const array of arrays) {
    for (const item of array as unknown[]) {
      const userId = typeof item === 'object' && item !== null ? (item as { userid?: unknown }).userid : undefined
      if (typeof userId === 'string' && userId !== '') users.push(stream(item as Record<string, unknown>))
    }
  }
  return { kind: 'user_list', users }
}

/**
 * The room event of a raw `<live-pusher bindstatechange>` event
 * (`e.detail.code` + `e.detail.message`, read as leniently as the other
 * WeChat events); null when it is not one.
 */
export function parseTrtcStateChange(e: unknown, warn: TrtcWarn = defaultWarn): TrtcRoomEvent | null {
  const detail = eventDetail(e)
  const code = toInteger(detail?.code)
  return code === null ? null : parseTrtcRoomEvent(code, detail?.message, warn)
}
