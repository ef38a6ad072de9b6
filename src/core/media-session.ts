/**
 * The media session's state machine: where the one pusher and every player
 * stand, and the whole recovery policy (restart, back off, give up, ask the
 * user), as a pure function `step(state, event) → { state, effects }`.
 *
 * It knows no platform: what a component reports arrives as a provider-neutral
 * `MediaSignal` (classifyCode maps the live-pusher/live-player codes; a TRTC
 * room:// pusher's room events, whose payload matters, come as `room` events),
 * and what the app must
 * do comes back as data: a stream's `generation` (the component is keyed on
 * it, so a new generation remounts it) and `effects` the service carries out
 * (toasts, the permission modal, presence, pusher pause/stop). Nothing here
 * reads a clock: every event carries its `atMs`, and the service calls `tick`
 * at `nextDeadline(state)`.
 *
 * Every waiting phase has a deadline (CONVENTIONS 16): connecting → live
 * within CONNECT_TIMEOUT_MS, reconnecting/loading → live within
 * RECONNECT_TIMEOUT_MS, else a restart after RESTART_BACKOFF_MS; after
 * MAX_AUTO_RESTARTS failed restarts the stream is `failed` until the user
 * taps it. While the session is held (page or app hidden, offline, a phone
 * call) no deadline runs and restarts wait for the hold to end: the platform
 * has paused media, and restarting into a hidden page is what breaks Android.
 */
import { describeCode, type CodeSource } from './state-codes'
import type { TrtcRoomEvent } from './trtc'

/** `push` for the local pusher; `play:<participant id>` for each player. */
export type StreamId = string
export type StreamKind = 'push' | 'play'

export const PUSH_STREAM: StreamId = 'push'
export const playStream = (participantId: string): StreamId => `play:${participantId}`
/** The participant id of a play stream, or null for the push stream. */
export const participantOf = (stream: StreamId): string | null => (stream.startsWith('play:') ? stream.slice(5) : null)

/**
 * Where a stream stands, as its tile shows it.
 * idle: not started (no URL, or not mounted) · connecting: before the first
 * frame · live: media flows · loading: live but buffering · reconnecting: the
 * SDK or the app is retrying · paused: waiting for the page, the network or a
 * call to come back · blocked: camera/microphone refused, waiting for the
 * user · failed: gave up; the user can tap to retry.
 */
export type StreamPhase = 'idle' | 'connecting' | 'live' | 'loading' | 'reconnecting' | 'paused' | 'blocked' | 'failed'

/**
 * What a component reported, provider-neutral.
 * progress: a connection step · live: media flows · buffering · retrying: the
 * SDK retries by itself · stopped: the SDK gave up, the app must restart ·
 * suspended: the platform stopped pushing while hidden (5000) · interrupted:
 * a call or a closed floating window (5001), restart once shown ·
 * network-changed: the SDK saw Wi-Fi ↔ cellular (1021) · camera-denied /
 * mic-denied · credentials-invalid: retrying cannot help, leave · warning:
 * tell the user, nothing to do · info: nothing.
 */
export type MediaSignal =
  | 'progress'
  | 'live'
  | 'buffering'
  | 'retrying'
  | 'stopped'
  | 'suspended'
  | 'interrupted'
  | 'network-changed'
  | 'camera-denied'
  | 'mic-denied'
  | 'credentials-invalid'
  | 'warning'
  | 'info'

/** connecting → live within this long, or restart. */
export const CONNECT_TIMEOUT_MS = 10_000
/** reconnecting (or buffering) → live within this long, or restart. */
export const RECONNECT_TIMEOUT_MS = 15_000
/**
 * The wait before each automatic restart (the first at once: the SDK has
 * already retried by itself); its length is the number of restarts before
 * the stream is `failed`.
 */
export const RESTART_BACKOFF_MS = [0, 2_000, 5_000] as const
export const MAX_AUTO_RESTARTS = RESTART_BACKOFF_MS.length
/** 1021 and onNetworkStatusChange report the same change: within this window they restart each stream once. */
export const NETWORK_CHANGE_COALESCE_MS = 5_000
/** After a memory warning only this many players stay mounted (Tencent's advice: ≤ 4 decoders on a phone). */
export const MEMORY_LIMITED_PLAYERS = 4

