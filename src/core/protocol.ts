/**
 * The room service's wire protocol, typed once for the app (src/services) and
 * the service (server/). Plain TypeScript: no runtime dependencies, so the
 * mini program can import it. The service validates every incoming body and
 * message against zod schemas kept in server/ that mirror these types;
 * docs/protocol.md describes the flows in prose.
 *
 * Conventions: every message is an object discriminated by `type`; times are
 * epoch milliseconds; ids are opaque strings. Every frame a client sends gets
 * exactly one reply (`welcome`, `pong`, `ack` or `error`) in order, echoing the
 * frame's `id` when it had one, so requests can be matched to outcomes; room
 * events (`participant_*`, `meeting_*`, `host_action`, ...) may arrive in
 * between.
 */
import type { Role } from './presets'

/** Bumped on any incompatible change to the shapes below. */
export const PROTOCOL_VERSION = 1

// ---------------------------------------------------------------------------
// Paths and limits

/** HTTP routes and the WebSocket path, relative to the service URL. */
export const PATHS = {
  /** `POST` {@link CreateMeetingRequest} → {@link CreateMeetingResponse}. */
  meetings: '/v1/meetings',
  /** `GET` → {@link MeetingInfoResponse}. */
  meeting: (meetingId: string): string => `/v1/meetings/${encodeURIComponent(meetingId)}`,
  /** `POST` {@link JoinRequest} → {@link JoinResponse}. */
  join: (meetingId: string): string => `/v1/meetings/${encodeURIComponent(meetingId)}/join`,
  /** `POST` {@link LeaveRequest} → {@link LeaveResponse}. */
  leave: (meetingId: string): string => `/v1/meetings/${encodeURIComponent(meetingId)}/leave`,
  /** WebSocket upgrade; the first frame must be {@link HelloMessage}. */
  socket: '/v1/ws',
  /** `GET` → `{ ok: true }`. */
  health: '/healthz',
} as const

/** Input rules the service enforces; the app may use them to validate forms early. */
export const LIMITS = {
  /** Nicknames are trimmed, then must be 1..32 characters (code points), without control characters. */
  nicknameMaxLength: 32,
  /** Meeting ids are nine digits. */
  meetingIdPattern: /^[0-9]{9}$/,
  /** An optional meeting passcode: 4..8 digits. */
  passcodePattern: /^[0-9]{4,8}$/,
  /** A client-chosen request id echoed in the reply: 1..64 characters. */
  requestIdMaxLength: 64,
  /**
   * Chat text is NFC-normalised and trimmed, then must be 1..500 characters
   * (code points): a long paragraph, and at 4 bytes a code point plus JSON
   * escaping still well inside the 4 KiB frame limit.
   */
  chatTextMaxLength: 500,
  /** The sender's id for a chat line (matches its echo, makes a retry idempotent): 1..64 characters. */
  clientMsgIdMaxLength: 64,
  /** Chat lines the service keeps per meeting for late joiners and resumes (sent in `welcome.chat`). */
  chatHistory: 100,
  /** Chat rate per participant: a burst of this many lines… */
  chatBurst: 5,
  /** …then one line per this many milliseconds. */
  chatRefillMs: 1000,
  /**
   * `speaking` reports per participant, on top of the frame budget: a burst
   * of this many… (a client sends one per flip of its debounced state, 300 ms
   * onset / 800 ms release, so talking normally costs well under one a second)
   */
  speakingBurst: 4,
  /** …then one per this many milliseconds; a report over it is refused with `rate_limited`. */
  speakingRefillMs: 500,
} as const

/** Invisible characters that do not count as content (a name of only these is empty). */
const INVISIBLE = /[\s\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]/g

/**
 * The service's nickname rule, for the app's form too: NFC-normalised and
 * trimmed, 1..{@link LIMITS}.nicknameMaxLength code points, no control
 * characters, no unpaired surrogates, not only invisible characters.
 * Returns the nickname to use, or null when invalid.
 */
