/**
 * Start and drive the e2e stack (./stack.ts) as a child process: loopback,
 * fixed free ports (so a media server restart comes back where the URLs
 * point), the H5 build copied by ./global-setup.ts, known keys.
 *
 * The child runs in its own process group; `stop()` asks it to shut down
 * (the service ends meetings, closes sockets, waits for its ffmpeg relays)
 * and kills the whole group if it has not exited within a few seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { H5_COPY, ROOT } from './paths'

export interface Stack {
  /** `http://127.0.0.1:<port>`: the app, the API and the sockets. */
  readonly url: string
  readonly rtmpPort: number
  readonly httpFlvPort: number
  readonly pid: number
  /** Stop the media server, wait `downMs`, start it again on the same ports; meetings and rooms stay. */
  restartMedia(downMs?: number): Promise<void>
  /** Stop everything; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>
  /** What the stack printed (warnings and errors), for failure messages. */
  output(): string
}

/** A port free right now on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}

type Reply = { id: number; ok: boolean; error?: string }
type Ready = { type: 'ready'; url: string; rtmpPort: number; httpFlvPort: number }
type Failed = { type: 'failed'; error: string }

const START_TIMEOUT_MS = 30_000
const STOP_GRACE_MS = 8_000

/**
 * Start a stack. `env` overrides the defaults (e.g. `{ CAPACITY: '2' }`);
 * LOG_LEVEL=warn unless E2E_LOG_LEVEL says otherwise.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const [port, rtmp, httpFlv] = [await freePort(), await freePort(), await freePort()]
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'stack.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      MEDIA_PROVIDER: 'local',
      MEDIA_BIND: '127.0.0.1',
      RTMP_PORT: String(rtmp),
      HTTP_FLV_PORT: String(httpFlv),
      MEDIA_PUSH_KEY: 'e2e-push-key-0123456789abcdef',
      MEDIA_PLAY_KEY: 'e2e-play-key-0123456789abcdef',
      SESSION_SECRET: 'e2e-session-secret-0123456789abcdef',
      H5_DIR: H5_COPY,
      // Five browser joins from one address in a minute, plus bots: keep the per-IP limits out of the way.
      HTTP_RATE_PER_MIN: '6000',
      HTTP_RATE_BURST: '200',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  })
  let log = ''
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-20_000)
    if (process.env.E2E_STACK_LOG === '1') process.stderr.write(chunk)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  let ready: Ready
  try {
    ready = await new Promise<Ready>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the stack did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS)
      child.on('message', (message: Ready | Failed | Reply) => {
        if ('type' in message && message.type === 'ready') {
          clearTimeout(timer)
          resolve(message)
        } else if ('type' in message && message.type === 'failed') {
          clearTimeout(timer)
          reject(new Error(`the stack could not start: ${message.error}`))
        }
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`the stack exited during startup (${signal ?? `code ${String(code)}`})`))
      })
    })
  } catch (error) {
    await kill(child, exited)
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- stack output ---\n${log}`)
  }

  let nextId = 0
  const pending = new Map<number, { resolve(): void; reject(error: Error): void }>()
  child.on('message', (message: Ready | Failed | Reply) => {
    if (!('id' in message)) return
    const waiter = pending.get(message.id)
    pending.delete(message.id)
    if (message.ok) waiter?.resolve()
    else waiter?.reject(new Error(message.error ?? 'stack command failed'))
  })
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error('the stack exited'))
    pending.clear()
  })
  const command = (cmd: string, args: object = {}, timeoutMs = 15_000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('the stack is not running'))
      const id = ++nextId
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(new Error(`stack command ${cmd} timed out`))
      }, timeoutMs)
      pending.set(id, {
        resolve: () => {
          clearTimeout(timer)
          resolve()
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      child.send({ id, cmd, ...args })
    })

  let stopping: Promise<void> | null = null
  return {
    url: ready.url,
    rtmpPort: ready.rtmpPort,
    httpFlvPort: ready.httpFlvPort,
    pid: child.pid ?? -1,
    restartMedia: (downMs = 0) => command('restart-media', { downMs }),
    stop: () => {
      stopping ??= (async () => {
        const asked = command('stop', {}, STOP_GRACE_MS).catch(() => {})
        const late = !(await within(exited, STOP_GRACE_MS))
        await asked
        if (late) await kill(child, exited)
        // Whatever is left in its group (nothing, normally).
        signalGroup(child, 'SIGKILL')
        child.stdout?.destroy()
        child.stderr?.destroy()
      })()
      return stopping
    },
    output: () => log,
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // the group is gone
  }
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    signalGroup(child, 'SIGTERM')
    if (!(await within(exited, 2_000))) signalGroup(child, 'SIGKILL')
    await exited
  }
  if (child.connected) child.disconnect()
}

/** Whether `promise` settled within `ms` (leaving no timer behind). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ])
  } finally {
    clearTimeout(timer)
  }
}
