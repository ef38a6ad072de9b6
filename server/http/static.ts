/**
 * The H5 build (`dist/h5`) served from the room service's own origin, so a
 * browser reaches the app, the API and the socket at one address (`npm start`).
 * Registered only when `H5_DIR` is set.
 *
 * - Files under the directory are served as they are; the hashed bundles
 *   (`js/`, `css/`, `static/`) are cached for a year, everything else revalidates.
 * - Any other GET that is not an API path gets `index.html` (SPA fallback), so a
 *   reload on a deep link still opens the app; a missing file with an extension
 *   (`/js/gone.js`) is a plain 404, not HTML.
 * - `/v1/…` and `/healthz` are never shadowed: their routes are matched first,
 *   and an unknown one still gets the service's JSON `not_found`.
 *
 * Tested through a real `tsx server/main.ts` process (test/server/static.test.ts),
 * for the reason given at the import below.
 */
import { statSync } from 'node:fs'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PATHS } from '../../src/core/protocol'
import { ProtocolError } from '../errors'

/** The service's own paths (every route in PATHS is under one of these). */
const API_PREFIXES = ['/v1', PATHS.health]

/** Long-lived: Taro puts content hashes in these files' names. */
const HASHED_DIRS = new Set(['js', 'css', 'static'])

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false
}

/** Whether a path belongs to the API (never answered with the app). */
function isApiPath(pathname: string): boolean {
  return API_PREFIXES.some((api) => pathname === api || pathname.startsWith(`${api}/`))
}

/**
 * Serve `dir` (an H5 build). Throws, naming the setting, when `dir` holds no
 * `index.html`, so a missing build fails startup instead of every page.
 */
export async function registerStatic(app: FastifyInstance, dir: string): Promise<void> {
  const root = resolve(dir)
  if (!isFile(resolve(root, 'index.html'))) {
    throw new Error(`H5_DIR: ${root} has no index.html. Build the H5 app first (npm run build:h5), or unset H5_DIR.`)
  }
  // Loaded only when serving: @fastify/static 10 requires an ES-module-only dependency
  // (content-disposition 3), which Node ≥ 20.19 loads but Jest's module system cannot,
  // so a top-level import would break every in-process service test.
  const { default: fastifyStatic } = await import('@fastify/static')
  await app.register(fastifyStatic, { root, serve: false, decorateReply: true, index: false, dotfiles: 'ignore' })

  const serve = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname)
    } catch {
      throw new ProtocolError('bad_message', { details: ['the path is not valid percent-encoded UTF-8'] })
    }
    // The file system refuses NUL in a path by throwing, which would be a 500.
    if (pathname.includes('\0')) throw new ProtocolError('bad_message', { details: ['the path contains a NUL byte'] })
    if (isApiPath(pathname)) throw new ProtocolError('not_found')
    const rel = pathname.replace(/^\/+/, '')
    const abs = resolve(root, rel)
    const inside = relative(root, abs)
    const safe = inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) && !inside.split(sep).some((s) => s.startsWith('.'))
    if (safe && isFile(abs)) {
      const file = inside.split(sep).join('/')
      if (HASHED_DIRS.has(inside.split(sep)[0])) return reply.sendFile(file, { maxAge: '365d', immutable: true })
      return reply.header('Cache-Control', 'no-cache').sendFile(file, { cacheControl: false })
    }
    // A missing asset stays a 404; anything else is a route of the app.
    if (extname(rel) !== '' && extname(rel) !== '.html') throw new ProtocolError('not_found')
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html', { cacheControl: false })
  }
  app.get('/', serve)
  app.get('/*', serve)
}
