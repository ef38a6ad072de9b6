/**
 * HTTP and WebSocket for the room client, on Taro.request / Taro.connectSocket
 * (wx.request / wx.connectSocket in the mini program, fetch / WebSocket in H5).
 * The only place the app opens network connections.
 */
import Taro from '@tarojs/taro'

export interface JsonResponse {
  readonly status: number
  readonly body: unknown
}

/** A JSON request; resolves with any HTTP status, rejects only when no answer came (offline, DNS, timeout). */
export async function requestJson(method: 'GET' | 'POST', url: string, body?: unknown, timeoutMs = 10_000): Promise<JsonResponse> {
  const res = await Taro.request({
    url,
    method,
    data: body === undefined ? undefined : JSON.stringify(body),
    header: { 'content-type': 'application/json' },
    dataType: 'json',
    timeout: timeoutMs,
  })
  let parsed: unknown = res.data
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed)
    } catch {
      // Not JSON (a proxy's error page): keep the text for the error message.
    }
  }
  return { status: res.statusCode, body: parsed }
}

export interface SocketHandlers {
  onOpen(): void
  onMessage(text: string): void
  onClose(code: number, reason: string): void
}

export interface SocketConnection {
  send(text: string): void
  close(code?: number, reason?: string): void
}

/**
 * Open a WebSocket. Every failure ends in exactly one `onClose` (code 1006
 * when the connection never opened or broke without a close frame), so the
 * caller has a single place to decide whether to reconnect.
 */
export function openSocket(url: string, handlers: SocketHandlers): SocketConnection {
  let task: Taro.SocketTask | null = null
  let closed = false
  let wantClose: { code: number; reason: string } | null = null
  const finish = (code: number, reason: string) => {
    if (closed) return
    closed = true
    handlers.onClose(code, reason)
  }
  const attach = (t: Taro.SocketTask) => {
    task = t
    t.onOpen(() => {
      if (wantClose) t.close(wantClose)
      else handlers.onOpen()
    })
    t.onMessage((msg) => {
      if (!closed && typeof msg.data === 'string') handlers.onMessage(msg.data)
    })
    t.onClose((res) => finish(res.code ?? 1006, res.reason ?? ''))
    t.onError(() => finish(1006, 'socket error'))
  }
  // wx.connectSocket returns the task; Taro wraps it in a promise.
  Promise.resolve(Taro.connectSocket({ url, timeout: 10_000 } as Taro.connectSocket.Option)).then(
    (t) => attach(t as Taro.SocketTask),
    () => finish(1006, 'connect failed'),
  )
  return {
    send: (text) => {
      if (!task || closed) return
      try {
        // Returns a promise in some Taro versions, nothing in others.
        const sent = task.send({ data: text }) as unknown
        if (sent instanceof Promise) sent.catch(() => undefined)
      } catch {
        // A send on a dying socket; onClose follows.
      }
    },
    close: (code = 1000, reason = '') => {
      if (task) task.close({ code, reason })
      else wantClose = { code, reason }
      finish(code, reason)
    },
  }
}