/** A deadline: at `atMs`, `restart` counts a failed attempt; `remount` ends a back-off with a new generation. */
export interface Deadline {
  readonly atMs: number
  readonly then: 'restart' | 'remount'
}

export interface StreamState {
  readonly kind: StreamKind
  readonly phase: StreamPhase
  /** The component is keyed on it: a new generation remounts (restarts) it. */
  readonly generation: number
  /** Automatic restarts since the stream was last live. */
  readonly restarts: number
  readonly lastCode: number | null
  readonly deadline: Deadline | null
  /**
   * What to do when the hold ends: `restart` (the platform stopped it, or a
   * restart came due while held) or `remount` (a player mounted while hidden:
   * Android does not play it until it is created anew).
   */
  readonly onResume: 'none' | 'restart' | 'remount'
  /**
   * A player whose media comes through the TRTC room (room:// src): it has
   * something to play only while its remote publishes (1033/1034), so while
   * the remote has no stream it is `idle` with no deadline instead of
   * burning its restarts on a stream that does not exist.
   */
  readonly viaRoom?: boolean
}

/**
 * What the TRTC room says a remote user publishes (1031–1034), per TRTC user
 * id (= our participant id). Membership is not here: a user with camera and
 * mic off has no stream but is still in the meeting (the room service says
 * who is).
 */
export interface RemoteStreamState {
  /** The player `src` from the last 1033/1034 (or 1020) that named one; '' when none did. */
  readonly playUrl: string
  readonly hasVideo: boolean
  readonly hasAudio: boolean
}

export interface MediaSessionState {
  readonly streams: Readonly<Record<StreamId, StreamState>>
  readonly pageVisible: boolean
  readonly appVisible: boolean
  readonly online: boolean
  readonly networkType: string | null
  /** A phone or WeChat call holds the audio. */
  readonly interrupted: boolean
  readonly memoryLimited: boolean
  /** The permission modal is up (one at a time). */
  readonly askingPermission: boolean
  readonly lastNetworkChangeAtMs: number | null
  readonly left: boolean
  /** TRTC room: the remote users' streams (room events 1020, 1031–1034). */
  readonly remotes: Readonly<Record<string, RemoteStreamState>>
  /** TRTC room: fresh credentials were asked for after -100018 and the pusher has not entered since. */
  readonly credentialsRenewed: boolean
}

export type Device = 'camera' | 'mic'

export type MediaEvent =
  /** A stream exists now (the pusher has its URL, a player is mounted); again = a new stream: remount. */
  | { readonly type: 'stream-opened'; readonly stream: StreamId; readonly kind: StreamKind; readonly atMs: number; readonly viaRoom?: boolean }
  | { readonly type: 'stream-closed'; readonly stream: StreamId; readonly atMs: number }
  /** What the component reported (`code` for the debug view and toasts). */
  | { readonly type: 'signal'; readonly stream: StreamId; readonly signal: MediaSignal; readonly code: number | null; readonly atMs: number }
  /** Time passed: deadlines due at `atMs` fire. */
  | { readonly type: 'tick'; readonly atMs: number }
  | { readonly type: 'visibility'; readonly scope: 'page' | 'app'; readonly visible: boolean; readonly atMs: number }
  | { readonly type: 'network'; readonly online: boolean; readonly networkType: string; readonly atMs: number }
  | { readonly type: 'audio-interruption'; readonly active: boolean; readonly atMs: number }
  | { readonly type: 'memory-warning'; readonly atMs: number }
  /** The permission modal was answered: what is allowed now (after openSetting, or as refused). */
  | { readonly type: 'permission'; readonly camera: boolean; readonly mic: boolean; readonly atMs: number }
  /** The user tapped a failed (or blocked) tile. */
  | { readonly type: 'retry'; readonly stream: StreamId; readonly atMs: number }
  | { readonly type: 'leave'; readonly atMs: number }
  /**
   * A TRTC room event of the pusher (src/core/trtc.ts). With a room:// push
   * the room codes arrive here only, not as `signal`s: their payload decides.
   */
  | { readonly type: 'room'; readonly event: TrtcRoomEvent; readonly code: number; readonly atMs: number }

