/**
 * The props of the media views, shared by every platform's implementation
 * (live-media.tsx for the mini program, live-media.h5.tsx for browsers).
 */
import type { CSSProperties } from 'react'
import type { NetStatus } from '../core/netstatus'
import type { AudioQuality } from '../core/presets'
import type { TrtcRoomEvent } from '../core/trtc'

export interface PusherViewProps {
  readonly url: string
  readonly minBitrateKbps: number
  readonly maxBitrateKbps: number
  readonly audioQuality: AudioQuality
  readonly enableMic: boolean
  readonly enableCamera: boolean
  readonly devicePosition: 'front' | 'back'
  /** What the others see while the app is in the background (a package path), and its MD5. */
  readonly waitingImage?: string
  readonly waitingImageHash?: string
  readonly className?: string
  readonly style?: CSSProperties
  onStateChange(code: number): void
  onNetStatus(status: NetStatus): void
  /**
   * `binderror` of the native pusher (10001 camera / 10002 mic denied). A
   * browser has no separate channel: there a refused camera or microphone
   * arrives as -1301 / -1302 through onStateChange, which the store handles
   * the same way (request-permission).
   */
  onError(errCode: number, errMsg: string): void
  /**
   * room:// (TRTC) only: the room events among the state codes (1018–1034,
   * -3301, -100018) with their payloads read (src/core/trtc.ts). The code
   * itself still arrives through onStateChange.
   */
  onRoomEvent?(event: TrtcRoomEvent): void
  /** The microphone's level, 0..100, a few times a second (`bindaudiovolumenotify`; browser: Web Audio). */
  onAudioVolume?(volume: number): void
}

export interface PlayerViewProps {
  readonly src: string
  readonly className?: string
  readonly style?: CSSProperties
  onStateChange(code: number): void
  onNetStatus(status: NetStatus): void
  /**
   * `sound-mode`: the loudspeaker (default) or the earpiece. The browser has
   * no earpiece to choose, so the H5 views ignore it (and the toggle is hidden there).
   */
  readonly soundMode?: 'speaker' | 'ear'
  /** The element id of the native player ({@link playerElementId}), for `createLivePlayerContext(id)`. */
  readonly id?: string
  /**
   * The mini program's `bindfullscreenchange` (`detail.fullScreen`). A browser
   * reports full screen for the whole tile instead (./fullscreen.h5.ts).
   */
  onFullScreenChange?(fullScreen: boolean): void
  /** The stream's audio level, 0..100, a few times a second (`bindaudiovolumenotify`; browser: Web Audio). */
  onAudioVolume?(volume: number): void
}

/** The element id of a participant's `<live-player>`: one id per participant, so its context can be found. */
export function playerElementId(participantId: string): string {
  return `player-${participantId}`
}
