/**
 * Harness for tests of the COMPILED mini program: it loads `dist/weapp` (the
 * output of `npm run build:weapp`) into miniprogram-simulate, so a test
 * renders Taro's real base.wxml templates with WeChat's own wxml compiler
 * (miniprogram-compiler's wcc, driven by j-component / exparser) and every
 * event goes through the real Taro runtime: page `eh` → Taro event dispatch →
 * the React props (onNetStatus, onStateChange, onError…).
 *
 * Only the WeChat client is faked (see fake-wx.ts). Test files that use this
 * harness need a DOM (j-component renders into one), so they start with the
 * docblock `@jest-environment jsdom`.
 *
 * See test/weapp/README.md for how it works and how to add a test.
 */
import fs from 'node:fs'
import path from 'node:path'
import { createFakeWx, pendingWxCallbacks, type FakeWx, type FakeWxOptions } from './fake-wx'

export type { FakeWx, FakeMediaContext, FakeRequest, FakeSocketTask, SocketCloseEvent, ToastCall, ModalCall, NavigationCall } from './fake-wx'

/** The build under test: dist/weapp, or the folder named by WEAPP_DIST (e.g. a copy to experiment on). */
export const DIST_DIR = path.resolve(process.env.WEAPP_DIST || path.join(__dirname, '..', '..', 'dist', 'weapp'))

const BUILD_HINT = 'Build the mini program first: `npm run build:weapp` (or run `npm run test:weapp`, which builds then tests).'

/** Throws a clear message when dist/weapp is missing or incomplete. */
export function assertBuilt(): void {
  const missing = ['app.js', 'app.json', 'base.wxml', 'taro.js', 'runtime.js', 'comp.json'].filter(
    (f) => !fs.existsSync(path.join(DIST_DIR, f)),
  )
  if (missing.length) {
    throw new Error(`The compiled mini program is missing (${missing.join(', ')} not in ${DIST_DIR}). ${BUILD_HINT}`)
  }
}

/**
 * The room service of this test run: started once for the weapp project by
 * global-setup.ts at http://127.0.0.1:$WEAPP_SERVICE_PORT (default 18787).
 * The build must have been made with TARO_APP_SERVICE_URL set to it.
 */
export const SERVICE_URL = process.env.WEAPP_SERVICE_URL ?? `http://127.0.0.1:${process.env.WEAPP_SERVICE_PORT || '18787'}`

function jsFilesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) return jsFilesOf(p)
    return entry.name.endsWith('.js') ? [p] : []
  })
}

/** Throws when the build talks to another room service than SERVICE_URL (it was built without, or with another, TARO_APP_SERVICE_URL). */
export function assertBuiltForService(): void {
  assertBuilt()
  const quoted = new RegExp(`["'\`]${SERVICE_URL.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/?["'\`]`)
  if (jsFilesOf(DIST_DIR).some((f) => quoted.test(fs.readFileSync(f, 'utf8')))) return
  throw new Error(
    `${DIST_DIR} was not built for the test room service at ${SERVICE_URL}: the app would talk to another service. ` +
      `Build it with \`TARO_APP_SERVICE_URL=${SERVICE_URL} npm run build:weapp\` ` +
      '(`npm run test:weapp` does; set WEAPP_SERVICE_PORT for both the build and the tests to use another port).',
  )
}

/** Reads a file of the build, e.g. `distFile('base.wxml')`. */
export function distFile(relative: string): string {
  assertBuilt()
  const file = path.join(DIST_DIR, relative)
  if (!fs.existsSync(file)) throw new Error(`${relative} is not in ${DIST_DIR}. ${BUILD_HINT}`)
  return fs.readFileSync(file, 'utf8')
}

// ---------------------------------------------------------------------------
// Minimal types for the (untyped / globally-typed) simulator modules. They are
// loaded with jest.requireActual so that they live in the test's sandbox (its
// jsdom `window`) and their d.ts files, which declare WeChat globals, do not
// leak into the project's type check.

interface VNodeAttr { name: string; value: unknown }
interface VNode {
  attrs: VNodeAttr[]
  event: Record<string, { name: string; handler: string }>
  tagName: string
  componentId?: string
}
interface ExparserNode {
  _vt?: VNode
  __virtual?: boolean
  __wxSlotChildren?: ExparserNode[]
  textContent?: string
  parentNode?: ExparserNode | null
  id?: string
  dataset?: Record<string, unknown>
}
interface Exparser {
  Element: { new (): ExparserNode; getMethodCaller(node: ExparserNode): PageInstance }
  TextNode: new () => ExparserNode
  Component: { hasPublicProperty(node: ExparserNode, name: string): boolean }
  Event: {
    create(type: string, detail: unknown, options: Record<string, unknown>): unknown
    dispatchEvent(target: ExparserNode, event: unknown): void
  }
  addGlobalErrorListener(fn: (err: unknown, info: unknown) => unknown): void
}
interface JComponent {
  readonly _exparserNode: ExparserNode
  readonly instance: PageInstance
  readonly dom: Element
  attach(parent: Element): void
  detach(): void
}
interface Simulate {
  load(componentPath: string, tagName: string, options: Record<string, unknown>): string
  render(id: string, properties?: Record<string, unknown>): JComponent
}
interface SimulateUtils { runJs: (file: string) => unknown }
interface JComponentUtils { getTagName(id: string): string | undefined }