/** What the user is told; the text lives in i18n. */
export type MediaNotice = 'stream-failed' | 'memory-limited' | 'network-changed' | 'camera-unavailable' | 'mic-unavailable'

export type MediaEffect =
  | { readonly type: 'notify'; readonly notice: MediaNotice }
  /** A code's own message (a warning such as 1101, or what 5000/5001 mean), deduplicated by the store. */
  | { readonly type: 'notify-code'; readonly stream: StreamId; readonly code: number }
  /** Explain and offer the settings page for these devices; answer with a `permission` event. */
  | { readonly type: 'ask-permission'; readonly devices: readonly Device[] }
  /** Continue without a refused device. */
  | { readonly type: 'device-off'; readonly device: Device }
  /** Tell the others whether this attendee is away (app hidden). */
  | { readonly type: 'presence'; readonly away: boolean }
  | { readonly type: 'keep-screen-on' }
  | { readonly type: 'pause-push' }
  | { readonly type: 'resume-push' }
  /** Stop the pusher now (before its URL is cleared). */
  | { readonly type: 'stop-push' }
  /** Retrying cannot help: ask the user to leave. */
  | { readonly type: 'ask-leave'; readonly code: number | null }
  /** TRTC refused the UserSig (-100018): ask the room service for fresh credentials (`renew_media_credentials`). */
  | { readonly type: 'renew-credentials' }
  /** The pusher re-enters the room (1021): enter with renewed credentials if the service sent some (`media_credentials {renewal}`). */
  | { readonly type: 'use-renewed-credentials' }
  /** TRTC put this user out of the room (1019 with a non-zero reason): the session ends. */
  | { readonly type: 'removed-from-room'; readonly reason: number | null }

export interface Step {
  readonly state: MediaSessionState
  readonly effects: readonly MediaEffect[]
}

export const initialMediaSession: MediaSessionState = Object.freeze({
  streams: Object.freeze({}),
  pageVisible: true,
  appVisible: true,
  online: true,
  networkType: null,
  interrupted: false,
  memoryLimited: false,
  askingPermission: false,
  lastNetworkChangeAtMs: null,
  left: false,
  remotes: Object.freeze({}),
  credentialsRenewed: false,
})

/** Hidden, offline or in a call: media is paused by the platform, so nothing is restarted and no deadline runs. */
export function isHeld(s: MediaSessionState): boolean {
  return !s.pageVisible || !s.appVisible || !s.online || s.interrupted
}

/** The earliest deadline that can fire now (none while held). */
export function nextDeadline(s: MediaSessionState): number | null {
  if (isHeld(s) || s.left) return null
  let next: number | null = null
  for (const stream of Object.values(s.streams)) {
    if (stream.deadline !== null && (next === null || stream.deadline.atMs < next)) next = stream.deadline.atMs
  }
  return next
}

// ---------------------------------------------------------------------------
// Codes → signals (the live-pusher / live-player provider)

/** Codes after which media flows. */
const LIVE_CODES: ReadonlySet<number> = new Set([1002, 1018, 2004, 2032])
/** First steps of a connection. */
const PROGRESS_CODES: ReadonlySet<number> = new Set([1001, 2001, 2002, 2003])
const SPECIAL: Readonly<Record<string, MediaSignal>> = {
  2007: 'buffering',
  5000: 'suspended',
  5001: 'interrupted',
  1021: 'network-changed',
  10001: 'camera-denied',
  [-1301]: 'camera-denied',
  10002: 'mic-denied',
  [-1302]: 'mic-denied',
  [-100018]: 'credentials-invalid',
}

