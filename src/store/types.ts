import type { StoreApi } from 'zustand/vanilla'
import type { ControllerDecision, DecisionReason } from '../core/bitrate-controller'
import type { RemoteStreamState, StreamId, StreamPhase } from '../core/media-session'
import type { NetStatus, QualityLevel } from '../core/netstatus'
import type { Localized, PresetId, Role } from '../core/presets'
import type { CodeSource, Recovery } from '../core/state-codes'
import type { Size } from '../core/grid-layout'
import type { Language } from '../i18n'
import type { ChatLine, ChatSender, HostActionKind, MeetingView, ParticipantView } from '../core/protocol'
import type { AudioRouteSlice } from './audio-route-slice'
import type { VoiceView } from '../core/speaking'

/** Where a pusher or player stands, as the tile shows it: the media session's phase (src/core/media-session.ts). */
export type MediaState = StreamPhase

/** What the room service says about a participant (its ParticipantView, less the join time). */
export type ParticipantInfo = Omit<ParticipantView, 'joinedAt'>

/** Where one stream stands, as the media session reports it (`mediaUpdated`). */
export interface StreamView {
  readonly phase: MediaState
  readonly generation: number
  readonly restarts: number
  readonly lastCode: number | null
}

/** A remote participant: the service's view plus the state of its player here (written by `mediaUpdated` only). */
export interface Participant extends ParticipantInfo {
  readonly media: MediaState
  /** Last state code the player reported. */
  readonly lastCode: number | null
  /** The player is keyed on it: a new generation is the media session's "restart play". */
  readonly playGeneration: number
  /** Automatic restarts since the player last went live. */
  readonly restarts: number
}

export interface ParticipantsSlice {
  readonly participants: {
    readonly byId: Readonly<Record<string, Participant>>
    /** Join order; the grid pages through it. */
    readonly order: readonly string[]
  }
  participantsReplaced(list: readonly ParticipantInfo[]): void
  participantJoined(info: ParticipantInfo): void
  participantUpdated(id: string, patch: Partial<Omit<ParticipantInfo, 'id'>>): void
  participantLeft(id: string): void
}

export type DevicePosition = 'front' | 'back'

export interface SelfInfo {
  readonly id: string
  readonly nickname: string
  readonly role: Role
  readonly pushUrl: string
}

export interface PublisherSlice {
  readonly publisher: {
    readonly selfId: string | null
    readonly nickname: string
    readonly role: Role
    readonly presetId: PresetId
    readonly pushUrl: string
    readonly micOn: boolean
    readonly cameraOn: boolean
    /** The host muted this participant's microphone (the room service's view: selfUpdated / sessionStarted). */
    readonly mutedByHost: boolean
    readonly devicePosition: DevicePosition
    readonly media: MediaState
    readonly lastCode: number | null
    /** The pusher is keyed on it: a new generation is the media session's "restart push". */
    readonly pushGeneration: number
    readonly restarts: number
    /** The pusher's `min-bitrate` / `max-bitrate`, kbps. */
    readonly minBitrateKbps: number
    readonly maxBitrateKbps: number
    /** Why the bitrate controller (services/bitrate-adaptation.ts) set the ceiling it did. */
    readonly controllerReason: DecisionReason
    /** The ceiling sat at the preset minimum long enough that audio only would help. */
    readonly audioOnlySuggested: boolean
  }
  joined(self: SelfInfo, atMs?: number): void
  /** The room service sent new push credentials (`media_credentials`): the pusher enters with them. */
  pushCredentialsChanged(pushUrl: string): void
  roleChanged(role: Role, atMs?: number): void
  micToggled(): void
  cameraToggled(): void
  cameraSwitched(): void
  /** A pusher netstatus tick: the self network quality (the controller gets the tick from the media session). */
  pusherNetStatus(status: NetStatus, atMs?: number): void
  /** The bitrate controller decided; the pusher's attributes change only if the ceiling did. */
  controllerDecided(decision: ControllerDecision): void
}

export interface NetworkEntry {
  readonly status: NetStatus
  readonly quality: QualityLevel
  readonly atMs: number
}

export interface NetworkSlice {
  readonly network: {
    readonly self: NetworkEntry | null
    readonly byId: Readonly<Record<string, NetworkEntry>>
  }
  playerNetStatus(id: string, status: NetStatus, atMs?: number): void
}

