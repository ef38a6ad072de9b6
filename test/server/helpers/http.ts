/** Plain HTTP for tests, one connection per request (no keep-alive left open). */
import { request as httpRequest } from 'node:http'
import { PATHS, type CreateMeetingResponse, type JoinRequest, type JoinResponse } from '../../../src/core/protocol'

export interface HttpResult<T = unknown> {
  readonly status: number
  readonly body: T
  readonly headers: Record<string, string | string[] | undefined>
}

/** `body` is JSON-encoded unless it is already a string (sent as is, for malformed-JSON tests). */
export function http<T = unknown>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    const req = httpRequest(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown = text
          try {
            parsed = text === '' ? undefined : JSON.parse(text)
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    if (payload !== undefined) req.write(payload)
    req.end()
  })
}

export async function createMeeting(baseUrl: string, passcode?: string): Promise<CreateMeetingResponse> {
  const res = await http<CreateMeetingResponse>('POST', baseUrl + PATHS.meetings, passcode === undefined ? {} : { passcode })
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

export async function join(baseUrl: string, meetingId: string, body: JoinRequest): Promise<JoinResponse> {
  const res = await http<JoinResponse>('POST', baseUrl + PATHS.join(meetingId), body)
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}
