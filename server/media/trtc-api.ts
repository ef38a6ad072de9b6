/**
 * The two TRTC server API calls the room service makes, behind an interface
 * so tests can run against a local endpoint that checks the signature:
 *
 * - RemoveUserByStrRoomId (647/39630): kick up to 10 users out of a string room;
 * - DismissRoomByStrRoomId: end a string room for everyone.
 *
 * Both are `POST https://trtc.tencentcloudapi.com/` with JSON bodies, the
 * action and version in X-TC-* headers, signed TC3-HMAC-SHA256 (./tc3.ts).
 * Answers are `{"Response": {"RequestId", "Error"?: {"Code", "Message"}}}`.
 */
import type { Logger } from '../logger'
import { signTc3, TC3_CONTENT_TYPE } from './tc3'

/** What the TRTC provider needs from Tencent's server API. */
export interface TrtcRoomApi {
  /** Remove users (at most {@link REMOVE_USERS_MAX} per call) from a string room. */
  removeUsers(strRoomId: string, userIds: readonly string[]): Promise<void>
  dismissRoom(strRoomId: string): Promise<void>
}

/** RemoveUserByStrRoomId takes up to 10 user ids per call. */
export const REMOVE_USERS_MAX = 10
export const TRTC_API_VERSION = '2019-07-22'

/** A call Tencent answered with `Response.Error`, or an HTTP/transport failure. */
export class TrtcApiError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    message: string,
    /** Worth another try (network, 5xx, rate limits); an `InvalidParameter` or auth failure is not. */
    readonly retryable: boolean,
    readonly requestId?: string,
  ) {
    super(`${action}: ${code}: ${message}`)
    this.name = 'TrtcApiError'
  }
}

export interface TrtcApiOptions {
  readonly sdkAppId: number
  readonly secretId: string
  readonly secretKey: string
  /** One of ap-beijing, ap-guangzhou, ap-singapore (the API's own list). */
  readonly region: string
  /** `https://trtc.tencentcloudapi.com` in production; a loopback URL in tests. */
  readonly endpoint: string
  readonly timeoutMs?: number
  /** Attempts per call, for retryable failures only. */
  readonly attempts?: number
  /** UNIX ms; the signature's timestamp must be within 5 minutes of Tencent's clock. */
  readonly now?: () => number
  readonly log: Logger
}

/** Error codes worth retrying: Tencent's documented transient classes. */
const RETRYABLE_CODE = /^(InternalError|RequestLimitExceeded|ResourceUnavailable|FailedOperation\.(Timeout|Busy))/

export class TencentCloudTrtcApi implements TrtcRoomApi {
  private readonly host: string
  private readonly url: string

  constructor(private readonly options: TrtcApiOptions) {
    const endpoint = new URL(options.endpoint)
    this.url = endpoint.origin + '/'
    // fetch sends the endpoint's host (with its port, if any) as Host; sign exactly that.
    this.host = endpoint.host
  }

  async removeUsers(strRoomId: string, userIds: readonly string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += REMOVE_USERS_MAX) {
      await this.call('RemoveUserByStrRoomId', {
        SdkAppId: this.options.sdkAppId,
        RoomId: strRoomId,
        UserIds: userIds.slice(i, i + REMOVE_USERS_MAX),
      })
    }
  }

  async dismissRoom(strRoomId: string): Promise<void> {
    await this.call('DismissRoomByStrRoomId', { SdkAppId: this.options.sdkAppId, RoomId: strRoomId })
  }

  /** One action, retried with a short back-off while the failure is retryable. */
  private async call(action: string, body: Record<string, unknown>): Promise<void> {
    const attempts = this.options.attempts ?? 3
    for (let attempt = 1; ; attempt++) {
      try {
        await this.once(action, body)
        return
      } catch (error) {
        const retryable = error instanceof TrtcApiError && error.retryable
        if (!retryable || attempt >= attempts) throw error
        this.options.log.warn({ err: error, action, attempt }, 'TRTC API call failed; retrying')
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** (attempt - 1)))
      }
    }
  }

  private async once(action: string, body: Record<string, unknown>): Promise<void> {
    const payload = JSON.stringify(body)
    const timestamp = Math.floor((this.options.now ?? Date.now)() / 1000)
    const { authorization } = signTc3({
      secretId: this.options.secretId,
      secretKey: this.options.secretKey,
      service: 'trtc',
      host: this.host,
      timestamp,
      payload,
    })
    let response: Response
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          Authorization: authorization,
          'Content-Type': TC3_CONTENT_TYPE,
          'X-TC-Action': action,
          'X-TC-Version': TRTC_API_VERSION,
          'X-TC-Timestamp': String(timestamp),
          'X-TC-Region': this.options.region,
        },
        body: payload,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      })
    } catch (error) {
      throw new TrtcApiError(action, 'Network', error instanceof Error ? error.message : String(error), true)
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new TrtcApiError(action, `HTTP${response.status}`, `not JSON: ${text.slice(0, 120)}`, response.status >= 500)
    }
    const answer = (parsed as { Response?: { RequestId?: unknown; Error?: { Code?: unknown; Message?: unknown } } }).Response
    if (typeof answer !== 'object' || answer === null) {
      throw new TrtcApiError(action, `HTTP${response.status}`, 'no Response object', response.status >= 500)
    }
    const requestId = typeof answer.RequestId === 'string' ? answer.RequestId : undefined
    if (answer.Error !== undefined) {
      const code = String(answer.Error.Code)
      throw new TrtcApiError(action, code, String(answer.Error.Message), RETRYABLE_CODE.test(code), requestId)
    }
    this.options.log.info({ action, requestId, room: body.RoomId }, 'TRTC API call done')
  }
}
