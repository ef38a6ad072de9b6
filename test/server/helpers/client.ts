/**
 * A test client speaking the wire protocol over a real WebSocket, as the app's
 * room client would: it keeps every message, and lets a test wait for the
 * next reply (welcome / pong / ack / error, one per frame sent) or for a room
 * event.
 */
import WebSocket from 'ws'
import {
  isReply,
  type ClientMessage,
  type JoinRequest,
  type JoinResponse,
  type ReplyMessage,
  type ServerMessage,
  type WelcomeMessage,
} from '../../../src/core/protocol'
import type { RunningService } from '../../../server/service'
import { join } from './http'

export interface CloseInfo {
  readonly code: number
  readonly reason: string
}

type Waiter = { check: () => boolean }

const HEARTBEAT_ID = '__heartbeat'

export class TestClient {
  /** Every message received, in order, without its `seq` (kept in `seqs`), so tests compare bodies. */
  readonly messages: ServerMessage[] = []
  /** The `seq` of each room event received, in order of arrival. */
  readonly seqs: number[] = []
  readonly closed: Promise<CloseInfo>
  private replyCursor = 0
  /** Per type: index just past the last message of that type taken by event(). */
  private readonly eventCursors = new Map<string, number>()
  private readonly waiters = new Set<Waiter>()
  private closeInfo: CloseInfo | null = null
  private heartbeat: NodeJS.Timeout | null = null

  private constructor(readonly socket: WebSocket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.stopHeartbeat()
        this.closeInfo = { code, reason: reason.toString() }
        resolve(this.closeInfo)
        this.notify()
      })
    })
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage & { seq?: number }
      if (message.type !== 'welcome' && typeof message.seq === 'number') {
        this.seqs.push(message.seq)
        delete message.seq
      }
      this.messages.push(message)
      this.notify()
    })
    socket.on('error', () => {
      // surfaced through `closed`
    })
  }

  static connect(url: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url)
      const client = new TestClient(socket)
      socket.once('open', () => resolve(client))
      socket.once('error', reject)
    })
  }

  /** The last room event's `seq`, for `hello.lastSeq`. */
  get lastSeq(): number | undefined {
    return this.seqs.at(-1)
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN
  }

  send(message: ClientMessage | object | string | Buffer, options: { binary?: boolean } = {}): void {
    const data = typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message)
    this.socket.send(data, { binary: options.binary ?? false })
  }

  /** The next reply not yet taken. */
  reply(timeoutMs = 3000): Promise<ReplyMessage> {
    return this.waitFor(
      () => {
        while (this.replyCursor < this.messages.length) {
          const m = this.messages[this.replyCursor++]
          if (isReply(m) && !(m.type === 'pong' && m.id === HEARTBEAT_ID)) return m
        }
        return undefined
      },
      timeoutMs,
      'a reply',
    )
  }

  /** Send, then wait for this frame's reply. */
  async request(message: ClientMessage | object | string): Promise<ReplyMessage> {
    this.send(message)
    return this.reply()
  }

  /** The next message of this type after the last one of that type taken. */
  event<T extends ServerMessage['type']>(type: T, timeoutMs = 3000): Promise<Extract<ServerMessage, { type: T }>> {
    return this.waitFor(
      () => {
        for (let i = this.eventCursors.get(type) ?? 0; i < this.messages.length; i++) {
          const m = this.messages[i]
          if (m.type === type) {
            this.eventCursors.set(type, i + 1)
            return m as Extract<ServerMessage, { type: T }>
          }
        }
        return undefined
      },
      timeoutMs,
      `event ${type}`,
    )
  }

  /** Every message of a type received so far. */
  received<T extends ServerMessage['type']>(type: T): Array<Extract<ServerMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type)
  }

  async hello(token: string, lastSeq?: number): Promise<WelcomeMessage> {
    const reply = await this.request({ type: 'hello', token, ...(lastSeq !== undefined ? { lastSeq } : {}) })
    if (reply.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(reply)}`)
    return reply
  }

  /** Ping every `intervalMs` as the app does; these pongs are not returned by reply(). */
  startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat()
    this.heartbeat = setInterval(() => {
      if (this.isOpen) this.send({ type: 'ping', id: HEARTBEAT_ID })
    }, intervalMs)
  }

  stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat)
    this.heartbeat = null
  }

  /** Close politely and wait for it. */
  async close(): Promise<CloseInfo> {
    if (this.closeInfo === null && this.socket.readyState !== WebSocket.CLOSED) this.socket.close()
    return this.closed
  }

  /** Cut the TCP connection without a close handshake (a dropped network). */
  async terminate(): Promise<CloseInfo> {
    this.stopHeartbeat()
    this.socket.terminate()
    return this.closed
  }

  private waitFor<T>(take: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = take()
          if (found !== undefined) {
            finish()
            resolve(found)
            return true
          }
          if (this.closeInfo !== null) {
            finish()
            reject(new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for ${what}`))
            return true
          }
          return false
        },
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      }, timeoutMs)
      const finish = (): void => {
        clearTimeout(timer)
        this.waiters.delete(waiter)
      }
      this.waiters.add(waiter)
      waiter.check()
    })
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check()
  }
}

export interface Member {
  readonly join: JoinResponse
  readonly welcome: WelcomeMessage
  readonly client: TestClient
  readonly id: string
}

/** Join over HTTP, open the socket and say hello: what the app does to enter a room. */
/** Where a test reaches a service: in this process, or a child process (test/server/helpers/instance.ts). */
export type ServiceAddress = Pick<RunningService, 'url' | 'socketUrl'>

export async function enter(service: ServiceAddress, meetingId: string, request: JoinRequest): Promise<Member> {
  const joined = await join(service.url, meetingId, request)
  const client = await TestClient.connect(service.socketUrl)
  const welcome = await client.hello(joined.token)
  return { join: joined, welcome, client, id: joined.participantId }
}

/** Close every client a test opened. */
export async function closeAll(clients: Iterable<TestClient | undefined>): Promise<void> {
  await Promise.all([...clients].filter((c): c is TestClient => c !== undefined).map((c) => c.terminate()))
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
