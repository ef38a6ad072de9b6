/**
 * A stand-in for trtc-sdk-v5's client at its boundary (the real SDK needs
 * Tencent's servers): the SDK's own event names, read from its type
 * declarations, and calls answered the way the SDK documents (promises that
 * resolve or reject with an RtcError-shaped {code, extraCode, message}).
 * Used by the adapter's unit test and the H5 room's component test.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TrtcClientSlice, TrtcSdkSlice } from '../../src/platform/trtc-room.h5'

/** The SDK's EVENT names as its index.d.ts declares them (`readonly X: 'x-y'`). */
export function sdkEventNames(): TrtcSdkSlice['EVENT'] {
  const dts = readFileSync(join(require.resolve('trtc-sdk-v5/package.json'), '..', 'index.d.ts'), 'utf8')
  const block = dts.slice(dts.indexOf('declare const TRTCEvent'), dts.indexOf('export declare interface TRTCEventTypes'))
  const names: Record<string, string> = {}
  for (const m of block.matchAll(/readonly ([A-Z_]+): '([a-z-]+)'/g)) names[m[1]] = m[2]
  return names as unknown as TrtcSdkSlice['EVENT']
}
export const EVENT = sdkEventNames()

type Call = [string, unknown?]

/** A stand-in for the object `TRTC.create()` returns. */
export class FakeClient implements TrtcClientSlice {
  readonly calls: Call[] = []
  readonly handlers = new Map<string, Set<(...args: never[]) => void>>()
  enterResult: () => Promise<void> = async () => {}
  localVideoResult: () => Promise<void> = async () => {}
  localAudioResult: () => Promise<void> = async () => {}
  destroyed = false

  enterRoom(params: unknown): Promise<void> {
    this.calls.push(['enterRoom', params])
    return this.enterResult()
  }
  async exitRoom(): Promise<void> {
    this.calls.push(['exitRoom'])
  }
  startLocalVideo(config?: unknown): Promise<void> {
    this.calls.push(['startLocalVideo', config])
    return this.localVideoResult()
  }
  async stopLocalVideo(): Promise<void> {
    this.calls.push(['stopLocalVideo'])
  }
  startLocalAudio(config?: unknown): Promise<void> {
    this.calls.push(['startLocalAudio', config])
    return this.localAudioResult()
  }
  async updateLocalAudio(config: unknown): Promise<void> {
    this.calls.push(['updateLocalAudio', config])
  }
  async stopLocalAudio(): Promise<void> {
    this.calls.push(['stopLocalAudio'])
  }
  async startRemoteVideo(config: unknown): Promise<void> {
    this.calls.push(['startRemoteVideo', config])
  }
  async stopRemoteVideo(config: unknown): Promise<void> {
    this.calls.push(['stopRemoteVideo', config])
  }
  on(event: string, handler: (...args: never[]) => void): this {
    if (!Object.values(EVENT).includes(event)) throw new Error(`the SDK has no event ${event}`)
    const set = this.handlers.get(event) ?? new Set()
    set.add(handler)
    this.handlers.set(event, set)
    return this
  }
  off(event: string, handler: (...args: never[]) => void): this {
    this.handlers.get(event)?.delete(handler)
    return this
  }
  destroy(): void {
    this.destroyed = true
  }
  enableAudioVolumeEvaluation(interval?: number): void {
    this.calls.push(['enableAudioVolumeEvaluation', interval])
  }
  /** The SDK firing an event. */
  fire(event: string, payload?: unknown): void {
    for (const h of this.handlers.get(event) ?? []) (h as (p: unknown) => void)(payload)
  }
  listenerCount(): number {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0)
  }
  named(name: string): unknown[] {
    return this.calls.filter((c) => c[0] === name).map((c) => c[1])
  }
}