type AnyFn = (...args: unknown[]) => unknown

/** `this` of a page: exparser's method caller, with the Taro page methods. */
export interface PageInstance {
  data: Record<string, unknown>
  route?: string
  options?: Record<string, string>
  setData(data: Record<string, unknown>, cb?: () => void): void
  [method: string]: unknown
}

/** One call of the page's Taro event handler (`eh`), i.e. one event Taro received. */
export interface PageEvent {
  type: string
  /** `id` of the element the event was bound on: the JSX `id`, or Taro's generated sid. */
  targetId: string
  /** Taro's sid of that element (its `data-sid`). */
  targetSid: string
  detail: unknown
}

/** A rendered node of the wxml tree (a native component such as live-pusher, a view, or a custom component). */
export interface WeappNode {
  /** Tag as written in wxml: `live-pusher`, `live-player`, `view`, `comp`… */
  readonly tag: string
  readonly id: string
  readonly classes: string[]
  /** The rendered value of an attribute, e.g. `attr('max-bitrate')` → 1500; undefined when absent. */
  attr(name: string): unknown
  /** All rendered attributes (bindings excluded). */
  attrs(): Record<string, unknown>
  /** Event names bound on the node in the template, e.g. ['netstatus', 'statechange', 'error']. */
  boundEvents(): string[]
  /** Text content of the subtree. */
  text(): string
  /** The subtree as markup, e.g. `<live-player id="_n_4" src="…" mode="RTC"/>`. */
  markup(): string
  /** Child nodes (elements only). */
  children(): WeappNode[]
  /** Selectors (as PageHandle's) within this node's subtree. */
  find(selector: string): WeappNode | undefined
  findAll(selector: string): WeappNode[]
  /** Like find, but throws (with this node's markup) when nothing matches. */
  get(selector: string): WeappNode
  /**
   * Dispatch a WeChat-shaped event (as the client would: type + `detail`),
   * then wait until React/Taro have flushed. tap, touches and longpress bubble, as
   * in WeChat; component events (netstatus, statechange, error…) do not.
   * Throws if nothing binds `type` in the rendered template, if the page's
   * Taro handler did not receive it, or if a handler threw.
   */
  /**
   * `extra` are the event's other fields, as WeChat puts a touch event's
   * `touches` / `changedTouches` beside `detail` (default: empty).
   */
  dispatch(type: string, detail?: unknown, extra?: { touches?: unknown; changedTouches?: unknown }): Promise<void>
  /** A `tap` on the node (bubbles to the nearest element with a handler). */
  tap(): Promise<void>
  /** The underlying exparser node (escape hatch). */
  readonly raw: ExparserNode
}

/** Read-only view of Taro runtime internals, for white-box assertions. */
export interface TaroInternals {
  /** The Taro DOM element (TaroElement) behind a rendered node. */
  element(node: WeappNode): TaroElementLike
  /** The props React rendered the node with (`onNetStatus`, `src`…), from the reconciler's `__reactProps$…` slot. */
  reactProps(node: WeappNode): Record<string, unknown>
  /** `Current.router` (params of the page being shown). */
  router(): { params: Record<string, string>; path: string } | null
  /**
   * Observe calls of the React prop handler bound for `eventType` on a node
   * (e.g. `onNetStatus` for 'netstatus'). Behaviour is unchanged: the real
   * handler still runs, and React re-binding still finds it.
   */
  spyOnHandler(node: WeappNode, eventType: string): HandlerSpy
}

export interface TaroElementLike {
  id: string
  nodeName: string
  props: Record<string, unknown>
  __handlers: Record<string, (AnyFn & { oldHandler?: AnyFn })[]>
  [key: string]: unknown
}

export interface HandlerSpy {
  /** The function React passed (the JSX prop), found on the Taro element. */
  readonly handler: AnyFn
  /** Taro events the handler received, in order. */
  readonly calls: { type: string; detail: unknown }[]
  restore(): void
}

