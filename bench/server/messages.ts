/** What the capacity bench's parent (cli.ts) and its generator processes (generator.ts) say to each other over IPC. */

/** Which server a run drives: the room service (this tree's or another's) or the bare ws fan-out baseline. */
export type TargetKind = 'service' | 'bare'

export interface GeneratorPlan {
  readonly kind: TargetKind
  /** http://host:port of the target. */
  readonly url: string
  /** Global indexes of the rooms this generator fills (whole rooms, so every fan-out is timed on one clock). */
  readonly rooms: ReadonlyArray<{ readonly index: number; readonly size: number }>
  /** Participants this generator starts per second. */
  readonly joinsPerS: number
  /** Source addresses the client sockets are spread over (127.0.0.2…). */
  readonly sources: readonly string[]
  readonly heartbeatMs: number
  readonly setMediaEveryMs: number
}

export type ToGenerator =
  | { readonly cmd: 'join'; readonly plan: GeneratorPlan }
  /** Every participant sends set_media every `setMediaEveryMs` for `durationMs`, the first at a random offset. */
  | { readonly cmd: 'steady'; readonly durationMs: number; readonly graceMs: number }
  | { readonly cmd: 'leave' }
  /** The target is being stopped with everyone in: report how the sockets end. */
  | { readonly cmd: 'watch_close'; readonly timeoutMs: number }

export interface JoinReport {
  readonly evt: 'joined'
  /** ms from the HTTP join request to `welcome`, per admitted participant. */
  readonly joinMs: number[]
  /** Participants not admitted, by reason (HTTP status and code, or the socket error). */
  readonly failures: Record<string, number>
  readonly elapsedMs: number
}

export interface SteadyReport {
  readonly evt: 'steady'
  /** ms from a set_media until every other member of the room had the update. */
  readonly fanoutMs: number[]
  readonly updatesSent: number
  /** Deliveries expected (other members connected when the update was sent) and missing at the end. */
  readonly deliveriesExpected: number
  readonly deliveriesLost: number
  /** Sockets that closed during the phase, by close code. */
  readonly closes: Record<string, number>
}

export interface LeaveReport {
  readonly evt: 'left'
  readonly closes: Record<string, number>
  readonly elapsedMs: number
}

export interface CloseReport {
  readonly evt: 'closed'
  readonly closes: Record<string, number>
  /** ms from the command to the last socket closing. */
  readonly lastCloseMs: number
  readonly stillOpen: number
}

export type FromGenerator = JoinReport | SteadyReport | LeaveReport | CloseReport
