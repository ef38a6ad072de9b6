/**
 * @tarojs/taro for app code that runs in Node tests against a real room
 * service: `request` and `connectSocket` behave like WeChat's (same option
 * and result shapes, a SocketTask with onOpen/onMessage/onClose/onError) but
 * go over real HTTP (fetch) and real WebSockets (ws). Only the WeChat client
 * is replaced; the service, the sockets and the app's code are real.
 */
import http from 'node:http'
import WebSocket from 'ws'

interface RequestOption {
  url: string
  method?: string
  data?: unknown
  header?: Record<string, string>
  timeout?: number
}

/** wx.request over node:http (works in Jest's node and jsdom environments alike). */
function request(option: RequestOption): Promise<{ statusCode: number; data: unknown; header: Record<string, string>; errMsg: string }> {
  const body = option.data === undefined ? undefined : typeof option.data === 'string' ? option.data : JSON.stringify(option.data)
  return new Promise((resolve, reject) => {
    const req = http.request(
      option.url,
      { method: option.method ?? 'GET', headers: option.header, timeout: option.timeout ?? 10_000 },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let data: unknown = text
          try {
            data = JSON.parse(text)
          } catch {
            // WeChat hands back the raw text when it is not JSON.
          }
          resolve({ statusCode: res.statusCode ?? 0, data, header: {}, errMsg: 'request:ok' })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (e) => reject({ errMsg: `request:fail ${e.message}` }))
    if (body !== undefined) req.write(body)
    req.end()
  })
}

/** Every socket the app opened, so a test can cut one (as a lost network would). */
export const openedSockets: WebSocket[] = []

function connectSocket(option: { url: string }) {
  const ws = new WebSocket(option.url)
  openedSockets.push(ws)
  ws.on('error', () => undefined)
  const task = {
    onOpen: (cb: () => void) => ws.on('open', () => cb()),
    onMessage: (cb: (msg: { data: string }) => void) => ws.on('message', (data) => cb({ data: data.toString() })),
    onClose: (cb: (res: { code: number; reason: string }) => void) =>
      ws.on('close', (code, reason) => cb({ code, reason: reason.toString() })),
    onError: (cb: (err: { errMsg: string }) => void) => ws.on('error', (e) => cb({ errMsg: e.message })),
    send: (opt: { data: string }) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(opt.data)
    },
    close: (opt: { code?: number; reason?: string } = {}) => {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate()
      else ws.close(opt.code ?? 1000, opt.reason ?? '')
    },
  }
  return Promise.resolve(task)
}

const Taro = { request, connectSocket }
export default Taro
