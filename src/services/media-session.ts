/**
 * The media session: the one owner of the pusher's and every player's
 * lifecycle, outside React (cf. mediasoup-demo's RoomClient). Platform events
 * (component codes, netstatus, page/app show and hide, network changes, audio
 * interruptions, memory warnings, permission answers) come in through its
 * methods and `MediaPlatform.watch`; the pure state machine
 * (src/core/media-session.ts) decides; this class carries the decision out:
 * it mirrors every stream into the store through `mediaUpdated`, runs the one
 * deadline timer, shows toasts and the permission modal, pauses/stops the
 * pusher, tells the room service when the attendee is away, and hands
 * netstatus to the bitrate controller directly.
 *
 * Streams are opened from the store's state (the pusher once it has a URL,
 * a player once it is mounted), so what the grid shows and what the session
 * watches cannot drift apart.
 */
import type { BitrateController } from '../core/bitrate-controller'
import {
  classifyCode,
  initialMediaSession,
  isHeld,
  nextDeadline,
  participantOf,
  playStream,
  PUSH_STREAM,
  step,
  type Device,
  type MediaEffect,
  type MediaEvent,
  type MediaNotice,
  type MediaSessionState,
  type StreamId,
} from '../core/media-session'
import type { NetStatus } from '../core/netstatus'
import type { CodeSource } from '../core/state-codes'
import { describeCode } from '../core/state-codes'
import { localizedCodeMessage } from '../i18n/state-codes'
import { isTrtcUrl, TRTC_ROOM_CODES, type TrtcRoomEvent } from '../core/trtc'
import { localized, type Language } from '../i18n'
import { selectMountedIds, selectPlayUrl, type MeetingStore, type StreamView } from '../store'
import { BitrateAdaptation } from './bitrate-adaptation'
import { createSpeakingService, type SpeakingService } from './speaking'

/** What the platform reports to the session by itself. */
export type PlatformEvent =
  | { readonly type: 'app'; readonly visible: boolean }
  | { readonly type: 'network'; readonly online: boolean; readonly networkType: string }
  | { readonly type: 'audio-interruption'; readonly active: boolean }
  | { readonly type: 'memory-warning' }

/** The platform the session runs on (src/platform/media-platform.ts; a fake in tests). */
export interface MediaPlatform {
  now(): number
  setTimer(fn: () => void, ms: number): unknown
  clearTimer(handle: unknown): void
  /** Start reporting app show/hide, network, audio interruptions and memory warnings; returns the stop function. */
  watch(sink: (event: PlatformEvent) => void): () => void
  /** The network as it is now. */
  currentNetwork(): Promise<{ readonly online: boolean; readonly networkType: string }>
  keepScreenOn(on: boolean): void
  pausePush(): void
  resumePush(): void
  stopPush(): void
  /** Explain why the devices are needed and offer the settings; resolves with what is allowed afterwards. */
  askForPermission(devices: readonly Device[], language: Language): Promise<{ readonly camera: boolean; readonly mic: boolean }>
}

export interface MediaSessionOptions {
  readonly store: MeetingStore
  readonly platform: MediaPlatform
  /** Tell the others this attendee is away (the room client's `setAway`). */
  readonly onAway?: (away: boolean) => void
  /** The bitrate controller (swappable for tests and the benchmark). */
  readonly controller?: BitrateController<unknown>
  /** TRTC push credentials, kept by the room client (`media_credentials`). */
  readonly credentials?: MediaCredentials
  /** TRTC put this user out of the room (1019, non-zero reason): end the session as removed. */
  readonly onRemovedFromRoom?: (reason: number | null) => void
}

/** The room client's side of TRTC credentials (src/services/room-client.ts). */
export interface MediaCredentials {
  /** Ask the service for a fresh UserSig and PrivateMapKey (they arrive as a new push URL). */
  renew(): void
  /** The pusher (re-)enters: if a renewal came meanwhile, switch the push URL to it now. */
  useRenewed(): void
}

const ROOM_CODES: ReadonlySet<number> = new Set(TRTC_ROOM_CODES)