export interface PageHandle {
  readonly route: string
  readonly query: Record<string, string>
  /** The page's `this` (Taro page config methods: onLoad, eh…). */
  readonly instance: PageInstance
  /** The recording WeChat fake (shared by every page of this test file). */
  readonly wx: FakeWx
  /** Events the page's Taro handler received, in order. */
  readonly events: PageEvent[]
  /** Every setData payload Taro sent, in order. */
  readonly setDataCalls: Record<string, unknown>[]
  /** Errors thrown by page code, handlers or exparser since the page loaded. */
  readonly errors: unknown[]
  /** The rendered tree as markup. */
  markup(): string
  /** All text of the rendered tree. */
  text(): string
  /**
   * First node matching a simple CSS selector, in document order:
   * `live-pusher`, `.tile`, `#me`, `[mode=RTC]`, `view.grid live-player`.
   */
  find(selector: string): WeappNode | undefined
  /** Every node matching the selector, in document order. */
  findAll(selector: string): WeappNode[]
  /** Like find, but throws (showing the rendered markup) when nothing matches. */
  get(selector: string): WeappNode
  /** Wait until React/Taro updates are flushed (setData is async). Rejects on errors. */
  flush(): Promise<void>
  /** Let `ms` of real time pass (for the app's own timers), then flush. */
  wait(ms: number): Promise<void>
  /**
   * Poll until `check` holds (see the exported waitFor), e.g. until a remote
   * participant's tile appears; a timeout prints the page.
   */
  waitFor(check: () => boolean, what: string, options?: { timeoutMs?: number }): Promise<void>
  /** White-box access to the Taro runtime of the bundle. */
  readonly taro: TaroInternals
  /** onHide / onShow of the page (as when the app goes to background and back). */
  hide(): Promise<void>
  show(): Promise<void>
  /** onUnload, then remove the page. */
  unload(): Promise<void>
}

export interface LoadPageOptions {
  /** Options for the WeChat fake; only used by the first load of a test file (the app launches once). */
  wx?: FakeWxOptions
  /** Allow errors during load instead of rejecting (they stay in `errors`). */
  allowErrors?: boolean
}

// ---------------------------------------------------------------------------
// App state: one per test file (jest gives every test file its own module
// registry and global, so the app launches once per file).

interface AppState {
  simulate: Simulate
  exparser: Exparser
  jUtils: JComponentUtils
  wx: FakeWx
  app: Record<string, AnyFn> & Record<string, unknown>
  /** Component ids registered by simulate.load, per page route. */
  pageIds: Map<string, string>
  pages: PageState[]
  /** Errors not yet reported by a flush. */
  pendingErrors: unknown[]
  /** Increments on every setData / event / wx call: flush waits until it stops moving. */
  activity: () => number
  taroRuntime: () => TaroRuntime
}

interface PageState {
  handle: PageHandle
  events: PageEvent[]
  setDataCalls: Record<string, unknown>[]
  errors: unknown[]
}

interface TaroRuntime {
  document: { getElementById(id: string): TaroElementLike | null }
  Current: { router: { params: Record<string, string>; path: string } | null }
}

let state: AppState | undefined

/** One setData call of any instance: a page or a custom component (Taro's `comp`, `custom-wrapper`). */
export interface SetDataRecord {
  /** The instance that called setData (its `this`). */
  readonly instance: unknown
  readonly data: Record<string, unknown>
}
const setDataObservers = new Set<(record: SetDataRecord) => void>()

/**
 * Observe every setData of every instance of the app (pages and the custom
 * components Taro renders deep subtrees with), e.g. to count the bytes an
 * update costs (bench/ui). Returns the function that stops observing.
 */
export function observeSetData(observer: (record: SetDataRecord) => void): () => void {
  setDataObservers.add(observer)
  return () => setDataObservers.delete(observer)
}

function notifySetData(instance: unknown, data: Record<string, unknown>): void {
  for (const observer of setDataObservers) observer({ instance, data })
}
/** The page whose `Page()` / event is being processed (errors are attributed to it). */
let currentPage: PageState | undefined

const g = globalThis as unknown as Record<string, unknown>

function assertDom(): void {
  if (typeof window === 'undefined' || typeof document === 'undefined' || typeof CustomEvent === 'undefined') {
    throw new Error(
      'The weapp harness needs a DOM: start the test file with the docblock `/** @jest-environment jsdom */`.',
    )
  }
}

function reportError(err: unknown): void {
  if (!state) return
  // The same error can be seen twice: by the page-method wrapper and by exparser.
  if (!state.pendingErrors.includes(err)) state.pendingErrors.push(err)
  if (currentPage && !currentPage.errors.includes(err)) currentPage.errors.push(err)
}

/** Runs a file of dist/weapp in the test's global scope (not through Jest's transform). */
function createDistLoader() {
  const cache = new Map<string, { exports: unknown }>()
  const load = (file: string, useCache: boolean): unknown => {
    const abs = path.resolve(file.endsWith('.js') ? file : `${file}.js`)
    if (!abs.startsWith(DIST_DIR + path.sep)) throw new Error(`refusing to load ${abs}: not in ${DIST_DIR}`)
    const cached = cache.get(abs)
    if (useCache && cached) return cached.exports
    const mod = { exports: {} as unknown }
    if (useCache) cache.set(abs, mod)
    const code = fs.readFileSync(abs, 'utf8')
    const localRequire = (request: string): unknown => {
      if (!request.startsWith('.')) throw new Error(`${path.relative(DIST_DIR, abs)} requires '${request}': only files of dist/weapp can be loaded`)
      return load(path.resolve(path.dirname(abs), request), true)
    }
    // `new Function` runs in this (jsdom) realm, so `wx`, `Page`, `Component`… resolve to the shims.
    const fn = new Function('require', 'module', 'exports', `${code}\n//# sourceURL=${abs}`) as (
      req: typeof localRequire, m: typeof mod, e: unknown,
    ) => void
    fn.call(mod.exports, localRequire, mod, mod.exports)
    return mod.exports
  }
  return load
}

