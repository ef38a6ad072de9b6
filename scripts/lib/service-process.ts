/**
 * One room-service instance as its own process (`node --import tsx
 * server/main.ts`, what `npm run server` runs), resolved once it prints that
 * it is ready: for `npm start -- --instances N`, the scale bench, and the
 * tests that kill an instance outright.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const ROOT = join(__dirname, '..', '..')

export interface ServiceProcess {
  readonly child: ChildProcess
  /** `http://host:port` as the instance printed it. */
  readonly url: string
  readonly host: string
  readonly port: number
}

export interface ServiceProcessOptions {
  /** Called with stderr once the instance is ready (before that it goes into the startup error). */
  readonly onStderr?: (text: string) => void
  /** Called if the instance exits after it was ready. */
  readonly onExit?: (code: number | null, signal: NodeJS.Signals | null) => void
}

export function startServiceProcess(env: NodeJS.ProcessEnv, options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let ready = false
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready) return
      stdout += chunk.toString()
      const match = /Room service ready at (http:\/\/([^\s/]+|\[[^\]]+\]):(\d+))/.exec(stdout)
      if (match === null) return
      ready = true
      resolve({ child, url: match[1], host: match[2].replace(/^\[|\]$/g, ''), port: Number(match[3]) })
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      if (ready) options.onStderr?.(chunk.toString())
      else stderr += chunk.toString()
    })
    child.on('exit', (code, signal) => {
      if (ready) options.onExit?.(code, signal)
      else reject(new Error(`the room service exited (${code ?? signal}) before it was ready: ${stderr.trim()}`))
    })
  })
}

/** Signal the process and wait for it to exit (at once if it already has). */
export async function endServiceProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill(signal)
  await exited
}
