/**
 * The room client: everything the app says to and hears from the room
 * service, outside React (cf. mediasoup-demo's RoomClient). It owns the
 * socket, the heartbeat and reconnection, and writes to the store only
 * through named actions. Components read the store and call its methods.
 */
import {
  CLOSE_CODES,
  LIMITS,
  normalizeChatText,
  PATHS,
  shouldResume,
  type ClientMessage,
  type CreateMeetingRequest,
  type CreateMeetingResponse,
  type ErrorCode,
  type JoinRequest,
  type MeetingInfoResponse,
  type ParticipantView,
  type ReplyMessage,
  type ServerMessage,
  type SessionSnapshot,
} from '../core/protocol'
import { backoffDelay, type BackoffOptions } from '../core/backoff'
import { openSocket, requestJson, type SocketConnection } from '../platform/network'
import type { ChatSendError, MeetingStore, ParticipantInfo, SessionEnd } from '../store'

export { backoffDelay, type BackoffOptions }

/** Why a room call failed: the service's stable code, or `network` / `protocol` on our side. */
export type RoomErrorCode = ErrorCode | 'network' | 'protocol'

export class RoomError extends Error {
  constructor(
    readonly code: RoomErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'RoomError'
  }
}

/** onExitRoom reason 2: the whole TRTC room was dismissed (DismissRoomByStrRoomId: the meeting ended). */
const TRTC_EXIT_ROOM_DISMISSED = 2

/** Reconnect delays: 0.5 s doubling to 8 s. The service keeps a dropped participant for 30 s. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 8_000 }

export interface RoomClientOptions {
  /** e.g. `http://127.0.0.1:8787`; the socket URL is derived from it. */
  readonly serviceUrl: string
  readonly store: MeetingStore
  readonly backoff?: BackoffOptions
  readonly random?: () => number
  /** How long a request waits for its reply. */
  readonly requestTimeoutMs?: number
}

/** The service's view of a participant, as the store keeps it. */
export function toParticipantInfo(view: ParticipantView): ParticipantInfo {
  return {
    id: view.id,
    nickname: view.nickname,
    role: view.role,
    micOn: view.micOn,
    cameraOn: view.cameraOn,
    mutedByHost: view.mutedByHost,
    // An older service sends no presence: present.
    away: view.away ?? false,
    playUrl: view.playUrl,
    // An older service has no hands: down.
    handRaised: view.handRaised ?? false,
    handRaisedAt: view.handRaisedAt ?? null,
  }
}