function boot(options: LoadPageOptions): AppState {
  if (state) {
    if (options.wx) throw new Error('wx options only apply to the first loadPage()/getWx() of a test file: the app launches once per file')
    return state
  }
  assertBuiltForService()
  assertDom()

  const simulate = jest.requireActual<Simulate>('miniprogram-simulate')
  const simUtils = jest.requireActual<SimulateUtils>('miniprogram-simulate/src/utils')
  const jUtils = jest.requireActual<JComponentUtils>('j-component/src/tool/utils')
  const exparser = jest.requireActual<Exparser>('miniprogram-exparser')
  // simulate registers Component/Behavior and merges its own wx; replace that wx.
  const simComponent = g.Component as (opts: Record<string, unknown>) => void

  const fake = createFakeWx(options.wx)
  const loadDist = createDistLoader()
  let activity = 0
  const bump = (): void => {
    activity += 1
  }
  const pages: PageState[] = []
  let appConfig: (Record<string, AnyFn> & Record<string, unknown>) | undefined

  g.wx = fake.api
  g.App = (config: Record<string, AnyFn> & Record<string, unknown>) => {
    appConfig = config
  }
  g.getApp = () => appConfig
  g.getCurrentPages = () => pages.map((p) => p.handle.instance)
  g.requirePlugin = (name: string) => {
    throw new Error(`requirePlugin('${name}') is not available in the weapp harness`)
  }
  g.__wxConfig = { envVersion: 'develop', platform: 'devtools', pages: [] }
  g.Page = () => {
    throw new Error('Page() called outside loadPage()')
  }

  exparser.addGlobalErrorListener((err) => {
    reportError(err)
    return false // keep exparser's own console.error too
  })
  // Uncaught errors of timers and of React's scheduler (a component that
  // throws while rendering) land here; jsdom would only log them.
  window.addEventListener('error', (event) => {
    reportError(event.error ?? event.message)
    event.preventDefault() // reported by the next flush/dispatch instead
  })

  // simulate.load runs each component/page file through utils.runJs. Route
  // it to our loader, and turn `Page(config)` into a component (simulate and
  // j-component only know components). A file runs its webpack chunk only
  // once, so a second load of the same file (e.g. comp.js for another page)
  // replays the definition it registered the first time.
  const definitions = new Map<string, Record<string, unknown>>()
  simUtils.runJs = (file: string) => {
    const key = path.resolve(file)
    let registered: Record<string, unknown> | undefined
    const saved = { Component: g.Component, Page: g.Page }
    g.Component = (opts: Record<string, unknown>) => {
      registered = instrument(opts)
    }
    g.Page = (config: Record<string, unknown>) => {
      registered = instrument(pageToComponent(config))
    }
    try {
      loadDist(key, false)
    } finally {
      g.Component = saved.Component
      g.Page = saved.Page
    }
    const definition = registered ?? definitions.get(key)
    if (!definition) throw new Error(`${path.relative(DIST_DIR, key)}.js called neither Page() nor Component()`)
    definitions.set(key, definition)
    simComponent(definition)
  }

  /** A Taro page config as a component definition: its functions become methods. */
  const pageToComponent = (config: Record<string, unknown>): Record<string, unknown> => {
    const methods: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(config)) {
      if (typeof value === 'function') methods[name] = value
    }
    const definition: Record<string, unknown> = {
      data: JSON.parse(JSON.stringify(config.data ?? {})),
      methods,
    }
    if (Array.isArray(config.behaviors)) definition.behaviors = config.behaviors
    return definition
  }

  /**
   * Wraps the methods of a page or component (Taro's `comp` and
   * `custom-wrapper` have their own `eh` for the subtrees they hold) to log the
   * events Taro receives and to catch what page code throws, and wraps
   * setData so that flush() sees every update.
   */
  const instrument = (definition: Record<string, unknown>): Record<string, unknown> => {
    const methods: Record<string, AnyFn> = {}
    for (const [name, value] of Object.entries((definition.methods ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'function') continue
      const fn = value as AnyFn
      methods[name] = function (this: PageInstance, ...args: unknown[]) {
        const page = pages.find((p) => p.handle.instance === this) ?? currentPage
        const previous = currentPage
        currentPage = page
        bump()
        if (name === 'eh' && page) {
          const ev = args[0] as { type?: string; currentTarget?: { id?: string; dataset?: { sid?: string } }; detail?: unknown }
          page.events.push({
            type: String(ev?.type),
            targetId: String(ev?.currentTarget?.id ?? ''),
            targetSid: String(ev?.currentTarget?.dataset?.sid ?? ''),
            detail: ev?.detail,
          })
        }
        try {
          return fn.apply(this, args)
        } catch (err) {
          reportError(err)
          throw err
        } finally {
          currentPage = previous
        }
      }
    }
    const lifetimes = { ...((definition.lifetimes ?? {}) as Record<string, AnyFn>) }
    const created = lifetimes.created ?? (definition.created as AnyFn | undefined)
    lifetimes.created = function (this: PageInstance, ...args: unknown[]) {
      const setData = this.setData
      this.setData = (data: Record<string, unknown>, cb?: () => void) => {
        bump()
        notifySetData(this, data)
        return setData.call(this, data, cb)
      }
      return created?.apply(this, args)
    }
    return { ...definition, methods, lifetimes }
  }

  // Launch the app: vendors/taro/runtime chunks, then app.js calls App().
  loadDist(path.join(DIST_DIR, 'app.js'), true)
  if (!appConfig) throw new Error('dist/weapp/app.js did not call App()')
  const app = appConfig
  const launch = { path: 'pages/home/index', query: {}, scene: 1001, referrerInfo: {} }
  ;(app.onLaunch as AnyFn | undefined)?.call(app, { ...launch })
  ;(app.onShow as AnyFn | undefined)?.call(app, { ...launch })

  let runtime: TaroRuntime | undefined
  const taroRuntime = (): TaroRuntime => {
    if (runtime) return runtime
    // Borrow webpack's require through a probe chunk, then find the module
    // that re-exports @tarojs/runtime by its (unminified) export names.
    let req: (((id: string) => unknown) & { m: Record<string, AnyFn> }) | undefined
    const jsonp = (fake.api.webpackJsonp ?? []) as unknown[] & { push(chunk: unknown): void }
    jsonp.push([[`weapp-harness-probe-${Date.now()}`], {}, (r: typeof req) => {
      req = r
    }])
    if (!req) throw new Error('could not reach the webpack runtime of dist/weapp (wx.webpackJsonp)')
    const found = Object.keys(req.m).find((id) => {
      const src = String(req?.m[id])
      return src.includes('createPageConfig:function') && src.includes('getCurrentInstance:function')
    })
    if (!found) throw new Error('the @tarojs/runtime module was not found in dist/weapp (did the build config change?)')
    runtime = req(found) as TaroRuntime
    return runtime
  }

  const origRecord = fake.calls.push.bind(fake.calls)
  fake.calls.push = (...items) => {
    bump()
    return origRecord(...items)
  }

  state = {
    simulate,
    exparser,
    jUtils,
    wx: fake,
    app,
    pageIds: new Map(),
    pages,
    pendingErrors: [],
    activity: () => activity,
    taroRuntime,
  }
  return state
}