export function normalizeNickname(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > LIMITS.nicknameMaxLength * 4) return null
  if (hasLoneSurrogate(value)) return null
  const nickname = value.normalize('NFC').trim()
  if (hasControlCharacter(nickname)) return null
  if (nickname.replace(INVISIBLE, '').length === 0) return null
  return Array.from(nickname).length <= LIMITS.nicknameMaxLength ? nickname : null
}

/**
 * The service's chat rule, for the app's send box too: NFC-normalised,
 * CRLF/CR turned into LF, trimmed, 1..{@link LIMITS}.chatTextMaxLength code
 * points, no control characters except the newline, no unpaired
 * surrogates, not only invisible characters. Returns the text to send, or
 * null when invalid (see {@link chatTextLength} for why).
 */
export function normalizeChatText(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > LIMITS.chatTextMaxLength * 4) return null
  if (hasLoneSurrogate(value)) return null
  const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim()
  if (hasControlCharacter(text, true)) return null
  if (text.replace(INVISIBLE, '').length === 0) return null
  return Array.from(text).length <= LIMITS.chatTextMaxLength ? text : null
}

/** The length the chat rule counts (code points after trimming), for a send box's counter. */
export function chatTextLength(value: string): number {
  return Array.from(value.trim()).length
}

/** C0/C1 control characters and the line/paragraph separators (`allowNewline`: LF is fine). */
function hasControlCharacter(s: string, allowNewline = false): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (allowNewline && c === 0x0a) continue
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return true
  }
  return false
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1)
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true
    }
  }
  return false
}

// ---------------------------------------------------------------------------
// Roles as permission records

/**
 * What a participant may do, as livekit's grants. The service checks the
 * sender's grants before running any host control; the app reads the same
 * table (via its own role) to decide which controls to show.
 */
export interface Grants {
  /** Push audio and video (counts against the room's publisher capacity). */
  readonly canPublish: boolean
  /** `mute_mic`, `unmute_mic`, `mute_all`. */
  readonly canMuteOthers: boolean
  /** `camera_off`. */
  readonly canStopOthersCamera: boolean
  /** `remove_participant`. */
  readonly canRemoveOthers: boolean
  /** `lock_room`. */
  readonly canLockRoom: boolean
  /** `transfer_host`. */
  readonly canTransferHost: boolean
  /** `end_meeting`. */
  readonly canEndMeeting: boolean
  /** `hand_lower`, `hands_lower_all` (anyone may raise and lower their own hand). */
  readonly canLowerHands: boolean
}

/** The grants of each role; one row per role. */
export const ROLE_GRANTS = {
  /** The creator (or whoever the host handed over to): everything. */
  host: {
    canPublish: true,
    canMuteOthers: true,
    canStopOthersCamera: true,
    canRemoveOthers: true,
    canLockRoom: true,
    canTransferHost: true,
    canEndMeeting: true,
    canLowerHands: true,
  },
  /** Everyone else: publish and control only themselves. */
  participant: {
    canPublish: true,
    canMuteOthers: false,
    canStopOthersCamera: false,
    canRemoveOthers: false,
    canLockRoom: false,
    canTransferHost: false,
    canEndMeeting: false,
    canLowerHands: false,
  },
} as const satisfies { readonly [R in Role]: Grants }

// ---------------------------------------------------------------------------
// Views

/** One participant as every member of the room sees it. */
export interface ParticipantView {
  readonly id: string
  readonly nickname: string
  readonly role: Role
  /** The participant reports its microphone as on (see `set_media`). */
  readonly micOn: boolean
  /** The participant reports its camera as on (see `set_media`). */
  readonly cameraOn: boolean
  /** The host muted this microphone; the participant cannot unmute until the host lifts it. */
  readonly mutedByHost: boolean
  /**
   * The participant's app is in the background (`set_media` `away`): still in
   * the meeting, its pusher showing a waiting image. Absent from older services.
   */
  readonly away?: boolean
  /**
   * Play URL for `<live-player src>`: signed HTTP-FLV, or with the `trtc`
   * provider `room://…?userid=<id>&streamtype=main`. Stable for the
   * participant's session, so a `participant_updated` with the same URL must
   * not restart the player.
   */
  readonly playUrl: string
  readonly joinedAt: number
  /** The participant raised its hand (`hand_raise`); lowered by itself or the host. Absent from older services. */
  readonly handRaised?: boolean
  /** When the hand went up (null while down): the panel lists raised hands oldest first. */
  readonly handRaisedAt?: number | null
}

