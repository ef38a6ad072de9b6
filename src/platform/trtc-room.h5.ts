/**
 * The browser side of a TRTC meeting, with trtc-sdk-v5: one SDK client per
 * page, entered by the pusher (with the room:// push URL the room service
 * issued) and shared by the players, which is also how the mini program
 * works (players ride on the page's in-room `<live-pusher>`). It reports
 * the codes and messages the weapp `<live-pusher>` / `<live-player>` would
 * (./h5/trtc-events.ts), so the media session and the store do not know
 * the platform.
 *
 * The SDK (≈ 0.9 MB) is loaded with a dynamic import the first time a
 * room:// URL is used, so builds that never see one (the local stack) do not
 * download it. Tests hand in a stand-in for the SDK at the same boundary.
 */
import type TRTC from 'trtc-sdk-v5'
import type { NetStatus } from '../core/netstatus'
import { parseTrtcPlayUrl, parseTrtcPushUrl, type TrtcStreamType } from '../core/trtc'
import {
  audioChanged,
  deviceFailed,
  entered,
  enterFailed,
  kickedOut,
  playerNetStatus,
  pusherNetStatus,
  toSdkStreamType,
  userEntered,
  userLeft,
  videoChanged,
  type RoomCode,
  type SdkStatistics,
  type SdkStreamType,
} from './h5/trtc-events'

type Handler = (...args: never[]) => void

/** The SDK client methods we call, typed as the SDK declares them (a compile-time check below). */
export interface TrtcClientSlice {
  enterRoom(params: {
    sdkAppId: number
    userId: string
    userSig: string
    strRoomId?: string
    privateMapKey?: string
    scene?: 'rtc' | 'live'
  }): Promise<void>
  exitRoom(): Promise<void>
  startLocalVideo(config?: { view?: HTMLElement | null; option?: { useFrontCamera?: boolean; mirror?: boolean } }): Promise<void>
  stopLocalVideo(): Promise<void>
  startLocalAudio(config?: { mute?: boolean }): Promise<void>
  updateLocalAudio(config: { mute?: boolean }): Promise<void>
  stopLocalAudio(): Promise<void>
  startRemoteVideo(config: { userId: string; streamType: SdkStreamType; view?: HTMLElement | null }): Promise<void>
  stopRemoteVideo(config: { userId: string; streamType: SdkStreamType }): Promise<void>
  on(event: string, handler: Handler): unknown
  off(event: string, handler: Handler): unknown
  destroy(): void
  /** who is speaking: the SDK's AUDIO_VOLUME every `interval` ms (0..100 per user; '' is the local microphone). */
  enableAudioVolumeEvaluation(interval?: number, enableInBackground?: boolean): void
}

/** The SDK module: a factory and the event names. */
export interface TrtcSdkSlice {
  create(): TrtcClientSlice
  readonly EVENT: {
    readonly ERROR: string
    readonly KICKED_OUT: string
    readonly REMOTE_USER_ENTER: string
    readonly REMOTE_USER_EXIT: string
    readonly REMOTE_AUDIO_AVAILABLE: string
    readonly REMOTE_AUDIO_UNAVAILABLE: string
    readonly REMOTE_VIDEO_AVAILABLE: string
    readonly REMOTE_VIDEO_UNAVAILABLE: string
    readonly CONNECTION_STATE_CHANGED: string
    readonly VIDEO_PLAY_STATE_CHANGED: string
    readonly PUBLISH_STATE_CHANGED: string
    readonly NETWORK_QUALITY: string
    readonly STATISTICS: string
    readonly AUDIO_VOLUME: string
  }
}

// Compile-time proof that the real SDK fits the slices: `tsc` fails if a
// method we call changes its signature. The remote-video calls take the
// SDK's const enum TRTCStreamType, whose values are the strings 'main' and
// 'sub' we pass; and `on`/`off` are typed per event in the SDK.
type ClientChecked = Exclude<keyof TrtcClientSlice, 'on' | 'off' | 'startRemoteVideo' | 'stopRemoteVideo'>
export type SdkClientFits = Pick<TRTC, ClientChecked> extends Pick<TrtcClientSlice, ClientChecked> ? true : never
export type SdkEventsFit = (typeof TRTC)['EVENT'] extends TrtcSdkSlice['EVENT'] ? true : never
const clientFits: SdkClientFits = true
const eventsFit: SdkEventsFit = true
void clientFits
void eventsFit

