/**
 * Debian's redis-server on a free loopback port, without persistence (a
 * restart loses everything, as a crashed cache would): for
 * `npm start -- --instances N` when no Redis runs, the scale bench, and the
 * tests (which never use 6379: others on the machine may).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, Socket } from 'node:net'

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server'

export interface RedisProcess {
  readonly port: number
  readonly url: string
  /** SIGKILL, as a crash. */
  kill(): Promise<void>
  /** Start again on the same port (empty: nothing was persisted). */
  start(): Promise<void>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Whether a Redis answers PING at host:port (within 500 ms). */
export function redisAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
    socket.connect(port, host, () => socket.write('PING\r\n'))
  })
}

export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort()
  let child: ChildProcess | null = null

  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child = proc
      let output = ''
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${output}`)), 10_000)
      const onData = (data: Buffer): void => {
        output += data.toString()
      }
      proc.stdout?.on('data', onData)
      proc.stderr?.on('data', onData)
      proc.once('error', (error) => {
        clearTimeout(timer)
        reject(new Error(`cannot run ${REDIS_SERVER} (apt-get install redis-server): ${error.message}`))
      })
      proc.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`redis-server exited (${code}): ${output}`))
      })
      // Ready once it accepts a connection.
      const probe = (): void => {
        const socket = new Socket()
        socket.once('connect', () => {
          socket.destroy()
          clearTimeout(timer)
          resolve()
        })
        socket.once('error', () => {
          socket.destroy()
          setTimeout(probe, 30)
        })
        socket.connect(port, '127.0.0.1')
      }
      probe()
    })

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child
    child = null
    if (proc === null || proc.exitCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill(signal)
    await exited
  }

  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => end('SIGKILL'),
    start,
    stop: () => end('SIGTERM'),
  }
}
