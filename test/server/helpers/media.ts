/**
 * Media from Node, without ffmpeg: publish the fixture clip with the RTMP
 * client bundled in node-media-server, and play HTTP-FLV / WS-FLV / RTMP while
 * reading the FLV tags that arrive.
 */
import { readFileSync } from 'node:fs'
import { get as httpGet, type ClientRequest } from 'node:http'
import { join } from 'node:path'
import type NodeMediaServer from 'node-media-server'
import Flv from 'node-media-server/src/protocol/flv.js'
import RtmpClient from 'node-media-server/src/protocol/rtmp_client.js'
import WebSocket from 'ws'

type AvPacket = NodeMediaServer.AvPacket

export const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'test-pattern-h264-aac.flv')

/**
 * The clip's audio and video tags as packets. Skipped: script tags, and the
 * H.264 end-of-sequence tag ffmpeg writes last, which a live pusher never
 * sends mid-stream and which node-media-server would take for a keyframe
 * (leaving late players a GOP cache of one empty frame).
 */
export function readFixturePackets(file = FIXTURE): AvPacket[] {
  const flv = readFileSync(file)
  if (flv.toString('latin1', 0, 3) !== 'FLV') throw new Error(`${file} is not FLV`)
  const packets: AvPacket[] = []
  let offset = flv.readUInt32BE(5) + 4
  while (offset + 11 <= flv.length) {
    const type = flv[offset]
    const size = flv.readUIntBE(offset + 1, 3)
    const time = flv.readUIntBE(offset + 4, 3) | (flv[offset + 7] << 24)
    const data = Buffer.from(flv.subarray(offset + 11, offset + 11 + size))
    const endOfSequence = type === 9 && (data[0] & 0x0f) === 7 && data[1] === 2
    if ((type === 8 || type === 9) && !endOfSequence) packets.push(Flv.parserTag(type, time, size, data))
    offset += 11 + size + 4
  }
  return packets
}

export interface PublishAttempt {
  /** The server answered publish with NetStream.Publish.Start (node-media-server answers before it checks). */
  readonly started: boolean
  readonly packetsWritten: number
  /** The server closed the connection while we held it open. */
  readonly closedByServer: boolean
  readonly error: string | undefined
}

/**
 * Publish `packets` to an RTMP URL as ffmpeg would (the query rides on the
 * stream name), keep the connection `holdMs` longer, then disconnect.
 * `whilePublishing` runs after the packets went out, before disconnecting.
 */
export async function publish(
  url: string,
  packets: readonly AvPacket[],
  options: {
    holdMs?: number
    whilePublishing?: () => Promise<void>
    /** Send the media right behind the publish command, without waiting for the answer (one TCP write). */
    eager?: boolean
  } = {},
): Promise<PublishAttempt> {
  const client = new RtmpClient()
  let closedByServer = false
  let disconnecting = false
  const closed = new Promise<void>((resolve) => {
    client.onCloseCallback = () => {
      if (!disconnecting) closedByServer = true
      resolve()
    }
  })
  let started = false
  let packetsWritten = 0
  let error: string | undefined
  try {
    await client.connect(url)
    await client.sendConnect()
    await client.sendCreateStream()
    const { streamName, query } = RtmpClient.parseUrl(url)
    const search = new URLSearchParams(query).toString()
    const publishing = client.sendPublish(search === '' ? streamName : `${streamName}?${search}`)
    if (options.eager === true) publishing.catch(() => {})
    else await publishing
    started = true
    for (const packet of packets) {
      if (client.socket === null || client.socket.destroyed) break
      client.sendPacket(packet)
      packetsWritten += 1
    }
    await options.whilePublishing?.()
    await raceTimeout(closed, options.holdMs ?? 0)
  } catch (e) {
    error = e instanceof Error ? e.message : String(e)
  } finally {
    disconnecting = !closedByServer
    client.disconnect()
  }
  return { started, packetsWritten, closedByServer, error }
}

/** One FLV tag as a player received it. */
export interface FlvTag {
  readonly type: number
  readonly timestamp: number
  /** Video: codec id (7 = H.264) and frame type (1 = key); audio: sound format (10 = AAC). */
  readonly codec: number
  readonly frameType: number
  /** AVC / AAC packet type: 0 = sequence header, 1 = frames. */
  readonly packetType: number
}

export interface PlayResult {
  readonly status: number
  readonly tags: readonly FlvTag[]
  /** Bytes received, the FLV file header included. */
  readonly bytes: number
}

/** Incremental FLV reader: header, then tags. */
class FlvReader {
  readonly tags: FlvTag[] = []
  bytes = 0
  private buffer = Buffer.alloc(0)
  private headerDone = false

