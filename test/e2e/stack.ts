/**
 * The e2e tests' stack: what `npm start --no-demo --no-build` runs (the room
 * service, its embedded media server, the H5 app served from the same
 * origin), in a child process of the test, plus ONE test-only control that
 * `npm start` does not have: restart the media server alone, keeping the
 * meetings, the room sockets and the signing keys (the URLs handed out stay
 * valid), as a crashed-and-supervised media server would come back.
 *
 * Why a child process: the service serves the app with @fastify/static, whose
 * ES-module-only dependency Jest's module system cannot load (server/http/static.ts).
 *
 * Run as `node --import tsx test/e2e/stack.ts` with an IPC channel
 * (./stack-control.ts starts it). Settings come from the environment as for
 * `npm start` (server/config.ts). Messages:
 *   parent → child  { id, cmd: 'restart-media', downMs } | { id, cmd: 'stop' }
 *   child → parent  { type: 'ready', url, rtmpPort, httpFlvPort } once listening,
 *                   { id, ok: true } | { id, ok: false, error } per command,
 *                   { type: 'failed', error } if it could not start.
 * The child stops the service and exits when the parent disconnects (a test
 * runner that died must not leave a stack behind).
 */
import { loadConfig } from '../../server/config'
import { startService, type RunningService } from '../../server/service'
import { LocalMediaProvider } from '../../server/media/local'

type Command = { id: number; cmd: 'restart-media'; downMs?: number } | { id: number; cmd: 'stop' }

const send = (message: object): void => {
  if (process.connected) process.send?.(message)
}

let service: RunningService | null = null
let stopping: Promise<void> | null = null

function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    try {
      await service?.stop()
    } finally {
      // Let the last IPC message go out, then leave without waiting for stray handles.
      process.exitCode = code
      setTimeout(() => process.exit(code), 20).unref()
      if (process.connected) process.disconnect()
    }
  })()
  return stopping
}

async function handle(message: Command): Promise<void> {
  const running = service
  if (running === null) throw new Error('the stack is not running')
  switch (message.cmd) {
    case 'restart-media': {
      if (!(running.media instanceof LocalMediaProvider)) throw new Error('only the local media provider can be restarted')
      const began = Date.now()
      await running.media.stop()
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, message.downMs ?? 0)))
      await running.media.start()
      process.stderr.write(`[stack] media server restarted (down ${Date.now() - began} ms)\n`)
      return
    }
    case 'stop':
      await shutdown(0)
      return
  }
}

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('test/e2e/stack.ts needs an IPC channel: start it with test/e2e/stack-control.ts')
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env })
  service = await startService(config)
  const media = service.media instanceof LocalMediaProvider ? service.media.ports : null
  process.on('message', (raw: Command) => {
    handle(raw).then(
      () => send({ id: raw.id, ok: true }),
      (error: unknown) => send({ id: raw.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    )
  })
  process.on('disconnect', () => void shutdown(0))
  process.on('SIGTERM', () => void shutdown(0))
  process.on('SIGINT', () => void shutdown(0))
  send({ type: 'ready', url: service.url, rtmpPort: media?.rtmp, httpFlvPort: media?.httpFlv })
}

main().catch((error: unknown) => {
  const text = error instanceof Error ? error.message : String(error)
  process.stderr.write(`[stack] failed: ${text}\n`)
  send({ type: 'failed', error: text })
  void shutdown(1)
})
