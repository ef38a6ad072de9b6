/**
 * The media views of the H5 (browser) build, with the exports and props of
 * the weapp `live-media.tsx`: Taro's H5 LivePusher/LivePlayer are empty
 * stubs, so these render a real `<video>` and do the media themselves.
 *
 * - PlayerView plays the participant's play URL as WS-FLV with mpegts.js
 *   (./flv-player.h5.ts): a page may hold only 6 HTTP connections per host,
 *   so HTTP-FLV would stall past six tiles.
 * - PusherView shows the camera and publishes it through the room service's
 *   ingest socket (./webm-publisher.h5.ts, docs/protocol.md §9).
 *
 * With the `trtc` provider the URLs are room:// and both go to TRTC's web
 * SDK instead (./trtc-media.h5.tsx), so browser and weapp attendees meet in
 * one TRTC room.
 *
 * Both report the same state codes and netstatus fields as the native
 * components, so the store, the controller and the UI do not know the
 * platform. Each tears its media down on unmount and on a new URL; the app
 * restarts them by remounting (key).
 */
import { View } from '@tarojs/components'
import { useEffect, useRef } from 'react'
import type { CSSProperties } from 'react'
// The ingest socket lives on the room service; one source for its address in the build.
import { serviceUrl } from './service-url'
import { FlvPlayback } from './flv-player.h5'
import { WebmPublisher, type PublishSettings } from './webm-publisher.h5'
import { isTrtcUrl } from '../core/trtc'
import { useLatest } from './h5/use-latest'
import { AudioLevelMeter, captureElementStream } from './h5/audio-level'
import { TrtcPlayerView, TrtcPusherView } from './trtc-media.h5'
import type { PlayerViewProps, PusherViewProps } from './live-media-props'

export type { PlayerViewProps, PusherViewProps }

const VIDEO_STYLE: CSSProperties = { width: '100%', height: '100%', objectFit: 'cover', display: 'block', background: '#000' }
const MIRRORED_STYLE: CSSProperties = { ...VIDEO_STYLE, transform: 'scaleX(-1)' }

/** room:// URLs (the `trtc` provider) go to TRTC's web SDK; everything else to the ingest/WS-FLV media. */
export function PusherView(props: PusherViewProps) {
  return isTrtcUrl(props.url) ? <TrtcPusherView {...props} /> : <IngestPusherView {...props} />
}

export function PlayerView(props: PlayerViewProps) {
  return isTrtcUrl(props.src) ? <TrtcPlayerView {...props} /> : <FlvPlayerView {...props} />
}

function IngestPusherView(props: PusherViewProps) {
  const videoRef = useRef<HTMLVideoElement>(null)
  const callbacks = useLatest({ onStateChange: props.onStateChange, onNetStatus: props.onNetStatus, onAudioVolume: props.onAudioVolume })
  const settings: PublishSettings = {
    url: props.url,
    maxBitrateKbps: props.maxBitrateKbps,
    audioQuality: props.audioQuality,
    enableMic: props.enableMic,
    enableCamera: props.enableCamera,
    devicePosition: props.devicePosition,
  }
  const latestSettings = useLatest(settings)
  const publisherRef = useRef<WebmPublisher | null>(null)

  // One publisher per mount: the camera stays open across attribute changes.
  useEffect(() => {
    // The microphone's level from the camera's own stream (the pusher's bindaudiovolumenotify).
    const meter = new AudioLevelMeter((level) => callbacks.current.onAudioVolume?.(level))
    const publisher = new WebmPublisher(
      latestSettings.current,
      {
        code: (code) => callbacks.current.onStateChange(code),
        netStatus: (status) => callbacks.current.onNetStatus(status),
        preview: (stream) => {
          const video = videoRef.current
          meter.attach(stream)
          if (video === null) return
          video.srcObject = stream
          if (stream !== null) void video.play()?.catch(() => {})
        },
      },
      serviceUrl(),
    )
    publisherRef.current = publisher
    publisher.start()
    return () => {
      publisherRef.current = null
      publisher.destroy()
      meter.destroy()
    }
  }, [callbacks, latestSettings])

  const { url, maxBitrateKbps, audioQuality, enableMic, enableCamera, devicePosition } = props
  useEffect(() => {
    publisherRef.current?.update({ url, maxBitrateKbps, audioQuality, enableMic, enableCamera, devicePosition })
  }, [url, maxBitrateKbps, audioQuality, enableMic, enableCamera, devicePosition])

  return (
    <View className={props.className} style={props.style}>
      {/* The user sees themselves mirrored on the front camera (live-pusher's local-mirror="auto"). */}
      <video ref={videoRef} muted autoPlay playsInline style={devicePosition === 'front' ? MIRRORED_STYLE : VIDEO_STYLE} />
    </View>
  )
}

function FlvPlayerView(props: PlayerViewProps) {
  const videoRef = useRef<HTMLVideoElement>(null)
  const callbacks = useLatest({ onStateChange: props.onStateChange, onNetStatus: props.onNetStatus, onAudioVolume: props.onAudioVolume })
  const { src } = props

  useEffect(() => {
    const video = videoRef.current
    if (video === null || src === '') return
    const playback = new FlvPlayback(video, src, {
      code: (code) => callbacks.current.onStateChange(code),
      netStatus: (status) => callbacks.current.onNetStatus(status),
    })
    playback.start()
    const stopMeter = meterPlayback(video, (level) => callbacks.current.onAudioVolume?.(level))
    return () => {
      stopMeter()
      playback.destroy()
    }
  }, [src, callbacks])

  return (
    <View className={props.className} style={props.style}>
      <video ref={videoRef} autoPlay playsInline style={VIDEO_STYLE} />
    </View>
  )
}

/**
 * The level of what a player's `<video>` plays (the player's
 * bindaudiovolumenotify). mpegts.js adds the audio track only once media
 * arrives, so the captured stream is (re)measured on `playing` and whenever
 * it gains a track.
 */
function meterPlayback(video: HTMLVideoElement, onLevel: (level: number) => void): () => void {
  const meter = new AudioLevelMeter(onLevel)
  // One captured stream per element: it follows whatever the element plays.
  let stream: MediaStream | null = null
  const measure = () => meter.attach(stream)
  const onPlaying = () => {
    if (stream === null) {
      stream = captureElementStream(video)
      stream?.addEventListener('addtrack', measure)
    }
    measure()
  }
  video.addEventListener('playing', onPlaying)
  return () => {
    video.removeEventListener('playing', onPlaying)
    stream?.removeEventListener('addtrack', measure)
    meter.destroy()
  }
}
