/**
 * The network half of the WeChat fake: `wx.request` over real HTTP
 * (node:http / node:https) and `wx.connectSocket` over a real WebSocket (the
 * `ws` package, Node build), with WeChat's shapes: success / fail / complete
 * callbacks with `errMsg`, `statusCode` / `data` / `header`, a RequestTask,
 * and a SocketTask with onOpen / onMessage / onClose / onError / send / close.
 *
 * Node's global fetch is not used: it may be missing in Jest's jsdom realm.
 *
 * Everything the app is called back with is delivered on a macrotask of the
 * test's (jsdom) realm, like every other fake callback: errors the app throws
 * there reach the harness, and the harness's flush waits for in-flight
 * requests, connecting sockets and undelivered socket events
 * (see pendingNetwork()).
 */
import http from 'node:http'
import https from 'node:https'
import WebSocket from 'ws'

type Callbacks = {
  success?: (res: unknown) => void
  fail?: (err: unknown) => void
  complete?: (res: unknown) => void
}
export type NetworkOptions = Record<string, unknown> & Callbacks
type AnyFn = (...args: never[]) => unknown

/** What the network needs from the rest of the fake. */
export interface NetworkDeps {
  /** Schedule success + complete (on a macrotask, counted as pending). */
  succeed(api: string, options: unknown, res?: Record<string, unknown>): void
  /** Schedule fail + complete with `${api}:fail ${errMsg}`. */
  fail(api: string, options: unknown, errMsg: string): void
  /** Run `fn` on a macrotask, counted as pending until it ran. */
  later(fn: () => void): void
  /** Record a call (SocketTask.send…) like the wx APIs are. */
  record(api: string, args: unknown[]): void
}

export interface SocketCloseEvent {
  code: number
  reason: string
}

/** The SocketTask `wx.connectSocket` returned, over a real WebSocket. */
export interface FakeSocketTask {
  readonly url: string
  readonly options: NetworkOptions
  /** What the app sent with `task.send({ data })`, in order. */
  readonly sent: unknown[]
  /** What the server sent, as delivered to onMessage (text frames as strings, binary as ArrayBuffer). */
  readonly received: unknown[]
  /** `task.close()` as the app called it (null while it has not). */
  readonly closed: { code?: number; reason?: string } | null
  /** What onClose reported (null while the socket is not closed). */
  readonly closeEvent: SocketCloseEvent | null
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: 0 | 1 | 2 | 3
  /** The text frames received, parsed as JSON (frames that are not JSON are left out). */
  messages(): unknown[]
  /** Resolves once the app's onOpen listeners ran; rejects if the socket closes first. */
  opened(): Promise<void>
  /** Resolves once the app's onClose listeners ran. */
  whenClosed(): Promise<SocketCloseEvent>
  /**
   * Cut the connection without a close handshake, as a lost network does:
   * the server sees the TCP connection drop, the app's onClose gets code 1006.
   * Resolves once the app's onClose listeners ran.
   */
  cut(): Promise<SocketCloseEvent>
  /** The object handed to the app. */
  readonly api: Record<string, AnyFn>
}

/** One `wx.request`. */
export interface FakeRequest {
  readonly options: NetworkOptions
  /** `${METHOD} ${url}` as sent. */
  readonly method: string
  readonly url: string
  /** The body as sent (undefined for none). */
  readonly body: string | undefined
  /** Set when the answer (or the failure) came. */
  response?: { statusCode: number; data: unknown } | { errMsg: string }
}

let inFlight = 0
/** host:port → host:port: where the app's traffic for a host really goes (see routeHost). */
const routes = new Map<string, string>()

/**
 * Deliver the app's requests and sockets for `fromHost` (host:port) to
 * `toHost` instead, as a hosts-file entry would: the app still builds its
 * URLs for the domain compiled into it (and `requests` / `sockets` record
 * them as it sent them), but another server answers. Used to run the one
 * build against a second room service (the trtc scenario). Returns the undo.
 */
export function routeHost(fromHost: string, toHost: string): () => void {
  routes.set(fromHost, toHost)
  return () => {
    if (routes.get(fromHost) === toHost) routes.delete(fromHost)
  }
}

function routed(url: string): string {
  if (routes.size === 0) return url
  const parsed = new URL(url)
  const to = routes.get(parsed.host)
  if (to === undefined) return url
  parsed.host = to
  return parsed.toString()
}
const openSockets = new Set<WebSocket>()
const openRequests = new Set<http.ClientRequest>()

/** Requests not answered yet plus sockets still connecting (the harness's flush waits for them). */
export function pendingNetwork(): number {
  return inFlight
}

/**
 * Terminate every socket and abort every request still open, and wait until
 * the sockets are closed. The harness runs this after every test file (see
 * setup.ts), so Jest has no open handles left.
 */
export async function closeAllNetwork(): Promise<void> {
  for (const req of [...openRequests]) req.destroy(new Error('test file finished'))
  openRequests.clear()
  await Promise.all(
    [...openSockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve()
          ws.once('close', () => resolve())
          ws.terminate()
        }),
    ),
  )
  openSockets.clear()
}

function headerRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function toQuery(data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
    .join('&')
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]'
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  const out = new ArrayBuffer(buf.byteLength)
  new Uint8Array(out).set(buf)
  return out
}

/**
 * `wx.request`: any HTTP answer is a `success` (whatever the status, as in
 * WeChat); `fail` only when no answer came (refused, reset, timeout, abort).
 * `dataType: 'json'` (the default) parses the body when it is JSON and hands
 * back the text otherwise. Object `data` is JSON-encoded (query string for GET
 * and for form-encoded bodies), as WeChat does.
 */
export function wxRequest(opts: NetworkOptions, deps: NetworkDeps, log: FakeRequest[]): Record<string, AnyFn> {
  let url = String(opts.url)
  const method = String(opts.method ?? 'GET').toUpperCase()
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries((opts.header ?? {}) as Record<string, unknown>)) headers[k] = String(v)
  const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1]
  if (contentType === undefined) headers['content-type'] = 'application/json'
  const data = opts.data
  let body: string | Buffer | undefined
  if (data === undefined || data === null) body = undefined
  else if (method === 'GET' && typeof data === 'object' && !isArrayBuffer(data)) {
    const q = toQuery(data as Record<string, unknown>)
    if (q) url += (url.includes('?') ? '&' : '?') + q
  } else if (typeof data === 'string') body = data
  else if (isArrayBuffer(data)) body = Buffer.from(new Uint8Array(data))
  else if (contentType?.includes('application/x-www-form-urlencoded')) body = toQuery(data as Record<string, unknown>)
  else body = JSON.stringify(data)

  const entry: FakeRequest = { options: opts, method, url, body: body === undefined ? undefined : body.toString() }
  log.push(entry)

  let done = false
  const finish = (req: http.ClientRequest | null, deliver: () => void): void => {
    if (done) return
    done = true
    if (req) openRequests.delete(req)
    deliver() // schedules the callbacks (counted as pending) before inFlight drops
    inFlight -= 1
  }
  const failWith = (req: http.ClientRequest | null, errMsg: string): void =>
    finish(req, () => {
      entry.response = { errMsg: `request:fail ${errMsg}` }
      deps.fail('request', opts, errMsg)
    })

  inFlight += 1
  let req: http.ClientRequest | null = null
  try {
    const mod = url.startsWith('https:') ? https : http
    const timeout = typeof opts.timeout === 'number' ? opts.timeout : 60_000
    req = mod.request(routed(url), { method, headers, agent: false, timeout }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (e) => failWith(req, e.message))
      res.on('end', () =>
        finish(req, () => {
          const raw = Buffer.concat(chunks)
          let parsed: unknown
          if (opts.responseType === 'arraybuffer') parsed = toArrayBuffer(raw)
          else {
            parsed = raw.toString('utf8')
            if ((opts.dataType ?? 'json') === 'json') {
              try {
                parsed = JSON.parse(parsed as string)
              } catch {
                // WeChat hands back the text when it is not JSON.
              }
            }
          }
          const statusCode = res.statusCode ?? 0
          entry.response = { statusCode, data: parsed }
          deps.succeed('request', opts, { data: parsed, statusCode, header: headerRecord(res.headers), cookies: [] })
        }),
      )
    })
    openRequests.add(req)
    req.on('timeout', () => req?.destroy(new Error('timeout')))
    req.on('error', (e) => failWith(req, e.message))
    if (body !== undefined) req.write(body)
    req.end()
  } catch (e) {
    failWith(req, e instanceof Error ? e.message : String(e))
  }
  const noop = (() => undefined) as AnyFn
  return {
    abort: (() => {
      deps.record('RequestTask.abort', [])
      if (!done) req?.destroy(new Error('abort'))
    }) as AnyFn,
    onHeadersReceived: noop,
    offHeadersReceived: noop,
    onChunkReceived: noop,
    offChunkReceived: noop,
  }
}

type SocketEvent = 'open' | 'message' | 'close' | 'error'

/**
 * `wx.connectSocket`: returns the SocketTask at once and calls `success`
 * (the request to connect was made); the connection itself opens later, on a
 * macrotask after `success`, so an app that attaches its listeners when
 * Taro's promise resolves (Taro resolves `connectSocket` with the task after
 * `success`) does not miss `onOpen`.
 */
