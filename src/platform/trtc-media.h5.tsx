/**
 * PusherView / PlayerView for room:// URLs in the browser: the same props
 * and the same codes as the weapp components, over TRTC's web SDK
 * (./trtc-room.h5.ts). One TRTC session per page, entered by the pusher;
 * players attach to it. A new push URL (new credentials) re-enters the
 * room; unmounting the pusher leaves it.
 */
import { View } from '@tarojs/components'
import { useEffect, useRef } from 'react'
import type { CSSProperties } from 'react'
import { parseTrtcRoomEvent } from '../core/trtc'
import { useLatest } from './h5/use-latest'
import type { PlayerViewProps, PusherViewProps } from './live-media-props'
import { TrtcRoomSession } from './trtc-room.h5'

const FILL: CSSProperties = { width: '100%', height: '100%', background: '#000', overflow: 'hidden' }

let pageSession: TrtcRoomSession | null = null

/** The page's TRTC session (created on first use; the SDK loads when the pusher first enters). */
export function trtcSession(): TrtcRoomSession {
  pageSession ??= new TrtcRoomSession()
  return pageSession
}

export function TrtcPusherView(props: PusherViewProps) {
  const viewRef = useRef<HTMLDivElement>(null)
  const callbacks = useLatest({
    onStateChange: props.onStateChange,
    onNetStatus: props.onNetStatus,
    onRoomEvent: props.onRoomEvent,
    onAudioVolume: props.onAudioVolume,
  })
  const { url, enableMic, enableCamera, devicePosition } = props
  const settings = useLatest({ enableMic, enableCamera, devicePosition })

  useEffect(() => {
    if (url === '') return
    const session = trtcSession()
    void session.enter(url, settings.current, viewRef.current, {
      code: (code, message) => {
        callbacks.current.onStateChange(code)
        const event = callbacks.current.onRoomEvent === undefined ? null : parseTrtcRoomEvent(code, message)
        if (event !== null) callbacks.current.onRoomEvent?.(event)
      },
      netStatus: (status) => callbacks.current.onNetStatus(status),
      volume: (level) => callbacks.current.onAudioVolume?.(level),
    })
    return () => {
      void session.leave()
    }
  }, [url, callbacks, settings])

  useEffect(() => {
    trtcSession().update({ enableMic, enableCamera, devicePosition })
  }, [enableMic, enableCamera, devicePosition])

  return (
    <View className={props.className} style={props.style}>
      <div ref={viewRef} style={FILL} />
    </View>
  )
}

export function TrtcPlayerView(props: PlayerViewProps) {
  const viewRef = useRef<HTMLDivElement>(null)
  const callbacks = useLatest({ onStateChange: props.onStateChange, onNetStatus: props.onNetStatus, onAudioVolume: props.onAudioVolume })
  const { src } = props

  useEffect(() => {
    const view = viewRef.current
    if (view === null || src === '') return
    return trtcSession().attachPlayer(src, view, {
      code: (code) => callbacks.current.onStateChange(code),
      netStatus: (status) => callbacks.current.onNetStatus(status),
      volume: (level) => callbacks.current.onAudioVolume?.(level),
    })
  }, [src, callbacks])

  return (
    <View className={props.className} style={props.style}>
      <div ref={viewRef} style={FILL} />
    </View>
  )
}
