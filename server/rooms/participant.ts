/** One member of a room: its identity, role, media state, URLs and presence. */
import { randomBytes } from 'node:crypto'
import type { Role } from '../../src/core/presets'
import { ROLE_GRANTS, type Grants, type ParticipantView, type ServerMessage, type CloseCode } from '../../src/core/protocol'
import type { StreamUrls } from '../media'

/** The room's handle on a participant's socket (a ws Connection in production). */
export interface Link {
  send(message: ServerMessage): void
  /** Send a message already serialised by {@link serialize}: a broadcast encodes its event once, not once per recipient. */
  sendFrame(frame: Frame): void
  close(code: CloseCode, reason: string): void
}

export interface ParticipantInit {
  readonly id: string
  readonly nickname: string
  readonly role: Role
  readonly micOn: boolean
  readonly cameraOn: boolean
  readonly streamName: string
  readonly urls: StreamUrls
  readonly now: number
}

/** A server message as the UTF-8 bytes of its JSON, ready for any number of sockets. */
export type Frame = Buffer & { readonly __frame: true }

export function serialize(message: ServerMessage): Frame {
  return Buffer.from(JSON.stringify(message), 'utf8') as Frame
}

/** A fresh participant id: `p` and 10 hex digits. */
export function newParticipantId(): string {
  return `p${randomBytes(5).toString('hex')}`
}

export class Participant {
  readonly id: string
  readonly nickname: string
  role: Role
  micOn: boolean
  cameraOn: boolean
  mutedByHost = false
  readonly joinedAt: number
  /** Unique per join; kept across resumes so players keep their URL. */
  readonly streamName: string
  urls: StreamUrls
  /** The socket currently attached, if any. */
  link: Link | null = null
  /** A socket has attached before: the next hello is a resume. */
  everConnected = false
  /** Last frame received on the attached socket. */
  lastSeenAt: number
  /** When the participant last lost its socket (or joined without one yet). */
  disconnectedAt: number

  constructor(init: ParticipantInit) {
    this.id = init.id
    this.nickname = init.nickname
    this.role = init.role
    this.micOn = init.micOn
    this.cameraOn = init.cameraOn
    this.streamName = init.streamName
    this.urls = init.urls
    this.joinedAt = init.now
    this.lastSeenAt = init.now
    this.disconnectedAt = init.now
  }

  get grants(): Grants {
    return ROLE_GRANTS[this.role]
  }

  view(): ParticipantView {
    return {
      id: this.id,
      nickname: this.nickname,
      role: this.role,
      micOn: this.micOn,
      cameraOn: this.cameraOn,
      mutedByHost: this.mutedByHost,
      playUrl: this.urls.playUrl,
      joinedAt: this.joinedAt,
    }
  }
}
