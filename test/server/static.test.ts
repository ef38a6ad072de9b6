/**
 * The H5 build served from the room service's own origin (server/http/static.ts,
 * on when H5_DIR is set): index.html at /, assets with long caching, SPA
 * fallback for app routes, the API untouched, nothing outside the directory,
 * and a clear startup error when the build is missing.
 *
 * The service runs as `npm run server` does (node + tsx, server/main.ts) in a
 * child process: @fastify/static needs an ES-module-only dependency that Node
 * loads but Jest's module system cannot (see server/http/static.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { http } from './helpers/http'
import { TENCENT_MEDIA_ENV } from './helpers/service'

jest.setTimeout(20_000)

const ROOT = join(__dirname, '..', '..')
const INDEX = '<!doctype html><html><head><script src="/js/app.1a2b3c4d.js"></script></head><body>meeting app</body></html>'
const APP_JS = 'console.log("app")'

interface Served {
  readonly url: string
  readonly child: ChildProcess
}

/** `tsx server/main.ts` on a free port, no media server; resolves with its URL once it says it is ready. */
function startServer(env: Record<string, string>): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...TENCENT_MEDIA_ENV, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const ready = /Room service ready at (http:\/\/\S+)/.exec(stdout)
      if (ready) resolve({ url: ready[1], child })
    })
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code) => reject(Object.assign(new Error(`server exited with ${code}: ${stderr}`), { code, stderr })))
  })
}

async function stopServer(served: Served | undefined): Promise<void> {
  const child = served?.child
  if (child === undefined || child.exitCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

let outside: string
let dir: string
let service: Served

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'static-test-'))
  writeFileSync(join(outside, 'secret.txt'), 'not for the web')
  dir = join(outside, 'h5')
  mkdirSync(join(dir, 'js'), { recursive: true })
  mkdirSync(join(dir, 'css'))
  writeFileSync(join(dir, 'index.html'), INDEX)
  writeFileSync(join(dir, 'js', 'app.1a2b3c4d.js'), APP_JS)
  writeFileSync(join(dir, 'css', 'app.css'), 'body{margin:0}')
  writeFileSync(join(dir, 'favicon.ico'), 'icon')
  writeFileSync(join(dir, '.hidden'), 'dotfile')
  service = await startServer({ H5_DIR: dir })
})

afterAll(async () => {
  await stopServer(service)
  rmSync(outside, { recursive: true, force: true })
})

describe('serving dist/h5 from the service origin', () => {
  it('index.html at /, revalidated', async () => {
    const res = await http<string>('GET', `${service.url}/`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.body).toBe(INDEX)
  })

  it('assets with their types; hashed bundles cached for a year', async () => {
    const js = await http<string>('GET', `${service.url}/js/app.1a2b3c4d.js`)
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toMatch(/javascript/)
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(js.body).toBe(APP_JS)
    const css = await http<string>('GET', `${service.url}/css/app.css`)
    expect([css.status, css.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/css/)])
    const icon = await http<string>('GET', `${service.url}/favicon.ico`)
    expect([icon.status, icon.headers['cache-control']]).toEqual([200, 'no-cache'])
    const head = await http('HEAD', `${service.url}/js/app.1a2b3c4d.js`)
    expect(head.status).toBe(200)
  })

  it('SPA fallback: app routes get index.html; a missing asset is a 404', async () => {
    for (const path of ['/pages/room/index', '/pages/home/index?meetingId=123456789', '/some/deep/link/', '/index.html']) {
      const res = await http<string>('GET', service.url + path)
      expect([path, res.status, res.body]).toEqual([path, 200, INDEX])
    }
    const missing = await http<{ error: { code: string } }>('GET', `${service.url}/js/gone.9f9f9f9f.js`)
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('not_found')
  })

  it('never shadows the API: /v1 routes and /healthz answer as before, unknown ones get JSON not_found', async () => {
    expect((await http('GET', `${service.url}/healthz`)).body).toEqual({ ok: true })
    const created = await http<{ meetingId: string }>('POST', `${service.url}/v1/meetings`, {})
    expect(created.status).toBe(201)
    const info = await http<{ participantCount: number }>('GET', `${service.url}/v1/meetings/${created.body.meetingId}`)
    expect([info.status, info.body.participantCount]).toEqual([200, 0])
    const unknown = await http<{ error: { code: string } }>('GET', `${service.url}/v1/meetings/123`)
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'unknown_meeting'])
    for (const path of ['/v1', '/v1/', '/v1/nothing/here', '/healthz/x']) {
      const res = await http<{ error: { code: string } }>('GET', service.url + path)
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'not_found'])
    }
    const post = await http<{ error: { code: string } }>('POST', `${service.url}/pages/home/index`, {})
    expect([post.status, post.body.error.code]).toEqual([404, 'not_found'])
  })

  it('nothing outside the directory, no dotfiles', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/js/..%2f..%2fsecret.txt', '/.hidden', '/%2ehidden']) {
      const res = await http<unknown>('GET', service.url + path)
      expect([path, JSON.stringify(res.body)]).not.toEqual([path, expect.stringContaining('not for the web')])
      expect(JSON.stringify(res.body)).not.toContain('dotfile')
    }
  })

  it('malformed paths are a 400 bad_message, a NUL byte included, and the service carries on', async () => {
    for (const path of ['/%00', '/index.html%00.js', '/js/%00/app.js']) {
      const res = await http<{ error: { code: string } }>('GET', service.url + path)
      expect([path, res.status, res.body.error?.code]).toEqual([path, 400, 'bad_message'])
    }
    // Broken percent-encoding is refused by fastify's router before us, also with a 400.
    expect((await http('GET', `${service.url}/%E0%A4%A`)).status).toBe(400)
    expect((await http('GET', `${service.url}/`)).status).toBe(200)
  })
})

describe('configuration', () => {
  it('without H5_DIR the service serves the API only', async () => {
    const plain = await startServer({})
    try {
      const res = await http<{ error: { code: string } }>('GET', `${plain.url}/`)
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found'])
    } finally {
      await stopServer(plain)
    }
  })

  it('a missing build fails startup with a clear message', async () => {
    const missing = join(outside, 'no-such-build')
    const failure = await startServer({ H5_DIR: missing }).then(
      async (served) => {
        await stopServer(served)
        throw new Error('started without a build')
      },
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure.code).toBe(1)
    expect(failure.stderr).toBe(
      `Room service failed to start: H5_DIR: ${missing} has no index.html. Build the H5 app first (npm run build:h5), or unset H5_DIR.\n`,
    )
  })
})