export function wxConnectSocket(opts: NetworkOptions, deps: NetworkDeps): FakeSocketTask {
  const url = String(opts.url)
  const listeners: Record<SocketEvent, ((res: unknown) => void)[]> = { open: [], message: [], close: [], error: [] }
  let ws: WebSocket | null = null
  let readyState: FakeSocketTask['readyState'] = 0
  let closed: FakeSocketTask['closed'] = null
  let closeEvent: SocketCloseEvent | null = null
  let connecting = false
  let quietError = false
  const sent: unknown[] = []
  const received: unknown[] = []

  let resolveOpened!: () => void
  let rejectOpened!: (e: Error) => void
  const openedPromise = new Promise<void>((resolve, reject) => {
    resolveOpened = resolve
    rejectOpened = reject
  })
  openedPromise.catch(() => undefined) // only a failure if someone waits for it
  let resolveClosed!: (e: SocketCloseEvent) => void
  const closedPromise = new Promise<SocketCloseEvent>((resolve) => {
    resolveClosed = resolve
  })

  /** Deliver an event to the app's listeners on a macrotask, in order. */
  const emit = (type: SocketEvent, res: unknown, after?: () => void): void => {
    deps.later(() => {
      for (const cb of [...listeners[type]]) cb(res)
      after?.()
    })
  }
  const stopConnecting = (): void => {
    if (connecting) {
      connecting = false
      inFlight -= 1
    }
  }
  const onClosed = (code: number, reason: string): void => {
    if (closeEvent) return
    readyState = 3
    closeEvent = { code, reason }
    const event = closeEvent
    emit('close', { code, reason }, () => {
      rejectOpened(new Error(`socket ${url} closed (${code} ${reason}) before it opened`))
      resolveClosed(event)
    })
  }

  const connect = (): void => {
    if (closed) {
      // The app closed it before it connected.
      onClosed(closed.code ?? 1000, closed.reason ?? '')
      return
    }
    connecting = true
    inFlight += 1
    try {
      const protocols = Array.isArray(opts.protocols) ? (opts.protocols as string[]) : undefined
      ws = new WebSocket(routed(url), protocols, {
        headers: (opts.header ?? {}) as Record<string, string>,
        perMessageDeflate: Boolean(opts.perMessageDeflate),
        handshakeTimeout: typeof opts.timeout === 'number' ? opts.timeout : 60_000,
      })
    } catch (e) {
      stopConnecting()
      emit('error', { errMsg: e instanceof Error ? e.message : String(e) })
      onClosed(1006, '')
      return
    }
    const socket = ws
    openSockets.add(socket)
    socket.on('open', () => {
      readyState = 1
      emit('open', { header: {}, profile: {} }, resolveOpened)
      stopConnecting()
    })
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(new Uint8Array(data))
      const value: unknown = isBinary ? toArrayBuffer(buf) : buf.toString('utf8')
      received.push(value)
      emit('message', { data: value })
    })
    socket.on('error', (err: Error) => {
      if (!quietError) emit('error', { errMsg: err.message })
    })
    socket.on('close', (code: number, reason: Buffer) => {
      openSockets.delete(socket)
      onClosed(code, reason.toString('utf8'))
      stopConnecting()
    })
  }
  // success first (Taro then hands the task to the app), then connect.
  deps.later(connect)

  const task: FakeSocketTask = {
    url,
    options: opts,
    sent,
    received,
    get closed() {
      return closed
    },
    get closeEvent() {
      return closeEvent
    },
    get readyState() {
      return readyState
    },
    messages: () =>
      received.flatMap((m) => {
        if (typeof m !== 'string') return []
        try {
          return [JSON.parse(m) as unknown]
        } catch {
          return []
        }
      }),
    opened: () => openedPromise,
    whenClosed: () => closedPromise,
    cut: () => {
      if (!ws || readyState === 3) throw new Error(`socket ${url} is not connected: nothing to cut`)
      ws.terminate()
      return closedPromise
    },
    api: {
      send: ((o: NetworkOptions = {}) => {
        deps.record('SocketTask.send', [o])
        if (readyState !== 1 || !ws) {
          deps.fail('sendSocketMessage', o, 'socket is not connected')
          return
        }
        const data = o.data
        sent.push(data)
        ws.send(isArrayBuffer(data) ? Buffer.from(new Uint8Array(data)) : String(data), (err) => {
          if (err) deps.fail('sendSocketMessage', o, err.message)
          else deps.succeed('sendSocketMessage', o)
        })
      }) as AnyFn,
      close: ((o: NetworkOptions = {}) => {
        deps.record('SocketTask.close', [o])
        const code = o.code as number | undefined
        if (code !== undefined && code !== 1000 && (code < 3000 || code > 4999)) {
          deps.fail('closeSocket', o, `invalid code ${code}: only 1000 or 3000-4999`)
          return
        }
        closed = { code, reason: o.reason as string | undefined }
        if (ws && readyState === 0) {
          // Give up connecting: ws reports an error for that, WeChat does not.
          quietError = true
          ws.terminate()
        } else if (ws && readyState === 1) {
          readyState = 2
          ws.close(code ?? 1000, (o.reason as string | undefined) ?? '')
        }
        deps.succeed('closeSocket', o)
      }) as AnyFn,
      onOpen: ((cb: (res: unknown) => void) => listeners.open.push(cb)) as AnyFn,
      onMessage: ((cb: (res: unknown) => void) => listeners.message.push(cb)) as AnyFn,
      onClose: ((cb: (res: unknown) => void) => listeners.close.push(cb)) as AnyFn,
      onError: ((cb: (res: unknown) => void) => listeners.error.push(cb)) as AnyFn,
    },
  }
  return task
}
