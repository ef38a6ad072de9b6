/**
 * The protocol fuzz suite (test/server/helpers/fuzz-suite.ts) against two
 * instances sharing the meeting through a real redis-server: the host on
 * one, the fuzzing member on the other, so every command the fuzzer gets
 * through crosses Redis. Fewer runs than the single-instance suite: the
 * generators are the same, this run is about the shared path.
 */
import { startRedis } from '../../scripts/lib/redis-server'
import { startTestService } from './helpers/service'
import { fuzzSuite } from './helpers/fuzz-suite'

fuzzSuite(
  async (env) => {
    const redis = await startRedis()
    const shared = { ...env, REDIS_URL: redis.url }
    const a = await startTestService(shared)
    const b = await startTestService(shared)
    return {
      name: 'two instances on Redis',
      hostOn: a,
      guestOn: b,
      stop: async () => {
        await a.stop()
        await b.stop()
        await redis.stop()
      },
    }
  },
  { socket: 400, preHello: 100, http: 150 },
)
