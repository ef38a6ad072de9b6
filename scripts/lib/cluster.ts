/**
 * `npm start -- --instances N`: N room-service instances (each `node
 * server/main.ts` in its own process) sharing meetings through one Redis,
 * behind the local balancer (./balancer.ts) on PORT, for a demo of losing an
 * instance mid-meeting: `kill -9` one and its members resume on the others,
 * and nobody sees them leave.
 *
 * Redis: REDIS_URL when set; else one already answering on 127.0.0.1:6379;
 * else Debian's redis-server started here on a free loopback port, and
 * stopped with the rest.
 *
 * Media stays per instance in this demo: each embeds its own media server on
 * free ports, and a participant's URLs point at the instance that admitted
 * it, so a killed instance takes those streams with it (their owners stay in
 * the meeting and their tiles say they reconnect). With Tencent Cloud media
 * (MEDIA_PROVIDER=tencent-css) every instance signs for the same CDN and
 * nothing is lost. docs/scale-out.md says more.
 */
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import type { Config } from '../../server/config'
import { startBalancer, type Backend, type Balancer } from './balancer'
import { redisAnswers, startRedis, type RedisProcess } from './redis-server'
import { endServiceProcess, startServiceProcess } from './service-process'

export interface Instance extends Backend {
  readonly child: ChildProcess
  readonly url: string
}

export interface Cluster {
  readonly url: string
  readonly redisUrl: string
  /** Where Redis came from, for the banner. */
  readonly redisOrigin: 'REDIS_URL' | 'already running' | 'started here'
  readonly instances: readonly Instance[]
  stop(): Promise<void>
}

/** Start one instance and resolve once it says it is ready. */
async function startInstance(name: string, env: NodeJS.ProcessEnv, onExit: (instance: Instance, code: number | null, signal: string | null) => void): Promise<Instance> {
  const holder: { instance?: Instance } = {}
  const started = await startServiceProcess(env, {
    onStderr: (text) => process.stderr.write(`[${name}] ${text}`),
    onExit: (code, signal) => {
      if (holder.instance === undefined) return
      holder.instance.alive = false
      onExit(holder.instance, code, signal)
    },
  })
  holder.instance = { name, host: started.host, port: started.port, alive: true, child: started.child, url: started.url }
  return holder.instance
}

export async function startCluster(
  count: number,
  config: Config,
  options: { readonly h5Dir: string; readonly onInstanceExit: (instance: Instance, code: number | null, signal: string | null) => void },
): Promise<Cluster> {
  let redis: RedisProcess | null = null
  let redisUrl = process.env.REDIS_URL ?? ''
  let redisOrigin: Cluster['redisOrigin'] = 'REDIS_URL'
  if (redisUrl === '') {
    if (await redisAnswers('127.0.0.1', 6379)) {
      redisUrl = 'redis://127.0.0.1:6379'
      redisOrigin = 'already running'
    } else {
      redis = await startRedis()
      redisUrl = redis.url
      redisOrigin = 'started here'
    }
  }
  // Shared by all instances: a token or URL signed by one is good on every other.
  const shared = {
    SESSION_SECRET: config.sessionSecret ?? randomBytes(24).toString('hex'),
    MEDIA_PUSH_KEY: process.env.MEDIA_PUSH_KEY ?? randomBytes(16).toString('hex'),
    MEDIA_PLAY_KEY: process.env.MEDIA_PLAY_KEY ?? randomBytes(16).toString('hex'),
  }
  const instances: Instance[] = []
  let balancer: Balancer | null = null
  const stop = async (): Promise<void> => {
    await balancer?.close()
    await Promise.all(instances.map((i) => endServiceProcess(i.child, 'SIGTERM')))
    await redis?.stop()
  }
  try {
    for (let n = 1; n <= count; n++) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...shared,
        REDIS_URL: redisUrl,
        HOST: '127.0.0.1',
        PORT: '0',
        RTMP_PORT: '0',
        HTTP_FLV_PORT: '0',
        H5_DIR: options.h5Dir,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        // Everyone arrives from the balancer's address: one per-IP budget would be everyone's.
        HTTP_RATE_PER_MIN: process.env.HTTP_RATE_PER_MIN ?? '100000',
        HTTP_RATE_BURST: process.env.HTTP_RATE_BURST ?? '10000',
      }
      instances.push(await startInstance(`instance ${n}`, env, options.onInstanceExit))
    }
    balancer = await startBalancer(instances, config.host, config.port)
  } catch (error) {
    await stop()
    throw error
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  return { url: `http://${host}:${balancer.port}`, redisUrl, redisOrigin, instances, stop }
}
