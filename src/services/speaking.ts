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
  type SpeakerCandidate,
  SILENT,
  toVolumeLevel,
  voiceTick,
  voiceTimePassed,
  VOICE,
  type ActiveSpeaker,
  type VoiceState,
  type VoiceStep,
} from '../core/speaking'
import { selectGrid, selectMountedIds, selectPageSize, type MeetingState, type MeetingStore } from '../store'

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

export interface SpeakingService {
  /** Forget who leaves (their memory, their timer, their entry, the active place); follow the page for the featured speaker. */
  start(): void
  /** A pusher tick: the local microphone's level (0..100); a bad value is ignored. */
  selfLevel(volume: unknown): void
  /** A player tick: what this participant's stream carries (0..100); a bad value is ignored. */
  remoteLevel(id: string, volume: unknown): void
  /**
   * What the room service relays of a remote's own speaking state
   * (`speaking_changed`, docs/protocol.md §4.8): stands in for the measured
   * level while their player is not mounted, or has not ticked yet.
   */
  remoteReported(id: string, speaking: boolean): void
  /** Forget every report (the socket reconnected: nobody is speaking until told again). */
  reportsCleared(): void
  dispose(): void
}

/**
 * A closure rather than a class: the ES5 build of a class costs the main
 * package noticeably more (scripts/weapp-report.ts budget).
 */
