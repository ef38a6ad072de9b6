/**
 * One real room service for the component tests, started in Node (the
 * service and its media server cannot run inside jsdom). Tests reach it at
 * process.env.TEST_SERVICE_URL.
 */
import type { RunningService } from '../../server/service'
import { startTestService } from '../server/helpers/service'

declare global {
  var __componentService: RunningService | undefined
}

export default async function globalSetup(): Promise<void> {
  const service = await startTestService({ CAPACITY: '16' })
  globalThis.__componentService = service
  process.env.TEST_SERVICE_URL = service.url
}
