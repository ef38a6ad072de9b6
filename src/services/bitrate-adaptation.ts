/**
 * Bitrate adaptation outside the render store (cf. jitsi-meet
 * video-quality/subscriber.ts): the media session hands each uplink
 * observation (a pusher netstatus tick, 1101) straight to the pure
 * controller; its private state lives here, and only its decision reaches
 * the store (`controllerDecided`, which changes the pusher's attributes only
 * when the ceiling changes).
 */
import { appController, type BitrateController, type ControllerInput } from '../core/bitrate-controller'
import { PRESETS, type PresetId } from '../core/presets'
import type { MeetingStore } from '../store'

export class BitrateAdaptation {
  private state: unknown = null
  private presetId: PresetId | null = null

  constructor(
    private readonly store: MeetingStore,
    private readonly controller: BitrateController<unknown> = appController as BitrateController<unknown>,
  ) {}

  /** One uplink observation. A new preset (role handed over) starts the controller afresh. */
  observe(input: ControllerInput): void {
    const { publisher, controllerDecided } = this.store.getState()
    const preset = PRESETS[publisher.presetId]
    if (this.presetId !== preset.id) {
      this.presetId = preset.id
      this.state = this.controller.init(preset, input.atMs).state
    }
    const { state, decision } = this.controller.step(this.state, input, preset)
    this.state = state
    controllerDecided(decision)
  }
}