export function createSpeakingService(store: MeetingStore, clock: SpeakingClock): SpeakingService {
  const subjects = new Map<string, Subject>()
  let active: ActiveSpeaker | null = null
  let activeTimer: unknown = null
  let featured: FeaturedSpeaker = noFeatured
  let stopWatching: (() => void) | null = null
  /**
   * Remotes' last reports and when they said so. One who stopped stays (not
   * speaking) so the active place keeps its hold; the entry goes when they
   * leave. Kept here, not in the store: a tile off the page has no UI to
   * show it (CONVENTIONS 14), and a tile on the page shows what is measured.
   */
  const reported = new Map<string, { speaking: boolean; atMs: number }>()

  const clearSubjectTimer = (subject: Subject): void => {
    if (subject.timer !== null) clock.clearTimer(subject.timer)
    subject.timer = null
  }

  const decideFeatured = (s: MeetingState): void => {
    featured = nextFeatured(featured, {
      activeId: s.speaking.activeId,
      order: s.participants.order,
      pageSize: selectPageSize(s),
      viewedPage: selectGrid(s).page,
    })
    s.featuredChanged(featured.featured)
  }

  const decideActive = (): void => {
    const s = store.getState()
    const byId = s.participants.byId
    const mounted = selectMountedIds(s)
    // The measured level is the source for a mounted player that ticked (what
    // the viewer hears); otherwise a report stands in. A measurement of an
    // unmounted player without a report is still used until it goes stale.
    const measured = (id: string): boolean => subjects.has(id) && (mounted.includes(id) || !reported.has(id))
    const candidates: SpeakerCandidate[] = []
    // forEach, not for…of: the ES5 build inlines an iterator helper per for…of.
    subjects.forEach(({ state }, id) => {
      if (id !== SELF && byId[id] !== undefined && measured(id)) candidates.push({ id, speaking: state.decided.speaking, level: state.level })
    })
    // Reported speakers have no level: after every measured one (a measured
    // speaker wins a tie), the earlier report first (the policy keeps the
    // earlier of equals). A microphone that is off cannot be speaking.
    const reporters: Array<[string, { speaking: boolean; atMs: number }]> = []
    reported.forEach((report, id) => {
      if (byId[id] !== undefined && !measured(id)) reporters.push([id, report])
    })
    reporters
      .sort((a, b) => a[1].atMs - b[1].atMs)
      .forEach(([id, report]) => candidates.push({ id, speaking: report.speaking && byId[id].micOn, level: 0 }))
    const atMs = clock.now()
    const current = nextActiveSpeaker(active, candidates, atMs)
    active = current
    // A louder speaker waiting for the hold to end takes over then, even if no tick comes at that moment.
    if (activeTimer !== null) clock.clearTimer(activeTimer)
    activeTimer = null
    const holdEndsMs = current === null ? 0 : current.sinceMs + VOICE.activeHoldMs
    if (current !== null && holdEndsMs > atMs && candidates.some((c) => c.speaking && c.id !== current.id)) {
      activeTimer = clock.setTimer(() => {
        activeTimer = null
        decideActive()
      }, holdEndsMs - atMs)
    }
    store.getState().activeSpeakerChanged(current === null ? null : current.id)
  }

  const apply = (key: string, subject: Subject, step: VoiceStep): void => {
    subject.state = step.state
    clearSubjectTimer(subject)
    if (step.wakeAtMs !== null) {
      subject.timer = clock.setTimer(() => {
        subject.timer = null
        if (subjects.get(key) === subject) apply(key, subject, voiceTimePassed(subject.state, clock.now()))
      }, Math.max(0, step.wakeAtMs - clock.now()))
    }
    if (step.publish !== null) store.getState().voiceChanged(key === SELF ? null : key, step.publish)
    if (key !== SELF) decideActive()
  }

  const tick = (key: string, level: number): void => {
    const subject = subjects.get(key) ?? { state: initialVoice, timer: null }
    subjects.set(key, subject)
    apply(key, subject, voiceTick(subject.state, level, clock.now()))
  }

  const forget = (id: string): void => {
    const subject = subjects.get(id)
    if (subject !== undefined) clearSubjectTimer(subject)
    subjects.delete(id)
    reported.delete(id)
    store.getState().voiceChanged(id, SILENT)
  }

  return {
    start() {
      if (stopWatching !== null) return
      const stopLeaving = store.subscribe(
        (s) => s.participants.byId,
        (byId) => {
          Array.from(subjects.keys()).forEach((id) => {
            if (id !== SELF && byId[id] === undefined) forget(id)
          })
          Array.from(reported.keys()).forEach((id) => {
            if (byId[id] === undefined) reported.delete(id)
          })
          if (active !== null && byId[active.id] === undefined) decideActive()
        },
      )
      // Who is on the first page follows the active speaker, the order and the page the viewer is on.
      const stopFeaturing = store.subscribe(
        (s) => `${s.speaking.activeId ?? ''}\n${selectGrid(s).page}\n${s.participants.order.join(' ')}`,
        () => decideFeatured(store.getState()),
      )
      // A player that mounts (or unmounts) switches that remote between measured and reported.
      const stopMounting = store.subscribe(
        (s) => selectMountedIds(s).join(' '),
        () => {
          if (reported.size > 0) decideActive()
        },
      )
      stopWatching = () => {
        stopLeaving()
        stopFeaturing()
        stopMounting()
      }
    },

    selfLevel(volume) {
      const level = toVolumeLevel(volume)
      // A microphone that is off sends nothing, whatever the pusher measures.
      if (level !== null) tick(SELF, store.getState().publisher.micOn ? level : 0)
    },

    remoteLevel(id, volume) {
      const level = toVolumeLevel(volume)
      const participant = store.getState().participants.byId[id]
      if (level !== null && participant !== undefined) tick(id, participant.micOn ? level : 0)
    },

    remoteReported(id, speaking) {
      if (store.getState().participants.byId[id] === undefined) return
      if (speaking === (reported.get(id)?.speaking ?? false)) return
      reported.set(id, { speaking, atMs: clock.now() })
      decideActive()
    },

    reportsCleared() {
      // Not speaking any more, but still candidates: an active reporter keeps its hold.
      reported.forEach((report, id) => reported.set(id, { speaking: false, atMs: report.atMs }))
      if (reported.size > 0) decideActive()
    },

    dispose() {
      stopWatching?.()
      reported.clear()
      stopWatching = null
      subjects.forEach(clearSubjectTimer)
      subjects.clear()
      if (activeTimer !== null) clock.clearTimer(activeTimer)
      activeTimer = null
      active = null
      featured = noFeatured
    },
  }
}