export type SdkLoader = () => Promise<TrtcSdkSlice>

/** The SDK, fetched when first needed (its own chunk in the H5 build). */
export const loadTrtcSdk: SdkLoader = () => import('trtc-sdk-v5').then((m) => m.default as unknown as TrtcSdkSlice)

export interface PusherSettings {
  readonly enableMic: boolean
  readonly enableCamera: boolean
  readonly devicePosition: 'front' | 'back'
}

export interface PusherEvents {
  /** A weapp pusher state code; room events carry their `message`. */
  code(code: number, message: string): void
  netStatus(status: NetStatus): void
  /** The local microphone's level, 0..100 (the weapp pusher's bindaudiovolumenotify). */
  volume?(level: number): void
}

export interface PlayerEvents {
  code(code: number): void
  netStatus(status: NetStatus): void
  /** This user's level, 0..100 (the weapp player's bindaudiovolumenotify). */
  volume?(level: number): void
}

/** How often the SDK reports levels: about WeChat's notify period. */
const AUDIO_VOLUME_INTERVAL_MS = 300

interface Player {
  readonly userId: string
  readonly streamType: TrtcStreamType
  readonly view: HTMLElement
  readonly events: PlayerEvents
  playing: boolean
}

/** One page's TRTC session: the pusher's entry into the room and the players riding on it. */
export class TrtcRoomSession {
  private sdk: TrtcSdkSlice | null = null
  private client: TrtcClientSlice | null = null
  private pusher: PusherEvents | null = null
  private settings: PusherSettings = { enableMic: true, enableCamera: true, devicePosition: 'front' }
  private localView: HTMLElement | null = null
  private inRoom = false
  private cameraOn = false
  private micStarted = false
  /** Bumped by every enter/leave, so a late answer from an earlier one is ignored. */
  private generation = 0
  private uplinkQuality: number | undefined
  private readonly players = new Set<Player>()
  /** `${userId}/${main|sub}` of remote videos available now. */
  private readonly remoteVideos = new Set<string>()
  private readonly listeners: [string, Handler][] = []

  constructor(private readonly loadSdk: SdkLoader = loadTrtcSdk) {}

  /**
   * Enter the room a push URL names (leaving any other first). Reports
   * 1018 or -100018 / 1022, then 1003 / -1301 for the camera and -1302 for
   * the microphone, as the weapp pusher does.
   */
  async enter(pushUrl: string, settings: PusherSettings, view: HTMLElement | null, events: PusherEvents): Promise<void> {
    const params = parseTrtcPushUrl(pushUrl)
    if (this.inRoom || this.client !== null) await this.leave()
    const generation = ++this.generation
    this.pusher = events
    this.settings = settings
    this.localView = view
    if (params === null) {
      events.code(1022, 'onEnterRoom failed, error code[-3316]')
      return
    }
    let sdk: TrtcSdkSlice
    try {
      sdk = this.sdk ?? (await this.loadSdk())
    } catch (error) {
      // A chunk that did not load (offline, blocked): the same as failing to enter.
      if (generation === this.generation) events.code(1022, `onEnterRoom failed, error code[-3301] (SDK not loaded: ${String(error)})`)
      return
    }
    if (generation !== this.generation) return
    this.sdk = sdk
    const client = sdk.create()
    this.client = client
    this.listen(sdk, client)
    client.enableAudioVolumeEvaluation(AUDIO_VOLUME_INTERVAL_MS)
    const started = Date.now()
    try {
      await client.enterRoom({
        sdkAppId: params.sdkAppId,
        userId: params.userId,
        userSig: params.userSig,
        strRoomId: params.strRoomId,
        ...(params.privateMapKey !== '' ? { privateMapKey: params.privateMapKey } : {}),
        scene: 'rtc',
      })
    } catch (error) {
      if (generation !== this.generation) return
      this.emit(enterFailed(error))
      this.teardown()
      return
    }
    if (generation !== this.generation) return
    this.inRoom = true
    this.emit(entered(Date.now() - started))
    await this.applySettings(generation)
    for (const player of this.players) void this.startPlayer(player)
  }

