/**
 * `npm start`: the whole local stack in one process, and (by default) a demo
 * meeting to watch.
 *
 * 1. Builds the H5 app into dist/h5 when it is missing or older than the
 *    sources (scripts/lib/h5-build.ts), pointed at this service's URL.
 * 2. Starts the room service with its embedded media server (server/service.ts,
 *    in-process) and serves dist/h5 from the same origin (H5_DIR).
 * 3. Demo mode (default): creates a meeting and fills it with bots publishing
 *    test patterns (scripts/lib/bot.ts), then prints what to open.
 *
 *   npm start                   # the stack + a demo meeting with 3 bots
 *   npm start -- --bots 5       # … with 5 bots
 *   npm start -- --no-demo      # the stack only
 *   npm start -- --no-build     # do not rebuild dist/h5 even if stale
 *   npm start -- --instances 3  # three instances sharing meetings through Redis,
 *                               # behind a local balancer (scripts/lib/cluster.ts)
 *
 * Settings come from the environment or .env as for `npm run server`
 * (server/config.ts); LOG_LEVEL defaults to warn here. Ctrl-C: the bots
 * leave, meetings end, everything stops.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig, type Config } from '../server/config'
import { startService } from '../server/service'
import { startBots, type BotFleet } from './lib/bot'
import { startCluster, type Cluster } from './lib/cluster'
import { buildH5, h5Paths, staleReason } from './lib/h5-build'
import { createMeeting } from './lib/service-api'

const ROOT = resolve(__dirname, '..')

const USAGE = `Usage: npm start [-- options]

  --bots N      bots in the demo meeting (default 3; 0 = an empty demo meeting)
  --no-demo     no demo meeting: just the room service, the media server and the app
  --no-build    serve dist/h5 as it is, even if older than the sources
  --instances N run N room-service processes sharing meetings through Redis, behind a
                local balancer on PORT (default 1: one process, meetings in memory).
                Uses REDIS_URL, else a Redis on 127.0.0.1:6379, else starts redis-server.
  -h, --help    this text

Environment (or .env): PORT, HOST, RTMP_PORT, HTTP_FLV_PORT, LOG_LEVEL, … (see server/config.ts).`

interface StartOptions {
  readonly demo: boolean
  readonly bots: number
  readonly build: boolean
  readonly instances: number
}

function parse(argv: readonly string[]): StartOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      bots: { type: 'string' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      'no-build': { type: 'boolean' },
      instances: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help === true) return 'help'
  const bots = values.bots === undefined ? 3 : /^\s*\d+\s*$/.test(values.bots) ? Number(values.bots) : NaN
  if (!Number.isInteger(bots)) throw new Error(`--bots must be a whole number (got ${JSON.stringify(values.bots)})`)
  const instances = values.instances === undefined ? 1 : /^\s*\d+\s*$/.test(values.instances) ? Number(values.instances) : NaN
  if (!Number.isInteger(instances) || instances < 1 || instances > 16) {
    throw new Error(`--instances must be a whole number from 1 to 16 (got ${JSON.stringify(values.instances)})`)
  }
  return { demo: values['no-demo'] !== true, bots, build: values['no-build'] !== true, instances }
}

function readConfig(): Config {
  const envFile = join(ROOT, '.env')
  // loadEnvFile does not overwrite variables already set in the environment.
  if (existsSync(envFile)) process.loadEnvFile(envFile)
  return loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    H5_DIR: process.env.H5_DIR ?? h5Paths(ROOT).outDir,
  })
}

/** The address a browser on this machine uses (a wildcard bind is reached through loopback). */
function browserHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

/** The instances, Redis and the balancer; an instance that dies is reported (and stays dead: that is the demo). */
function startClusterStack(count: number, config: Config, h5Dir: string): Promise<Cluster> {
  return startCluster(count, config, {
    h5Dir,
    onInstanceExit: (instance, code, signal) => {
      say(`  ${instance.name} exited (${signal ?? code}); the balancer skips it, its members resume on the others.`)
    },
  })
}

const say = (line = ''): void => {
  process.stdout.write(`${line}\n`)
}

