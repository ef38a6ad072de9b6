/**
 * A small local load balancer for `npm start -- --instances N`: one port in
 * front of the room-service instances, round-robin over the ones that
 * answer. HTTP requests are proxied (a refused connection tries the next
 * instance); WebSocket upgrades are piped raw to the chosen instance, so a
 * socket lives and dies with its instance, and the client's reconnect lands
 * on a live one: what a production balancer (nginx, a cloud LB) does.
 * Loopback only; not for production.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'

export interface Backend {
  readonly name: string
  readonly host: string
  readonly port: number
  /** False once its process is known dead. */
  alive: boolean
}

export interface Balancer {
  readonly port: number
  close(): Promise<void>
}

export async function startBalancer(backends: Backend[], host: string, port: number): Promise<Balancer> {
  let next = 0
  /** The next live backend after `tried`, round-robin. */
  const pick = (tried: ReadonlySet<Backend>): Backend | undefined => {
    for (let i = 0; i < backends.length; i++) {
      const b = backends[(next + i) % backends.length]
      if (b.alive && !tried.has(b)) {
        next = (next + i + 1) % backends.length
        return b
      }
    }
    return undefined
  }

  const server: Server = createServer((req, res) => {
    // Bodies are small (JSON); buffer so a refused backend can be retried.
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const tried = new Set<Backend>()
      const attempt = (): void => {
        const backend = pick(tried)
        if (backend === undefined) {
          res.writeHead(502, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ error: { code: 'internal', message: 'No room-service instance is up' } }))
          return
        }
        tried.add(backend)
        const upstream = httpRequest(
          { host: backend.host, port: backend.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          },
        )
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (!res.headersSent && (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET')) attempt()
          else res.destroy()
        })
        upstream.end(body)
      }
      attempt()
    })
  })

  const piped = new Set<Socket>()
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    piped.add(client)
    client.once('close', () => piped.delete(client))
    const tried = new Set<Backend>()
    const attempt = (): void => {
      const backend = pick(tried)
      if (backend === undefined) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
        return
      }
      tried.add(backend)
      const upstream = connect(backend.port, backend.host)
      upstream.once('connect', () => {
        const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`]
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`)
        if (head.length > 0) upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED' && !client.destroyed) attempt()
        else client.destroy()
      })
      upstream.once('close', () => client.destroy())
      client.once('close', () => upstream.destroy())
      client.on('error', () => upstream.destroy())
    }
    attempt()
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(error.code === 'EADDRINUSE' ? `port ${port} is taken (PORT): stop what uses it or set another` : error.message)),
    )
    server.listen(port, host, () => resolve())
  })
  const address = server.address()
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        for (const socket of piped) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