/** A toast the page shows once. */
export interface Notice {
  readonly id: number
  readonly text: Localized
  readonly code: number | null
  readonly atMs: number
}

/** A modal for an error the user has to act on; `recovery` says what the confirm button does. */
export interface ModalRequest {
  readonly id: number
  readonly source: CodeSource
  readonly code: number
  readonly text: Localized
  readonly recovery: Recovery
}

/** One line of the debug view: every state code, known or not. */
export interface DebugEntry {
  readonly atMs: number
  readonly source: CodeSource
  readonly subject: string
  readonly code: number
  readonly name: string
  readonly known: boolean
}

/** The media session's view of the whole meeting's media (banners), plus every stream. */
export interface MediaView {
  readonly streams: Readonly<Record<StreamId, StreamView>>
  /** TRTC room: what each remote user publishes, by participant id (1031–1034); not membership. Absent: unchanged. */
  readonly remoteStreams?: Readonly<Record<string, RemoteStreamState>>
  /** The page or the app is hidden. */
  readonly hidden: boolean
  readonly offline: boolean
  /** A phone or WeChat call holds the audio. */
  readonly interrupted: boolean
  /** A memory warning came: fewer players are mounted. */
  readonly memoryLimited: boolean
}

export interface MediaSlice {
  readonly media: {
    readonly hidden: boolean
    readonly offline: boolean
    readonly interrupted: boolean
    readonly memoryLimited: boolean
    /**
     * TRTC room only: what each remote publishes, by participant id (its
     * player's src comes from here first). Not membership: a participant
     * missing here, or publishing nothing, keeps its tile.
     */
    readonly remoteStreams: Readonly<Record<string, RemoteStreamState>>
  }
  /** The media session's new view: the one writer of every stream's phase, generation, restarts and last code. */
  mediaUpdated(view: MediaView): void
  /** A state code for the debug view (every code, known or not). */
  codeReported(source: CodeSource, subject: string, code: number, atMs?: number): void
  /** A toast, deduplicated by code. */
  noticeQueued(text: Localized, code: number | null, atMs?: number): void
  /** A modal the user must answer. */
  modalRequested(request: Omit<ModalRequest, 'id'>): void
}

export interface UiSlice {
  readonly ui: {
    readonly language: Language
    readonly page: number
    readonly gridArea: Size
    readonly notices: readonly Notice[]
    readonly modal: ModalRequest | null
    readonly debugOpen: boolean
    readonly debugLog: readonly DebugEntry[]
  }
  languageSet(language: Language): void
  pageChanged(page: number): void
  gridAreaMeasured(size: Size): void
  noticeShown(id: number): void
  modalClosed(): void
  debugToggled(): void
  /** Leave the meeting: everything but the language goes back to its initial value. */
  meetingLeft(): void
}

/** The socket to the room service, as the UI shows it. */
export type ConnectionState = 'idle' | 'joining' | 'connected' | 'reconnecting' | 'closed'

/** Why this user's session ended. */
export type SessionEnd = 'left' | 'removed' | 'ended_by_host' | 'server_shutdown' | 'timeout' | 'replaced' | 'failed'

export interface SessionSlice {
  readonly session: {
    readonly meetingId: string | null
    readonly hostId: string | null
    readonly locked: boolean
    readonly capacity: number
    readonly connection: ConnectionState
    readonly ended: SessionEnd | null
    /** When the meeting started, on this device's clock (the RoomHeader's clock counts from it); null before a session. */
    readonly startedAtMs: number | null
  }
  /** A join or a resume succeeded: the service's full view of the meeting. */
  sessionStarted(snapshot: {
    readonly meeting: MeetingView
    readonly self: SelfInfo & { readonly micOn: boolean; readonly cameraOn: boolean; readonly mutedByHost: boolean }
    readonly participants: readonly ParticipantInfo[]
    /** The service's `meetingElapsedMs` (absent from older services). */
    readonly meetingElapsedMs?: number
  }, atMs?: number): void
  connectionChanged(connection: ConnectionState): void
  meetingUpdated(meeting: MeetingView): void
  /** The service changed this user's own view (role handed over, muted by host). */
  selfUpdated(view: { readonly role: Role; readonly mutedByHost: boolean }, atMs?: number): void
  /** A host control aimed at this user. */
  hostActionReceived(action: HostActionKind, atMs?: number): void
  sessionEnded(reason: SessionEnd): void
}

