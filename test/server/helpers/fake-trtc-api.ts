/**
 * A stand-in for `trtc.tencentcloudapi.com` on loopback: it checks each
 * request the way Tencent's API gateway documents it (签名方法 v3) — the
 * Authorization header's credential, scope, signed headers and signature,
 * recomputed here from the raw body and headers, the timestamp within 5
 * minutes — and records what it was asked. It answers in Tencent's
 * response shape; tests can queue failures.
 *
 * The verification is written from the document, independently of
 * server/media/tc3.ts (which the unit test pins to the document's example).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeTrtcCall {
  readonly action: string
  readonly region: string
  readonly body: Record<string, unknown>
  /** Why the gateway refused the signature, or null when it was valid. */
  readonly signatureProblem: string | null
}

export interface FakeTrtcApi {
  readonly url: string
  readonly calls: FakeTrtcCall[]
  /** The next requests get this answer instead (Tencent's `Response.Error`, or an HTTP status with junk). */
  failNext(failure: { code: string; message?: string } | { status: number }, times?: number): void
  /** Resolves once `count` calls have arrived. */
  waitForCalls(count: number, timeoutMs?: number): Promise<FakeTrtcCall[]>
  close(): Promise<void>
}

/** GET: the calls so far as JSON; DELETE: forget them. */
export const CALLS_PATH = '/__calls'

const hex = (data: Buffer): string => data.toString('hex')
const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest()

function verify(request: IncomingMessage, raw: Buffer, secretId: string, secretKey: string, nowS: number): string | null {
  const header = request.headers.authorization ?? ''
  const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(header)
  if (match === null) return `malformed Authorization: ${header}`
  const [, id, date, service, signedHeaders, signature] = match
  if (id !== secretId) return 'AuthFailure.SecretIdNotFound'
  const timestamp = Number(request.headers['x-tc-timestamp'])
  if (!Number.isInteger(timestamp) || Math.abs(timestamp - nowS) > 300) return 'AuthFailure.SignatureExpire'
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return 'scope date is not the UTC date of X-TC-Timestamp'
  if (service !== 'trtc') return `scope service ${service}`
  const names = signedHeaders.split(';')
  if (!names.includes('content-type') || !names.includes('host')) return 'content-type and host must be signed'
  const canonicalHeaders = names.map((name) => `${name}:${String(request.headers[name] ?? '').trim().toLowerCase()}\n`).join('')
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${hex(sha256(raw))}`
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${hex(sha256(canonical))}`
  let key: Buffer = Buffer.from(`TC3${secretKey}`)
  for (const part of [date, service, 'tc3_request']) key = createHmac('sha256', key).update(part).digest()
  const expected = createHmac('sha256', key).update(toSign).digest()
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? null : 'AuthFailure.SignatureFailure'
}

export async function startFakeTrtcApi(secretId: string, secretKey: string): Promise<FakeTrtcApi> {
  const calls: FakeTrtcCall[] = []
  const failures: ({ code: string; message?: string } | { status: number })[] = []
  const waiters = new Set<() => void>()
  let requestCount = 0

  const server: Server = createServer((request, response) => {
    // Not Tencent's: lets a test in another process (the weapp files; the fake runs in their global setup) read and clear the calls.
    if (request.url === CALLS_PATH && (request.method === 'GET' || request.method === 'DELETE')) {
      if (request.method === 'DELETE') calls.length = 0
      response.setHeader('Content-Type', 'application/json')
      response.end(JSON.stringify(calls))
      return
    }
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      requestCount += 1
      const raw = Buffer.concat(chunks)
      const requestId = `fake-${requestCount}`
      const signatureProblem = verify(request, raw, secretId, secretKey, Math.floor(Date.now() / 1000))
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
      } catch {
        // recorded as {}; the signature check already covers the bytes
      }
      calls.push({
        action: String(request.headers['x-tc-action'] ?? ''),
        region: String(request.headers['x-tc-region'] ?? ''),
        body,
        signatureProblem,
      })
      for (const wake of waiters) wake()
      const failure = failures.shift()
      response.setHeader('Content-Type', 'application/json')
      if (failure !== undefined && 'status' in failure) {
        response.statusCode = failure.status
        response.end('<html>bad gateway</html>')
        return
      }
      const error =
        signatureProblem !== null
          ? { Code: signatureProblem.startsWith('AuthFailure') ? signatureProblem : 'AuthFailure.SignatureFailure', Message: signatureProblem }
          : failure !== undefined
            ? { Code: failure.code, Message: failure.message ?? failure.code }
            : undefined
      response.end(JSON.stringify({ Response: { RequestId: requestId, ...(error !== undefined ? { Error: error } : {}) } }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure)
    },
    waitForCalls(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (calls.length < count) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(calls.slice())
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`expected ${count} TRTC API calls, got ${calls.length}: ${JSON.stringify(calls)}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
