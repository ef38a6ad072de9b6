/** The service's one error type: a stable protocol code plus what the reply needs. */
import { CLOSE_CODES, ERRORS, type CloseCode, type ErrorBody, type ErrorCode } from '../src/core/protocol'

export interface ProtocolErrorOptions {
  readonly details?: readonly string[]
  readonly retryAfterMs?: number
  /** Close the socket with this code after sending the error (WebSocket only). */
  readonly close?: CloseCode
  /** Overrides the table's message. */
  readonly message?: string
}

export class ProtocolError extends Error {
  readonly code: ErrorCode
  readonly details: readonly string[] | undefined
  readonly retryAfterMs: number | undefined
  readonly close: CloseCode | undefined

  constructor(code: ErrorCode, options: ProtocolErrorOptions = {}) {
    super(options.message ?? ERRORS[code].message)
    this.name = 'ProtocolError'
    this.code = code
    this.details = options.details
    this.retryAfterMs = options.retryAfterMs
    this.close = options.close
  }

  get status(): number {
    return ERRORS[this.code].status
  }

  body(): ErrorBody {
    return errorBody(this.code, this)
  }
}

/** An error body with only the fields that are set. */
export function errorBody(
  code: ErrorCode,
  extra: { readonly message?: string; readonly details?: readonly string[]; readonly retryAfterMs?: number } = {},
): ErrorBody {
  return {
    code,
    message: extra.message ?? ERRORS[code].message,
    ...(extra.details !== undefined ? { details: extra.details } : {}),
    ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
  }
}

/** A hello refusal: the error, then close 4005. */
export function authFailure(code: 'bad_token' | 'token_expired' | 'not_in_meeting' | 'unknown_meeting'): ProtocolError {
  return new ProtocolError(code, { close: CLOSE_CODES.auth_failed })
}
