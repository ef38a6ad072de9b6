import { qualityFromNetStatus } from '../core/netstatus'
import { PRESETS, ROLE_PRESET, type Role } from '../core/presets'
import type { StateCreator } from 'zustand/vanilla'
import type { MeetingState, PublisherSlice } from './types'

type Creator = StateCreator<MeetingState, [['zustand/subscribeWithSelector', never]], [], PublisherSlice>
type Publisher = MeetingState['publisher']

/**
 * The pusher attributes of a role's preset, as the bitrate controller starts
 * them (every controller starts at the preset's range; the adaptation in
 * services/bitrate-adaptation.ts starts its controller afresh on a new preset).
 */
function presetFields(role: Role) {
  const preset = PRESETS[ROLE_PRESET[role]]
  return {
    role,
    presetId: preset.id,
    minBitrateKbps: preset.minBitrateKbps,
    maxBitrateKbps: preset.maxBitrateKbps,
    controllerReason: 'init' as const,
    audioOnlySuggested: false,
  }
}

/** The publisher before joining: a participant preset, nothing pushed. */
export function initialPublisher(): Publisher {
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
    ...presetFields('participant'),
  }
}

/**
 * The publisher slice. Where the pusher stands (media, lastCode,
 * pushGeneration, restarts) is written by the media session only
 * (`mediaUpdated`), the bitrates by the bitrate controller only
 * (`controllerDecided`).
 */
export const createPublisherSlice: Creator = (set) => ({
  publisher: initialPublisher(),

  joined: (self) =>
    set((s) => ({
      publisher: {
        ...s.publisher,
        ...presetFields(self.role),
        selfId: self.id,
        nickname: self.nickname,
        pushUrl: self.pushUrl,
      },
    })),

  pushCredentialsChanged: (pushUrl) =>
    set((s) => (s.publisher.pushUrl === pushUrl || s.publisher.selfId === null ? s : { publisher: { ...s.publisher, pushUrl } })),

  roleChanged: (role) =>
    set((s) => (s.publisher.role === role ? s : { publisher: { ...s.publisher, ...presetFields(role) } })),

  micToggled: () =>
    set((s) => {
      // A participant the host muted cannot unmute themselves.
      if (!s.publisher.micOn && s.publisher.mutedByHost) return s
      return { publisher: { ...s.publisher, micOn: !s.publisher.micOn } }
    }),

  cameraToggled: () => set((s) => ({ publisher: { ...s.publisher, cameraOn: !s.publisher.cameraOn } })),

  cameraSwitched: () =>
    set((s) => ({
      publisher: { ...s.publisher, devicePosition: s.publisher.devicePosition === 'front' ? 'back' : 'front' },
    })),

  pusherNetStatus: (status, atMs = Date.now()) =>
    set((s) => ({ network: { ...s.network, self: { status, quality: qualityFromNetStatus(status, 'pusher'), atMs } } })),

  controllerDecided: (decision) =>
    set((s) => {
      const p = s.publisher
      const { minBitrateKbps, maxBitrateKbps } = decision.ceiling
      // A decision that changes nothing leaves the publisher untouched: no
      // subscriber runs, no tile re-renders, no setData crosses to the view.
      if (
        p.minBitrateKbps === minBitrateKbps &&
        p.maxBitrateKbps === maxBitrateKbps &&
        p.controllerReason === decision.reason &&
        p.audioOnlySuggested === decision.audioOnlySuggested
      ) {
        return s
      }
      return {
        publisher: {
          ...p,
          minBitrateKbps,
          maxBitrateKbps,
          controllerReason: decision.reason,
          audioOnlySuggested: decision.audioOnlySuggested,
        },
      }
    }),
})