/**
 * The signal of a live-pusher / live-player code, from the state-code table
 * (src/core/state-codes.ts): its recovery decides, a few codes have their own
 * meaning. The browser adapters report the same codes, so they share it.
 */
export function classifyCode(source: CodeSource, code: number): MediaSignal {
  if (LIVE_CODES.has(code)) return 'live'
  if (PROGRESS_CODES.has(code)) return 'progress'
  const special = Object.prototype.hasOwnProperty.call(SPECIAL, String(code)) ? SPECIAL[String(code)] : undefined
  if (special !== undefined && (source !== 'player' || special === 'buffering')) return special
  const described = describeCode(source, code)
  switch (described.recovery) {
    case 'restart-push':
    case 'restart-play':
      return 'stopped'
    case 'wait':
      return 'retrying'
    case 'request-permission':
      return 'camera-denied'
    case 'leave':
      return 'credentials-invalid'
    default:
      return described.severity === 'warning' ? 'warning' : 'info'
  }
}

// ---------------------------------------------------------------------------
// The machine

type Streams = Record<StreamId, StreamState>

function newStream(kind: StreamKind, generation: number, atMs: number, held: boolean, hidden: boolean, waitsForRemote = false): StreamState {
  // A room player whose remote publishes nothing yet has nothing to connect to: idle until 1033/1034 say otherwise.
  if (waitsForRemote) return { kind, phase: 'idle', generation, restarts: 0, lastCode: null, deadline: null, onResume: 'none', viaRoom: true }
  return {
    kind,
    phase: held ? 'paused' : 'connecting',
    generation,
    restarts: 0,
    lastCode: null,
    deadline: held ? null : { atMs: atMs + CONNECT_TIMEOUT_MS, then: 'restart' },
    // A player created while the page is hidden does not play on Android: make it anew on show.
    onResume: held ? (hidden && kind === 'play' ? 'remount' : 'restart') : 'none',
  }
}

/** Remount now: a new generation, waiting for media. */
function remount(st: StreamState, atMs: number, phase: 'connecting' | 'reconnecting'): StreamState {
  const timeout = phase === 'connecting' ? CONNECT_TIMEOUT_MS : RECONNECT_TIMEOUT_MS
  return { ...st, phase, generation: st.generation + 1, deadline: { atMs: atMs + timeout, then: 'restart' }, onResume: 'none' }
}

/**
 * An attempt failed (the SDK gave up, or a deadline passed): restart after the
 * back-off, or give up after MAX_AUTO_RESTARTS.
 */
function failedAttempt(st: StreamState, atMs: number, effects: MediaEffect[]): StreamState {
  if (st.restarts >= MAX_AUTO_RESTARTS) {
    effects.push({ type: 'notify', notice: 'stream-failed' })
    return { ...st, phase: 'failed', deadline: null, onResume: 'none' }
  }
  const delay = RESTART_BACKOFF_MS[st.restarts]
  const counted = { ...st, restarts: st.restarts + 1 }
  if (delay === 0) return remount(counted, atMs, 'reconnecting')
  return { ...counted, phase: 'reconnecting', deadline: { atMs: atMs + delay, then: 'remount' }, onResume: 'none' }
}

/** A restart the platform caused (5000, 5001, a network change): not a failure, so not counted. */
function platformRestart(st: StreamState, atMs: number, held: boolean): StreamState {
  if (st.phase === 'idle' || st.phase === 'failed' || st.phase === 'blocked') return st
  if (held) return { ...st, phase: 'paused', deadline: null, onResume: 'restart' }
  return remount(st, atMs, 'reconnecting')
}