/** Why one of this user's chat lines was not sent: the service refused it (text rule, chat budget), or there was no connection. */
export type ChatSendError = 'invalid' | 'rate_limited' | 'network' | 'other'

/** A chat line as the panel shows it: the service's, or one of this user's on its way. */
export interface ChatEntry {
  /** The service's line id; `local:<clientMsgId>` until the echo arrives. */
  readonly id: string
  readonly clientMsgId: string | null
  /** The service's order; null until sent. */
  readonly atSeq: number | null
  readonly atMs: number
  readonly from: ChatSender
  readonly text: string
  /** Written by this user. */
  readonly mine: boolean
  /** `pending`: sent, no echo yet; `failed`: refused or not sent (tap to retry). */
  readonly status: 'sent' | 'pending' | 'failed'
  readonly error: ChatSendError | null
}

export interface ChatSlice {
  readonly chat: {
    /** Oldest first; at most CHAT_KEPT. */
    readonly messages: readonly ChatEntry[]
    /** Lines from others that arrived while the chat panel was closed. */
    readonly unread: number
    /** The chat panel is open. */
    readonly open: boolean
    /** This user's raised hand (the service's view, like `publisher.mutedByHost`): when it went up, or null. */
    readonly selfHandRaisedAt: number | null
  }
  /** A welcome's chat history: the confirmed lines are replaced; this user's unsent ones stay; on a resume, others' lines newer than the last seen count as unread while closed. */
  chatHistoryReplaced(lines: readonly ChatLine[], resumed?: boolean): void
  /** A `chat_message`: added once (by id); confirms this user's pending line with its clientMsgId; counts as unread while closed. */
  chatReceived(line: ChatLine): void
  /** The room client sent (or re-sent) one of this user's lines. */
  chatSendStarted(clientMsgId: string, text: string, atMs?: number): void
  /** The room client got a refusal or no connection for that line. */
  chatSendFailed(clientMsgId: string, error: ChatSendError): void
  /** Open or close the chat panel (toggle without an argument); opening reads everything. */
  chatToggled(open?: boolean): void
  /** The service's view of this user's hand (welcome, participant_updated). */
  selfHandUpdated(raisedAt: number | null): void
}

export interface FocusSlice {
  readonly focus: {
    /** The tile the user tapped into the focus layout, or null for the grid. */
    readonly id: string | null
    /** The participant whose player is in native full screen (its fullscreenchange said so), or null. */
    readonly fullScreenId: string | null
  }
  /** Tap on a tile: focus it; null (tap on the large tile, back): the grid. */
  tileFocused(id: string | null): void
  /** A player entered (id) or left (null) full screen. */
  fullScreenChanged(id: string | null): void
}

// who is speaking
export interface SpeakingSlice {
  readonly speaking: {
    /** The local microphone's level bucket and speaking flag. */
    readonly self: VoiceView
    /** Remotes that make a sound; a silent one (or one who left) has no entry. */
    readonly byId: Readonly<Record<string, VoiceView>>
    /** The active (dominant) remote speaker, held ≥ 5 s; the grid brings them onto the first page. */
    readonly activeId: string | null
    /** The speaker brought onto the first page (src/core/speaking.ts `nextFeatured`), or null. */
    readonly featuredId: string | null
  }
  /** What a tile shows changed (`id` null: self). Written by the speaking service only. */
  voiceChanged(id: string | null, view: VoiceView): void
  activeSpeakerChanged(id: string | null): void
  featuredChanged(id: string | null): void
}

export type MeetingState = ParticipantsSlice & PublisherSlice & NetworkSlice & UiSlice & SessionSlice & MediaSlice &
  AudioRouteSlice & ChatSlice & FocusSlice & SpeakingSlice

export type MeetingStore = StoreApi<MeetingState> & {
  subscribe: {
    (listener: (state: MeetingState, previous: MeetingState) => void): () => void
    <U>(
      selector: (state: MeetingState) => U,
      listener: (selected: U, previous: U) => void,
      options?: { equalityFn?: (a: U, b: U) => boolean; fireImmediately?: boolean },
    ): () => void
  }
}