/** Who wrote a chat line, as it was when they wrote it. */
export interface ChatSender {
  readonly id: string
  readonly nickname: string
  readonly role: Role
}

/** One chat line as the service keeps and sends it. */
export interface ChatLine {
  /** Unique in the meeting; lines are ordered by `atSeq`. */
  readonly id: string
  /** The meeting event sequence number the line was sent with (increasing; lines sort by it). */
  readonly atSeq: number
  readonly atMs: number
  readonly from: ChatSender
  /** As normalised by {@link normalizeChatText}. */
  readonly text: string
  /** The sender's `chat_send.clientMsgId`, so it can match the echo to its pending line. */
  readonly clientMsgId: string
}

/** The meeting as its members see it. */
export interface MeetingView {
  readonly id: string
  /** null until the creator joins, or after the last host left with nobody to promote. */
  readonly hostId: string | null
  /** A locked meeting refuses new joins (resumes still work). */
  readonly locked: boolean
  /** Maximum number of publishers (participants) at once. */
  readonly capacity: number
  readonly passcodeRequired: boolean
}

/** Timing the client must honour to stay present. */
export interface HeartbeatSettings {
  /** Send `ping` at least this often. */
  readonly intervalMs: number
  /** A connected participant silent this long is removed. */
  readonly timeoutMs: number
  /** A participant whose socket dropped may resume with its token within this window. */
  readonly resumeGraceMs: number
}

/** Everything a client needs to (re)build its room state; sent on join and on every `welcome`. */
export interface SessionSnapshot {
  readonly meeting: MeetingView
  readonly participantId: string
  readonly role: Role
  /** Session token for `hello` (and HTTP leave); refreshed on every `welcome`. */
  readonly token: string
  readonly tokenExpiresAt: number
  /**
   * This participant's `<live-pusher url>`: signed RTMP, or with the `trtc`
   * provider room:// carrying its UserSig and PrivateMapKey (replaced by
   * `media_credentials` while connected).
   */
  readonly pushUrl: string
  readonly pushUrlExpiresAt: number
  /** Everyone in the room, this participant included, in join order. */
  readonly participants: readonly ParticipantView[]
  readonly heartbeat: HeartbeatSettings
  /**
   * How long the meeting has run (since it was created), by the service's
   * clock when this snapshot was made: the client's meeting clock counts on
   * from it with its own clock, so the two clocks never need to agree.
   * Absent from older services.
   */
  readonly meetingElapsedMs?: number
}

// ---------------------------------------------------------------------------
// HTTP bodies

export interface CreateMeetingRequest {
  /** Optional passcode joiners must give ({@link LIMITS}.passcodePattern). */
  readonly passcode?: string
}

export interface CreateMeetingResponse {
  readonly meetingId: string
  /**
   * Host credential: pass it as `hostKey` when joining to become host. Single
   * use; keep it secret. It bypasses the passcode and the lock.
   */
  readonly hostKey: string
  /** The meeting is dropped if nobody has joined by then. */
  readonly expiresAt: number
}

export interface MeetingInfoResponse {
  readonly meeting: MeetingView
  readonly participantCount: number
}

export interface JoinRequest {
  readonly nickname: string
  readonly passcode?: string
  readonly hostKey?: string
  /** Initial microphone state; default true. */
  readonly micOn?: boolean
  /** Initial camera state; default true. */
  readonly cameraOn?: boolean
}

/** The join result; open the socket at {@link PATHS}.socket and send `hello` with `token`. */
export type JoinResponse = SessionSnapshot

export interface LeaveRequest {
  readonly token: string
}

