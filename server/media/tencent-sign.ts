/**
 * Tencent Cloud Live anti-leech signing (防盗链计算, cloud.tencent.com/document/product/267/32735):
 * `txTime` is the URL's expiry as upper-case hex UNIX seconds and
 * `txSecret = md5(KEY + StreamName + txTime)` in lower-case hex. The local
 * provider signs and checks its URLs the same way, so the app handles one
 * URL shape whichever provider is configured.
 */
import { createHash, timingSafeEqual } from 'node:crypto'

/** Expiry (epoch ms) → `txTime`: upper-case hex UNIX seconds, e.g. `5C271099`. */
export function txTimeFor(expiresAtMs: number): string {
  return Math.floor(expiresAtMs / 1000).toString(16).toUpperCase()
}

/** `md5(key + streamName + txTime)`, lower-case hex. */
export function txSecretFor(key: string, streamName: string, txTime: string): string {
  return createHash('md5').update(key + streamName + txTime).digest('hex')
}

/** `txSecret=…&txTime=…` for a stream that may be used until `expiresAtMs`. */
export function signedQuery(key: string, streamName: string, expiresAtMs: number): string {
  const txTime = txTimeFor(expiresAtMs)
  return `txSecret=${txSecretFor(key, streamName, txTime)}&txTime=${txTime}`
}

export type SignatureVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'unsigned' | 'bad_signature' | 'expired' }

const TX_TIME = /^[0-9A-Fa-f]{1,12}$/
const TX_SECRET = /^[0-9a-fA-F]{32}$/

/** A query value as Node parsers deliver it: repeated keys become arrays, which we refuse. */
type QueryValue = string | readonly string[] | undefined

/**
 * Check a URL's `txSecret`/`txTime` for `streamName`. A signature for another
 * stream fails as `bad_signature`. The signature is checked before the expiry,
 * so a forger learns nothing about expiries.
 */
export function verifySignedQuery(
  key: string,
  streamName: string,
  query: { readonly txSecret?: QueryValue; readonly txTime?: QueryValue },
  nowMs: number,
): SignatureVerdict {
  const { txSecret, txTime } = query
  if (txSecret === undefined && txTime === undefined) return { ok: false, reason: 'unsigned' }
  if (typeof txSecret !== 'string' || typeof txTime !== 'string' || !TX_TIME.test(txTime) || !TX_SECRET.test(txSecret)) {
    return { ok: false, reason: 'bad_signature' }
  }
  const expected = Buffer.from(txSecretFor(key, streamName, txTime), 'hex')
  if (!timingSafeEqual(expected, Buffer.from(txSecret, 'hex'))) return { ok: false, reason: 'bad_signature' }
  if (parseInt(txTime, 16) * 1000 <= nowMs) return { ok: false, reason: 'expired' }
  return { ok: true }
}
