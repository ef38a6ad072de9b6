/**
 * The protocol fuzz suite (test/server/helpers/fuzz-suite.ts) against one
 * instance, meetings in memory.
 */
import { startTestService } from './helpers/service'
import { fuzzSuite } from './helpers/fuzz-suite'

fuzzSuite(
  async (env) => {
    const service = await startTestService(env)
    return { name: 'one instance', hostOn: service, guestOn: service, stop: () => service.stop() }
  },
  { socket: 1000, preHello: 300, http: 300 },
)