function onSignal(s: MediaSessionState, stream: StreamId, signal: MediaSignal, code: number | null, atMs: number, effects: MediaEffect[]): MediaSessionState {
  const st = s.streams[stream]
  if (st === undefined || s.left) return s
  const held = isHeld(s)
  const withCode: StreamState = { ...st, lastCode: code ?? st.lastCode }
  const put = (next: StreamState): MediaSessionState => ({ ...s, streams: { ...s.streams, [stream]: next } })
  // A component that is being replaced, failed or refused may still report; only media flowing changes that.
  const settled = st.phase === 'failed' || st.phase === 'blocked' || st.phase === 'idle'
  switch (signal) {
    case 'live':
      // An idle room player that plays after all (its 1033/1034 was missed) is live: media flowing is the evidence.
      if (st.phase === 'blocked' || (st.phase === 'idle' && st.viaRoom !== true)) return put(withCode)
      // While held, what waits for the hold (a remount on show) still waits.
      return put({ ...withCode, phase: 'live', restarts: 0, deadline: null, onResume: held ? st.onResume : 'none' })
    case 'progress':
      return put(withCode)
    case 'buffering':
      if (st.phase !== 'live') return put(withCode)
      return put({ ...withCode, phase: 'loading', deadline: held ? null : { atMs: atMs + RECONNECT_TIMEOUT_MS, then: 'restart' } })
    case 'retrying': {
      if (code !== null) effects.push({ type: 'notify-code', stream, code })
      if (settled || st.phase === 'paused') return put(withCode)
      // Keep the deadline already running: repeated 1102s do not extend it.
      if (st.phase === 'reconnecting' || st.phase === 'connecting') return put(withCode)
      return put({ ...withCode, phase: 'reconnecting', deadline: held ? null : { atMs: atMs + RECONNECT_TIMEOUT_MS, then: 'restart' } })
    }
    case 'stopped':
      if (settled) return put(withCode)
      if (held) return put({ ...withCode, phase: 'paused', deadline: null, onResume: 'restart' })
      return put(failedAttempt(withCode, atMs, effects))
    case 'suspended':
      // iOS stopped pushing (capsule, home): the others see the waiting image
      // for a while; push again once shown.
      if (code !== null) effects.push({ type: 'notify-code', stream, code })
      if (settled) return put(withCode)
      return put({ ...withCode, phase: 'paused', deadline: null, onResume: 'restart' })
    case 'interrupted':
      if (code !== null) effects.push({ type: 'notify-code', stream, code })
      return put(platformRestart(withCode, atMs, held))
    case 'network-changed':
      return networkChanged({ ...s, streams: { ...s.streams, [stream]: withCode } }, atMs, effects)
    case 'camera-denied':
    case 'mic-denied': {
      const device: Device = signal === 'camera-denied' ? 'camera' : 'mic'
      const next: MediaSessionState = put({ ...withCode, phase: 'blocked', deadline: null, onResume: 'none' })
      if (s.askingPermission) return next
      effects.push({ type: 'ask-permission', devices: [device] })
      return { ...next, askingPermission: true }
    }
    case 'credentials-invalid':
      effects.push({ type: 'ask-leave', code })
      return put({ ...withCode, phase: 'failed', deadline: null, onResume: 'none' })
    case 'warning':
      if (code !== null) effects.push({ type: 'notify-code', stream, code })
      return put(withCode)
    case 'info':
      return put(withCode)
  }
}

/** Wi-Fi ↔ cellular: every stream restarts once (1021 and onNetworkStatusChange coalesced). */
function networkChanged(s: MediaSessionState, atMs: number, effects: MediaEffect[]): MediaSessionState {
  if (s.lastNetworkChangeAtMs !== null && atMs - s.lastNetworkChangeAtMs < NETWORK_CHANGE_COALESCE_MS) return s
  const held = isHeld(s)
  const streams: Streams = {}
  for (const [id, st] of Object.entries(s.streams)) streams[id] = platformRestart(st, atMs, held)
  effects.push({ type: 'notify', notice: 'network-changed' })
  return { ...s, streams, lastNetworkChangeAtMs: atMs }
}

