/**
 * Tencent Cloud API 3.0 request signing, "签名方法 v3" (TC3-HMAC-SHA256),
 * as documented at cloud.tencent.com/document/api/362/4208 (the same text
 * for every product). A small pure function rather than
 * `tencentcloud-sdk-nodejs` (tens of MB for the two calls we make); the
 * unit test pins it to the document's worked example.
 *
 *   CanonicalRequest = POST \n / \n <query> \n content-type:<ct>\nhost:<host>\n \n content-type;host \n hex(sha256(body))
 *   StringToSign     = TC3-HMAC-SHA256 \n <ts> \n <date>/<service>/tc3_request \n hex(sha256(CanonicalRequest))
 *   key              = HMAC(HMAC(HMAC("TC3"+SecretKey, date), service), "tc3_request")
 *   Authorization    = TC3-HMAC-SHA256 Credential=<id>/<scope>, SignedHeaders=content-type;host, Signature=hex(HMAC(key, StringToSign))
 *
 * `date` is the UTC date of the timestamp (the document warns that a local
 * date fails every night at 00:00 UTC+8).
 */
import { createHash, createHmac } from 'node:crypto'

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256'
export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8'
const SIGNED_HEADERS = 'content-type;host'

export interface Tc3Input {
  readonly secretId: string
  readonly secretKey: string
  /** The product, first label of the host: `trtc`, `cvm`. */
  readonly service: string
  readonly host: string
  /** UNIX seconds; also sent as `X-TC-Timestamp`. */
  readonly timestamp: number
  /** The exact body bytes sent (JSON). */
  readonly payload: string
  readonly contentType?: string
}

export interface Tc3Signature {
  readonly canonicalRequest: string
  readonly stringToSign: string
  readonly signature: string
  readonly authorization: string
}

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')
const hmac = (key: string | Buffer, text: string): Buffer => createHmac('sha256', key).update(text, 'utf8').digest()

/** The UTC date (YYYY-MM-DD) of a UNIX timestamp. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10)
}

/** Sign one POST request to `https://<host>/`. */
export function signTc3(input: Tc3Input): Tc3Signature {
  const contentType = input.contentType ?? TC3_CONTENT_TYPE
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${contentType.toLowerCase()}\nhost:${input.host.toLowerCase()}\n`,
    SIGNED_HEADERS,
    sha256Hex(input.payload),
  ].join('\n')
  const date = tc3Date(input.timestamp)
  const scope = `${date}/${input.service}/tc3_request`
  const stringToSign = [TC3_ALGORITHM, String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n')
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request')
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex')
  const authorization = `${TC3_ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`
  return { canonicalRequest, stringToSign, signature, authorization }
}
