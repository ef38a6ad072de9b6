/**
 * A room-service instance in a child process (`node --import tsx
 * server/main.ts`, as `npm run server`), for tests that must kill one
 * outright: SIGKILL leaves no chance to hand anything over, as a lost
 * machine would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { PATHS } from '../../../src/core/protocol'
import type { ServiceAddress } from './client'

const ROOT = join(__dirname, '..', '..', '..')

export interface ChildInstance extends ServiceAddress {
  readonly child: ChildProcess
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>
  /** SIGTERM (a graceful stop), and wait for the exit. */
  stop(): Promise<void>
}

export function startChildInstance(env: Record<string, string>): Promise<ChildInstance> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    const end = (signal: NodeJS.Signals) => async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((done) => child.once('exit', done))
      child.kill(signal)
      await exited
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const ready = /Room service ready at (http:\/\/\S+)/.exec(stdout)
      if (ready) {
        const url = ready[1]
        resolve({ url, socketUrl: url.replace(/^http/, 'ws') + PATHS.socket, child, kill: end('SIGKILL'), stop: end('SIGTERM') })
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`instance exited with ${code}: ${stderr}`)))
  })
}