/** The recording WeChat fake of this test file (boots the app if needed). */
export function getWx(options: LoadPageOptions = {}): FakeWx {
  return boot(options).wx
}

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/** How long a flush may take before it is called an update loop or a hung request. */
const SETTLE_LIMIT_MS = 8_000

async function settle(s: AppState): Promise<void> {
  // Quiet = several macrotasks in a row with no setData, event or wx call,
  // no fake callback scheduled, no request in flight and no socket connecting.
  // React 18 (createRoot) schedules work on macrotasks, Taro batches setData
  // on a microtask/nextTick and the fake wx answers callbacks on macrotasks.
  const QUIET_TICKS = 5
  const deadline = Date.now() + SETTLE_LIMIT_MS
  let quiet = 0
  while (quiet < QUIET_TICKS) {
    if (Date.now() > deadline) {
      const pending = pendingWxCallbacks()
      throw new Error(
        `the page did not settle within ${SETTLE_LIMIT_MS} ms: ` +
          (pending > 0 ? `${pending} wx callback(s) or network operation(s) still pending` : 'updates never stopped (an update loop?)'),
      )
    }
    const before = s.activity()
    await macrotask()
    quiet = s.activity() === before && pendingWxCallbacks() === 0 ? quiet + 1 : 0
  }
}

function takeErrors(s: AppState): void {
  if (!s.pendingErrors.length) return
  const errors = s.pendingErrors.splice(0)
  const first = errors[0]
  const message = errors.map((e) => (e instanceof Error ? e.stack ?? e.message : String(e))).join('\n---\n')
  const err = new Error(`${errors.length} error(s) in the mini program:\n${message}`)
  throw first instanceof Error ? Object.assign(err, { cause: first }) : err
}

/** Wait until every loaded page has flushed; rejects with errors thrown by page code. */
export async function flush(): Promise<void> {
  const s = boot({})
  await settle(s)
  takeErrors(s)
}

/**
 * Flush, then poll (every 10 ms, flushing each time) until `check` holds: for
 * what arrives over the network (a reply, another participant's event) at a
 * time no flush can know. Rejects after `timeoutMs` naming `what`, with
 * `describe()` appended (e.g. the page markup), and with errors thrown by
 * page code meanwhile.
 */