  push(chunk: Buffer): void {
    this.bytes += chunk.length
    this.buffer = Buffer.concat([this.buffer, chunk])
    if (!this.headerDone) {
      if (this.buffer.length < 13) return
      this.buffer = this.buffer.subarray(13)
      this.headerDone = true
    }
    while (this.buffer.length >= 11) {
      const size = this.buffer.readUIntBE(1, 3)
      if (this.buffer.length < 11 + size + 4) return
      const type = this.buffer[0]
      const timestamp = this.buffer.readUIntBE(4, 3) | (this.buffer[7] << 24)
      const data = this.buffer.subarray(11, 11 + size)
      this.tags.push({ type, timestamp, codec: type === 9 ? data[0] & 0x0f : data[0] >> 4, frameType: data[0] >> 4, packetType: data[1] })
      this.buffer = this.buffer.subarray(11 + size + 4)
    }
  }
}

export interface PlayOptions {
  /** Stop once this holds. */
  readonly until?: (tags: readonly FlvTag[]) => boolean
  /** Stop after this long regardless. */
  readonly timeoutMs: number
  /** Called once the player is attached (response headers or socket open). */
  readonly onAttached?: () => void
  /** Stop when this settles. */
  readonly stopWhen?: Promise<unknown>
}

/** Play HTTP-FLV; resolves when `until` holds, the server ends it, or on timeout. */
export function playHttpFlv(url: string, options: PlayOptions): Promise<PlayResult> {
  return new Promise((resolve, reject) => {
    const reader = new FlvReader()
    let status = 0
    let request: ClientRequest | null = null
    let finished = false
    const done = (): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      request?.destroy()
      resolve({ status, tags: reader.tags, bytes: reader.bytes })
    }
    const timer = setTimeout(done, options.timeoutMs)
    options.stopWhen?.then(done, done)
    request = httpGet(url, { agent: false }, (res) => {
      status = res.statusCode ?? 0
      options.onAttached?.()
      res.on('data', (chunk: Buffer) => {
        if (status !== 200) return
        reader.push(chunk)
        if (options.until?.(reader.tags)) done()
      })
      res.on('end', done)
      res.on('error', done)
    })
    request.on('error', (error) => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      reject(error)
    })
  })
}

export interface SocketPlayResult {
  readonly tags: readonly FlvTag[]
  readonly bytes: number
  /** Closed by the server before we stopped. */
  readonly closedByServer: boolean
}

/** Play WS-FLV. */
export function playWsFlv(url: string, options: PlayOptions): Promise<SocketPlayResult> {
  return new Promise((resolve) => {
    const reader = new FlvReader()
    let closedByServer = false
    let finished = false
    const socket = new WebSocket(url)
    const done = (): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      socket.terminate()
      resolve({ tags: reader.tags, bytes: reader.bytes, closedByServer })
    }
    const timer = setTimeout(done, options.timeoutMs)
    socket.on('open', () => options.onAttached?.())
    socket.on('message', (data: Buffer) => {
      reader.push(data)
      if (options.until?.(reader.tags)) done()
    })
    socket.on('close', () => {
      closedByServer = !finished
      done()
    })
    socket.on('error', () => {
      // followed by close
    })
  })
}

/** Play RTMP; counts the audio/video packets that arrive. */
export async function playRtmp(url: string, timeoutMs: number, enough = 10): Promise<{ packets: number; closedByServer: boolean }> {
  const client = new RtmpClient()
  let packets = 0
  let closedByServer = false
  let stopping = false
  const closed = new Promise<void>((resolve) => {
    client.onCloseCallback = () => {
      if (!stopping) closedByServer = true
      resolve()
    }
  })
  let reachedEnough: () => void = () => {}
  const enoughPackets = new Promise<void>((resolve) => {
    reachedEnough = resolve
  })
  client.onPacketCallback = (packet) => {
    if (packet.codec_type === 8 || packet.codec_type === 9) packets += 1
    if (packets >= enough) reachedEnough()
  }
  try {
    await client.connect(url)
    await client.sendConnect()
    await client.sendCreateStream()
    const { streamName, query } = RtmpClient.parseUrl(url)
    const search = new URLSearchParams(query).toString()
    void client.sendPlay(search === '' ? streamName : `${streamName}?${search}`).catch(() => {})
    await raceTimeout(Promise.race([closed, enoughPackets]), timeoutMs)
  } catch {
    // a refused player may be cut during the handshake
  } finally {
    stopping = !closedByServer
    client.disconnect()
  }
  return { packets, closedByServer }
}

/** True once an H.264 sequence header, a keyframe, an AAC sequence header and AAC frames arrived. */
export function hasPlayableAv(tags: readonly FlvTag[]): boolean {
  const video = tags.filter((t) => t.type === 9 && t.codec === 7)
  const audio = tags.filter((t) => t.type === 8 && t.codec === 10)
  return (
    video.some((t) => t.packetType === 0) &&
    video.some((t) => t.packetType === 1 && t.frameType === 1) &&
    audio.some((t) => t.packetType === 0) &&
    audio.some((t) => t.packetType === 1)
  )
}

export const mediaTags = (tags: readonly FlvTag[]): FlvTag[] => tags.filter((t) => t.type === 8 || t.type === 9)

/** Wait for `promise` or `ms`, whichever is first, leaving no timer behind. */
async function raceTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  } finally {
    clearTimeout(timer)
  }
}