export interface LeaveResponse {
  readonly ok: true
}

/** Body of every non-2xx HTTP response. */
export interface ErrorResponse {
  readonly error: ErrorBody
}

export interface ErrorBody {
  readonly code: ErrorCode
  /** English, for logs and developers; the app shows its own text per code. */
  readonly message: string
  /** For `bad_message`: what did not validate, as `path: problem` lines. */
  readonly details?: readonly string[]
  /** For `rate_limited`: when to try again. */
  readonly retryAfterMs?: number
}

// ---------------------------------------------------------------------------
// Error codes

export interface ErrorSpec {
  /** HTTP status when the error answers an HTTP request. */
  readonly status: number
  readonly message: string
}

/**
 * Every error the service sends, by stable code; one row per code. Codes never
 * change meaning; new ones may be added.
 */
export const ERRORS = {
  /** Not JSON, not an object, a binary frame, a field of the wrong type or range, or an unexpected field. */
  bad_message: { status: 400, message: 'The request or message is malformed or does not match the protocol' },
  /** A message `type` the service does not know. */
  unknown_type: { status: 400, message: 'Unknown message type' },
  /** A frame or request body over the size limit; the connection stays open. */
  frame_too_large: { status: 413, message: 'The frame or request body is too large' },
  /** Too many frames or requests; the frame was dropped. Retry after `retryAfterMs`. */
  rate_limited: { status: 429, message: 'Too many requests; slow down' },
  /** Empty (after trimming), over-long, or containing control characters. */
  nickname_invalid: { status: 400, message: 'The nickname must be 1 to 32 characters without control characters' },
  /** No such meeting, or it has ended. */
  unknown_meeting: { status: 404, message: 'No such meeting, or it has ended' },
  /** The meeting already has its maximum number of publishers. */
  room_full: { status: 409, message: 'The meeting is full' },
  /** The host locked the meeting. */
  room_locked: { status: 403, message: 'The meeting is locked' },
  /** Missing or wrong passcode. */
  wrong_passcode: { status: 403, message: 'Wrong passcode' },
  /** The host key is wrong or was already used. */
  bad_host_key: { status: 403, message: 'The host key is wrong or was already used' },
  /** The session token is malformed or its signature is wrong. */
  bad_token: { status: 401, message: 'Invalid session token' },
  /** The session token has expired; join again. */
  token_expired: { status: 401, message: 'The session token has expired' },
  /** The token is valid but its participant left, was removed, or timed out; join again. */
  not_in_meeting: { status: 410, message: 'This participant is no longer in the meeting' },
  /** A frame other than `hello`/`ping` on a socket that has not sent a successful `hello`. */
  hello_required: { status: 401, message: 'Send hello with your session token first' },
  /** A second `hello` on a socket that already has a session. */
  already_authenticated: { status: 409, message: 'This socket already has a session' },
  /** A host control from someone without the grant. */
  not_host: { status: 403, message: 'Only the host can do that' },
  /** The target participant is not in the meeting. */
  unknown_participant: { status: 404, message: 'No such participant in this meeting' },
  /** `chat_send` text empty (after trimming), over 500 characters, or with control characters other than newline. */
  chat_invalid: { status: 400, message: 'A chat message must be 1 to 500 characters without control characters' },
  /** More chat lines than the chat budget allows (a burst of 5, then one a second); the line was not sent. Retry after `retryAfterMs`. */
  chat_rate_limited: { status: 429, message: 'Too many chat messages; wait a moment' },
  /** A host control aimed at the host itself. */
  bad_target: { status: 400, message: 'A host control cannot target the host itself' },
  /** `set_media` tried to turn the microphone on while the host keeps it muted. */
  muted_by_host: { status: 403, message: 'The host muted your microphone' },
  /** Sent to a socket just before it is closed because the same participant resumed on another socket. */
  session_replaced: { status: 409, message: 'This session continues on another connection' },
  /** Sent just before the socket is closed: silent past the heartbeat timeout, so removed. */
  heartbeat_timeout: { status: 408, message: 'No heartbeat in time; you were removed from the meeting' },
  /** Sent just before the socket is closed: no `hello` in time. */
  hello_timeout: { status: 408, message: 'No hello in time' },
  /**
   * Sent just before the socket is closed with 4009: this instance lost part
   * of the meeting's event sequence (the shared state store was out of reach
   * too long); resume, and the `welcome` brings the state.
   */
  resync: { status: 503, message: 'Reconnect to resynchronise with the meeting' },
  /** The shared state store is out of reach for a moment (a Redis restart); nothing was changed. Retry shortly. */
  unavailable: { status: 503, message: 'The service is briefly unavailable; retry' },
  /** HTTP only: no such route. */
  not_found: { status: 404, message: 'Not found' },
  /** A bug in the service; the connection and the room are unaffected. */
  internal: { status: 500, message: 'Internal error' },
  /**
   * HTTP join only: the service is at its open-file limit, so it could not
   * hold the newcomer's socket. Nobody was admitted; retry after
   * `retryAfterMs`, or on another instance.
   */
  server_full: { status: 503, message: 'The service cannot take more connections right now; try again shortly' },
  /** HTTP join only: the service is shutting down. Nobody was admitted; join through another instance. */
  shutting_down: { status: 503, message: 'The service is shutting down; join again in a moment' },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof ERRORS

/** Every error code, for exhaustive checks. */
export const ERROR_CODES = Object.keys(ERRORS) as readonly ErrorCode[]

// ---------------------------------------------------------------------------
// WebSocket close codes

/**
 * Close codes the service uses. After one marked "final" the client must not
 * reconnect with the same token; after the others it reconnects (with backoff)
 * and sends `hello` with its token to resume.
 */
export const CLOSE_CODES = {
  /** After `leave`. Final. */
  normal: 1000,
  /** The service ended the meeting as it stopped with in-memory state (preceded by `meeting_ended`). Final. */
  going_away: 1001,
  /** A frame above the hard size cap (far above the normal limit); resume. */
  too_big: 1009,
  /** The same participant resumed on another socket. Final for this socket. */
  replaced: 4001,
  /** The host removed this participant (preceded by `removed`). Final. */
  removed: 4002,
  /** The meeting ended (preceded by `meeting_ended`). Final. */
  meeting_ended: 4003,
  /** Silent past the heartbeat timeout; the participant was removed. Final: join again. */
  heartbeat_timeout: 4004,
  /** `hello` was refused (preceded by the `error`). Final for that token. */
  auth_failed: 4005,
  /** No `hello` in time; reconnect and say hello first. */
  hello_timeout: 4006,
  /** The client did not read its messages; resume. */
  slow_consumer: 4008,
  /** The service lost part of the meeting's event sequence (preceded by `resync`); resume at once. */
  resync: 4009,
  /**
   * This instance of the service is stopping (SIGTERM): resume, with backoff,
   * wherever the service URL now leads. With shared state (Redis) the meeting
   * goes on there; a socket that had not said hello yet, or opened while the
   * instance stops, gets it too. RFC 6455's "Service Restart".
   */
  instance_stopping: 1012,
  /** Too many connections or requests from this address (preceded by `rate_limited`); resume after `retryAfterMs`. */
  rate_limited: 4029,
} as const

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES]

