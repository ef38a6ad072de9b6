/**
 * Types for the parts of node-media-server 4.4.x (plain JS, no typings) that
 * the local media provider and the tests use. Shapes read from its source in
 * node_modules/node-media-server/src; the version is pinned in package.json.
 */

declare module 'node-media-server' {
  import type { Server as NetServer, Socket } from 'node:net'
  import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http'
  import type { WebSocket, WebSocketServer } from 'ws'

  namespace NodeMediaServer {
    /** src/core/context.js `NmsConfig`, the parts we set. */
    interface NmsConfig {
      bind?: string
      rtmp?: { port?: number }
      http?: { port?: number }
      webadmin?: { enable?: boolean }
      record?: { auto?: boolean; path?: string }
      store?: { path?: string }
      auth?: { play?: boolean; publish?: boolean; secret?: string }
      notify?: { url?: string }
    }

    /** The packet callbacks of a session's protocol parser. */
    interface PacketSink {
      onPacketCallback: (packet: AvPacket) => void
    }

    /**
     * A BaseSession as the events deliver it: an RtmpSession (`socket`, `rtmp`)
     * or an FlvSession (`req`, `res`, `flv`; `res` is a WebSocket for WS-FLV).
     */
    interface Session {
      readonly id: string
      /** "address:port"; empty for internal sessions (record, relay). */
      readonly ip: string
      readonly protocol: string
      isPublisher: boolean
      readonly streamApp: string
      readonly streamName: string
      readonly streamPath: string
      readonly streamQuery: Readonly<Record<string, string | readonly string[] | undefined>> | undefined
      sendBuffer: (buffer: Buffer) => void
      onPacket?: (packet: AvPacket) => void
      close: () => void
      readonly socket?: Socket
      readonly rtmp?: PacketSink
      readonly req?: IncomingMessage
      readonly res?: ServerResponse | WebSocket
      readonly flv?: PacketSink
    }

    /** src/core/avpacket.js */
    interface AvPacket {
      codec_id: number
      /** 8 audio, 9 video, 18 script. */
      codec_type: number
      /** 0 audio header, 1 audio frame, 2 video header, 3 keyframe, 4 inter frame, 5 metadata. */
      flags: number
      pts: number
      dts: number
      size: number
      data: Buffer
    }

    type SessionEvent = 'prePlay' | 'postPlay' | 'donePlay' | 'prePublish' | 'postPublish' | 'donePublish'
  }

  class NodeMediaServer {
    constructor(config: NodeMediaServer.NmsConfig, configPath?: string)
    on(event: NodeMediaServer.SessionEvent, listener: (session: NodeMediaServer.Session) => void): void
    run(): Promise<void>
    stop(): Promise<void>
    readonly rtmpServer: { readonly tcpServer?: NetServer }
    readonly httpServer: { readonly httpServer?: HttpServer; readonly wsServer?: WebSocketServer }
  }

  export = NodeMediaServer
}

declare module 'node-media-server/src/core/context.js' {
  import type { EventEmitter } from 'node:events'
  import type NodeMediaServer from 'node-media-server'

  const Context: {
    config: NodeMediaServer.NmsConfig
    sessions: Map<string, NodeMediaServer.Session>
    broadcasts: Map<string, unknown>
    eventEmitter: EventEmitter
  }
  export = Context
}

declare module 'node-media-server/src/core/logger.js' {
  const logger: {
    level: string
    log(message: string, logLevel?: string): void
  }
  export = logger
}

declare module 'node-media-server/src/protocol/rtmp_client.js' {
  import type { Socket } from 'node:net'
  import type NodeMediaServer from 'node-media-server'

  /** The RTMP client node-media-server bundles (src/protocol/rtmp_client.js). */
  class RtmpClient {
    socket: Socket | null
    connected: boolean
    onCloseCallback: (hadError: boolean) => void
    onErrorCallback: (error: Error) => void
    onStatusCallback: (code: string, info: object) => void
    onPacketCallback: (packet: NodeMediaServer.AvPacket) => void
    static parseUrl(url: string): {
      host: string
      port: number
      app: string
      streamName: string
      query: Record<string, string>
    }
    /** TCP connect and the simple handshake. */
    connect(url: string): Promise<void>
    sendConnect(): Promise<unknown>
    sendCreateStream(): Promise<number>
    /** `streamName` may carry a `?query`, as ffmpeg sends it. */
    sendPublish(streamName: string, type?: string): Promise<unknown>
    sendPlay(streamName: string): Promise<unknown>
    sendPacket(packet: NodeMediaServer.AvPacket): void
    disconnect(): void
  }
  export = RtmpClient
}

declare module 'node-media-server/src/protocol/flv.js' {
  import type NodeMediaServer from 'node-media-server'

  class Flv {
    static parserTag(type: number, time: number, size: number, data: Buffer): NodeMediaServer.AvPacket
  }
  export = Flv
}