  /** Apply new pusher attributes without re-entering. */
  update(settings: PusherSettings): void {
    const previous = this.settings
    this.settings = settings
    if (!this.inRoom) return
    if (previous.devicePosition !== settings.devicePosition && this.cameraOn) {
      // The SDK picks the camera when capture starts: restart it facing the other way.
      this.cameraOn = false
      void this.client?.stopLocalVideo().then(() => this.applySettings(this.generation))
      return
    }
    void this.applySettings(this.generation)
  }

  /** Leave the room and drop the client; players stay registered for the next entry. */
  async leave(): Promise<void> {
    this.generation += 1
    const client = this.client
    const wasIn = this.inRoom
    this.teardown()
    if (client !== null && wasIn) await client.exitRoom().catch(() => {})
    client?.destroy()
  }

  /** Show a remote participant's stream (its room:// play URL) in `view` once it is available. Returns the detach. */
  attachPlayer(playUrl: string, view: HTMLElement, events: PlayerEvents): () => void {
    const target = parseTrtcPlayUrl(playUrl)
    if (target === null) {
      events.code(-2302)
      return () => {}
    }
    const player: Player = { ...target, view, events, playing: false }
    this.players.add(player)
    void this.startPlayer(player)
    return () => {
      this.players.delete(player)
      if (player.playing && this.client !== null && this.inRoom) {
        void this.client.stopRemoteVideo({ userId: player.userId, streamType: toSdkStreamType(player.streamType) }).catch(() => {})
      }
      player.playing = false
    }
  }

  private async applySettings(generation: number): Promise<void> {
    const client = this.client
    if (client === null || generation !== this.generation) return
    const { enableCamera, enableMic, devicePosition } = this.settings
    if (enableCamera && !this.cameraOn) {
      this.cameraOn = true
      try {
        await client.startLocalVideo({ view: this.localView, option: { useFrontCamera: devicePosition === 'front', mirror: devicePosition === 'front' } })
        if (generation === this.generation) this.pusher?.code(1003, '')
      } catch (error) {
        this.cameraOn = false
        if (generation === this.generation) this.emit(deviceFailed('camera', error))
      }
    } else if (!enableCamera && this.cameraOn) {
      this.cameraOn = false
      await client.stopLocalVideo().catch(() => {})
    }
    if (generation !== this.generation) return
    if (!this.micStarted && enableMic) {
      this.micStarted = true
      try {
        await client.startLocalAudio()
      } catch (error) {
        this.micStarted = false
        if (generation === this.generation) this.emit(deviceFailed('microphone', error))
      }
    } else if (this.micStarted) {
      // Muting keeps the microphone open, so turning it back on is instant.
      await client.updateLocalAudio({ mute: !enableMic }).catch(() => {})
    }
  }

  private async startPlayer(player: Player): Promise<void> {
    const client = this.client
    const streamType = toSdkStreamType(player.streamType)
    if (client === null || !this.inRoom || player.playing || !this.remoteVideos.has(`${player.userId}/${streamType}`)) return
    player.playing = true
    player.events.code(2001)
    try {
      await client.startRemoteVideo({ userId: player.userId, streamType, view: player.view })
    } catch {
      player.playing = false
      if (this.players.has(player)) player.events.code(-2301)
    }
  }

  private playersOf(userId: string, streamType: SdkStreamType): Player[] {
    return [...this.players].filter((p) => p.userId === userId && toSdkStreamType(p.streamType) === streamType)
  }

  private emit(room: RoomCode): void {
    this.pusher?.code(room.code, room.message)
  }