const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.normal,
  CLOSE_CODES.going_away,
  CLOSE_CODES.replaced,
  CLOSE_CODES.removed,
  CLOSE_CODES.meeting_ended,
  CLOSE_CODES.heartbeat_timeout,
  CLOSE_CODES.auth_failed,
])

/** Whether a client should reconnect and resume after its socket closed with this code. */
export function shouldResume(closeCode: number): boolean {
  return !FINAL_CLOSE_CODES.has(closeCode)
}

// ---------------------------------------------------------------------------
// Client → server messages

interface Request {
  /** Optional request id (1..64 characters) echoed in the reply. */
  readonly id?: string
}

/** First frame on every socket: attach this socket to the participant (join or resume). */
export interface HelloMessage extends Request {
  readonly type: 'hello'
  readonly token: string
  /**
   * On a resume: the `seq` of the last room event received. The `welcome`
   * then lists in `missed` what came after it, if the meeting's event log
   * still holds it all.
   */
  readonly lastSeq?: number
}

/** Heartbeat; answered with `pong`. Any frame counts as a sign of life, but send this at least every `heartbeat.intervalMs`. */
export interface PingMessage extends Request {
  readonly type: 'ping'
}

/** Leave the meeting: `ack`, then the socket closes with 1000. */
export interface LeaveMessage extends Request {
  readonly type: 'leave'
}