/** The hold ended: run what waited for it and start the deadlines afresh. */
function released(s: MediaSessionState, atMs: number): MediaSessionState {
  const streams: Streams = {}
  for (const [id, st] of Object.entries(s.streams)) {
    if (st.onResume === 'restart') streams[id] = remount(st, atMs, 'reconnecting')
    else if (st.onResume === 'remount') streams[id] = remount(st, atMs, 'connecting')
    else if (st.phase === 'paused') streams[id] = remount(st, atMs, 'reconnecting')
    else if (st.phase === 'connecting') streams[id] = { ...st, deadline: { atMs: atMs + CONNECT_TIMEOUT_MS, then: 'restart' } }
    else if (st.phase === 'reconnecting' || st.phase === 'loading') streams[id] = { ...st, deadline: { atMs: atMs + RECONNECT_TIMEOUT_MS, then: 'restart' } }
    else streams[id] = st
  }
  return { ...s, streams }
}

/** Entering a hold: deadlines stop (media is paused by the platform, not failing). */
function holding(s: MediaSessionState): MediaSessionState {
  const streams: Streams = {}
  for (const [id, st] of Object.entries(s.streams)) {
    // A back-off in progress resumes as a restart.
    streams[id] = st.deadline?.then === 'remount' ? { ...st, deadline: null, onResume: 'restart' } : { ...st, deadline: null }
  }
  return { ...s, streams }
}

/** Apply a change of the hold conditions, with what entering or leaving a hold does. */
function withHold(before: MediaSessionState, after: MediaSessionState, atMs: number): MediaSessionState {
  const was = isHeld(before)
  const is = isHeld(after)
  if (!was && is) return holding(after)
  if (was && !is) return released(after, atMs)
  return after
}

function tick(s: MediaSessionState, atMs: number, effects: MediaEffect[]): MediaSessionState {
  if (isHeld(s) || s.left) return s
  let streams: Streams | null = null
  for (const [id, st] of Object.entries(s.streams)) {
    if (st.deadline === null || st.deadline.atMs > atMs) continue
    streams ??= { ...s.streams }
    streams[id] = st.deadline.then === 'remount' ? remount(st, atMs, 'reconnecting') : failedAttempt({ ...st, deadline: null }, atMs, effects)
  }
  return streams === null ? s : { ...s, streams }
}

/** One event in, the next state and what to do out. Pure; never throws. */
export function step(s: MediaSessionState, event: MediaEvent): Step {
  const effects: MediaEffect[] = []
  const state = reduce(s, event, effects)
  return { state, effects }
}

