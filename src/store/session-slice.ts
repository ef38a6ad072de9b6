import type { StateCreator } from 'zustand/vanilla'
import { localized } from '../i18n'
import { withNotice } from './reporting'
import type { MeetingState, SessionSlice } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], SessionSlice>

/**
 * The one place `mutedByHost` is written, from the room service's view of this
 * participant (welcome snapshot, participant_updated): a mute turns the mic off.
 */
function withMutedByHost(publisher: MeetingState['publisher'], mutedByHost: boolean): MeetingState['publisher'] {
  return { ...publisher, mutedByHost, micOn: mutedByHost ? false : publisher.micOn }
}

export const initialSession: MeetingState['session'] = {
  meetingId: null,
  hostId: null,
  locked: false,
  capacity: 0,
  connection: 'idle',
  ended: null,
  startedAtMs: null,
}

/** A resume's estimate within this much of the one shown keeps the shown one, so the clock does not jump a second. */
const CLOCK_KEEP_MS = 2000

/**
 * When the meeting started, on this device's clock: now less the service's
 * `meetingElapsedMs`; without it (an older service), when this attendee entered.
 */
function meetingStartedAt(previous: MeetingState['session'], meetingId: string, elapsedMs: number | undefined, atMs: number): number {
  const known = previous.meetingId === meetingId ? previous.startedAtMs : null
  const estimate = typeof elapsedMs === 'number' && Number.isFinite(elapsedMs) && elapsedMs >= 0 ? atMs - elapsedMs : (known ?? atMs)
  return known !== null && Math.abs(known - estimate) < CLOCK_KEEP_MS ? known : estimate
}

export const createSessionSlice: Creator = (set, get) => ({
  session: initialSession,

  sessionStarted: ({ meeting, self, participants, meetingElapsedMs }, atMs = Date.now()) => {
    const s = get()
    // A resume keeps the pusher running; only a new participant id (a fresh
    // join) starts the publisher afresh.
    if (s.publisher.selfId !== self.id) {
      s.joined(self, atMs)
      // What the attendee entered with (camera off, muted: their choice or a refused permission).
      set((st) => ({ publisher: { ...st.publisher, micOn: self.micOn, cameraOn: self.cameraOn } }))
    } else if (s.publisher.pushUrl !== self.pushUrl) {
      set((st) => ({ publisher: { ...st.publisher, pushUrl: self.pushUrl } }))
    }
    get().roleChanged(self.role, atMs)
    set((st) => ({
      publisher: withMutedByHost(st.publisher, self.mutedByHost),
      session: {
        meetingId: meeting.id,
        hostId: meeting.hostId,
        locked: meeting.locked,
        capacity: meeting.capacity,
        // The room client says when the socket is up (connectionChanged).
        connection: st.session.connection,
        ended: null,
        startedAtMs: meetingStartedAt(st.session, meeting.id, meetingElapsedMs, atMs),
      },
    }))
    get().participantsReplaced(participants)
  },

  connectionChanged: (connection) =>
    set((s) => (s.session.connection === connection ? s : { session: { ...s.session, connection } })),

  meetingUpdated: (meeting) =>
    set((s) => ({ session: { ...s.session, hostId: meeting.hostId, locked: meeting.locked, capacity: meeting.capacity } })),

  selfUpdated: ({ role, mutedByHost }, atMs = Date.now()) => {
    get().roleChanged(role, atMs)
    set((st) => (st.publisher.mutedByHost === mutedByHost ? st : { publisher: withMutedByHost(st.publisher, mutedByHost) }))
  },

  hostActionReceived: (action, atMs = Date.now()) => {
    const s = get()
    switch (action) {
      // The mute itself arrives as this participant's own participant_updated
      // (selfUpdated), which the service sends before host_action: this only says why.
      case 'mute_mic':
      case 'mute_all':
        set((st) => ({ ui: withNotice(st.ui, localized('mutedByHost'), null, atMs) }))
        return
      case 'unmute_mic':
        // A request: the user decides whether to turn the microphone back on.
        set((st) => ({ ui: withNotice(st.ui, localized('unmuteAllowed'), null, atMs) }))
        return
      case 'camera_off':
        if (s.publisher.cameraOn) s.cameraToggled()
        set((st) => ({ ui: withNotice(st.ui, localized('cameraTurnedOffByHost'), null, atMs) }))
        return
    }
  },

  sessionEnded: (reason) =>
    set((s) => ({ session: { ...s.session, connection: 'closed', ended: reason } })),
})
