/**
 * TRTC credentials, TLS 2.0 ("TLSSigAPIv2"): the UserSig a client enters a
 * TRTC room with, and the PrivateMapKey that limits what it may do there.
 *
 * Our own code rather than the npm package `tls-sig-api-v2` (last release
 * 2022, CommonJS without types): it is short, and the unit tests check it
 * against that package and against a pinned vector
 * (shared/reference/trtc.md §3).
 *
 *   content = "TLS.identifier:<userid>\n" "TLS.sdkappid:<id>\n" "TLS.time:<s>\n" "TLS.expire:<s>\n"
 *             ["TLS.userbuf:<base64>\n"]          (this order, fixed)
 *   TLS.sig = base64(HMAC-SHA256(SecretKey as UTF-8, content))
 *   UserSig = base64(zlib(JSON)) with + / = → * - _
 *
 * Tencent's servers inflate the JSON and recompute the HMAC, so neither the
 * JSON key order nor the zlib output is canonical: tests pin `TLS.sig` and
 * the decoded JSON, never the outer string.
 */
import { createHmac } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'

/**
 * PrivateMapKey privilege bits (TRTC "权限密钥"; the Go library's values — the
 * Node comments' "200" for receive-aux is a typo for 128).
 */
export const TRTC_PRIVILEGES = {
  createRoom: 1,
  enterRoom: 2,
  sendAudio: 4,
  receiveAudio: 8,
  sendVideo: 16,
  receiveVideo: 32,
  sendAux: 64,
  receiveAux: 128,
} as const

export interface TlsSigInput {
  readonly sdkAppId: number
  readonly secretKey: string
  readonly userId: string
  /** Issue time, UNIX seconds. */
  readonly time: number
  /** Lifetime in seconds from `time`. */
  readonly expireS: number
}

/** The JSON inside a UserSig / PrivateMapKey, as decoded. */
export interface TlsSigDocument {
  readonly 'TLS.ver': '2.0'
  readonly 'TLS.identifier': string
  readonly 'TLS.sdkappid': number
  readonly 'TLS.time': number
  readonly 'TLS.expire': number
  readonly 'TLS.userbuf'?: string
  readonly 'TLS.sig': string
}

/** `TLS.sig`: the HMAC over the fixed field list. */
export function tlsSignature(input: TlsSigInput, userbufBase64?: string): string {
  let content =
    `TLS.identifier:${input.userId}\n` +
    `TLS.sdkappid:${input.sdkAppId}\n` +
    `TLS.time:${input.time}\n` +
    `TLS.expire:${input.expireS}\n`
  if (userbufBase64 !== undefined) content += `TLS.userbuf:${userbufBase64}\n`
  return createHmac('sha256', Buffer.from(input.secretKey, 'utf8')).update(content).digest('base64')
}

function encode(document: TlsSigDocument): string {
  return deflateSync(Buffer.from(JSON.stringify(document), 'utf8'))
    .toString('base64')
    .replace(/\+/g, '*')
    .replace(/\//g, '-')
    .replace(/=/g, '_')
}

function sign(input: TlsSigInput, userbuf?: Buffer): string {
  const userbufBase64 = userbuf?.toString('base64')
  const document: TlsSigDocument = {
    'TLS.ver': '2.0',
    'TLS.identifier': input.userId,
    'TLS.sdkappid': input.sdkAppId,
    'TLS.time': input.time,
    'TLS.expire': input.expireS,
    ...(userbufBase64 !== undefined ? { 'TLS.userbuf': userbufBase64 } : {}),
    'TLS.sig': tlsSignature(input, userbufBase64),
  }
  return encode(document)
}

/** A UserSig for `userId`, valid from `time` for `expireS` seconds. URL-safe by construction. */
export function genUserSig(input: TlsSigInput): string {
  return sign(input)
}

export interface PrivateMapKeyInput extends TlsSigInput {
  /** The string room id (`strroomid`); we never use numeric rooms. */
  readonly strRoomId: string
  /** OR of {@link TRTC_PRIVILEGES}. */
  readonly privileges: number
}

/**
 * The PrivateMapKey's binary `userbuf` for a string room (big-endian):
 * cVer=1 | accountLen u16 | account | sdkappid u32 | roomid u32 (0) |
 * expireAt u32 (= time + expire) | privileges u32 | accountType u32 (0) |
 * roomStrLen u16 | roomStr. Numeric rooms (cVer 0, no room string) are
 * available for the documented vector, which uses room 10000.
 */
export function privateMapKeyUserbuf(
  input: Omit<PrivateMapKeyInput, 'secretKey' | 'strRoomId'> & { readonly strRoomId?: string; readonly roomId?: number },
): Buffer {
  const account = Buffer.from(input.userId, 'utf8')
  const room = input.strRoomId === undefined ? null : Buffer.from(input.strRoomId, 'utf8')
  const header = Buffer.alloc(1 + 2)
  header.writeUInt8(room === null ? 0 : 1, 0)
  header.writeUInt16BE(account.length, 1)
  const body = Buffer.alloc(4 * 5)
  body.writeUInt32BE(input.sdkAppId, 0)
  body.writeUInt32BE(room === null ? (input.roomId ?? 0) : 0, 4)
  body.writeUInt32BE(input.time + input.expireS, 8)
  body.writeUInt32BE(input.privileges >>> 0, 12)
  body.writeUInt32BE(0, 16)
  const parts = [header, account, body]
  if (room !== null) {
    const length = Buffer.alloc(2)
    length.writeUInt16BE(room.length, 0)
    parts.push(length, room)
  }
  return Buffer.concat(parts)
}

/** A PrivateMapKey for a string room: entering it with these privileges until `time + expireS`. */
export function genPrivateMapKey(input: PrivateMapKeyInput): string {
  return sign(input, privateMapKeyUserbuf(input))
}

/**
 * Decode a UserSig / PrivateMapKey to its JSON (what Tencent's server does
 * before checking `TLS.sig`). Throws on anything that is not one.
 */
export function decodeTlsSig(value: string): TlsSigDocument {
  const base64 = value.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=')
  const document: unknown = JSON.parse(inflateSync(Buffer.from(base64, 'base64')).toString('utf8'))
  if (typeof document !== 'object' || document === null || (document as { 'TLS.ver'?: unknown })['TLS.ver'] !== '2.0') {
    throw new Error('not a TLS 2.0 signature')
  }
  return document as TlsSigDocument
}
