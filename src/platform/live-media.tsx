/**
 * The native media views of the mini program: one `<live-pusher>` for the
 * local camera and `<live-player>` tiles, both in RTC mode. Raw WeChat events
 * are parsed here (src/core) and handed up as typed values, so nothing above
 * this file knows the event shapes (`detail` vs `details`, string codes, ...).
 *
 * This is the weapp implementation, used by default; an H5 build can provide
 * `live-media.h5.tsx` with the same exports (Taro's H5 LivePusher/LivePlayer
 * are empty stubs).
 */
import { LivePlayer, LivePusher } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useCallback, useEffect } from 'react'
import { parseNetStatus, type NetStatus } from '../core/netstatus'
import { isTrtcUrl, parseTrtcStateChange } from '../core/trtc'
import { parseErrorEvent, parseFullScreenChange, parseStateCode, parseVolumeEvent } from '../core/wechat-event'
import type { PlayerViewProps, PusherViewProps } from './live-media-props'

export type { PlayerViewProps, PusherViewProps }

/** The events' own types differ per platform; the parsers accept anything. */
type AnyHandler = (e: unknown) => void

function useStateChange(onStateChange: (code: number) => void): AnyHandler {
  return useCallback(
    (e: unknown) => {
      const code = parseStateCode(e)
      if (code !== null) onStateChange(code)
    },
    [onStateChange],
  )
}

function useNetStatus(onNetStatus: (status: NetStatus) => void): AnyHandler {
  return useCallback(
    (e: unknown) => {
      const status = parseNetStatus(e)
      if (status !== null) onNetStatus(status)
    },
    [onNetStatus],
  )
}

/** `bindaudiovolumenotify` → a 0..100 level; unreadable events are dropped. */
function useAudioVolume(onAudioVolume: ((volume: number) => void) | undefined): AnyHandler {
  return useCallback(
    (e: unknown) => {
      const volume = parseVolumeEvent(e)
      if (volume !== null) onAudioVolume?.(volume)
    },
    [onAudioVolume],
  )
}

/**
 * Start the page's pusher once the view has its URL: what trtc-wx does for
 * room:// (autopush off, `start()` in the setData callback; Taro.nextTick
 * runs after the pending setData). UNVERIFIED on a phone whether
 * `autopush` with a room:// url would do as well.
 */
function startPushWhenRendered(): void {
  const start = () => {
    try {
      const ctx = Taro.createLivePusherContext() as unknown as Record<string, unknown>
      if (typeof ctx.start === 'function') (ctx.start as (o: object) => void).call(ctx, { fail: () => undefined })
    } catch {
      // The pusher went away before it was drawn: nothing to start.
    }
  }
  const nextTick = (Taro as unknown as { nextTick?: (cb: () => void) => void }).nextTick
  if (typeof nextTick === 'function') nextTick(start)
  else setTimeout(start, 0)
}

export function PusherView(props: PusherViewProps) {
  const { onError, onStateChange, onRoomEvent, url } = props
  const room = isTrtcUrl(url)
  // A remount (new key) or new credentials (new url) is a new entry.
  useEffect(() => {
    if (room) startPushWhenRendered()
  }, [room, url])
  const handleCode = useStateChange(onStateChange)
  // room:// pushes also report the room's members and streams in `message`.
  const handleStateChange = useCallback(
    (e: unknown) => {
      handleCode(e)
      if (onRoomEvent === undefined) return
      const event = parseTrtcStateChange(e)
      if (event !== null) onRoomEvent(event)
    },
    [handleCode, onRoomEvent],
  )
  const handleNetStatus = useNetStatus(props.onNetStatus)
  const handleVolume = useAudioVolume(props.onAudioVolume)
  const handleError = useCallback(
    (e: unknown) => {
      const err = parseErrorEvent(e)
      if (err !== null) onError(err.errCode, err.errMsg)
    },
    [onError],
  )
  return (
    <LivePusher
      id='local-pusher'
      className={props.className}
      style={props.style}
      url={props.url}
      mode='RTC'
      autopush={props.url !== '' && !room}
      minBitrate={props.minBitrateKbps}
      maxBitrate={props.maxBitrateKbps}
      audioQuality={props.audioQuality}
      enableMic={props.enableMic}
      enableCamera={props.enableCamera}
      devicePosition={props.devicePosition}
      waitingImage={props.waitingImage}
      waitingImageHash={props.waitingImageHash}
      // voicecall volume uses the system echo canceller, which a
      // speaker-phone meeting needs (platform-facts: audio routing).
      audioVolumeType='voicecall'
      // The front camera shows the user a mirror image; the others see them unmirrored.
      localMirror='auto'
      onStateChange={handleStateChange}
      onNetStatus={handleNetStatus}
      onError={handleError}
      onAudioVolumeNotify={handleVolume}
    />
  )
}

export function PlayerView(props: PlayerViewProps) {
  const handleStateChange = useStateChange(props.onStateChange)
  const handleNetStatus = useNetStatus(props.onNetStatus)
  const { onFullScreenChange } = props
  const handleFullScreenChange = useCallback(
    (e: unknown) => {
      const fullScreen = parseFullScreenChange(e)
      if (fullScreen !== null) onFullScreenChange?.(fullScreen)
    },
    [onFullScreenChange],
  )
  const handleVolume = useAudioVolume(props.onAudioVolume)
  return (
    <LivePlayer
      id={props.id}
      className={props.className}
      style={props.style}
      src={props.src}
      mode='RTC'
      autoplay
      objectFit='fillCrop'
      soundMode={props.soundMode ?? 'speaker'}
      // live-player has no audio-volume-type (not in its attribute table): the
      // call volume and echo canceller come from the pusher's voicecall.
      onStateChange={handleStateChange}
      onNetStatus={handleNetStatus}
      onFullScreenChange={handleFullScreenChange}
      onAudioVolumeNotify={handleVolume}
    />
  )
}