/** The code a room event came with (the PusherView hands over the event, not its code). */
function roomEventCode(e: TrtcRoomEvent): number {
  switch (e.kind) {
    case 'entered':
      return 1018
    case 'left':
      return 1019
    case 'user_list':
      return 1020
    case 'reenter':
      return 1021
    case 'enter_failed':
      return e.errorCode === -3301 ? -3301 : 1022
    case 'bad_credentials':
      return -100018
    case 'users_entered':
      return 1031
    case 'users_left':
      return 1032
    case 'video':
      return 1033
    case 'audio':
      return 1034
  }
}

const NOTICE_TEXT: Readonly<Record<MediaNotice, Parameters<typeof localized>[0]>> = {
  'stream-failed': 'noticeStreamFailed',
  'memory-limited': 'noticeMemoryLimited',
  'network-changed': 'noticeNetworkChanged',
  'camera-unavailable': 'noticeCameraUnavailable',
  'mic-unavailable': 'noticeMicUnavailable',
}

/** PUSH_WARNING_NET_BUSY: also an immediate input of the bitrate controller. */
const NET_BUSY = 1101

export class MediaSession {
  private state: MediaSessionState = initialMediaSession
  private readonly store: MeetingStore
  private readonly platform: MediaPlatform
  private readonly adaptation: BitrateAdaptation
  private readonly speaking: SpeakingService
  private readonly onAway: (away: boolean) => void
  private readonly credentials: MediaCredentials | null
  private readonly onRemovedFromRoom: (reason: number | null) => void
  private mirroredPush: { readonly generation: number | null; readonly url: string | null } = { generation: null, url: null }
  private timer: unknown = null
  private timerAtMs: number | null = null
  private stops: (() => void)[] = []
  private queue: MediaEvent[] = []
  private running = false
  private started = false

  constructor(options: MediaSessionOptions) {
    this.store = options.store
    this.platform = options.platform
    this.adaptation = new BitrateAdaptation(options.store, options.controller)
    this.speaking = createSpeakingService(options.store, options.platform)
    this.onAway = options.onAway ?? (() => undefined)
    this.credentials = options.credentials ?? null
    this.onRemovedFromRoom = options.onRemovedFromRoom ?? (() => undefined)
  }

  /** Start owning media: open the streams the store has, and listen to the platform. */
  start(): void {
    if (this.started) return
    this.started = true
    this.speaking.start()
    this.stops.push(
      () => this.speaking.dispose(),
      this.store.subscribe(
        (s) => s.publisher.pushUrl,
        () => this.syncStreams(),
      ),
      this.store.subscribe(
        (s) => selectMountedIds(s).map((id) => `${id} ${selectPlayUrl(id)(s)}`).join('\n'),
        () => this.syncStreams(),
      ),
      this.platform.watch((e) => this.onPlatform(e)),
    )
    this.syncStreams()
    this.platform.currentNetwork().then(
      (n) => {
        // A change reported meanwhile is newer than this answer.
        if (this.state.networkType === null) this.dispatch({ type: 'network', online: n.online, networkType: n.networkType, atMs: this.platform.now() })
      },
      () => undefined,
    )
  }

  /** Stop listening and the timer (after leaving). */
  dispose(): void {
    for (const stop of this.stops.splice(0)) stop()
    this.clearTimer()
    this.started = false
  }

  /** The machine's state, for the debug view and tests. */
  snapshot(): MediaSessionState {
    return this.state
  }

  // --- what the components report -------------------------------------------

  pusherCode(code: number): void {
    // In a TRTC room the room codes mean what their payload says: they come in through roomEvent.
    if (ROOM_CODES.has(code) && isTrtcUrl(this.store.getState().publisher.pushUrl)) {
      this.store.getState().codeReported('pusher', this.store.getState().publisher.nickname || 'self', code, this.platform.now())
      return
    }
    this.code('pusher', PUSH_STREAM, code)
  }

  /** A TRTC room event of the pusher (PusherView.onRoomEvent; its code came through pusherCode). */
  roomEvent(event: TrtcRoomEvent): void {
    if (!isTrtcUrl(this.store.getState().publisher.pushUrl)) return
    this.dispatch({ type: 'room', event, code: roomEventCode(event), atMs: this.platform.now() })
  }

  pusherError(errCode: number): void {
    this.code('pusher-error', PUSH_STREAM, errCode)
  }

