/**
 * A room-service instance in a child process, for tests that must kill one
 * outright: SIGKILL leaves no chance to hand anything over, as a lost
 * machine would.
 */
import type { ChildProcess } from 'node:child_process'
import { PATHS } from '../../../src/core/protocol'
import { endServiceProcess, startServiceProcess } from '../../../scripts/lib/service-process'
import type { ServiceAddress } from './client'

export interface ChildInstance extends ServiceAddress {
  readonly child: ChildProcess
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>
}

export async function startChildInstance(env: Record<string, string>): Promise<ChildInstance> {
  const { child, url } = await startServiceProcess({ ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env })
  return { child, url, socketUrl: url.replace(/^http/, 'ws') + PATHS.socket, kill: () => endServiceProcess(child, 'SIGKILL') }
}