/** What the chat panel says about a refused line. */
function chatSendError(e: unknown): ChatSendError {
  if (!(e instanceof RoomError)) return 'other'
  if (e.code === 'chat_invalid') return 'invalid'
  if (e.code === 'chat_rate_limited' || e.code === 'rate_limited') return 'rate_limited'
  return e.code === 'network' ? 'network' : 'other'
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** `http(s)://host/base` → `ws(s)://host/base/v1/ws`. */
export function socketUrlOf(serviceUrl: string): string {
  return `${trimSlash(serviceUrl).replace(/^http/i, 'ws')}${PATHS.socket}`
}

function errorFromBody(status: number, body: unknown): RoomError {
  const err = (body as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | null)?.error
  if (err && typeof err.code === 'string') {
    return new RoomError(
      err.code as ErrorCode,
      typeof err.message === 'string' ? err.message : err.code,
      typeof err.retryAfterMs === 'number' ? err.retryAfterMs : undefined,
    )
  }
  return new RoomError('protocol', `unexpected HTTP ${status} from the room service`)
}

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  let res
  try {
    res = await requestJson(method, url, body)
  } catch (e) {
    throw new RoomError('network', `cannot reach the room service: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (res.status >= 200 && res.status < 300 && typeof res.body === 'object' && res.body !== null) return res.body as T
  throw errorFromBody(res.status, res.body)
}

/** Close codes after which the participant is gone but the user did nothing to leave: join again. */
const REJOIN_AFTER_CLOSE: ReadonlySet<number> = new Set([CLOSE_CODES.heartbeat_timeout, CLOSE_CODES.auth_failed])
/** `hello` errors that mean the token no longer names a participant: join again. */
const REJOIN_ERRORS: ReadonlySet<string> = new Set(['not_in_meeting', 'token_expired', 'bad_token'])

type Pending = { resolve(reply: ReplyMessage): void; reject(error: RoomError): void; timer: ReturnType<typeof setTimeout> }
/** Where the relayed `speaking_changed` reports go (the media session's speaking service). */
export interface SpeakingReports {
  reported(participantId: string, speaking: boolean): void
  /** The socket (re)connected: reports may have been missed, so none stands. */
  cleared(): void
}

type Outgoing = ClientMessage extends infer M ? (M extends ClientMessage ? Omit<M, 'id'> : never) : never

export class RoomClient {
  private readonly serviceUrl: string
  private readonly store: MeetingStore
  private readonly backoff: BackoffOptions
  private readonly random: () => number
  private readonly requestTimeoutMs: number

  private meetingId = ''
  private joinRequest: JoinRequest | null = null
  private snapshot: SessionSnapshot | null = null
  private socket: SocketConnection | null = null
  private socketOpen = false
  private authenticated = false
  private pending = new Map<string, Pending>()
  private requestSeq = 0
  private chatSeq = 0
  private attempt = 0
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null
  private lastHeardAt = 0
  private rejoining = false
  private disposed = false
  private unsubscribeMedia: (() => void) | null = null
  private unsubscribeSpeaking: (() => void) | null = null
  private speakingReports: SpeakingReports | null = null
  /** What the others last heard of our speaking state (an `ack`ed report; false on a new participant). */
  private speakingHeard = false
  /** A `speaking` report awaiting its reply, or a retry after `rate_limited`: one at a time. */
  private speakingBusy = false
  private speakingRetryTimer: ReturnType<typeof setTimeout> | null = null
  /** This attendee's app is in the background (see setAway). */
  private away = false
  private onWelcome: (() => void) | null = null
  /** A welcome arrived on this client before (the next one follows a cut). */
  private welcomed = false
  /**
   * TRTC: a push URL with renewed credentials (`media_credentials
   * {renewal}`), kept for the pusher's next entry so the live pusher is not
   * made to re-enter the room (TRTC checks the UserSig at entry only).
   */
  private renewedPushUrl: string | null = null

  constructor(options: RoomClientOptions) {
    this.serviceUrl = trimSlash(options.serviceUrl)
    this.store = options.store
    this.backoff = options.backoff ?? DEFAULT_BACKOFF
    this.random = options.random ?? Math.random
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000
  }

  /** Create a meeting; join it with the returned `hostKey` to become its host. */
  static createMeeting(serviceUrl: string, request: CreateMeetingRequest = {}): Promise<CreateMeetingResponse> {
    return call<CreateMeetingResponse>('POST', `${trimSlash(serviceUrl)}${PATHS.meetings}`, request)
  }

  /**
   * Look a meeting up before joining (`GET /v1/meetings/:id`): whether it
   * exists and asks for a passcode. Rejects with a RoomError (`unknown_meeting`, …).
   */
  static lookupMeeting(serviceUrl: string, meetingId: string): Promise<MeetingInfoResponse> {
    return call<MeetingInfoResponse>('GET', `${trimSlash(serviceUrl)}${PATHS.meeting(meetingId)}`)
  }

  /** The participant id of this client, once joined. */
  get participantId(): string | null {
    return this.snapshot?.participantId ?? null
  }

  /**
   * Join a meeting: the HTTP join (which can fail with a clear code such as
   * `unknown_meeting` or `room_full`, and then changes nothing), then the
   * socket that keeps the participant present.
   */
  async join(meetingId: string, request: JoinRequest): Promise<SessionSnapshot> {
    this.store.getState().connectionChanged('joining')
    let snapshot: SessionSnapshot
    try {
      snapshot = await call<SessionSnapshot>('POST', `${this.serviceUrl}${PATHS.join(meetingId)}`, request)
    } catch (e) {
      this.store.getState().connectionChanged('idle')
      throw e
    }
    this.meetingId = meetingId
    // A host key is single use: rejoining later goes in as what the service says we are.
    this.joinRequest = { ...request, hostKey: undefined }
    this.applySnapshot(snapshot)
    this.watchLocalMedia()
    this.watchSpeaking()
    // Resolve once the socket is up, so host controls work right away; if it
    // is slow, resolve anyway: the participant exists and reconnection goes on.
    const connected = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.requestTimeoutMs)
      this.onWelcome = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    this.connect()
    await connected
    return snapshot
  }

  // Host controls: each resolves when the service acknowledged it, or rejects
  // with the service's code (e.g. `not_host`).
  muteMic(participantId: string) {
    return this.request({ type: 'mute_mic', participantId })
  }
  unmuteMic(participantId: string) {
    return this.request({ type: 'unmute_mic', participantId })
  }
  cameraOff(participantId: string) {
    return this.request({ type: 'camera_off', participantId })
  }
  removeParticipant(participantId: string) {
    return this.request({ type: 'remove_participant', participantId })
  }
  muteAll() {
    return this.request({ type: 'mute_all' })
  }
  lockRoom(locked: boolean) {
    return this.request({ type: 'lock_room', locked })
  }
  transferHost(participantId: string) {
    return this.request({ type: 'transfer_host', participantId })
  }
  endMeeting() {
    return this.request({ type: 'end_meeting' })
  }
  /** Host: lower someone's raised hand. */
  lowerHand(participantId: string) {
    return this.request({ type: 'hand_lower', participantId })
  }
  /** Host: lower every raised hand. */
  lowerAllHands() {
    return this.request({ type: 'hands_lower_all' })
  }

  /**
   * Raise or lower this user's hand. The button follows the service's view
   * (`participant_updated` → selfHandUpdated), not the tap.
   */
  raiseHand(raised: boolean) {
    return this.request({ type: 'hand_raise', raised })
  }

  /**
   * Send a chat line: it shows at once as pending, becomes sent when its
   * echo (`chat_message` with its clientMsgId) arrives, or failed with the
   * reason (retry it with {@link retryChat}). Returns false, sending nothing,
   * when the text breaks the chat rule (the send box says why before that).
   */
  sendChat(text: string): boolean {
    const normalized = normalizeChatText(text)
    if (normalized === null) return false
    this.chatSeq += 1
    const clientMsgId = `${Date.now().toString(36)}.${this.chatSeq}.${Math.floor(this.random() * 1e9).toString(36)}`
    this.deliverChat(clientMsgId, normalized)
    return true
  }

  /** Send a failed line again with the same clientMsgId, so the service adds it at most once. */
  retryChat(clientMsgId: string): void {
    const entry = this.store.getState().chat.messages.find((m) => m.clientMsgId === clientMsgId && m.status === 'failed')
    if (entry !== undefined) this.deliverChat(clientMsgId, entry.text)
  }

  /**
   * After a (re)connection, this user's lines that failed for want of one go
   * out again by themselves: nothing typed during a network drop is lost. The
   * service keeps a line once per clientMsgId, so one that did arrive (and the
   * history has already confirmed) is not doubled. Refused lines (too long,
   * rate limited) wait for a tap.
   */
  private resendUnsentChat(): void {
    for (const m of this.store.getState().chat.messages) {
      if (m.mine && m.status === 'failed' && m.error === 'network' && m.clientMsgId !== null) this.deliverChat(m.clientMsgId, m.text)
    }
  }

  private deliverChat(clientMsgId: string, text: string): void {
    this.store.getState().chatSendStarted(clientMsgId, text)
    this.request({ type: 'chat_send', text, clientMsgId }).catch((e: unknown) => this.store.getState().chatSendFailed(clientMsgId, chatSendError(e)))
  }

  /**
   * TRTC refused the UserSig (-100018): ask for fresh credentials. The
   * answer (`media_credentials {requested}`) sets the push URL, which enters
   * the room with them.
   */
  renewMediaCredentials(): void {
    this.request({ type: 'renew_media_credentials' }).catch((e: unknown) => {
      // The media session's deadline restarts the push anyway; a second -100018 then asks the user.
      console.warn(`[room] renew_media_credentials failed: ${e instanceof Error ? e.message : String(e)}`)
    })
  }

  /** The pusher (re-)enters the room: switch to renewed credentials if the service sent some. */
  useRenewedMediaCredentials(): void {
    const url = this.renewedPushUrl
    if (url === null) return
    this.renewedPushUrl = null
    this.store.getState().pushCredentialsChanged(url)
  }

  /**
   * TRTC put this user out of the room (1019 with a non-zero reason: 1
   * removed — RemoveUser after a removal whose `removed` frame has not
   * arrived —, 2 the room was dismissed, i.e. the meeting ended): the
   * session ends so; the service is told, in case it still counts us.
   */
  removedFromMedia(reason: number | null = null): void {
    if (this.disposed) return
    if (this.authenticated) this.request({ type: 'leave' }).catch(() => undefined)
    this.end(reason === TRTC_EXIT_ROOM_DISMISSED ? 'ended_by_host' : 'removed')
  }

  /** Leave the meeting (over the socket, or over HTTP when the socket is down), then stop. */
  async leave(): Promise<void> {
    const token = this.snapshot?.token
    try {
      if (this.authenticated) await this.request({ type: 'leave' })
      else if (token) await call('POST', `${this.serviceUrl}${PATHS.leave(this.meetingId)}`, { token })
    } catch {
      // Leaving must always work for the user; the service times us out anyway.
    } finally {
      this.store.getState().sessionEnded('left')
      this.dispose()
    }
  }

  /** Reconnect at once (the app came back to the foreground) instead of waiting for the backoff. */
  /**
   * Tell the others whether this attendee is away (app in the background, the
   * media session's call). Sent again after a resume if the service's view differs.
   */
  setAway(away: boolean): void {
    this.away = away
    this.syncLocalMedia()
  }

  reconnectNow(): void {
    if (this.disposed || this.socket !== null) return
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    this.connect()
  }

  /** Stop everything: socket, timers, subscriptions. The session is not left (see `leave`). */
  dispose(): void {
    this.disposed = true
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    this.stopHeartbeat()
    this.unsubscribeMedia?.()
    this.unsubscribeMedia = null
    this.unsubscribeSpeaking?.()
    this.unsubscribeSpeaking = null
    this.speakingReports = null
    if (this.speakingRetryTimer) clearTimeout(this.speakingRetryTimer)
    this.speakingRetryTimer = null
    this.onWelcome?.()
    this.onWelcome = null
    this.failPending(new RoomError('network', 'the room client was stopped'))
    // Requests after this fail at once instead of waiting for a reply that cannot come.
    this.authenticated = false
    this.socketOpen = false
    const socket = this.socket
    this.socket = null
    socket?.close(CLOSE_CODES.normal, 'client stopped')
  }

  // -------------------------------------------------------------------------

  private applySnapshot(snapshot: SessionSnapshot): void {
    const resumed = this.snapshot?.participantId === snapshot.participantId
    // A new participant (a rejoin): nobody has heard anything of it yet.
    if (!resumed) this.speakingHeard = false
    this.snapshot = snapshot
    const self = snapshot.participants.find((p) => p.id === snapshot.participantId)
    // A resume's welcome carries the renewed URL, which waits for the next entry like the renewal did.
    const keepPushUrl = resumed && this.renewedPushUrl === snapshot.pushUrl
    if (!resumed) this.renewedPushUrl = null
    this.store.getState().sessionStarted({
      meeting: snapshot.meeting,
      self: {
        id: snapshot.participantId,
        nickname: self?.nickname ?? this.joinRequest?.nickname ?? '',
        role: snapshot.role,
        pushUrl: keepPushUrl ? this.store.getState().publisher.pushUrl : snapshot.pushUrl,
        micOn: self?.micOn ?? true,
        cameraOn: self?.cameraOn ?? true,
        mutedByHost: self?.mutedByHost ?? false,
      },
      participants: snapshot.participants.filter((p) => p.id !== snapshot.participantId).map(toParticipantInfo),
      meetingElapsedMs: snapshot.meetingElapsedMs,
    })
    this.store.getState().selfHandUpdated(self?.handRaisedAt ?? null)
  }

  private connect(): void {
    if (this.disposed) return
    this.socketOpen = false
    this.authenticated = false
    const socket = openSocket(socketUrlOf(this.serviceUrl), {
      onOpen: () => {
        if (this.socket !== socket) return
        this.socketOpen = true
        this.lastHeardAt = Date.now()
        const token = this.snapshot?.token
        if (token) this.sendFrame({ type: 'hello', token, id: this.newRequestId() })
      },
      onMessage: (text) => {
        if (this.socket === socket) this.onMessage(text)
      },
      onClose: (code) => {
        if (this.socket === socket) this.onClose(code)
      },
    })
    this.socket = socket
  }

  private onMessage(text: string): void {
    this.lastHeardAt = Date.now()
    let message: ServerMessage
    try {
      message = JSON.parse(text) as ServerMessage
    } catch {
      console.warn('[room] ignoring a frame that is not JSON')
      return
    }
    const s = this.store.getState()
    switch (message.type) {
      case 'welcome':
        this.authenticated = true
        this.attempt = 0
        this.applySnapshot(message)
        // An older service sends no chat: what is shown stays. Every welcome after the first
        // follows a cut (resume or rejoin): its history may hold lines written meanwhile.
        if (message.chat !== undefined) s.chatHistoryReplaced(message.chat, this.welcomed)
        this.welcomed = true
        this.resendUnsentChat()
        s.connectionChanged('connected')
        this.startHeartbeat(message.heartbeat.intervalMs)
        this.syncLocalMedia()
        // Relayed reports are not in the snapshot: what was missed while away is unknown.
        this.speakingReports?.cleared()
        this.syncSpeaking()
        this.settle(message)
        this.onWelcome?.()
        this.onWelcome = null
        return
      case 'pong':
      case 'ack':
        this.settle(message)
        return
      case 'error':
        if (message.for === 'hello' && REJOIN_ERRORS.has(message.code)) {
          this.settle(message)
          void this.rejoin()
          return
        }
        // muted_by_host: the service's participant_updated already said so (selfUpdated); nothing to write here.
        this.settle(message)
        return
      case 'participant_joined':
        if (message.participant.id !== this.participantId) s.participantJoined(toParticipantInfo(message.participant))
        return
      case 'participant_updated': {
        const view = message.participant
        if (view.id === this.participantId) {
          s.selfUpdated({ role: view.role, mutedByHost: view.mutedByHost })
          s.selfHandUpdated(view.handRaisedAt ?? null)
        }
        else if (s.participants.byId[view.id]) s.participantUpdated(view.id, toParticipantInfo(view))
        else s.participantJoined(toParticipantInfo(view))
        return
      }
      case 'participant_left':
        s.participantLeft(message.participantId)
        return
      case 'meeting_updated':
        s.meetingUpdated(message.meeting)
        return
      case 'host_action':
        s.hostActionReceived(message.action)
        return
      case 'removed':
        this.end('removed')
        return
      case 'meeting_ended':
        this.end(message.reason === 'ended_by_host' ? 'ended_by_host' : 'server_shutdown')
        return
      case 'chat_message':
        s.chatReceived(message)
        return
      case 'speaking_changed':
        if (message.participantId !== this.participantId) this.speakingReports?.reported(message.participantId, message.speaking)
        return
      case 'media_credentials':
        // trtc provider (docs/protocol.md §7.4). A renewal waits for the next entry;
        // new privileges (a host mute) and an answer to our request apply now: the pusher re-enters.
        if (message.reason === 'renewal') {
          this.renewedPushUrl = message.pushUrl
          return
        }
        this.renewedPushUrl = null
        s.pushCredentialsChanged(message.pushUrl)
        return
      default:
        // A newer service may send more; an old client ignores what it does not know.
        console.warn(`[room] ignoring message type ${String((message as { type?: unknown }).type)}`)
    }
  }

  private onClose(code: number): void {
    this.socket = null
    this.socketOpen = false
    this.authenticated = false
    this.stopHeartbeat()
    this.failPending(new RoomError('network', `connection closed (${code})`))
    if (this.disposed) return
    if (this.store.getState().session.ended !== null) return
    if (REJOIN_AFTER_CLOSE.has(code)) {
      void this.rejoin()
      return
    }
    if (code === CLOSE_CODES.replaced) return this.end('replaced')
    if (code === CLOSE_CODES.removed) return this.end('removed')
    if (code === CLOSE_CODES.meeting_ended) return this.end('ended_by_host')
    if (!shouldResume(code)) return this.end('server_shutdown')
    this.scheduleRetry(() => this.connect())
  }

  /** Run `retry` after the next backoff delay (one pending retry at a time). */
  private scheduleRetry(retry: () => void): void {
    if (this.disposed || this.reconnectTimer) return
    this.store.getState().connectionChanged('reconnecting')
    const delay = backoffDelay(this.attempt, this.backoff, this.random)
    this.attempt += 1
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null
      retry()
    }, delay)
  }

  /**
   * The service no longer knows our token (we were silent too long, or it
   * restarted): join again as a new participant with the same name, so the
   * user stays in the meeting without doing anything.
   */
  private async rejoin(): Promise<void> {
    if (this.rejoining || this.disposed || !this.joinRequest) return
    this.rejoining = true
    const socket = this.socket
    this.socket = null
    socket?.close(CLOSE_CODES.normal, 'rejoining')
    try {
      const snapshot = await call<SessionSnapshot>('POST', `${this.serviceUrl}${PATHS.join(this.meetingId)}`, {
        ...this.joinRequest,
        micOn: this.store.getState().publisher.micOn,
        cameraOn: this.store.getState().publisher.cameraOn,
      })
      if (this.disposed) return
      this.applySnapshot(snapshot)
      this.connect()
    } catch (e) {
      if (e instanceof RoomError && e.code === 'network') {
        this.rejoining = false
        this.scheduleRetry(() => void this.rejoin())
        return
      }
      this.end(e instanceof RoomError && e.code === 'unknown_meeting' ? 'ended_by_host' : 'failed')
    } finally {
      this.rejoining = false
    }
  }

  private end(reason: SessionEnd): void {
    this.store.getState().sessionEnded(reason)
    this.dispose()
  }

  private startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat()
    const every = Math.max(1_000, intervalMs)
    this.heartbeatTimer = setInterval(() => {
      // A socket that hears nothing for two intervals (not even a pong) is
      // dead even if the phone did not notice: drop it and resume.
      if (Date.now() - this.lastHeardAt > 2 * every + 1_000) {
        const socket = this.socket
        this.socket = null
        socket?.close(4000, 'no heartbeat reply')
        this.onClose(4000)
        return
      }
      this.sendFrame({ type: 'ping', id: this.newRequestId() })
    }, every)
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = null
  }

  /** Tell the service when the user turns their own mic or camera on or off. */
  private watchLocalMedia(): void {
    if (this.unsubscribeMedia) return
    this.unsubscribeMedia = this.store.subscribe(
      (s) => [s.publisher.micOn, s.publisher.cameraOn] as const,
      () => this.syncLocalMedia(),
      { equalityFn: (a, b) => a[0] === b[0] && a[1] === b[1] },
    )
  }

  /** Where `speaking_changed` reports go (null: nowhere). */
  setSpeakingReports(reports: SpeakingReports | null): void {
    this.speakingReports = reports
  }

  /**
   * Tell the service when our own debounced speaking state flips (the
   * speaking service's `speaking.self.speaking`); a microphone that is off
   * is not speaking, so turning it off while speaking sends `false` once.
   */
  private watchSpeaking(): void {
    if (this.unsubscribeSpeaking) return
    this.unsubscribeSpeaking = this.store.subscribe(
      (s) => s.publisher.micOn && s.speaking.self.speaking,
      () => this.syncSpeaking(),
    )
  }

  private syncSpeaking(): void {
    if (this.speakingBusy || !this.authenticated) return
    const s = this.store.getState()
    const speaking = s.publisher.micOn && s.speaking.self.speaking
    if (speaking === this.speakingHeard) return
    this.speakingBusy = true
    const done = (): void => {
      this.speakingBusy = false
      // The state may have flipped again meanwhile.
      this.syncSpeaking()
    }
    this.request({ type: 'speaking', speaking })
      .then(() => {
        this.speakingHeard = speaking
        done()
      })
      .catch((e: unknown) => {
        // Over the speaking budget: the current state once the budget allows, so nobody is left with a stale one.
        if (e instanceof RoomError && e.code === 'rate_limited' && !this.disposed) {
          this.speakingRetryTimer = setTimeout(() => {
            this.speakingRetryTimer = null
            done()
          }, e.retryAfterMs ?? LIMITS.speakingRefillMs)
        }
        // Lost with the socket: the next welcome sends it.
        else this.speakingBusy = false
      })
  }

  private syncLocalMedia(): void {
    if (!this.authenticated || !this.snapshot) return
    const self = this.snapshot.participants.find((p) => p.id === this.snapshot?.participantId)
    const { micOn, cameraOn } = this.store.getState().publisher
    const away = this.away
    if (self && self.micOn === micOn && self.cameraOn === cameraOn && (self.away ?? false) === away) return
    this.request({ type: 'set_media', micOn, cameraOn, away })
      .then(() => {
        if (this.snapshot && self) {
          const participants = this.snapshot.participants.map((p) => (p.id === self.id ? { ...p, micOn, cameraOn, away } : p))
          this.snapshot = { ...this.snapshot, participants }
        }
      })
      .catch(() => undefined)
  }

  private newRequestId(): string {
    this.requestSeq += 1
    return `r${this.requestSeq}`
  }

  private sendFrame(frame: ClientMessage): void {
    this.socket?.send(JSON.stringify(frame))
  }

  /** Send a request and wait for its reply (`ack`/`pong`, or `error` → RoomError). */
  private request(message: Outgoing): Promise<ReplyMessage> {
    if (!this.authenticated || !this.socketOpen) {
      return Promise.reject(new RoomError('network', 'not connected to the room service'))
    }
    const id = this.newRequestId()
    return new Promise<ReplyMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(new RoomError('network', `no reply to ${message.type}`))
      }, this.requestTimeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      this.sendFrame({ ...message, id } as ClientMessage)
    })
  }

  private settle(reply: ReplyMessage): void {
    if (reply.id === undefined) return
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    clearTimeout(pending.timer)
    if (reply.type === 'error') pending.reject(new RoomError(reply.code, reply.message, reply.retryAfterMs))
    else pending.resolve(reply)
  }

  private failPending(error: RoomError): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer)
      pending.reject(error)
    }
    this.pending.clear()
  }
}