export async function waitFor(
  check: () => boolean,
  what: string,
  { timeoutMs = 5_000, describe }: { timeoutMs?: number; describe?: () => string } = {},
): Promise<void> {
  const start = Date.now()
  await flush()
  while (!check()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${describe()}` : ''}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
    await flush()
  }
}

/**
 * Load a page of the compiled app, as WeChat would open it: render the page
 * wxml, then onLoad(query) → onShow → (first render) → onReady.
 */
export async function loadPage(route: string, query: Record<string, string> = {}, options: LoadPageOptions = {}): Promise<PageHandle> {
  const s = boot(options)
  const normalized = route.replace(/^\//, '').replace(/\.(js|wxml|json)$/, '')
  const pagePath = path.join(DIST_DIR, normalized)
  if (!fs.existsSync(`${pagePath}.json`) || !fs.existsSync(`${pagePath}.wxml`)) {
    throw new Error(`page '${normalized}' is not in ${DIST_DIR} (is it listed in src/app.config.ts?). ${BUILD_HINT}`)
  }

  let id = s.pageIds.get(normalized)
  if (!id) {
    id = s.simulate.load(pagePath, 'page', { rootPath: DIST_DIR, compiler: 'official' })
    s.pageIds.set(normalized, id)
  }
  const root = s.simulate.render(id)
  const container = document.createElement('div')
  document.body.appendChild(container)
  root.attach(container)

  const instance = root.instance
  instance.route = normalized
  instance.__route__ = normalized
  instance.options = { ...query }

  const page: PageState = { handle: undefined as unknown as PageHandle, events: [], setDataCalls: [], errors: [] }
  const originalSetData = instance.setData.bind(instance)
  instance.setData = (data: Record<string, unknown>, cb?: () => void) => {
    page.setDataCalls.push(data)
    const previous = currentPage
    currentPage = page
    try {
      originalSetData(data, cb)
    } catch (err) {
      reportError(err)
      throw err
    } finally {
      currentPage = previous
    }
  }

  const call = (name: string, ...args: unknown[]): void => {
    const fn = instance[name]
    if (typeof fn === 'function') (fn as AnyFn).call(instance, ...args)
  }

  const rootNode = (): ExparserNode => root._exparserNode
  const wrap = (n: ExparserNode): WeappNode => createNode(s, page, n, rootNode)

  const handle: PageHandle = {
    route: normalized,
    query: { ...query },
    instance,
    wx: s.wx,
    events: page.events,
    setDataCalls: page.setDataCalls,
    errors: page.errors,
    markup: () => childrenOf(rootNode()).map((c) => markupOf(s, c, '')).join(''),
    text: () => textOf(s, rootNode()),
    findAll: (selector) => select(s, rootNode(), selector).map(wrap),
    find: (selector) => {
      const found = select(s, rootNode(), selector)[0]
      return found ? wrap(found) : undefined
    },
    get: (selector) => {
      const found = select(s, rootNode(), selector)[0]
      if (!found) throw new Error(`no node matches '${selector}' on ${normalized}. Rendered:\n${handle.markup()}`)
      return wrap(found)
    },
    flush: () => flush(),
    wait: async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms))
      await flush()
    },
    waitFor: (check, what, opts = {}) => waitFor(check, what, { ...opts, describe: () => `${normalized} renders:\n${handle.markup()}` }),
    taro: createTaroInternals(s),
    hide: async () => {
      call('onHide')
      await flush()
    },
    show: async () => {
      call('onShow')
      await flush()
    },
    unload: async () => {
      const i = s.pages.indexOf(page)
      if (i < 0) return
      call('onUnload')
      try {
        await flush()
      } finally {
        s.pages.splice(i, 1)
        root.detach()
        container.remove()
      }
    },
  }
  page.handle = handle
  s.pages.push(page)

  // No second argument to onLoad: Taro treats it as its prerender callback
  // and would hand it the data instead of calling setData.
  call('onLoad', { ...query })
  call('onShow')
  try {
    await settle(s)
    if (!page.setDataCalls.length) throw new Error(`${normalized}: Taro never rendered the page (no setData after onLoad)`)
    call('onReady')
    await settle(s)
    if (options.allowErrors) s.pendingErrors.length = 0
    else takeErrors(s)
  } catch (err) {
    s.pendingErrors.length = 0
    throw err
  }
  return handle
}

/** Unload every page still open (use in afterEach). */
export async function unloadAll(): Promise<void> {
  if (!state) return
  for (const page of [...state.pages].reverse()) await page.handle.unload()
}

// ---------------------------------------------------------------------------
// Tree reading.

function isText(s: AppState, n: ExparserNode): boolean {
  return n instanceof s.exparser.TextNode
}

/**
 * Children in the composed tree, like j-component's toJSON: templates, blocks,
 * wx:if/for are virtual and are looked through, and so is the shadow tree of
 * custom components (Taro's `comp` / `custom-wrapper` hold deep subtrees).
 */
function childrenOf(n: ExparserNode): ExparserNode[] {
  const out: ExparserNode[] = []
  for (const child of n.__wxSlotChildren ?? []) {
    if (child.__virtual) out.push(...childrenOf(child))
    else out.push(child)
  }
  return out
}

interface Tree { nodes: ExparserNode[]; parent: Map<ExparserNode, ExparserNode> }

/** Elements under root in document order, with their composed-tree parents. */
function collect(s: AppState, root: ExparserNode): Tree {
  const nodes: ExparserNode[] = []
  const parent = new Map<ExparserNode, ExparserNode>()
  const walk = (n: ExparserNode): void => {
    for (const c of childrenOf(n)) {
      if (isText(s, c)) continue
      nodes.push(c)
      parent.set(c, n)
      walk(c)
    }
  }
  walk(root)
  return { nodes, parent }
}

function textOf(s: AppState, n: ExparserNode): string {
  return childrenOf(n).map((c) => (isText(s, c) ? c.textContent ?? '' : textOf(s, c))).join('')
}

function tagOf(s: AppState, n: ExparserNode): string {
  const vt = n._vt
  if (!vt) return 'unknown'
  const tag = s.jUtils.getTagName(vt.componentId || vt.tagName) || vt.tagName
  return tag.replace(/^wx-/, '')
}

const dash = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
const camel = (name: string): string => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())

/**
 * Rendered attributes, named as in wxml (`max-bitrate`). WeChat's compiler
 * hands them over camelCased (`maxBitrate`); they are turned back here.
 */
function attrsOf(s: AppState, n: ExparserNode): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const { name, value } of n._vt?.attrs ?? []) {
    if (value === undefined) continue
    // Properties of custom components (comp's `i`, `l`) are data, not attributes.
    if (s.exparser.Component.hasPublicProperty(n, camel(name))) continue
    out[name.startsWith('data-') ? name : dash(name)] = value
  }
  return out
}

function attrOf(s: AppState, n: ExparserNode, name: string): unknown {
  const attrs = attrsOf(s, n)
  return name in attrs ? attrs[name] : attrs[dash(name)]
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

function markupOf(s: AppState, n: ExparserNode, indent: string): string {
  if (isText(s, n)) {
    const t = (n.textContent ?? '').trim()
    return t ? `${indent}${t}\n` : ''
  }
  const tag = tagOf(s, n)
  const attrs = Object.entries(attrsOf(s, n))
    .map(([k, v]) => ` ${k}="${formatValue(v)}"`)
    .join('')
  const kids = childrenOf(n)
  if (!kids.length) return `${indent}<${tag}${attrs}/>\n`
  return `${indent}<${tag}${attrs}>\n${kids.map((c) => markupOf(s, c, `${indent}  `)).join('')}${indent}</${tag}>\n`
}

// A small selector engine over the composed tree: compound selectors
// (tag, .class, #id, [attr], [attr=value]) joined by descendant spaces.
interface Compound { tag?: string; id?: string; classes: string[]; attrs: { name: string; value?: string }[] }

function parseSelector(selector: string): Compound[] {
  return selector.trim().split(/\s+/).map((part) => {
    const c: Compound = { classes: [], attrs: [] }
    const re = /([a-zA-Z][\w-]*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=["']?([^\]"']*)["']?)?\]/y
    let pos = 0
    while (pos < part.length) {
      re.lastIndex = pos
      const m = re.exec(part)
      if (!m) throw new Error(`unsupported selector '${selector}' (use tag, .class, #id, [attr], [attr=value] and spaces)`)
      if (m[1]) c.tag = m[1]
      else if (m[2]) c.id = m[2]
      else if (m[3]) c.classes.push(m[3])
      else c.attrs.push({ name: m[4], value: m[5] })
      pos = re.lastIndex
    }
    return c
  })
}