  private listen(sdk: TrtcSdkSlice, client: TrtcClientSlice): void {
    const E = sdk.EVENT
    const on = <A extends unknown[]>(event: string, handler: (...args: A) => void): void => {
      const h = handler as unknown as Handler
      client.on(event, h)
      this.listeners.push([event, h])
    }
    on(E.REMOTE_USER_ENTER, (e: { userId: string }) => this.emit(userEntered(e.userId)))
    on(E.AUDIO_VOLUME, (e: { result?: readonly { userId?: unknown; volume?: unknown }[] }) => {
      if (!Array.isArray(e?.result)) return
      for (const { userId, volume } of e.result) {
        if (typeof volume !== 'number') continue
        if (userId === '') this.pusher?.volume?.(volume)
        else for (const p of this.players) if (p.userId === userId && p.streamType === 'main') p.events.volume?.(volume)
      }
    })
    on(E.REMOTE_USER_EXIT, (e: { userId: string }) => {
      for (const key of [...this.remoteVideos]) if (key.startsWith(`${e.userId}/`)) this.remoteVideos.delete(key)
      for (const p of this.players) if (p.userId === e.userId) p.playing = false
      this.emit(userLeft(e.userId))
    })
    on(E.REMOTE_VIDEO_AVAILABLE, (e: { userId: string; streamType: SdkStreamType }) => {
      this.remoteVideos.add(`${e.userId}/${e.streamType}`)
      this.emit(videoChanged(e.userId, e.streamType, true))
      for (const p of this.playersOf(e.userId, e.streamType)) void this.startPlayer(p)
    })
    on(E.REMOTE_VIDEO_UNAVAILABLE, (e: { userId: string; streamType: SdkStreamType }) => {
      this.remoteVideos.delete(`${e.userId}/${e.streamType}`)
      // The SDK stops the remote view itself; the next AVAILABLE starts it again.
      for (const p of this.playersOf(e.userId, e.streamType)) p.playing = false
      this.emit(videoChanged(e.userId, e.streamType, false))
    })
    on(E.REMOTE_AUDIO_AVAILABLE, (e: { userId: string }) => this.emit(audioChanged(e.userId, true)))
    on(E.REMOTE_AUDIO_UNAVAILABLE, (e: { userId: string }) => this.emit(audioChanged(e.userId, false)))
    on(E.VIDEO_PLAY_STATE_CHANGED, (e: { userId: string; streamType: SdkStreamType; state: string }) => {
      const code = e.state === 'PLAYING' ? 2004 : e.state === 'PAUSED' ? 2007 : null
      if (code !== null) for (const p of this.playersOf(e.userId, e.streamType)) p.events.code(code)
    })
    on(E.PUBLISH_STATE_CHANGED, (e: { mediaType: string; state: string }) => {
      if (e.state === 'started' && e.mediaType !== 'screen') this.pusher?.code(1002, '')
    })
    on(E.CONNECTION_STATE_CHANGED, (e: { prevState: string; state: string }) => {
      if (e.state === 'RECONNECTING' || (e.state === 'CONNECTING' && e.prevState === 'CONNECTED')) this.pusher?.code(1102, '')
      else if (e.state === 'CONNECTED' && (e.prevState === 'RECONNECTING' || e.prevState === 'CONNECTING') && this.inRoom) this.pusher?.code(1001, '')
    })
    on(E.KICKED_OUT, (e: { reason: string }) => {
      this.emit(kickedOut(e.reason))
      this.teardown()
    })
    on(E.ERROR, () => {
      // Only errors the SDK could not recover from by itself arrive here.
      this.pusher?.code(-1307, '')
    })
    on(E.NETWORK_QUALITY, (e: { uplinkNetworkQuality: number }) => {
      this.uplinkQuality = e.uplinkNetworkQuality
    })
    on(E.STATISTICS, (stats: SdkStatistics) => {
      this.pusher?.netStatus(pusherNetStatus(stats, this.uplinkQuality))
      for (const p of this.players) {
        const status = playerNetStatus(stats, p.userId, p.streamType)
        if (status !== null) p.events.netStatus(status)
      }
    })
  }

  /** Forget the client and its state (no SDK calls). */
  private teardown(): void {
    const client = this.client
    if (client !== null) for (const [event, handler] of this.listeners) client.off(event, handler)
    this.listeners.length = 0
    this.client = null
    this.inRoom = false
    this.cameraOn = false
    this.micStarted = false
    this.remoteVideos.clear()
    for (const p of this.players) p.playing = false
  }
}