  /** A pusher netstatus tick (`atMs`: when it was observed, now by default). */
  pusherNetStatus(status: NetStatus, atMs = this.platform.now()): void {
    this.store.getState().pusherNetStatus(status, atMs)
    this.adaptation.observe({ kind: 'netstatus', atMs, status })
  }

  /** A pusher `audiovolumenotify` tick (the microphone's level, 0..100): to the speaking service, never the store. */
  pusherVolume(volume: number): void {
    this.speaking.selfLevel(volume)
  }

  /** A player `audiovolumenotify` tick (what the stream carries, 0..100). */
  playerVolume(participantId: string, volume: number): void {
    this.speaking.remoteLevel(participantId, volume)
  }

  /** A remote's own speaking state as the room service relays it (`speaking_changed`). */
  remoteSpeaking(participantId: string, speaking: boolean): void {
    this.speaking.remoteReported(participantId, speaking)
  }

  /** The room socket (re)connected: no relayed report stands any more. */
  remoteSpeakingCleared(): void {
    this.speaking.reportsCleared()
  }

  playerCode(participantId: string, code: number): void {
    this.code('player', playStream(participantId), code)
  }

  playerNetStatus(participantId: string, status: NetStatus): void {
    this.store.getState().playerNetStatus(participantId, status, this.platform.now())
  }

  // --- what the page and the user do ---------------------------------------

  /** `useDidShow` / `useDidHide` of the room page. */
  pageVisible(visible: boolean): void {
    this.dispatch({ type: 'visibility', scope: 'page', visible, atMs: this.platform.now() })
  }

  /** The user tapped a failed (or blocked) tile. */
  retry(stream: StreamId): void {
    this.dispatch({ type: 'retry', stream, atMs: this.platform.now() })
  }

  /** Leaving: the pusher is stopped (before the store clears its URL); nothing is restarted after. */
  leave(): void {
    this.dispatch({ type: 'leave', atMs: this.platform.now() })
  }

  // --- inside ----------------------------------------------------------------

  private code(source: CodeSource, stream: StreamId, code: number): void {
    const atMs = this.platform.now()
    const s = this.store.getState()
    const id = participantOf(stream)
    const subject = id === null ? s.publisher.nickname || 'self' : s.participants.byId[id]?.nickname ?? id
    s.codeReported(source, subject, code, atMs)
    if (source === 'pusher' && code === NET_BUSY) this.adaptation.observe({ kind: 'code', atMs, code })
    this.dispatch({ type: 'signal', stream, signal: classifyCode(source, code), code, atMs })
  }

  private onPlatform(e: PlatformEvent): void {
    const atMs = this.platform.now()
    switch (e.type) {
      case 'app':
        return this.dispatch({ type: 'visibility', scope: 'app', visible: e.visible, atMs })
      case 'network':
        return this.dispatch({ type: 'network', online: e.online, networkType: e.networkType, atMs })
      case 'audio-interruption':
        return this.dispatch({ type: 'audio-interruption', active: e.active, atMs })
      case 'memory-warning':
        return this.dispatch({ type: 'memory-warning', atMs })
    }
  }

  /** Open and close streams to match the store: the pusher with a URL, the mounted players. */
  private syncStreams(): void {
    const s = this.store.getState()
    const atMs = this.platform.now()
    const wanted = new Map<StreamId, string>()
    if (s.publisher.pushUrl !== '') wanted.set(PUSH_STREAM, s.publisher.pushUrl)
    for (const id of selectMountedIds(s)) wanted.set(playStream(id), selectPlayUrl(id)(s))
    for (const stream of Object.keys(this.state.streams)) {
      if (!wanted.has(stream)) {
        this.urls.delete(stream)
        this.dispatch({ type: 'stream-closed', stream, atMs })
      }
    }
    for (const [stream, url] of wanted) {
      // A new URL is a new stream: the component starts afresh.
      if (this.state.streams[stream] !== undefined && this.urls.get(stream) === url) continue
      this.urls.set(stream, url)
      const kind = stream === PUSH_STREAM ? 'push' : 'play'
      this.dispatch({ type: 'stream-opened', stream, kind, atMs, viaRoom: kind === 'play' && isTrtcUrl(url) })
    }
  }

