/**
 * Drives the compiled room page the way the WeChat client does: reads what the
 * page rendered on its <live-pusher> / <live-player> elements and fires their
 * component events with WeChat-shaped `detail`s. Every fire* waits until
 * React/Taro have flushed, and fails if the event was not bound in the
 * template, never reached Taro, or a handler threw (see WeappNode.dispatch).
 */
import type { PageHandle, WeappNode } from './harness'

/** `detail.info` of a live-pusher / live-player `netstatus` event (all fields optional here). */
export interface NetStatusInfo {
  videoBitrate?: number
  audioBitrate?: number
  videoFPS?: number
  videoGOP?: number
  netSpeed?: number
  netJitter?: number
  netQualityLevel?: number
  videoWidth?: number
  videoHeight?: number
  videoCache?: number
  audioCache?: number
  vDecCacheSize?: number
  vSumCacheSize?: number
  avPlayInterval?: number
  avRecvInterval?: number
  audioCacheThreshold?: number
  [field: string]: number | string | undefined
}

export interface RoomDriver {
  /** The page's single <live-pusher>. */
  pusher(): WeappNode
  /** Every <live-player>, in document order. */
  players(): WeappNode[]
  /** The index-th <live-player>; throws with the rendered markup when there is none. */
  player(index: number): WeappNode
  /** A rendered attribute of the pusher, e.g. pusherAttr('max-bitrate'). */
  pusherAttr(name: string): unknown
  /** A rendered attribute of the index-th player, e.g. playerAttr(0, 'src'). */
  playerAttr(index: number, name: string): unknown
  /** live-pusher `statechange`: `{ code, message }` (1002 push started, -1307 push failed, 5000 app hidden…). */
  firePusherStateChange(code: number, message?: string): Promise<void>
  /** live-pusher `netstatus`: `{ info }`. */
  firePusherNetStatus(info: NetStatusInfo): Promise<void>
  /** live-pusher `error`: `{ errCode, errMsg }` (10001 camera denied, 10002 mic denied…). */
  firePusherError(errCode: number, errMsg?: string): Promise<void>
  /** live-player `statechange`: `{ code, message }` (2004 playing, -2301 gave up reconnecting…). */
  firePlayerStateChange(index: number, code: number, message?: string): Promise<void>
  /** live-player `netstatus`: `{ info }`. */
  firePlayerNetStatus(index: number, info: NetStatusInfo): Promise<void>
  /** live-pusher `audiovolumenotify`: `{ volume }` (the microphone's level, 0..100). */
  firePusherVolume(volume: number): Promise<void>
  /** live-player `audiovolumenotify`: `{ volume }` (the stream's level, 0..100). */
  firePlayerVolume(index: number, volume: number): Promise<void>
}

export function roomDriver(page: PageHandle): RoomDriver {
  const pusher = (): WeappNode => page.get('live-pusher')
  const players = (): WeappNode[] => page.findAll('live-player')
  const player = (index: number): WeappNode => {
    const all = players()
    const found = all[index]
    if (!found) {
      throw new Error(
        `no live-player #${index}: ${all.length} rendered. The room mounts players only for remote participants ` +
          `(have others join the meeting: meeting.ts openMeeting / Others). Page:\n${page.markup()}`,
      )
    }
    return found
  }
  return {
    pusher,
    players,
    player,
    pusherAttr: (name) => pusher().attr(name),
    playerAttr: (index, name) => player(index).attr(name),
    firePusherStateChange: (code, message = '') => pusher().dispatch('statechange', { code, message }),
    firePusherNetStatus: (info) => pusher().dispatch('netstatus', { info }),
    firePusherError: (errCode, errMsg = '') => pusher().dispatch('error', { errCode, errMsg }),
    firePlayerStateChange: (index, code, message = '') => player(index).dispatch('statechange', { code, message }),
    firePlayerNetStatus: (index, info) => player(index).dispatch('netstatus', { info }),
    firePusherVolume: (volume) => pusher().dispatch('audiovolumenotify', { volume }),
    firePlayerVolume: (index, volume) => player(index).dispatch('audiovolumenotify', { volume }),
  }
}