/** Report this participant's own microphone / camera state (at least one field). */
export interface SetMediaMessage extends Request {
  readonly type: 'set_media'
  readonly micOn?: boolean
  readonly cameraOn?: boolean
  /** The app went to the background (true) or came back (false). */
  readonly away?: boolean
}

/** Host: mute a participant's microphone and keep it muted until `unmute_mic`. */
export interface MuteMicMessage extends Request {
  readonly type: 'mute_mic'
  readonly participantId: string
}

/** Host: lift the mute; the participant is asked to unmute and decides itself. */
export interface UnmuteMicMessage extends Request {
  readonly type: 'unmute_mic'
  readonly participantId: string
}

/** Host: turn a participant's camera off (the participant may turn it on again). */
export interface CameraOffMessage extends Request {
  readonly type: 'camera_off'
  readonly participantId: string
}

/** Host: remove a participant from the meeting. */
export interface RemoveParticipantMessage extends Request {
  readonly type: 'remove_participant'
  readonly participantId: string
}

/** Host: mute everyone else, as `mute_mic` on each. */
export interface MuteAllMessage extends Request {
  readonly type: 'mute_all'
}

/** Host: lock (refuse new joins) or unlock the meeting. */
export interface LockRoomMessage extends Request {
  readonly type: 'lock_room'
  readonly locked: boolean
}

/** Host: make another participant host; the sender becomes a participant. */
export interface TransferHostMessage extends Request {
  readonly type: 'transfer_host'
  readonly participantId: string
}

/** Host: end the meeting for everyone. */
export interface EndMeetingMessage extends Request {
  readonly type: 'end_meeting'
}

/**
 * Ask for fresh media credentials (the pusher reported -100018, bad
 * UserSig): `media_credentials {reason:"requested"}`, then `ack`. With a
 * URL-signing provider there is nothing to renew: just the `ack`.
 */
export interface RenewMediaCredentialsMessage extends Request {
  readonly type: 'renew_media_credentials'
}

/**
 * Send a chat line to everyone (the sender included: its echo is the
 * confirmation). Allowed while muted by the host: a host mute is about the
 * microphone. Sending the same `clientMsgId` again (a retry after a lost
 * reply) is acknowledged without a second line.
 */
export interface ChatSendMessage extends Request {
  readonly type: 'chat_send'
  /** 1..500 characters after trimming (see {@link normalizeChatText}). */
  readonly text: string
  /** 1..64 characters, unique among the sender's recent lines. */
  readonly clientMsgId: string
}

/** Raise (true) or lower (false) this participant's own hand. */
export interface HandRaiseMessage extends Request {
  readonly type: 'hand_raise'
  readonly raised: boolean
}

/**
 * This participant's own debounced "speaking" state changed (sent only on a
 * flip; `false` once when the microphone goes off). The service relays it
 * to everyone else as `speaking_changed`, and keeps nothing of it. A
 * `true` from a participant whose microphone is off or muted by the host is
 * acknowledged and dropped.
 */
export interface SpeakingMessage extends Request {
  readonly type: 'speaking'
  readonly speaking: boolean
}

/** Host: lower a participant's raised hand. */
export interface HandLowerMessage extends Request {
  readonly type: 'hand_lower'
  readonly participantId: string
}

/** Host: lower every raised hand (the host's own included). */
export interface HandsLowerAllMessage extends Request {
  readonly type: 'hands_lower_all'
}