function matches(s: AppState, n: ExparserNode, c: Compound): boolean {
  if (c.tag && tagOf(s, n) !== c.tag) return false
  const attrs = attrsOf(s, n)
  if (c.id && String(attrs.id ?? '') !== c.id) return false
  if (c.classes.length) {
    const classes = String(attrs.class ?? '').split(/\s+/)
    if (!c.classes.every((cls) => classes.includes(cls))) return false
  }
  for (const a of c.attrs) {
    const value = attrOf(s, n, a.name)
    if (value === undefined) return false
    if (a.value !== undefined && (typeof value === 'string' ? value : JSON.stringify(value)) !== a.value) return false
  }
  return true
}

function select(s: AppState, root: ExparserNode, selector: string): ExparserNode[] {
  const compounds = parseSelector(selector)
  const { nodes, parent } = collect(s, root)
  const last = compounds[compounds.length - 1]
  const ancestorsMatch = (n: ExparserNode, i: number): boolean => {
    if (i < 0) return true
    for (let p = parent.get(n); p && p !== root; p = parent.get(p)) {
      if (matches(s, p, compounds[i]) && ancestorsMatch(p, i - 1)) return true
    }
    return false
  }
  return nodes.filter((n) => matches(s, n, last) && ancestorsMatch(n, compounds.length - 2))
}

/** WeChat's bubbling events; every other event (netstatus, statechange, error…) stays on its element. */
const BUBBLING_EVENTS = new Set([
  'touchstart', 'touchmove', 'touchcancel', 'touchend', 'tap', 'longpress', 'longtap',
  'transitionend', 'animationstart', 'animationiteration', 'animationend', 'touchforcechange',
])

