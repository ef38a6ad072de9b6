/**
 * Every `<live-pusher>` / `<live-player>` code the app knows, in one place:
 * what it is called, how bad it is and what a meeting does about it.
 *
 * Sources: the platform reference (live-pusher-live-player.zh.txt), the
 * current official component pages and the LiteAV SDK headers
 * (`TXLiveSDKEventDef.h`, `TXLiteAVCode.h`) for names, plus codes that
 * Tencent's own mini program components handle although no table lists them
 * (see platform-facts.md). One table per source, because the same number
 * means different things: 3001–3005 are push warnings on the pusher and pull
 * warnings on the player.
 */

/** Where a code came from: `bindstatechange` of either component, or `binderror` of the pusher. */
export type CodeSource = 'pusher' | 'player' | 'pusher-error'

/** `fatal`: the component has stopped and will not recover by itself. */
export type Severity = 'info' | 'warning' | 'fatal'

/**
 * What the meeting does about a code.
 * - `none`: nothing (informational, or the SDK / bitrate controller copes)
 * - `wait`: the SDK is retrying or the app is hidden; show a hint and wait
 * - `restart-push` / `restart-play`: stop and start the component again
 * - `request-permission`: ask for camera / microphone (wx.openSetting after the first refusal)
 * - `leave`: retrying cannot help; leave the room (and offer to rejoin)
 */
export type Recovery = 'none' | 'wait' | 'restart-push' | 'restart-play' | 'request-permission' | 'leave'

export interface StateCodeEntry {
  readonly code: number
  /** The SDK's constant name, or an invented one in the same style where none exists. */
  readonly name: string
  readonly severity: Severity
  readonly recovery: Recovery
}

/**
 * Which string of the state-code string table (src/i18n/state-codes.ts) a
 * participant is told: `<table>.<code>` for a known code, `unknown` (with the
 * code filled in) otherwise. Core carries no words for people.
 */
export type StateCodeMessageKey = `${CodeSource}.${number}` | 'unknown'

/** A code as looked up: the entry plus where it came from and whether the table knew it. */
export type DescribedCode = StateCodeEntry & {
  readonly source: CodeSource
  readonly known: boolean
  readonly messageKey: StateCodeMessageKey
}

/** A table maps each code (as a string key, since object keys are strings) to its entry. */
type CodeTable = { readonly [code: string]: StateCodeEntry }

/** Builds an entry without repeating the code (the key) by hand. */
function entry(code: number, name: string, severity: Severity, recovery: Recovery): StateCodeEntry {
  return Object.freeze({ code, name, severity, recovery })
}