  private readonly urls = new Map<StreamId, string>()

  /** Events are handled one at a time: a store write inside may trigger another (syncStreams). */
  private dispatch(event: MediaEvent): void {
    this.queue.push(event)
    if (this.running) return
    this.running = true
    try {
      while (this.queue.length > 0) {
        const next = step(this.state, this.queue.shift() as MediaEvent)
        this.state = next.state
        this.mirror()
        for (const effect of next.effects) this.apply(effect)
      }
    } finally {
      this.running = false
    }
    this.schedule()
  }

  private mirror(): void {
    const st = this.state
    const streams: Record<StreamId, StreamView> = {}
    for (const [id, s] of Object.entries(st.streams)) {
      streams[id] = { phase: s.phase, generation: s.generation, restarts: s.restarts, lastCode: s.lastCode }
    }
    this.store.getState().mediaUpdated({
      streams,
      remoteStreams: st.remotes,
      hidden: !st.pageVisible || !st.appVisible,
      offline: !st.online,
      interrupted: st.interrupted,
      memoryLimited: st.memoryLimited,
    })
    // The pusher is (re-)entering with the URL it had (a restart, a remount after 5000/5001): with renewed credentials, if any came.
    const push = { generation: st.streams[PUSH_STREAM]?.generation ?? null, url: this.urls.get(PUSH_STREAM) ?? null }
    const before = this.mirroredPush
    this.mirroredPush = push
    if (push.generation !== null && before.generation !== null && push.generation !== before.generation && push.url === before.url) this.credentials?.useRenewed()
  }

  private apply(effect: MediaEffect): void {
    const s = this.store.getState()
    const atMs = this.platform.now()
    switch (effect.type) {
      case 'notify':
        s.noticeQueued(localized(NOTICE_TEXT[effect.notice]), null, atMs)
        return
      case 'notify-code': {
        const source: CodeSource = effect.stream === PUSH_STREAM ? (effect.code >= 10000 ? 'pusher-error' : 'pusher') : 'player'
        // Player codes are shown on their tile, not toasted: nine tiles would bury the page.
        if (source !== 'player') s.noticeQueued(localizedCodeMessage(describeCode(source, effect.code)), effect.code, atMs)
        return
      }
      case 'ask-permission':
        this.platform.askForPermission(effect.devices, s.ui.language).then(
          (granted) => this.dispatch({ type: 'permission', camera: granted.camera, mic: granted.mic, atMs: this.platform.now() }),
          () => this.dispatch({ type: 'permission', camera: false, mic: false, atMs: this.platform.now() }),
        )
        return
      case 'device-off':
        if (effect.device === 'camera' && s.publisher.cameraOn) s.cameraToggled()
        if (effect.device === 'mic' && s.publisher.micOn) s.micToggled()
        return
      case 'presence':
        this.onAway(effect.away)
        return
      case 'keep-screen-on':
        this.platform.keepScreenOn(true)
        return
      case 'pause-push':
        this.platform.pausePush()
        return
      case 'resume-push':
        this.platform.resumePush()
        return
      case 'stop-push':
        this.platform.stopPush()
        return
      case 'renew-credentials':
        this.credentials?.renew()
        return
      case 'use-renewed-credentials':
        this.credentials?.useRenewed()
        return
      case 'removed-from-room':
        this.onRemovedFromRoom(effect.reason)
        return
      case 'ask-leave':
        s.modalRequested({ source: 'pusher', code: effect.code ?? 0, text: localizedCodeMessage(describeCode('pusher', effect.code ?? 0)), recovery: 'leave' })
        return
    }
  }

  /** One timer, at the earliest deadline; none while held. */
  private schedule(): void {
    const at = isHeld(this.state) ? null : nextDeadline(this.state)
    if (at === this.timerAtMs) return
    this.clearTimer()
    if (at === null) return
    this.timerAtMs = at
    this.timer = this.platform.setTimer(() => {
      this.timer = null
      this.timerAtMs = null
      this.dispatch({ type: 'tick', atMs: this.platform.now() })
    }, Math.max(0, at - this.platform.now()))
  }

  private clearTimer(): void {
    if (this.timer !== null) this.platform.clearTimer(this.timer)
    this.timer = null
    this.timerAtMs = null
  }
}