function reduce(s: MediaSessionState, e: MediaEvent, effects: MediaEffect[]): MediaSessionState {
  if (s.left) return s
  switch (e.type) {
    case 'stream-opened': {
      const previous = s.streams[e.stream]
      const hidden = !s.pageVisible || !s.appVisible
      const generation = previous === undefined ? 0 : previous.generation + 1
      const viaRoom = e.kind === 'play' && e.viaRoom === true
      const remote = viaRoom ? s.remotes[participantOf(e.stream) ?? ''] : undefined
      const opened = newStream(e.kind, generation, e.atMs, isHeld(s), hidden, viaRoom && !publishes(remote))
      return { ...s, streams: { ...s.streams, [e.stream]: viaRoom ? { ...opened, viaRoom } : opened } }
    }
    case 'room':
      return onRoomEvent(s, e.event, e.code, e.atMs, effects)
    case 'stream-closed': {
      if (s.streams[e.stream] === undefined) return s
      const streams = { ...s.streams }
      delete streams[e.stream]
      return { ...s, streams }
    }
    case 'signal':
      return onSignal(s, e.stream, e.signal, e.code, e.atMs, effects)
    case 'tick':
      return tick(s, e.atMs, effects)
    case 'visibility': {
      const key = e.scope === 'page' ? 'pageVisible' : 'appVisible'
      if (s[key] === e.visible) return s
      const wasHidden = !s.pageVisible || !s.appVisible
      const after = withHold(s, { ...s, [key]: e.visible }, e.atMs)
      const isHidden = !after.pageVisible || !after.appVisible
      if (!wasHidden && isHidden) effects.push({ type: 'presence', away: true })
      if (wasHidden && !isHidden) effects.push({ type: 'presence', away: false }, { type: 'keep-screen-on' })
      return after
    }
    case 'network': {
      const changed = s.networkType !== null && (s.networkType !== e.networkType || !s.online) && e.online
      // The restart is decided before the hold ends, so coming back online restarts each stream once, not twice.
      const mid = changed ? networkChanged(s, e.atMs, effects) : s
      return withHold(mid, { ...mid, online: e.online, networkType: e.online ? e.networkType : s.networkType }, e.atMs)
    }
    case 'audio-interruption': {
      if (s.interrupted === e.active) return s
      effects.push({ type: e.active ? 'pause-push' : 'resume-push' })
      return withHold(s, { ...s, interrupted: e.active }, e.atMs)
    }
    case 'memory-warning':
      if (s.memoryLimited) return s
      effects.push({ type: 'notify', notice: 'memory-limited' })
      return { ...s, memoryLimited: true }
    case 'permission': {
      const push = s.streams[PUSH_STREAM]
      const after = { ...s, askingPermission: false }
      if (push === undefined || push.phase !== 'blocked') return after
      // Refused devices stay off; the push starts again with what is allowed.
      if (!e.camera) effects.push({ type: 'device-off', device: 'camera' }, { type: 'notify', notice: 'camera-unavailable' })
      if (!e.mic) effects.push({ type: 'device-off', device: 'mic' }, { type: 'notify', notice: 'mic-unavailable' })
      const restarted = isHeld(s)
        ? { ...push, phase: 'paused' as const, onResume: 'restart' as const }
        : remount({ ...push, restarts: 0 }, e.atMs, 'connecting')
      return { ...after, streams: { ...s.streams, [PUSH_STREAM]: restarted } }
    }
    case 'retry': {
      const st = s.streams[e.stream]
      if (st === undefined) return s
      if (st.phase === 'blocked') {
        if (s.askingPermission) return s
        effects.push({ type: 'ask-permission', devices: ['camera', 'mic'] })
        return { ...s, askingPermission: true }
      }
      if (st.phase !== 'failed') return s
      const next = isHeld(s) ? { ...st, phase: 'paused' as const, restarts: 0, onResume: 'restart' as const } : remount({ ...st, restarts: 0 }, e.atMs, 'connecting')
      return { ...s, streams: { ...s.streams, [e.stream]: next } }
    }
    case 'leave': {
      if (s.streams[PUSH_STREAM] !== undefined) effects.push({ type: 'stop-push' })
      const streams: Streams = {}
      for (const [id, st] of Object.entries(s.streams)) streams[id] = { ...st, phase: 'idle', deadline: null, onResume: 'none' }
      return { ...s, streams, left: true }
    }
  }
}

// ---------------------------------------------------------------------------
// TRTC room events (room:// push): the pusher's place in the room and the remote streams

const NO_STREAM: RemoteStreamState = Object.freeze({ playUrl: '', hasVideo: false, hasAudio: false })

/** Whether a remote publishes anything (a user with camera and mic off publishes nothing, but stays in the meeting). */
function publishes(remote: RemoteStreamState | undefined): boolean {
  return remote !== undefined && (remote.hasVideo || remote.hasAudio)
}

/**
 * A remote's streams changed: its room player (if mounted) follows. Gone →
 * idle, no deadline (nothing to wait for; not a failure); back → a new
 * player (trtc-wx likewise creates the player when the stream appears).
 */
function remoteChanged(s: MediaSessionState, userId: string, next: RemoteStreamState, atMs: number): MediaSessionState {
  const before = s.remotes[userId]
  const remotes = { ...s.remotes, [userId]: next }
  const stream = playStream(userId)
  const st = s.streams[stream]
  const after: MediaSessionState = { ...s, remotes }
  if (st === undefined || st.viaRoom !== true || publishes(before) === publishes(next)) return after
  let changed: StreamState
  if (!publishes(next)) changed = { ...st, phase: 'idle', deadline: null, restarts: 0, onResume: 'none' }
  else if (isHeld(s)) changed = { ...st, phase: 'paused', deadline: null, onResume: !s.pageVisible || !s.appVisible ? 'remount' : 'restart' }
  else changed = remount({ ...st, restarts: 0 }, atMs, 'connecting')
  return { ...after, streams: { ...s.streams, [stream]: changed } }
}

