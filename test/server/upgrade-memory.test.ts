/**
 * Per-participant memory: the HTTP upgrade of a WebSocket is not kept alive
 * for the socket's lifetime. @fastify/websocket holds the upgrade's request
 * and reply (and through them the IncomingMessage with its headers, the
 * ServerResponse and a child logger) until the socket closes unless
 * `releaseUpgrade` lets go of them. Real fastify, the real plugin, real
 * sockets, a real garbage collection.
 */
import websocket from '@fastify/websocket'
import Fastify, { type FastifyInstance } from 'fastify'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import WebSocket from 'ws'
import { releaseUpgrade } from '../../server/ws/upgrade'

/** Node has WeakRef; the project's TypeScript lib (ES2020) does not declare it. */
declare class WeakRef<T extends object> {
  constructor(target: T)
  deref(): T | undefined
}

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const SOCKETS = 20

let app: FastifyInstance
const held: { request: WeakRef<object>; raw: WeakRef<object>; response: WeakRef<object> }[] = []
const errors: Error[] = []

beforeAll(async () => {
  app = Fastify()
  await app.register(websocket)
  app.get('/ws', { websocket: true }, (socket, request) => {
    const tcp = request.raw.socket as unknown as { _httpMessage: object }
    held.push({ request: new WeakRef(request), raw: new WeakRef(request.raw), response: new WeakRef(tcp._httpMessage) })
    releaseUpgrade(socket, request, (error) => errors.push(error))
    socket.on('message', (data: Buffer) => socket.send(data, { binary: false }))
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
})

afterAll(async () => {
  await app.close()
})

async function collect(): Promise<void> {
  // WeakRefs hold their target until the current job ends; give it two turns and two collections.
  for (let i = 0; i < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    gc()
  }
}

it('lets the upgrade request, reply and response go while the sockets stay open and working', async () => {
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const clients = await Promise.all(
    Array.from(
      { length: SOCKETS },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`)
          ws.once('open', () => resolve(ws))
          ws.once('error', reject)
        }),
    ),
  )
  try {
    await collect()
    expect(held).toHaveLength(SOCKETS)
    expect(held.filter((h) => h.request.deref() !== undefined)).toHaveLength(0)
    expect(held.filter((h) => h.raw.deref() !== undefined)).toHaveLength(0)
    expect(held.filter((h) => h.response.deref() !== undefined)).toHaveLength(0)

    // The sockets still carry frames both ways, and a socket error still reaches a listener.
    const echoes = await Promise.all(
      clients.map(
        (ws, i) =>
          new Promise<string>((resolve) => {
            ws.once('message', (data: Buffer) => resolve(data.toString()))
            ws.send(`hello ${i}`)
          }),
      ),
    )
    expect(echoes).toEqual(clients.map((_, i) => `hello ${i}`))
    expect(errors).toEqual([])
  } finally {
    for (const ws of clients) ws.terminate()
  }
})
