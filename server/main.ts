/**
 * `npm run server`: the room service with its embedded media server on
 * localhost, state in memory (or shared with other instances in Redis when
 * REDIS_URL is set: docs/scale-out.md). Reads `.env` when present, then the
 * environment (which wins); see server/config.ts for the variables.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { PATHS } from '../src/core/protocol'
import { ConfigError, loadConfig, type Config } from './config'
import { startService, type RunningService } from './service'

function readConfig(): Config {
  const envFile = resolve(process.cwd(), '.env')
  // loadEnvFile does not overwrite variables already set in the environment.
  if (existsSync(envFile)) process.loadEnvFile(envFile)
  try {
    return loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nFix the variables above (environment or .env) and start again.\n`)
      process.exit(1)
    }
    throw error
  }
}

function nextSteps(service: RunningService, config: Config): string {
  const lines = [
    '',
    `Room service ready at ${service.url}  (WebSocket ${service.socketUrl}, health ${service.url}${PATHS.health})`,
    `Media: ${service.media.describe()}`,
    '',
    'Next:',
    `  1. Build the mini program against it (another terminal):`,
    `       TARO_APP_SERVICE_URL=${service.url} npm run dev:weapp`,
    '  2. Open dist/ in WeChat DevTools and tick',
    '       Details → Local Settings → "Do not verify valid domain names, web-view (business domain names),',
    '       TLS versions and HTTPS certificates" (不校验合法域名、web-view（业务域名）、TLS 版本以及 HTTPS 证书).',
    '  3. DevTools cannot run <live-pusher>/<live-player>; for media, preview on a phone on the same network:',
    '       start this with HOST=0.0.0.0 MEDIA_BIND=0.0.0.0 MEDIA_PUBLIC_HOST=<this machine\'s LAN IP>,',
    '       and build with TARO_APP_SERVICE_URL=http://<LAN IP>:' + String(service.port) + '.',
    '',
    config.redisUrl === undefined
      ? `Meetings hold up to ${config.capacity} publishers; state is in memory and ends with this process. Ctrl+C stops.`
      : `Meetings hold up to ${config.capacity} publishers; state is shared in Redis (instance ${service.instance}): stopping this instance hands its sockets to the others. Ctrl+C stops.`,
    '',
  ]
  return lines.join('\n')
}

async function main(): Promise<void> {
  const config = readConfig()
  const service = await startService(config)
  process.stdout.write(nextSteps(service, config))
  let stopping = false
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`\n${signal}: ${service.store.kind === 'redis' ? 'handing sockets to the other instances' : 'ending meetings'} and stopping…\n`)
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  process.stderr.write(`Room service failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
