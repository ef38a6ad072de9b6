/**
 * The room service's HTTP API as the scripts use it (the same calls the app
 * makes): plain node:http, one connection per request, so nothing is left
 * open when a script or a test ends. Failures are {@link ServiceError}s with
 * the service's stable code, or `network` when it could not be reached.
 */
import { request as httpRequest } from 'node:http'
import {
  PATHS,
  type CreateMeetingRequest,
  type CreateMeetingResponse,
  type ErrorCode,
  type JoinRequest,
  type JoinResponse,
  type MeetingInfoResponse,
} from '../../src/core/protocol'

export type ServiceErrorCode = ErrorCode | 'network' | 'protocol'

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'ServiceError'
  }
}

/** `http://host:port` without a trailing slash; throws a readable error for anything else. */
export function normalizeServiceUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ServiceError('protocol', `--service must be a URL such as http://127.0.0.1:8787 (got ${JSON.stringify(value)})`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ServiceError('protocol', `--service must be an http:// URL (got ${JSON.stringify(value)})`)
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}

/** `http(s)://…` → `ws(s)://…/v1/ws`. */
export function socketUrlOf(serviceUrl: string): string {
  return `${serviceUrl.replace(/^http/i, 'ws')}${PATHS.socket}`
}

export function requestJson<T>(method: 'GET' | 'POST', url: string, body?: unknown, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const origin = new URL(url).origin
    const req = httpRequest(
      url,
      {
        method,
        agent: false,
        timeout: timeoutMs,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', (error) => reject(new ServiceError('network', `reading the answer from ${origin}: ${error.message}`)))
        res.on('end', () => {
          const status = res.statusCode ?? 0
          let parsed: unknown
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            reject(new ServiceError('protocol', `${origin} answered HTTP ${status} without JSON: is it the room service?`))
            return
          }
          if (status >= 200 && status < 300) {
            resolve(parsed as T)
            return
          }
          const error = (parsed as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } }).error
          if (error !== undefined && typeof error.code === 'string') {
            reject(
              new ServiceError(
                error.code as ErrorCode,
                typeof error.message === 'string' ? error.message : error.code,
                typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined,
              ),
            )
          } else {
            reject(new ServiceError('protocol', `${origin} answered HTTP ${status}: is it the room service?`))
          }
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(new ServiceError('network', `cannot reach the room service at ${origin} (${error.code ?? error.message})`)),
    )
    if (payload !== undefined) req.write(payload)
    req.end()
  })
}

/** Retry a call the service refused with `rate_limited`, waiting as it asks, for up to `budgetMs`. */
export async function withRateLimitRetry<T>(call: () => Promise<T>, budgetMs = 60_000): Promise<T> {
  const deadline = Date.now() + budgetMs
  for (;;) {
    try {
      return await call()
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== 'rate_limited') throw error
      const wait = Math.max(50, error.retryAfterMs ?? 1_000)
      if (Date.now() + wait > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}

export function getMeeting(serviceUrl: string, meetingId: string): Promise<MeetingInfoResponse> {
  return withRateLimitRetry(() => requestJson<MeetingInfoResponse>('GET', serviceUrl + PATHS.meeting(meetingId)))
}

export function createMeeting(serviceUrl: string, request: CreateMeetingRequest = {}): Promise<CreateMeetingResponse> {
  return withRateLimitRetry(() => requestJson<CreateMeetingResponse>('POST', serviceUrl + PATHS.meetings, request))
}

export function joinMeeting(serviceUrl: string, meetingId: string, request: JoinRequest): Promise<JoinResponse> {
  return withRateLimitRetry(() => requestJson<JoinResponse>('POST', serviceUrl + PATHS.join(meetingId), request))
}

export function leaveMeeting(serviceUrl: string, meetingId: string, token: string): Promise<unknown> {
  return requestJson('POST', serviceUrl + PATHS.leave(meetingId), { token }, 2_000)
}
