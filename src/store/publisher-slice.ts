import { appController, type BitrateController } from '../core/bitrate-controller'
import { qualityFromNetStatus } from '../core/netstatus'
import { PRESETS, ROLE_PRESET, type Role } from '../core/presets'
import { describeCode, type CodeSource } from '../core/state-codes'
import type { StateCreator } from 'zustand/vanilla'
import { MAX_AUTO_RESTARTS, mediaStateAfter } from './media-state'
import { withDebugEntry, withModal, withNotice } from './reporting'
import type { MeetingState, PublisherSlice } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], PublisherSlice>
type Publisher = MeetingState['publisher']

/** PUSH_WARNING_NET_BUSY: the controller reacts to it at once. */
const NET_BUSY = 1101

type AnyController = BitrateController<unknown>

/** Pusher attributes and controller state for a role, as the controller starts them. */
function presetFields(controller: AnyController, role: Role, atMs: number) {
  const preset = PRESETS[ROLE_PRESET[role]]
  const { state, decision } = controller.init(preset, atMs)
  return {
    role,
    presetId: preset.id,
    minBitrateKbps: decision.ceiling.minBitrateKbps,
    maxBitrateKbps: decision.ceiling.maxBitrateKbps,
    controllerState: state as unknown,
    controllerReason: decision.reason,
    audioOnlySuggested: decision.audioOnlySuggested,
    uplinkSignal: null,
  }
}

/** The publisher before joining: a participant preset, nothing pushed. */
export function initialPublisher(controller: AnyController = appController as AnyController, atMs = 0): Publisher {
  return {
    selfId: null,
    nickname: '',
    pushUrl: '',
    micOn: true,
    cameraOn: true,
    mutedByHost: false,
    devicePosition: 'front',
    media: 'idle',
    lastCode: null,
    pushGeneration: 0,
    restarts: 0,
    ...presetFields(controller, 'participant', atMs),
  }
}

/** The publisher slice; `controller` decides the pusher's bitrates (see adaptation.ts). */
export const createPublisherSlice = (controller: AnyController): Creator => (set) => {
  /**
   * One path for every pusher code, state change or binderror: debug log,
   * tile state, then the table's recovery (toast, modal, restart).
   */
  const onCode = (source: CodeSource, code: number, atMs: number) =>
    set((s) => {
      const described = describeCode(source, code)
      let ui = withDebugEntry(s.ui, described, s.publisher.nickname || 'self', atMs)
      let publisher: Publisher = {
        ...s.publisher,
        media: mediaStateAfter(s.publisher.media, described),
        lastCode: code,
      }
      if (publisher.media === 'live') publisher = { ...publisher, restarts: 0 }
      if (code === NET_BUSY && source === 'pusher') {
        publisher = { ...publisher, uplinkSignal: { kind: 'code', atMs, code } }
      }
      if (described.severity === 'warning') {
        ui = withNotice(ui, described.message, code, atMs)
      }
      if (described.recovery === 'restart-push') {
        if (s.publisher.restarts < MAX_AUTO_RESTARTS) {
          publisher = {
            ...publisher,
            media: 'reconnecting',
            pushGeneration: s.publisher.pushGeneration + 1,
            restarts: s.publisher.restarts + 1,
          }
        } else {
          publisher = { ...publisher, media: 'failed' }
          ui = withModal(ui, { source, code, text: described.message, recovery: 'restart-push' })
        }
      } else if (described.severity === 'fatal') {
        ui = withModal(ui, { source, code, text: described.message, recovery: described.recovery })
      }
      return { publisher, ui }
    })

  return {
    publisher: initialPublisher(controller),

    joined: (self, atMs = Date.now()) =>
      set((s) => ({
        publisher: {
          ...initialPublisher(controller, atMs),
          // Mic and camera choices made before joining carry over.
          micOn: s.publisher.micOn,
          cameraOn: s.publisher.cameraOn,
          devicePosition: s.publisher.devicePosition,
          ...presetFields(controller, self.role, atMs),
          selfId: self.id,
          nickname: self.nickname,
          pushUrl: self.pushUrl,
          media: 'connecting',
        },
      })),

    roleChanged: (role, atMs = Date.now()) =>
      set((s) => (s.publisher.role === role ? s : { publisher: { ...s.publisher, ...presetFields(controller, role, atMs) } })),

    micToggled: () =>
      set((s) => {
        // A participant the host muted cannot unmute themselves.
        if (!s.publisher.micOn && s.publisher.mutedByHost) return s
        return { publisher: { ...s.publisher, micOn: !s.publisher.micOn } }
      }),

    mutedByHost: (muted) =>
      set((s) => ({
        publisher: { ...s.publisher, mutedByHost: muted, micOn: muted ? false : s.publisher.micOn },
      })),

    cameraToggled: () => set((s) => ({ publisher: { ...s.publisher, cameraOn: !s.publisher.cameraOn } })),

    cameraSwitched: () =>
      set((s) => ({
        publisher: { ...s.publisher, devicePosition: s.publisher.devicePosition === 'front' ? 'back' : 'front' },
      })),

    pusherStateChanged: (code, atMs = Date.now()) => onCode('pusher', code, atMs),

    pusherErrored: (errCode, _errMsg, atMs = Date.now()) => onCode('pusher-error', errCode, atMs),

    pusherNetStatus: (status, atMs = Date.now()) =>
      set((s) => ({
        network: { ...s.network, self: { status, quality: qualityFromNetStatus(status, 'pusher'), atMs } },
        publisher: { ...s.publisher, uplinkSignal: { kind: 'netstatus', atMs, status } },
      })),

    pushRetried: () =>
      set((s) => ({
        publisher: { ...s.publisher, media: 'connecting', pushGeneration: s.publisher.pushGeneration + 1, restarts: 0 },
        ui: { ...s.ui, modal: null },
      })),

    controllerDecided: (state, decision) =>
      set((s) => {
        const p = s.publisher
        const { minBitrateKbps, maxBitrateKbps } = decision.ceiling
        const attributesChanged = p.minBitrateKbps !== minBitrateKbps || p.maxBitrateKbps !== maxBitrateKbps
        return {
          publisher: {
            ...p,
            controllerState: state,
            controllerReason: decision.reason,
            audioOnlySuggested: decision.audioOnlySuggested,
            // Keep the numbers identical unless the decision changed them, so the
            // pusher's attributes (and its setData) change only on a new decision.
            minBitrateKbps: attributesChanged ? minBitrateKbps : p.minBitrateKbps,
            maxBitrateKbps: attributesChanged ? maxBitrateKbps : p.maxBitrateKbps,
          },
        }
      }),
  }
}