export type ClientMessage =
  | HelloMessage
  | PingMessage
  | LeaveMessage
  | SetMediaMessage
  | MuteMicMessage
  | UnmuteMicMessage
  | CameraOffMessage
  | RemoveParticipantMessage
  | MuteAllMessage
  | LockRoomMessage
  | TransferHostMessage
  | EndMeetingMessage
  | RenewMediaCredentialsMessage
  | ChatSendMessage
  | HandRaiseMessage
  | HandLowerMessage
  | HandsLowerAllMessage
  | SpeakingMessage

export type ClientMessageType = ClientMessage['type']

/** Every client message type, for exhaustive tables. */
export const CLIENT_MESSAGE_TYPES = [
  'hello',
  'ping',
  'leave',
  'set_media',
  'mute_mic',
  'unmute_mic',
  'camera_off',
  'remove_participant',
  'mute_all',
  'lock_room',
  'transfer_host',
  'end_meeting',
  'renew_media_credentials',
  'chat_send',
  'hand_raise',
  'hand_lower',
  'hands_lower_all',
  'speaking',
] as const satisfies readonly ClientMessageType[]

/** The grant each host control needs; messages not listed need none beyond a session. */
export const MESSAGE_GRANT = {
  mute_mic: 'canMuteOthers',
  unmute_mic: 'canMuteOthers',
  mute_all: 'canMuteOthers',
  camera_off: 'canStopOthersCamera',
  remove_participant: 'canRemoveOthers',
  lock_room: 'canLockRoom',
  transfer_host: 'canTransferHost',
  end_meeting: 'canEndMeeting',
  hand_lower: 'canLowerHands',
  hands_lower_all: 'canLowerHands',
} as const satisfies Partial<Record<ClientMessageType, keyof Grants>>

// ---------------------------------------------------------------------------
// Server → client messages

/** Reply to a successful `hello`: the full current state. */
export interface WelcomeMessage extends SessionSnapshot {
  readonly type: 'welcome'
  readonly id?: string
  /** true when this socket resumed a participant that had a socket before (no one else was told anything). */
  readonly resumed: boolean
  readonly protocolVersion: number
  /** The meeting's event sequence number this snapshot reflects (room events after it carry higher `seq`). */
  readonly seq?: number
  /**
   * Present when `hello` gave `lastSeq` and the log still held everything
   * after it: the room events this participant missed, in order, up to `seq`.
   * The snapshot already reflects them; they tell what the snapshot cannot
   * (who left and why, which host control was used).
   */
  readonly missed?: readonly RoomEventMessage[]
  /**
   * The meeting's last {@link LIMITS}.chatHistory chat lines, oldest first,
   * on every welcome (a late joiner's first and every resume): replace the
   * chat with them. Lines also listed in `missed` are the same lines (same `id`).
   */
  readonly chat?: readonly ChatLine[]
}

/** Reply to `ping`. */
export interface PongMessage {
  readonly type: 'pong'
  readonly id?: string
  readonly serverTime: number
}

/** Success reply to any other request. */
export interface AckMessage {
  readonly type: 'ack'
  readonly id?: string
  /** The type of the request this acknowledges. */
  readonly for: ClientMessageType
}

/**
 * Room events carry the meeting's event sequence number: consecutive per
 * meeting, the same on every instance of the service. A client keeps the
 * last one it saw for `hello.lastSeq`.
 */
interface Sequenced {
  readonly seq?: number
}

/** Failure reply to a frame, or a notice sent just before the service closes the socket. */
export interface ErrorMessage extends ErrorBody, Sequenced {
  readonly type: 'error'
  readonly id?: string
  /** The type of the request this answers, when it could be read. */
  readonly for?: string
}

/** Someone joined (sent to everyone else). */
export interface ParticipantJoinedMessage extends Sequenced {
  readonly type: 'participant_joined'
  readonly participant: ParticipantView
}

/** Someone's state or role changed (sent to everyone, the subject included). Replace the whole view. */
export interface ParticipantUpdatedMessage extends Sequenced {
  readonly type: 'participant_updated'
  readonly participant: ParticipantView
}