/** `<live-pusher bindstatechange>` codes (`e.detail.code`). */
export const PUSHER_STATE_CODES = Object.freeze({
  /** Connected to the push server. */
  1001: entry(1001, 'PUSH_EVT_CONNECT_SUCC', 'info', 'none'),
  /** Handshake done; media is flowing up. */
  1002: entry(1002, 'PUSH_EVT_PUSH_BEGIN', 'info', 'none'),
  /** Camera opened. */
  1003: entry(1003, 'PUSH_EVT_OPEN_CAMERA_SUCC', 'info', 'none'),
  /** Screen capture started (SDK-level; mini programs do not share screens). */
  1004: entry(1004, 'PUSH_EVT_SCREEN_CAPTURE_SUCC', 'info', 'none'),
  /** The SDK changed the encoding resolution to suit the uplink. */
  1005: entry(1005, 'PUSH_EVT_CHANGE_RESOLUTION', 'info', 'none'),
  /** The SDK changed the encoding bitrate to suit the uplink. */
  1006: entry(1006, 'PUSH_EVT_CHANGE_BITRATE', 'info', 'none'),
  /** First camera frame captured. */
  1007: entry(1007, 'PUSH_EVT_FIRST_FRAME_AVAILABLE', 'info', 'none'),
  /** Video encoder started. */
  1008: entry(1008, 'PUSH_EVT_START_VIDEO_ENCODER', 'info', 'none'),
  /** room:// only: entered the room. */
  1018: entry(1018, 'PUSH_EVT_ROOM_IN', 'info', 'none'),
  /** room:// only: left the room (iOS never sends it, so nothing may wait for it). */
  1019: entry(1019, 'PUSH_EVT_ROOM_OUT', 'info', 'none'),
  /** room:// only: the list of other participants changed. */
  1020: entry(1020, 'PUSH_EVT_ROOM_USERLIST', 'info', 'none'),
  /** room:// only: the network type changed (Wi-Fi ↔ 4G) and the room is being re-entered. */
  1021: entry(1021, 'PUSH_EVT_ROOM_NEED_REENTER', 'warning', 'wait'),
  /** room:// only: entering the room failed; the push is not running. */
  1022: entry(1022, 'PUSH_EVT_ROOM_IN_FAILED', 'fatal', 'restart-push'),
  /** room:// only: a remote participant entered. */
  1031: entry(1031, 'PUSH_EVT_ROOM_USER_ENTER', 'info', 'none'),
  /** room:// only: a remote participant left. */
  1032: entry(1032, 'PUSH_EVT_ROOM_USER_EXIT', 'info', 'none'),
  /** room:// only: a remote participant's camera state changed. */
  1033: entry(1033, 'PUSH_EVT_ROOM_USER_VIDEO_STATE', 'info', 'none'),
  /** room:// only: a remote participant's microphone state changed. */
  1034: entry(1034, 'PUSH_EVT_ROOM_USER_AUDIO_STATE', 'info', 'none'),
  /** Uplink too slow; the bitrate controller reacts to netstatus, so nothing else to do. */
  1101: entry(1101, 'PUSH_WARNING_NET_BUSY', 'warning', 'none'),
  /** Disconnected; the SDK is reconnecting (gives up with -1307 after three tries). */
  1102: entry(1102, 'PUSH_WARNING_RECONNECT', 'warning', 'wait'),
  /** Hardware encoder failed to start; the SDK fell back to software. */
  1103: entry(1103, 'PUSH_WARNING_HW_ACCELERATION_FAIL', 'warning', 'none'),
  /** A frame failed to encode; the SDK restarts the encoder itself. */
  1104: entry(1104, 'PUSH_WARNING_VIDEO_ENCODE_FAIL', 'warning', 'none'),
  /** Switched from software to hardware encoding for performance (the reference calls it PUSH_WARNING_SWITCH_SWENC). */
  1107: entry(1107, 'PUSH_WARNING_VIDEO_ENCODE_SW_SWITCH_HW', 'info', 'none'),
  /** RTMP DNS lookup failed; the SDK retries. */
  3001: entry(3001, 'PUSH_WARNING_DNS_FAIL', 'warning', 'wait'),
  /** RTMP server connection failed; the SDK retries. (SEVER: the SDK's spelling.) */
  3002: entry(3002, 'PUSH_WARNING_SEVER_CONN_FAIL', 'warning', 'wait'),
  /** RTMP handshake failed; the SDK retries. */
  3003: entry(3003, 'PUSH_WARNING_SHAKE_FAIL', 'warning', 'wait'),
  /**
   * The server closed the connection; the SDK retries. Usually a bad
   * signature (txSecret / expired txTime) or the stream name already pushed
   * by someone else, which retrying alone will not fix.
   */
  3004: entry(3004, 'PUSH_WARNING_SERVER_DISCONNECT', 'warning', 'wait'),
  /** RTMP write failed; the connection drops and the SDK retries (the reference repeats 3004's name here; the SDK calls it this). */
  3005: entry(3005, 'PUSH_WARNING_READ_WRITE_FAIL', 'warning', 'wait'),
  /** iOS: `enable-mic` toggled. */
  4998: entry(4998, 'PUSH_EVT_ENABLE_MIC_CHANGED', 'info', 'none'),
  /** iOS: `muted` toggled. */
  4999: entry(4999, 'PUSH_EVT_MUTED_CHANGED', 'info', 'none'),
  /** The mini program was suspended (capsule / back tapped, app hidden); resumes on show. */
  5000: entry(5000, 'PUSH_WARNING_HANDUP_STOP', 'warning', 'wait'),
  /**
   * The official table: interrupted by a phone or WeChat call; trtc-room:
   * Android floating window closed. Either way the push has to be restarted.
   */
  5001: entry(5001, 'PUSH_WARNING_INTERRUPTED', 'warning', 'restart-push'),
  /** Camera failed to open: denied, or held by another app. */
  [-1301]: entry(-1301, 'PUSH_ERR_OPEN_CAMERA_FAIL', 'fatal', 'request-permission'),
  /** Microphone failed to open: denied, or held by another app. */
  [-1302]: entry(-1302, 'PUSH_ERR_OPEN_MIC_FAIL', 'fatal', 'request-permission'),
  /** Video encoder failed for good. */
  [-1303]: entry(-1303, 'PUSH_ERR_VIDEO_ENCODE_FAIL', 'fatal', 'restart-push'),
  /** Audio encoder failed for good. */
  [-1304]: entry(-1304, 'PUSH_ERR_AUDIO_ENCODE_FAIL', 'fatal', 'restart-push'),
  /** The requested resolution is not supported by this phone. */
  [-1305]: entry(-1305, 'PUSH_ERR_UNSUPPORTED_RESOLUTION', 'fatal', 'restart-push'),
  /** The requested audio sample rate is not supported by this phone. */
  [-1306]: entry(-1306, 'PUSH_ERR_UNSUPPORTED_SAMPLERATE', 'fatal', 'restart-push'),
  /** Disconnected and three reconnects failed: the SDK has given up; the app must restart the push. */
  [-1307]: entry(-1307, 'PUSH_ERR_NET_DISCONNECT', 'fatal', 'restart-push'),
  /** Screen capture refused by the user (SDK-level; not used by a mini program meeting). */
  [-1308]: entry(-1308, 'PUSH_ERR_SCREEN_CAPTURE_START_FAILED', 'warning', 'none'),
  /** Screen capture needs Android 5.0 or later (SDK-level). UNSURPORT: the SDK's spelling. */
  [-1309]: entry(-1309, 'PUSH_ERR_SCREEN_CAPTURE_UNSURPORT', 'warning', 'none'),
  /** Screen capture interrupted by another app (SDK-level). */
  [-1310]: entry(-1310, 'PUSH_ERR_SCREEN_CAPTURE_DISTURBED', 'warning', 'none'),
  /**
   * Android: the microphone opened but delivers no audio (usually another app
   * holds it). Video keeps flowing, so not fatal; restarting reopens the mic.
   */
  [-1311]: entry(-1311, 'PUSH_ERR_MIC_RECORD_FAIL', 'warning', 'restart-push'),
  /** Screen capture could not switch orientation (SDK-level). */
  [-1312]: entry(-1312, 'PUSH_ERR_SCREEN_CAPTURE_SWITCH_DISPLAY_FAILED', 'warning', 'none'),
  /** TRTC (room://) only: entering the room failed (trtc-wx ≥ 1.1.12 reports it as an error; shared/reference/trtc.md §2). */
  [-3301]: entry(-3301, 'PUSH_ERR_ROOM_ENTER_FAILED', 'fatal', 'restart-push'),
  /**
   * TRTC (room://) only, in no table but handled by trtc-room / trtc-wx: the
   * userSig is invalid. Retrying with the same signature cannot succeed.
   */
  [-100018]: entry(-100018, 'PUSH_ERR_USERSIG_INVALID', 'fatal', 'leave'),
} satisfies CodeTable)