function createNode(s: AppState, page: PageState, n: ExparserNode, root: () => ExparserNode): WeappNode {
  const sidOf = (x: ExparserNode): string => String(attrsOf(s, x)['data-sid'] ?? '')
  const idOf = (x: ExparserNode): string => String(attrsOf(s, x).id ?? '')
  const describe = (x: ExparserNode): string => `<${tagOf(s, x)} id="${idOf(x)}">`
  const ancestors = (): ExparserNode[] => {
    const { parent } = collect(s, root())
    const out: ExparserNode[] = []
    for (let p = parent.get(n); p && p !== root(); p = parent.get(p)) out.push(p)
    return out
  }
  const node: WeappNode = {
    get tag() {
      return tagOf(s, n)
    },
    get id() {
      return idOf(n)
    },
    get classes() {
      return String(attrsOf(s, n).class ?? '').split(/\s+/).filter(Boolean)
    },
    attr: (name) => attrOf(s, n, name),
    attrs: () => attrsOf(s, n),
    boundEvents: () => Object.keys(n._vt?.event ?? {}),
    text: () => textOf(s, n),
    markup: () => markupOf(s, n, ''),
    children: () => childrenOf(n).filter((c) => !isText(s, c)).map((c) => createNode(s, page, c, root)),
    findAll: (selector) => select(s, n, selector).map((c) => createNode(s, page, c, root)),
    find: (selector) => node.findAll(selector)[0],
    get: (selector) => {
      const found = node.find(selector)
      if (!found) throw new Error(`no node matches '${selector}' in ${describe(n)}:\n${markupOf(s, n, '')}`)
      return found
    },
    raw: n,
    tap: () => node.dispatch('tap', { x: 0, y: 0 }),
    async dispatch(type, detail = {}, extra = {}) {
      if (!s.pages.includes(page)) throw new Error(`dispatch on ${describe(n)} of ${page.handle.route}, which was unloaded`)
      // Component events of native components (netstatus, statechange, error)
      // do not bubble; taps and touches bubble up to the nearest binding.
      const bubbles = BUBBLING_EVENTS.has(type)
      const listeners = (bubbles ? [n, ...ancestors()] : [n]).filter((x) => x._vt?.event?.[type])
      if (!listeners.length) {
        const bound = Object.keys(n._vt?.event ?? {})
        throw new Error(
          `${describe(n)} has no bind${type}${bubbles ? ' (nor any ancestor)' : ''} in the rendered template ` +
            `(bound: ${bound.join(', ') || 'none'}), so WeChat could not deliver it either`,
        )
      }
      const before = page.events.length
      const previous = currentPage
      currentPage = page
      try {
        s.exparser.Event.dispatchEvent(n, s.exparser.Event.create(type, detail, {
          bubbles,
          composed: bubbles,
          capturePhase: bubbles,
          extraFields: { touches: {}, changedTouches: {}, ...extra },
        }))
      } finally {
        currentPage = previous
      }
      await settle(s)
      takeErrors(s)
      const received = page.events.slice(before).some((e) => e.type === type && listeners.some(
        (x) => e.targetId === idOf(x) || (sidOf(x) !== '' && e.targetSid === sidOf(x)),
      ))
      if (!received) {
        throw new Error(`${type} dispatched on ${describe(n)} never reached the page's Taro event handler (eh)`)
      }
    },
  }
  return node
}

function createTaroInternals(s: AppState): TaroInternals {
  const element = (node: WeappNode): TaroElementLike => {
    // Taro's eventHandler looks elements up the same way: sid first, then id.
    const { document: doc } = s.taroRuntime()
    const sid = node.attr('data-sid')
    const el = (typeof sid === 'string' && sid ? doc.getElementById(sid) : null) ?? doc.getElementById(node.id)
    if (!el) throw new Error(`no Taro element for <${node.tag} id="${node.id}"> (sid ${String(sid)})`)
    return el
  }
  return {
    element,
    reactProps(node) {
      const el = element(node)
      const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'))
      if (!key) throw new Error(`<${node.tag} id="${node.id}"> has no React props (not rendered by React?)`)
      return el[key] as Record<string, unknown>
    },
    router: () => s.taroRuntime().Current.router,
    spyOnHandler(node, eventType) {
      const el = element(node)
      const type = eventType.toLowerCase()
      const list = el.__handlers[type]
      if (!list?.length) {
        throw new Error(`<${node.tag} id="${node.id}"> has no Taro listener for '${type}' (no on${type} prop was rendered)`)
      }
      // Taro keeps a wrapper per listener, with the original in `oldHandler`.
      const index = list.length - 1
      const wrapper = list[index]
      const handler = (wrapper.oldHandler ?? wrapper) as AnyFn
      const calls: HandlerSpy['calls'] = []
      const spy = function (this: unknown, ...args: unknown[]) {
        const ev = args[0] as { type?: string; detail?: unknown; mpEvent?: { detail?: unknown } }
        calls.push({ type: String(ev?.type), detail: ev?.detail ?? ev?.mpEvent?.detail })
        return wrapper.apply(this, args)
      } as AnyFn & { oldHandler?: AnyFn }
      // React's removeEventListener(oldProp) still finds it.
      spy.oldHandler = handler
      list[index] = spy
      return {
        handler,
        calls,
        restore() {
          const current = el.__handlers[type] ?? []
          const i = current.indexOf(spy)
          if (i >= 0) current[i] = wrapper
        },
      }
    },
  }
}
