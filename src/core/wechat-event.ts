/**
 * Reading the payload of native component events (`bindstatechange`,
 * `bindnetstatus`, `binderror`) without trusting its shape. WeChat versions
 * differ: some deliver `details` instead of `detail`, some send codes as
 * strings, and newer clients emit fields and codes no documentation lists.
 * Everything here returns `undefined`/`null` for what it cannot read and
 * never throws, because a throw inside a native event handler is swallowed by
 * the mini program runtime and the event is simply lost.
 */

/** A plain `{}` object (any realm), not an array, class instance or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  try {
    if (Array.isArray(value)) return false
    const proto: unknown = Object.getPrototypeOf(value)
    // Comparing with this realm's Object.prototype would reject objects built
    // in another realm (a test VM, a worker); "one step from null" does not.
    return proto === null || Object.getPrototypeOf(proto) === null
  } catch {
    // A revoked Proxy throws even on Array.isArray.
    return false
  }
}

/** Reads one property; a throwing getter or Proxy counts as absent. */
function read(source: unknown, key: string): unknown {
  if (typeof source !== 'object' || source === null) return undefined
  try {
    return (source as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

/**
 * The event's payload: `e.detail`, or `e.details` where a WeChat version
 * delivers that instead (seen on `binderror`, webrtc-room notes). Only a plain
 * object counts; anything else is `undefined`.
 */
export function eventDetail(e: unknown): Record<string, unknown> | undefined {
  const detail = read(e, 'detail')
  if (isPlainObject(detail)) return detail
  const details = read(e, 'details')
  if (isPlainObject(details)) return details
  return undefined
}

import { toVolumeLevel } from './speaking'

/** An optional sign and decimal digits, nothing else (no hex, no exponent, no "12px"). */
const INTEGER_STRING = /^[+-]?\d+$/

/**
 * An integer from a number or a numeric string such as `"2004"` or `"-2301"`
 * (some clients stringify codes); `null` for anything else, fractions included.
 */
export function toInteger(value: unknown): number | null {
  if (typeof value === 'number') {
    // `+ 0` turns -0 into 0 so equality checks downstream never see -0.
    return Number.isSafeInteger(value) ? value + 0 : null
  }
  if (typeof value === 'string') {
    const trimmed = value.trim()
    if (!INTEGER_STRING.test(trimmed)) return null
    const parsed = Number(trimmed)
    return Number.isSafeInteger(parsed) ? parsed + 0 : null
  }
  return null
}

/** `detail.code` of a `bindstatechange` event as an integer, or `null`. */
export function parseStateCode(e: unknown): number | null {
  return toInteger(eventDetail(e)?.code)
}

/** What `<live-pusher binderror>` reports. */
export interface PusherErrorEvent {
  readonly errCode: number
  /** The platform's own text; often English or empty, so not for display. */
  readonly errMsg: string
}

/**
 * `detail.errCode` / `detail.errMsg` of a `<live-pusher binderror>` event;
 * `null` when there is no readable errCode.
 */
export function parseErrorEvent(e: unknown): PusherErrorEvent | null {
  const detail = eventDetail(e)
  const errCode = toInteger(detail?.errCode)
  if (errCode === null) return null
  const errMsg = detail?.errMsg
  return { errCode, errMsg: typeof errMsg === 'string' ? errMsg : '' }
}

/**
 * `detail.fullScreen` of a `<live-player bindfullscreenchange>` event
 * (`detail = {direction, fullScreen}`), or `null` when it is not a boolean.
 * Read as leniently as the state codes (some clients stringify event
 * fields): 0/1 and "true"/"false" count too.
 */
export function parseFullScreenChange(e: unknown): boolean | null {
  const value = eventDetail(e)?.fullScreen
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 'true' || value === '1') return true
  if (value === 0 || value === 'false' || value === '0') return false
  return null
}

/** Plain decimal digits, optionally with a fraction ("37", "37.5"). */
const LEVEL_STRING = /^\d+(\.\d+)?$/

/**
 * `detail.volume` of a `bindaudiovolumenotify` event (pusher: the microphone;
 * player: the stream), on the 0..100 scale trtc-wx and the TRTC SDKs use,
 * clamped and rounded; a numeric string counts. `null` for anything else.
 */
export function parseVolumeEvent(e: unknown): number | null {
  const raw = eventDetail(e)?.volume
  if (typeof raw === 'string') return LEVEL_STRING.test(raw.trim()) ? toVolumeLevel(Number(raw.trim())) : null
  return toVolumeLevel(raw)
}
