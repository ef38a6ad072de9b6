/**
 * Native full screen of a participant's `<live-player>` (mini program): its
 * context's `requestFullScreen({direction})` / `exitFullScreen()`. Whether
 * the player really is full screen comes back through the player's
 * `bindfullscreenchange` (PlayerView's onFullScreenChange), so nothing here
 * reports state. The browser version is ./fullscreen.h5.ts.
 */
import Taro from '@tarojs/taro'
import { playerElementId } from './live-media-props'

type PlayerContext = { requestFullScreen?(o: object): void; exitFullScreen?(o?: object): void }

function context(participantId: string): PlayerContext | null {
  try {
    return Taro.createLivePlayerContext(playerElementId(participantId)) as unknown as PlayerContext
  } catch {
    // The player went away: nothing to make full screen.
    return null
  }
}

/** Ask the participant's player for full screen, rotated by `direction` (0 portrait, 90 landscape). */
export function enterFullScreen(participantId: string, direction: 0 | 90): void {
  context(participantId)?.requestFullScreen?.({ direction, fail: () => undefined })
}

/** Leave full screen (the back-to-grid control; the system back leaves it natively). */
export function exitFullScreen(participantId: string): void {
  context(participantId)?.exitFullScreen?.({ fail: () => undefined })
}

/** Browser only (a document-wide event); the mini program reports per player. */
export function watchFullScreen(_onChange: (participantId: string | null) => void): () => void {
  return () => undefined
}
