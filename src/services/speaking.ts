/**
 * The speaking service: where the raw audio-level ticks go (events, not state:
 * CONVENTIONS 14). It keeps each subject's policy memory, runs the pure
 * policy (src/core/speaking.ts) and writes the store's `speaking` slice only
 * when what a tile shows changes, at most a few times a second per tile. The
 * media session owns one and hands it the pusher's and players' ticks.
 */
import {
  initialVoice,
  nextActiveSpeaker,
  nextFeatured,
  noFeatured,
  type FeaturedSpeaker,
  SILENT,
  toVolumeLevel,
  voiceTick,
  voiceTimePassed,
  VOICE,
  type ActiveSpeaker,
  type VoiceState,
  type VoiceStep,
} from '../core/speaking'
import { selectGrid, selectPageSize, type MeetingState, type MeetingStore } from '../store'

/** The clock the service runs on (the media platform's; a fake in tests). */
export interface SpeakingClock {
  now(): number
  setTimer(fn: () => void, ms: number): unknown
  clearTimer(handle: unknown): void
}

interface Subject {
  state: VoiceState
  timer: unknown
}

/** The key of the local microphone in the service's map (no participant id starts with a NUL). */
const SELF = '\u0000self'

export class SpeakingService {
  private readonly subjects = new Map<string, Subject>()
  private active: ActiveSpeaker | null = null
  private activeTimer: unknown = null
  private featured: FeaturedSpeaker = noFeatured
  private stopWatching: (() => void) | null = null

  constructor(
    private readonly store: MeetingStore,
    private readonly clock: SpeakingClock,
  ) {}

  /** Forget who leaves (their memory, their timer, their entry, the active place). */
  start(): void {
    if (this.stopWatching !== null) return
    const stopLeaving = this.store.subscribe(
      (s) => s.participants.byId,
      (byId) => {
        for (const id of [...this.subjects.keys()]) if (id !== SELF && byId[id] === undefined) this.forget(id)
        if (this.active !== null && byId[this.active.id] === undefined) this.decideActive()
      },
    )
    // Who is on the first page follows the active speaker, the order and the page the viewer is on.
    const stopFeaturing = this.store.subscribe(
      (s) => `${s.speaking.activeId ?? ''}\n${selectGrid(s).page}\n${s.participants.order.join(' ')}`,
      () => this.decideFeatured(this.store.getState()),
    )
    this.stopWatching = () => {
      stopLeaving()
      stopFeaturing()
    }
  }

  private decideFeatured(s: MeetingState): void {
    this.featured = nextFeatured(this.featured, {
      activeId: s.speaking.activeId,
      order: s.participants.order,
      pageSize: selectPageSize(s),
      viewedPage: selectGrid(s).page,
    })
    s.featuredChanged(this.featured.featured)
  }

  /** A pusher tick: the local microphone's level (0..100); a bad value is ignored. */
  selfLevel(volume: unknown): void {
    const level = toVolumeLevel(volume)
    if (level === null) return
    // A microphone that is off sends nothing, whatever the pusher measures.
    this.tick(SELF, this.store.getState().publisher.micOn ? level : 0)
  }

  /** A player tick: what this participant's stream carries (0..100); a bad value is ignored. */
  remoteLevel(id: string, volume: unknown): void {
    const level = toVolumeLevel(volume)
    if (level === null) return
    const participant = this.store.getState().participants.byId[id]
    if (participant === undefined) return
    this.tick(id, participant.micOn ? level : 0)
  }

  dispose(): void {
    this.stopWatching?.()
    this.stopWatching = null
    for (const subject of this.subjects.values()) this.clearTimer(subject)
    this.subjects.clear()
    if (this.activeTimer !== null) this.clock.clearTimer(this.activeTimer)
    this.activeTimer = null
    this.active = null
    this.featured = noFeatured
  }

  private tick(key: string, level: number): void {
    const subject = this.subjects.get(key) ?? { state: initialVoice, timer: null }
    this.subjects.set(key, subject)
    this.apply(key, subject, voiceTick(subject.state, level, this.clock.now()))
  }

  private apply(key: string, subject: Subject, step: VoiceStep): void {
    subject.state = step.state
    this.clearTimer(subject)
    if (step.wakeAtMs !== null) {
      subject.timer = this.clock.setTimer(() => {
        subject.timer = null
        if (this.subjects.get(key) === subject) this.apply(key, subject, voiceTimePassed(subject.state, this.clock.now()))
      }, Math.max(0, step.wakeAtMs - this.clock.now()))
    }
    if (step.publish !== null) this.store.getState().voiceChanged(key === SELF ? null : key, step.publish)
    if (key !== SELF) this.decideActive()
  }

  private decideActive(): void {
    const byId = this.store.getState().participants.byId
    const candidates = []
    for (const [id, { state }] of this.subjects) {
      if (id !== SELF && byId[id] !== undefined) candidates.push({ id, speaking: state.decided.speaking, level: state.level })
    }
    const atMs = this.clock.now()
    this.active = nextActiveSpeaker(this.active, candidates, atMs)
    // A louder speaker waiting for the hold to end takes over then, even if no tick comes at that moment.
    if (this.activeTimer !== null) this.clock.clearTimer(this.activeTimer)
    this.activeTimer = null
    const active = this.active
    const holdEndsMs = active === null ? null : active.sinceMs + VOICE.activeHoldMs
    if (active !== null && holdEndsMs !== null && holdEndsMs > atMs && candidates.some((c) => c.speaking && c.id !== active.id)) {
      this.activeTimer = this.clock.setTimer(() => {
        this.activeTimer = null
        this.decideActive()
      }, holdEndsMs - atMs)
    }
    this.store.getState().activeSpeakerChanged(this.active?.id ?? null)
  }

  private forget(id: string): void {
    const subject = this.subjects.get(id)
    if (subject !== undefined) this.clearTimer(subject)
    this.subjects.delete(id)
    this.store.getState().voiceChanged(id, SILENT)
  }

  private clearTimer(subject: Subject): void {
    if (subject.timer !== null) this.clock.clearTimer(subject.timer)
    subject.timer = null
  }
}
