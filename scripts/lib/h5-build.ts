/**
 * Keep `dist/h5` (the browser build) fresh for `npm start`: rebuild it with
 * `taro build --type h5` when it is missing, older than any source, or was
 * built for another service URL. A stamp next to it records what it was
 * built for.
 */
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export interface H5BuildPaths {
  /** The repository root. */
  readonly root: string
  /** `<root>/dist/h5` */
  readonly outDir: string
  /** `<root>/dist/.h5-build.json`: what the current build was made for. */
  readonly stampFile: string
  /** `<root>/dist/h5-build.log`: the last build's output. */
  readonly logFile: string
}

export function h5Paths(root: string): H5BuildPaths {
  return {
    root,
    outDir: join(root, 'dist', 'h5'),
    stampFile: join(root, 'dist', '.h5-build.json'),
    logFile: join(root, 'dist', 'h5-build.log'),
  }
}

interface Stamp {
  readonly serviceUrl: string
  /** dist/h5/index.html's mtime right after the build: another build (npm run build:h5) changes it. */
  readonly indexMtimeMs: number
}

/** What the build depends on, besides node_modules. */
const SOURCES = ['src', 'config', 'types', 'package.json', 'package-lock.json', 'babel.config.js', 'tsconfig.json', 'project.config.json']

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/** Why the build must be (re)made, or null when it is fresh. */
export function staleReason(paths: H5BuildPaths, serviceUrl: string): string | null {
  const index = join(paths.outDir, 'index.html')
  const built = statSync(index, { throwIfNoEntry: false })
  if (built === undefined) return `${relative(paths.root, index)} does not exist`
  let stamp: Stamp | null = null
  try {
    stamp = JSON.parse(readFileSync(paths.stampFile, 'utf8')) as Stamp
  } catch {
    // no stamp: built by hand, for an unknown service URL
  }
  if (stamp === null || stamp.indexMtimeMs !== built.mtimeMs) return 'it was not built by npm start (unknown service URL)'
  if (stamp.serviceUrl !== serviceUrl) return `it was built for ${stamp.serviceUrl}, not ${serviceUrl}`
  for (const source of SOURCES) {
    const path = join(paths.root, source)
    if (newestMtime(path) > built.mtimeMs) return `${source} changed since it was built`
  }
  return null
}

/**
 * `taro build --type h5` with the app pointed at `serviceUrl`; the output
 * goes to the log file. Rejects with the log's tail when the build fails.
 */
export async function buildH5(paths: H5BuildPaths, serviceUrl: string): Promise<void> {
  const taro = join(paths.root, 'node_modules', '@tarojs', 'cli', 'bin', 'taro')
  if (!existsSync(taro)) throw new Error('the Taro CLI is not installed: run npm install')
  mkdirSync(join(paths.root, 'dist'), { recursive: true })
  const log = createWriteStream(paths.logFile)
  const child = spawn(process.execPath, [taro, 'build', '--type', 'h5'], {
    cwd: paths.root,
    env: { ...process.env, NODE_ENV: 'production', TARO_APP_SERVICE_URL: serviceUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let tail = ''
  const keep = (chunk: Buffer): void => {
    log.write(chunk)
    tail = (tail + chunk.toString()).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  // Ctrl-C during the build stops the build too.
  const forward = (): void => {
    child.kill('SIGINT')
  }
  process.once('SIGINT', forward)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  }).finally(() => {
    process.off('SIGINT', forward)
    log.end()
  })
  if (code !== 0 || !existsSync(join(paths.outDir, 'index.html'))) {
    const lines = tail.split('\n').slice(-25).join('\n')
    throw new Error(`taro build --type h5 failed (exit ${String(code)}); full output in ${relative(paths.root, paths.logFile)}:\n${lines}`)
  }
  const stamp: Stamp = { serviceUrl, indexMtimeMs: statSync(join(paths.outDir, 'index.html')).mtimeMs }
  writeFileSync(paths.stampFile, `${JSON.stringify(stamp)}\n`)
}
