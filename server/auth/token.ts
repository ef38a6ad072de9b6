/**
 * Session tokens: `base64url(payload).base64url(HMAC-SHA256(secret, payload))`.
 * The payload names the meeting and participant and carries an expiry; the
 * room decides whether that participant is still there.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export interface TokenClaims {
  readonly meetingId: string
  readonly participantId: string
  /** Epoch ms. */
  readonly expiresAt: number
}

export type TokenVerdict =
  | { readonly ok: true; readonly claims: TokenClaims }
  | { readonly ok: false; readonly code: 'bad_token' | 'token_expired' }

/** Longer strings are not tokens we issued; refuse before hashing them. */
const MAX_TOKEN_LENGTH = 512

export class TokenSigner {
  private readonly secret: Buffer

  /** Without a secret, a random one: tokens then die with the process, as in-memory rooms do. */
  constructor(secret: string | undefined) {
    this.secret = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8')
  }

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ v: 1, m: claims.meetingId, p: claims.participantId, e: claims.expiresAt }),
      'utf8',
    ).toString('base64url')
    return `${payload}.${this.mac(payload).toString('base64url')}`
  }

  /** The signature is checked before anything in the payload is trusted, expiry included. */
  verify(token: string, nowMs: number): TokenVerdict {
    const bad = { ok: false, code: 'bad_token' } as const
    if (token.length > MAX_TOKEN_LENGTH) return bad
    const dot = token.indexOf('.')
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return bad
    const payload = token.slice(0, dot)
    const given = Buffer.from(token.slice(dot + 1), 'base64url')
    const expected = this.mac(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return bad
    let decoded: unknown
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      return bad
    }
    if (!isPayload(decoded)) return bad
    if (decoded.e <= nowMs) return { ok: false, code: 'token_expired' }
    return { ok: true, claims: { meetingId: decoded.m, participantId: decoded.p, expiresAt: decoded.e } }
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest()
  }
}

function isPayload(value: unknown): value is { v: 1; m: string; p: string; e: number } {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return v.v === 1 && typeof v.m === 'string' && typeof v.p === 'string' && typeof v.e === 'number'
}
