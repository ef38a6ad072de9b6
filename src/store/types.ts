import type { StoreApi } from 'zustand/vanilla'
import type { ControllerDecision, ControllerInput, DecisionReason } from '../core/bitrate-controller'
import type { NetStatus, QualityLevel } from '../core/netstatus'
import type { Localized, PresetId, Role } from '../core/presets'
import type { CodeSource, Recovery } from '../core/state-codes'
import type { Size } from '../core/grid-layout'
import type { Language } from '../i18n'
import type { HostActionKind, MeetingView, ParticipantView } from '../core/protocol'

/**
 * Where a pusher or player stands, as the tile shows it.
 * idle: not started · connecting: before the first frame · live: media flows ·
 * loading: live, but buffering (2007) · reconnecting: the SDK or the app is
 * retrying · failed: gave up; the user can retry.
 */
export type MediaState = 'idle' | 'connecting' | 'live' | 'loading' | 'reconnecting' | 'failed'

/** What the room service says about a participant (its ParticipantView, less the join time). */
export type ParticipantInfo = Omit<ParticipantView, 'joinedAt'>

/** A remote participant: the service's view plus the state of its player here. */
export interface Participant extends ParticipantInfo {
  readonly media: MediaState
  /** Last state code the player reported. */
  readonly lastCode: number | null
  /** Bumped to remount the player: the app's "restart play". */
  readonly playGeneration: number
  /** App restarts since the player last went live. */
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
  playerStateChanged(id: string, code: number, atMs?: number): void
  /** The user tapped a failed tile. */
  playerRetried(id: string): void
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
    /** The host muted this participant's microphone. */
    readonly mutedByHost: boolean
    readonly devicePosition: DevicePosition
    readonly media: MediaState
    readonly lastCode: number | null
    /** Bumped to remount the pusher: the app's "restart push". */
    readonly pushGeneration: number
    readonly restarts: number
    /** The pusher's `min-bitrate` / `max-bitrate`, kbps. */
    readonly minBitrateKbps: number
    readonly maxBitrateKbps: number
    /** Opaque state of the bitrate controller (see store/adaptation.ts). */
    readonly controllerState: unknown
    readonly controllerReason: DecisionReason
    /** The ceiling sat at the preset minimum long enough that audio only would help. */
    readonly audioOnlySuggested: boolean
    /** Latest uplink observation; the adaptation subscription feeds it to the controller. */
    readonly uplinkSignal: ControllerInput | null
  }
  joined(self: SelfInfo, atMs?: number): void
  roleChanged(role: Role, atMs?: number): void
  micToggled(): void
  mutedByHost(muted: boolean): void
  cameraToggled(): void
  cameraSwitched(): void
  pusherStateChanged(code: number, atMs?: number): void
  pusherErrored(errCode: number, errMsg: string, atMs?: number): void
  pusherNetStatus(status: NetStatus, atMs?: number): void
  /** The user asked to try pushing again (after a failure or a permission grant). */
  pushRetried(): void
  controllerDecided(state: unknown, decision: ControllerDecision): void
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
  }
  /** A join or a resume succeeded: the service's full view of the meeting. */
  sessionStarted(snapshot: {
    readonly meeting: MeetingView
    readonly self: SelfInfo & { readonly micOn: boolean; readonly cameraOn: boolean; readonly mutedByHost: boolean }
    readonly participants: readonly ParticipantInfo[]
  }, atMs?: number): void
  connectionChanged(connection: ConnectionState): void
  meetingUpdated(meeting: MeetingView): void
  /** The service changed this user's own view (role handed over, muted by host). */
  selfUpdated(view: { readonly role: Role; readonly mutedByHost: boolean }, atMs?: number): void
  /** A host control aimed at this user. */
  hostActionReceived(action: HostActionKind, atMs?: number): void
  sessionEnded(reason: SessionEnd): void
}

export type MeetingState = ParticipantsSlice & PublisherSlice & NetworkSlice & UiSlice & SessionSlice

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