export type LeaveReason =
  /** Left by `leave` (socket or HTTP). */
  | 'left'
  /** Removed by the host. */
  | 'removed'
  /** Silent past the heartbeat timeout, or did not resume within the grace window. */
  | 'timeout'

/** Someone left (sent to everyone else). Drop the tile. */
export interface ParticipantLeftMessage extends Sequenced {
  readonly type: 'participant_left'
  readonly participantId: string
  readonly reason: LeaveReason
}

/** The meeting's lock or host changed (sent to everyone). */
export interface MeetingUpdatedMessage extends Sequenced {
  readonly type: 'meeting_updated'
  readonly meeting: MeetingView
}

export type HostActionKind = 'mute_mic' | 'unmute_mic' | 'camera_off' | 'mute_all'

/**
 * Sent only to the participant a host control affected, so it can apply it
 * (mute the pusher, turn the camera off) and show why. `unmute_mic` is a
 * request: the participant decides whether to turn the microphone back on.
 */
export interface HostActionMessage extends Sequenced {
  readonly type: 'host_action'
  readonly action: HostActionKind
  /** The host's participant id. */
  readonly by: string
}

/** Sent to a removed participant just before its socket closes with 4002. */
export interface RemovedMessage extends Sequenced {
  readonly type: 'removed'
  readonly by: string
}

export type MeetingEndReason = 'ended_by_host' | 'server_shutdown'

export type MediaCredentialsReason =
  /** A host control changed what this participant may send (muted by the host: no audio). Apply now. */
  | 'privileges'
  /** The old ones pass half their lifetime. Keep them for the next (re-)entry; the room does not need re-entering. */
  | 'renewal'
  /** Answer to `renew_media_credentials`. */
  | 'requested'

/**
 * Only with providers whose credentials name the participant (`trtc`): a new
 * push URL for this participant alone. See docs/protocol.md §7.4.
 */
export interface MediaCredentialsMessage extends Sequenced {
  readonly type: 'media_credentials'
  readonly reason: MediaCredentialsReason
  readonly pushUrl: string
  readonly pushUrlExpiresAt: number
}

/** A chat line, sent to everyone (the sender included). */
export interface ChatMessageMessage extends Sequenced, ChatLine {
  readonly type: 'chat_message'
}

/** Sent to everyone just before the sockets close with 4003 (or 1001 on shutdown). */
export interface MeetingEndedMessage extends Sequenced {
  readonly type: 'meeting_ended'
  readonly reason: MeetingEndReason
}

/**
 * Someone else's reported `speaking` state (sent to everyone but the
 * reporter). Ephemeral: no `seq`, not in the log, a snapshot or `missed`; a
 * client that reconnects treats everyone as not speaking until told
 * otherwise, and someone who leaves is not speaking.
 */
export interface SpeakingChangedMessage {
  readonly type: 'speaking_changed'
  readonly participantId: string
  readonly speaking: boolean
}

/** The messages that are room events (numbered by `seq`; an `error` only as a notice before a close). */
export type RoomEventMessage =
  | ParticipantJoinedMessage
  | ParticipantUpdatedMessage
  | ParticipantLeftMessage
  | MeetingUpdatedMessage
  | HostActionMessage
  | RemovedMessage
  | MeetingEndedMessage
  | MediaCredentialsMessage
  | ChatMessageMessage
  | ErrorMessage

export type ServerMessage = WelcomeMessage | PongMessage | AckMessage | RoomEventMessage | SpeakingChangedMessage

export type ServerMessageType = ServerMessage['type']

/** The replies: exactly one of these answers each client frame, in order. */
export type ReplyMessage = WelcomeMessage | PongMessage | AckMessage | ErrorMessage

/** Whether a server message is the reply to a client frame (rather than a room event). */
export function isReply(message: ServerMessage): message is ReplyMessage {
  return message.type === 'welcome' || message.type === 'pong' || message.type === 'ack' || message.type === 'error'
}