/** `<live-player bindstatechange>` codes (`e.detail.code`). */
export const PLAYER_STATE_CODES = Object.freeze({
  /** Connected to the server. */
  2001: entry(2001, 'PLAY_EVT_CONNECT_SUCC', 'info', 'none'),
  /** Connected to the RTMP server; pulling the stream. */
  2002: entry(2002, 'PLAY_EVT_RTMP_STREAM_BEGIN', 'info', 'none'),
  /** First video packet (IDR) received. */
  2003: entry(2003, 'PLAY_EVT_RCV_FIRST_I_FRAME', 'info', 'none'),
  /** Playback started; the tile can drop its placeholder. */
  2004: entry(2004, 'PLAY_EVT_PLAY_BEGIN', 'info', 'none'),
  /** Playback progress (VOD-style; harmless in live). */
  2005: entry(2005, 'PLAY_EVT_PLAY_PROGRESS', 'info', 'none'),
  /** Playback ended: the remote stopped sending (never sent for http-flv; -2301 stands in). */
  2006: entry(2006, 'PLAY_EVT_PLAY_END', 'info', 'none'),
  /** Buffering: waiting for data from the server. */
  2007: entry(2007, 'PLAY_EVT_PLAY_LOADING', 'info', 'none'),
  /** Video decoder started. */
  2008: entry(2008, 'PLAY_EVT_START_VIDEO_DECODER', 'info', 'none'),
  /** The stream's resolution changed. */
  2009: entry(2009, 'PLAY_EVT_CHANGE_RESOLUTION', 'info', 'none'),
  /** Audio route changed, e.g. headphones unplugged (name after TXLiteAVCode's EVT_AUDIO_DEVICE_ROUTE_CHANGED). */
  2030: entry(2030, 'PLAY_EVT_AUDIO_DEVICE_ROUTE_CHANGED', 'info', 'none'),
  /**
   * First video frame rendered, per the WeChat page. The v1 SDK header uses
   * 2032 for an iOS audio-session interruption; the mini program meaning wins.
   */
  2032: entry(2032, 'PLAY_EVT_FIRST_VIDEO_FRAME_RENDERED', 'info', 'none'),
  /** A video frame failed to decode; the SDK recovers. */
  2101: entry(2101, 'PLAY_WARNING_VIDEO_DECODE_FAIL', 'warning', 'none'),
  /** An audio frame failed to decode; the SDK recovers. */
  2102: entry(2102, 'PLAY_WARNING_AUDIO_DECODE_FAIL', 'warning', 'none'),
  /** Disconnected; the SDK is reconnecting (gives up with -2301 after three tries). */
  2103: entry(2103, 'PLAY_WARNING_RECONNECT', 'warning', 'wait'),
  /** Packets arrive unevenly: weak downlink, or the sender's uplink is uneven. */
  2104: entry(2104, 'PLAY_WARNING_RECV_DATA_LAG', 'warning', 'none'),
  /** Playback stutters. */
  2105: entry(2105, 'PLAY_WARNING_VIDEO_PLAY_LAG', 'warning', 'none'),
  /** Hardware decoder failed to start; the SDK fell back to software. */
  2106: entry(2106, 'PLAY_WARNING_HW_ACCELERATION_FAIL', 'warning', 'none'),
  /** Frames are missing; the picture may smear until the next keyframe. */
  2107: entry(2107, 'PLAY_WARNING_VIDEO_DISCONTINUITY', 'warning', 'none'),
  /** Hardware decoding of the first keyframe failed; the SDK switched to software. */
  2108: entry(2108, 'PLAY_WARNING_FIRST_IDR_HW_DECODE_FAIL', 'warning', 'none'),
  /** RTMP DNS lookup failed (rtmp:// only); the SDK retries. */
  3001: entry(3001, 'PLAY_WARNING_DNS_FAIL', 'warning', 'wait'),
  /** RTMP server connection failed (rtmp:// only); the SDK retries. (SEVER: the SDK's spelling.) */
  3002: entry(3002, 'PLAY_WARNING_SEVER_CONN_FAIL', 'warning', 'wait'),
  /** RTMP handshake failed (rtmp:// only); the SDK retries. */
  3003: entry(3003, 'PLAY_WARNING_SHAKE_FAIL', 'warning', 'wait'),
  /** RTMP read/write failed; the SDK retries. */
  3005: entry(3005, 'PLAY_WARNING_READ_WRITE_FAIL', 'warning', 'wait'),
  /** Disconnected and reconnects failed: the player has stopped; the app must restart playback. */
  [-2301]: entry(-2301, 'PLAY_ERR_NET_DISCONNECT', 'fatal', 'restart-play'),
  /** Could not get the play URL (SDK: the accelerated RTMP URL); playback never started. */
  [-2302]: entry(-2302, 'PLAY_ERR_GET_RTMP_ACC_URL_FAIL', 'fatal', 'restart-play'),
} satisfies CodeTable)