async function main(): Promise<void> {
  let options: StartOptions | 'help'
  try {
    options = parse(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`)
    process.exit(2)
  }
  if (options === 'help') {
    say(USAGE)
    return
  }
  let config: Config
  try {
    config = readConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nFix the variables above (environment or .env) and start again.\n`)
      process.exit(1)
    }
    throw error
  }
  if (options.demo && (options.bots < 0 || options.bots > config.capacity - 1)) {
    process.stderr.write(`--bots must be 0..${config.capacity - 1}: the meeting holds ${config.capacity} and one seat is yours (CAPACITY)\n`)
    process.exit(2)
  }

  // 1. The H5 app, built for this service's origin.
  if (config.port === 0 && !process.env.TARO_APP_SERVICE_URL) {
    process.stderr.write('npm start builds the app for a fixed port: set PORT (default 8787) rather than 0, or TARO_APP_SERVICE_URL\n')
    process.exit(2)
  }
  const serviceUrl = process.env.TARO_APP_SERVICE_URL || `http://${browserHost(config.host)}:${config.port}`
  const paths = h5Paths(ROOT)
  const h5Dir = config.h5Dir ?? paths.outDir
  if (h5Dir === paths.outDir) {
    const stale = staleReason(paths, serviceUrl)
    if (stale !== null && options.build) {
      say(`Building the H5 app into dist/h5 for ${serviceUrl} (${stale}); this takes a minute or two…`)
      const began = Date.now()
      await buildH5(paths, serviceUrl)
      say(`Built in ${Math.round((Date.now() - began) / 1000)} s.`)
    } else if (stale !== null) {
      say(`Note: dist/h5 is stale (${stale}); serving it anyway (--no-build).`)
    }
  }

  // 2. The room service, the media server, the app on the same origin.
  const stack = options.instances > 1 ? await startClusterStack(options.instances, config, h5Dir) : await startService(config)
  const service = { url: stack.url, stop: () => stack.stop() }
  const url = 'port' in stack ? `http://${browserHost(config.host)}:${stack.port}` : stack.url

  let fleet: BotFleet | null = null
  const starting = new AbortController()
  let stopping = false
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write('stopping now\n')
      process.exit(130)
    }
    stopping = true
    say(`\n${signal}: the bots leave, meetings end, the service stops…`)
    starting.abort()
    void (async () => {
      await fleet?.stop()
      await service.stop()
      say('stopped')
      process.exit(0)
    })().catch((error: unknown) => {
      process.stderr.write(`shutdown failed: ${String(error)}\n`)
      process.exit(1)
    })
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)

  say()
  say(`Meeting stack running at ${url}/`)
  say(`  App (H5)       ${url}/`)
  if ('port' in stack) {
    say(`  Room service   ${url}/v1/…  (WebSocket ${stack.socketUrl}, health ${url}/healthz)`)
    say(`  Media          ${stack.media.describe()}`)
  } else {
    say(`  Room service   ${url}/v1/…  through a local balancer, ${stack.instances.length} instances sharing meetings in Redis (${stack.redisUrl}, ${stack.redisOrigin}):`)
    for (const i of stack.instances) say(`                   ${i.name}: ${i.url}  pid ${i.child.pid ?? '?'}`)
    say(`  Media          one embedded media server per instance (streams live with the instance that admitted them)`)
    say(`  Kill one mid-meeting: kill -9 ${stack.instances[stack.instances.length - 1].child.pid ?? '<pid>'} — its members resume on the others and nobody sees them leave.`)
  }

  // 3. A meeting to watch.
  if (options.demo) {
    const { meetingId } = await createMeeting(service.url)
    if (options.bots > 0) {
      try {
        fleet = await startBots({
          serviceUrl: service.url,
          meetingId,
          count: options.bots,
          // Each demo bot greets the meeting once, so the demo shows the chat.
          chat: true,
          log: (line) => say(`  [bots] ${line}`),
          signal: starting.signal,
        })
      } catch (error) {
        if (stopping) return
        say(`  The demo bots could not join: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    const names = fleet?.bots.map((b) => b.nickname).join(', ')
    say()
    say(`Demo meeting ${meetingId}${names ? ` with ${names} (test patterns with their name and a clock)` : ''}.`)
    say(`  Watch it: open ${url}/#/packages/meeting/prejoin/index?meetingId=${meetingId} in a browser, type a nickname, press 进入会议 (Enter meeting).`)
    say(`  More bots: npm run bots -- --meeting ${meetingId} --count 2 --first ${options.bots + 1} --service ${service.url}`)
  } else {
    say()
    say(`Open ${url}/ and create a meeting; add bots with: npm run bots -- --meeting <ID> --count 3 --service ${service.url}`)
  }
  say()
  say(`Mini program: TARO_APP_SERVICE_URL=${url} npm run dev:weapp, then open this folder in WeChat DevTools (README).`)
  say('Ctrl-C stops everything.')
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