function onRoomEvent(s: MediaSessionState, e: TrtcRoomEvent, code: number, atMs: number, effects: MediaEffect[]): MediaSessionState {
  const push = s.streams[PUSH_STREAM]
  const putPush = (next: StreamState): MediaSessionState => ({ ...s, streams: { ...s.streams, [PUSH_STREAM]: next } })
  switch (e.kind) {
    case 'entered': {
      // 1018 ends the connect deadline, and the credentials in use were accepted.
      const entered = onSignal(s, PUSH_STREAM, 'live', code, atMs, effects)
      return { ...entered, credentialsRenewed: false }
    }
    case 'left':
      if (!e.kicked) return push === undefined ? s : putPush({ ...push, lastCode: code })
      effects.push({ type: 'removed-from-room', reason: e.reason })
      return s
    case 'reenter': {
      // The SDK re-enters by itself: wait for 1018 with a deadline (a restart after it).
      if (push === undefined || push.phase === 'idle' || push.phase === 'failed' || push.phase === 'blocked') return s
      effects.push({ type: 'use-renewed-credentials' })
      const coalesced = s.lastNetworkChangeAtMs !== null && atMs - s.lastNetworkChangeAtMs < NETWORK_CHANGE_COALESCE_MS
      if (!coalesced) effects.push({ type: 'notify', notice: 'network-changed' })
      const waiting: StreamState =
        push.phase === 'reconnecting' || push.phase === 'connecting' || push.phase === 'paused'
          ? { ...push, lastCode: code }
          : { ...push, lastCode: code, phase: 'reconnecting', deadline: isHeld(s) ? null : { atMs: atMs + RECONNECT_TIMEOUT_MS, then: 'restart' } }
      return { ...putPush(waiting), lastNetworkChangeAtMs: coalesced ? s.lastNetworkChangeAtMs : atMs }
    }
    case 'enter_failed':
      // 1022 / -3301: a failed attempt, restarted after the back-off.
      return onSignal(s, PUSH_STREAM, 'stopped', code, atMs, effects)
    case 'bad_credentials':
      if (push === undefined) return s
      if (s.credentialsRenewed) return onSignal(s, PUSH_STREAM, 'credentials-invalid', code, atMs, effects)
      // Once: the service signs fresh ones (`media_credentials {requested}` sets the URL, which re-enters).
      effects.push({ type: 'renew-credentials' })
      return {
        ...putPush({ ...push, lastCode: code, phase: 'reconnecting', deadline: isHeld(s) ? null : { atMs: atMs + RECONNECT_TIMEOUT_MS, then: 'restart' } }),
        credentialsRenewed: true,
      }
    case 'users_entered': {
      let next = s
      for (const id of e.userIds) if (next.remotes[id] === undefined) next = { ...next, remotes: { ...next.remotes, [id]: NO_STREAM } }
      return next
    }
    case 'users_left': {
      let next = s
      for (const id of e.userIds) next = remoteChanged(next, id, { ...(next.remotes[id] ?? NO_STREAM), hasVideo: false, hasAudio: false }, atMs)
      return next
    }
    case 'video':
    case 'audio': {
      let next = s
      for (const c of e.changes) {
        const was = next.remotes[c.userId] ?? NO_STREAM
        const playUrl = c.playUrl !== '' ? c.playUrl : was.playUrl
        const flags = 'hasVideo' in c ? { hasVideo: c.hasVideo } : { hasAudio: c.hasAudio }
        next = remoteChanged(next, c.userId, { ...was, ...flags, playUrl }, atMs)
      }
      return next
    }
    case 'user_list': {
      // 1020's shape is unverified: only the play URLs are taken from it.
      let next = s
      for (const u of e.users) {
        if (u.playUrl === '') continue
        next = { ...next, remotes: { ...next.remotes, [u.userId]: { ...(next.remotes[u.userId] ?? NO_STREAM), playUrl: u.playUrl } } }
      }
      return next
    }
  }
}