/** `<live-pusher binderror>` codes (`e.detail.errCode`). */
export const PUSHER_ERROR_CODES = Object.freeze({
  /** The user refused the camera. `wx.authorize` prompts once; after that only wx.openSetting helps. */
  10001: entry(10001, 'PUSH_ERR_CAMERA_PERMISSION_DENIED', 'fatal', 'request-permission'),
  /** The user refused the microphone. */
  10002: entry(10002, 'PUSH_ERR_MIC_PERMISSION_DENIED', 'fatal', 'request-permission'),
  /** Background music failed to load (the meeting plays none; listed for completeness). */
  10003: entry(10003, 'PUSH_ERR_BGM_LOAD_FAIL', 'warning', 'none'),
  /** The waiting image failed to load: others see a frozen or black picture while the app is hidden. */
  10004: entry(10004, 'PUSH_ERR_WAITING_IMAGE_LOAD_FAIL', 'warning', 'none'),
} satisfies CodeTable)

const TABLES: Readonly<Record<CodeSource, CodeTable>> = {
  pusher: PUSHER_STATE_CODES,
  player: PLAYER_STATE_CODES,
  'pusher-error': PUSHER_ERROR_CODES,
}

function lookup(table: CodeTable, code: number): StateCodeEntry | undefined {
  // `hasOwn`, so codes like "constructor" or "__proto__" can never match.
  const key = String(code)
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined
}

/**
 * What a code means for its source. Never throws: an unknown code (newer
 * clients emit undocumented ones such as 10005 or 2027) comes back with
 * `known: false`, severity `info`, recovery `none` and the `unknown` message
 * key (whose text names the code), so it can be logged and shown without special cases.
 *
 * The official `<live-pusher>` state table also lists 10001–10004, so a
 * pusher statechange with one of those is read from the binderror table.
 */
export function describeCode(source: CodeSource, code: number): DescribedCode {
  const table: CodeTable | undefined = TABLES[source]
  const isCode = typeof code === 'number' && Number.isInteger(code)
  if (table && isCode) {
    const own = lookup(table, code)
    if (own) return { ...own, source, known: true, messageKey: `${source}.${code}` }
    const borrowed = source === 'pusher' ? lookup(PUSHER_ERROR_CODES, code) : undefined
    if (borrowed) return { ...borrowed, source, known: true, messageKey: `pusher-error.${code}` }
  }
  return { code, name: 'UNKNOWN', severity: 'info', recovery: 'none', source, known: false, messageKey: 'unknown' }
}
