/**
 * A recording fake of the WeChat client API (`wx`), installed as the global
 * `wx` before the compiled mini program is loaded. It is the only thing the
 * weapp harness mocks: the Taro runtime, React and the app code are the real
 * built `dist/weapp` bundle.
 *
 * Taro copies `Object.keys(wx)` once, when taro.js starts (`processApis`), so
 * `Taro.xxx` exists only for the APIs defined here. An app calling an API that
 * is missing gets `Taro.xxx is not a function`; direct `wx.xxx` reads of a
 * missing API are listed in `unknownApis` to make the gap easy to spot.
 *
 * Every call is recorded in `calls`; the interesting ones also have their own
 * typed lists (toasts, modals, navigations, media contexts, sockets…).
 * Callback-style APIs call `success` then `complete` asynchronously (on a
 * macrotask, as the client does), so Taro's promisified wrappers resolve.
 *
 * The network is real: `wx.request` and `wx.connectSocket` go over HTTP and
 * WebSockets to whatever the app asks for (the weapp project's room service,
 * see global-setup.ts). See fake-network.ts.
 */
import { pendingNetwork, wxConnectSocket, wxRequest, type FakeRequest, type FakeSocketTask, type NetworkDeps } from './fake-network'

export type { FakeRequest, FakeSocketTask, SocketCloseEvent } from './fake-network'

type AnyFn = (...args: never[]) => unknown
type Callbacks = {
  success?: (res: unknown) => void
  fail?: (err: unknown) => void
  complete?: (res: unknown) => void
}
type Options = Record<string, unknown> & Callbacks

export interface WxCall {
  api: string
  args: unknown[]
}

export interface ToastCall {
  title: string
  icon?: string
  duration?: number
  [key: string]: unknown
}

export interface ModalCall {
  title?: string
  content?: string
  showCancel?: boolean
  confirmText?: string
  cancelText?: string
  [key: string]: unknown
}

export interface ModalResult {
  confirm: boolean
  cancel: boolean
  content?: string
}

export type NavigationApi = 'navigateTo' | 'redirectTo' | 'navigateBack' | 'reLaunch' | 'switchTab'

export interface NavigationCall {
  api: NavigationApi
  url?: string
  delta?: number
}

export interface MediaContextCall {
  method: string
  args: unknown[]
}

/** What `wx.createLivePusherContext()` / `wx.createLivePlayerContext(id)` return. */
export interface FakeMediaContext {
  readonly kind: 'live-pusher' | 'live-player'
  /** The `id` passed to createLivePlayerContext (undefined for the pusher). */
  readonly id: string | undefined
  /** Arguments of the create call, e.g. `[id, componentInstance]`. */
  readonly createArgs: unknown[]
  /** Method calls in order, e.g. `{ method: 'start', args: [{…}] }`. */
  readonly calls: MediaContextCall[]
  /** Names of the methods called, in order. */
  methods(): string[]
  /** Make the next call of `method` fail with `errMsg` (its `fail` callback runs). */
  failNext(method: string, errMsg?: string): void
  /** The object handed to the app. */
  readonly api: Record<string, AnyFn>
}

export interface NetworkStatus {
  isConnected: boolean
  networkType: string
}

export interface FakeWxOptions {
  /** Merged into what getSystemInfoSync / getWindowInfo / getAppBaseInfo / getDeviceInfo return. */
  systemInfo?: Record<string, unknown>
  /** `scope.camera` / `scope.record` → granted? Default: both granted. */
  permissions?: Record<string, boolean>
}

export interface FakeWx {
  /** The object installed as the global `wx`. */
  readonly api: Record<string, unknown>
  /** Every API call, in order (sync and async). */
  readonly calls: WxCall[]
  /** Arguments of every call to `api`, in order. */
  callsTo(api: string): unknown[][]
  readonly toasts: ToastCall[]
  readonly modals: ModalCall[]
  /** Answers for the next showModal calls (FIFO); default `{ confirm: true, cancel: false }`. */
  readonly modalResults: ModalResult[]
  readonly loadings: { title?: string }[]
  readonly navigations: NavigationCall[]
  readonly storage: Map<string, unknown>
  readonly pusherContexts: FakeMediaContext[]
  readonly playerContexts: FakeMediaContext[]
  /** The player context created for `id` (the last one, if several). */
  playerContext(id: string): FakeMediaContext | undefined
  /** Every SocketTask of `wx.connectSocket`, in order (real WebSockets: `cut()` one to drop the network). */
  readonly sockets: FakeSocketTask[]
  /** Every `wx.request`, in order, with its answer once it came. */
  readonly requests: FakeRequest[]
  /** Screen-on requests, in order. */
  readonly keepScreenOn: boolean[]
  readonly permissions: Record<string, boolean>
  /**
   * What the user does on the settings page `wx.openSetting` opens: `true`
   * (default) switches camera and microphone on, `false` leaves them as they are.
   */
  settingsAllow: boolean
  /** Names of `wx.*` properties the app read that this fake does not define. */
  readonly unknownApis: Set<string>
  /** Change the network and fire every onNetworkStatusChange listener. */
  emitNetworkStatusChange(status: NetworkStatus): void
  /** Fire every wx.onAppHide / wx.onAppShow listener. */
  emitAppHide(): void
  emitAppShow(options?: Record<string, unknown>): void
  /** Fire every wx.onMemoryWarning listener. */
  emitMemoryWarning(level?: number): void
  /** A phone or WeChat call starts / ends: fire every wx.onAudioInterruptionBegin / End listener. */
  emitAudioInterruptionBegin(): void
  emitAudioInterruptionEnd(): void
  /** Forget every recorded call (listeners, storage and contexts stay). */
  clearCalls(): void
}

let pendingCallbacks = 0

/**
 * Callbacks the fake has scheduled but not yet run, plus requests not yet
 * answered and sockets still connecting (the harness's flush waits for them).
 */
export function pendingWxCallbacks(): number {
  return pendingCallbacks + pendingNetwork()
}

const later = (fn: () => void): void => {
  pendingCallbacks += 1
  setTimeout(() => {
    pendingCallbacks -= 1
    fn()
  }, 0)
}

function succeed(api: string, options: unknown, res: Record<string, unknown> = {}): void {
  const opts = (options && typeof options === 'object' ? options : {}) as Callbacks
  const result = { errMsg: `${api}:ok`, ...res }
  later(() => {
    opts.success?.(result)
    opts.complete?.(result)
  })
}

function fail(api: string, options: unknown, errMsg: string, res: Record<string, unknown> = {}): void {
  const opts = (options && typeof options === 'object' ? options : {}) as Callbacks
  const result = { errMsg: `${api}:fail ${errMsg}`, ...res }
  later(() => {
    opts.fail?.(result)
    opts.complete?.(result)
  })
}

const PUSHER_METHODS = [
  'start', 'stop', 'pause', 'resume', 'startPreview', 'stopPreview', 'switchCamera', 'toggleTorch',
  'snapshot', 'setMICVolume', 'setZoom', 'getMaxZoom', 'playBGM', 'stopBGM', 'pauseBGM', 'resumeBGM',
  'setBGMVolume', 'sendMessage', 'applyFilter', 'clearFilters',
]
const PLAYER_METHODS = [
  'play', 'stop', 'pause', 'resume', 'mute', 'requestFullScreen', 'exitFullScreen',
  'requestPictureInPicture', 'exitPictureInPicture', 'snapshot', 'startRecord', 'stopRecord',
]

function createMediaContext(
  kind: FakeMediaContext['kind'],
  methodNames: string[],
  createArgs: unknown[],
  record: (api: string, args: unknown[]) => void,
): FakeMediaContext {
  const calls: MediaContextCall[] = []
  const failures = new Map<string, string>()
  const api: Record<string, AnyFn> = {}
  for (const method of methodNames) {
    api[method] = ((...args: unknown[]) => {
      calls.push({ method, args })
      record(`${kind}Context.${method}`, args)
      const errMsg = failures.get(method)
      if (errMsg !== undefined) {
        failures.delete(method)
        fail(method, args[0], errMsg)
      } else {
        succeed(method, args[0], method === 'getMaxZoom' ? { maxZoom: 5 } : {})
      }
    }) as AnyFn
  }
  const id = typeof createArgs[0] === 'string' ? createArgs[0] : undefined
  return {
    kind,
    id,
    createArgs,
    calls,
    api,
    methods: () => calls.map((c) => c.method),
    failNext: (method, errMsg = 'mocked failure') => {
      failures.set(method, errMsg)
    },
  }
}

function createSelectorQuery(windowInfo: Record<string, unknown>, record: (api: string, args: unknown[]) => void) {
  type Request = { selector: string; all: boolean; viewport: boolean; cb?: (res: unknown) => void }
  const requests: Request[] = []
  let current: Request | null = null
  const nodesRef = (req: Request) => {
    const ref = {
      boundingClientRect(cb?: (res: unknown) => void) {
        req.cb = cb
        requests.push(req)
        return query
      },
      fields(_fields: unknown, cb?: (res: unknown) => void) {
        return ref.boundingClientRect(cb)
      },
      scrollOffset(cb?: (res: unknown) => void) {
        return ref.boundingClientRect(cb)
      },
      node(cb?: (res: unknown) => void) {
        return ref.boundingClientRect(cb)
      },
      context(cb?: (res: unknown) => void) {
        return ref.boundingClientRect(cb)
      },
    }
    return ref
  }
  const query = {
    in() {
      return query
    },
    select(selector: string) {
      current = { selector, all: false, viewport: false }
      return nodesRef(current)
    },
    selectAll(selector: string) {
      current = { selector, all: true, viewport: false }
      return nodesRef(current)
    },
    selectViewport() {
      current = { selector: 'viewport', all: false, viewport: true }
      return nodesRef(current)
    },
    exec(cb?: (res: unknown[]) => void) {
      record('SelectorQuery.exec', requests.map((r) => r.selector))
      // Nothing is laid out in the simulator: elements have no box. The
      // viewport is the fake window.
      const width = windowInfo.windowWidth
      const height = windowInfo.windowHeight
      const results = requests.map((r) => {
        const res = r.viewport
          ? { id: '', dataset: {}, left: 0, top: 0, right: width, bottom: height, width, height, scrollLeft: 0, scrollTop: 0 }
          : r.all ? [] : null
        r.cb?.(res)
        return res
      })
      later(() => cb?.(results))
    },
  }
  return query
}

export function createFakeWx(options: FakeWxOptions = {}): FakeWx {
  const calls: WxCall[] = []
  const record = (api: string, args: unknown[]): void => {
    calls.push({ api, args })
  }

  const windowInfo: Record<string, unknown> = {
    pixelRatio: 3,
    screenWidth: 390,
    screenHeight: 844,
    windowWidth: 390,
    windowHeight: 754,
    statusBarHeight: 47,
    screenTop: 0,
    safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
  }
  const deviceInfo: Record<string, unknown> = {
    abi: 'arm64',
    benchmarkLevel: 1,
    brand: 'devtools',
    model: 'iPhone 12/13 (Pro)',
    platform: 'devtools',
    system: 'iOS 16.0',
    memorySize: 4096,
  }
  const appBaseInfo: Record<string, unknown> = {
    SDKVersion: '3.5.0',
    enableDebug: false,
    host: { env: 'WeChat', appId: '' },
    language: 'zh_CN',
    version: '8.0.50',
    theme: 'light',
    fontSizeSetting: 16,
  }
  Object.assign(windowInfo, pick(options.systemInfo, windowInfo))
  Object.assign(deviceInfo, pick(options.systemInfo, deviceInfo))
  Object.assign(appBaseInfo, pick(options.systemInfo, appBaseInfo))
  const systemInfo = (): Record<string, unknown> => ({
    ...windowInfo,
    ...deviceInfo,
    ...appBaseInfo,
    fontSizeSetting: 16,
    cameraAuthorized: permissions['scope.camera'] !== false,
    microphoneAuthorized: permissions['scope.record'] !== false,
    bluetoothEnabled: false,
    locationEnabled: false,
    wifiEnabled: true,
    deviceOrientation: 'portrait',
    ...options.systemInfo,
  })

  const permissions: Record<string, boolean> = {
    'scope.camera': true,
    'scope.record': true,
    ...options.permissions,
  }
  const storage = new Map<string, unknown>()
  const toasts: ToastCall[] = []
  const modals: ModalCall[] = []
  const modalResults: ModalResult[] = []
  const loadings: { title?: string }[] = []
  const navigations: NavigationCall[] = []
  const pusherContexts: FakeMediaContext[] = []
  const playerContexts: FakeMediaContext[] = []
  const sockets: FakeSocketTask[] = []
  const requests: FakeRequest[] = []
  const net: NetworkDeps = { succeed, fail, later, record }
  const keepScreenOn: boolean[] = []
  const unknownApis = new Set<string>()
  let network: NetworkStatus = { isConnected: true, networkType: 'wifi' }
  const listeners = {
    network: [] as ((res: NetworkStatus) => void)[],
    appShow: [] as ((res: unknown) => void)[],
    appHide: [] as ((res: unknown) => void)[],
    memory: [] as ((res: unknown) => void)[],
    audioBegin: [] as ((res: unknown) => void)[],
    audioEnd: [] as ((res: unknown) => void)[],
  }
  const settings = { allow: true }
  const off = <T>(list: T[], cb?: T): void => {
    if (!cb) {
      list.length = 0
      return
    }
    const i = list.indexOf(cb)
    if (i >= 0) list.splice(i, 1)
  }

  const navigate = (api: NavigationApi) => (opts: Options = {}) => {
    navigations.push({ api, url: opts.url as string | undefined, delta: opts.delta as number | undefined })
    succeed(api, opts)
  }

  const launchOptions = { path: 'pages/home/index', query: {}, scene: 1001, referrerInfo: {}, apiCategory: 'default' }

  const api: Record<string, AnyFn> = {
    // Device and app info (language zh_CN).
    getSystemInfoSync: () => systemInfo(),
    getSystemInfo: (opts: Options) => succeed('getSystemInfo', opts, systemInfo()),
    getSystemInfoAsync: (opts: Options) => succeed('getSystemInfoAsync', opts, systemInfo()),
    getWindowInfo: () => ({ ...windowInfo }),
    getDeviceInfo: () => ({ ...deviceInfo }),
    getAppBaseInfo: () => ({ ...appBaseInfo }),
    getSystemSetting: () => ({ bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' }),
    getAppAuthorizeSetting: () => ({
      cameraAuthorized: permissions['scope.camera'] === false ? 'denied' : 'authorized',
      microphoneAuthorized: permissions['scope.record'] === false ? 'denied' : 'authorized',
    }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 51, right: 383, bottom: 83, left: 296 }),
    getLaunchOptionsSync: () => ({ ...launchOptions }),
    getEnterOptionsSync: () => ({ ...launchOptions }),
    canIUse: () => true,

    // Scheduling.
    nextTick: ((cb: () => void) => {
      Promise.resolve().then(cb)
    }) as AnyFn,

    // Interaction: recorded for assertions.
    showToast: (opts: Options) => {
      toasts.push(strip(opts) as ToastCall)
      succeed('showToast', opts)
    },
    hideToast: (opts?: Options) => succeed('hideToast', opts),
    showLoading: (opts: Options) => {
      loadings.push(strip(opts) as { title?: string })
      succeed('showLoading', opts)
    },
    hideLoading: (opts?: Options) => succeed('hideLoading', opts),
    showModal: (opts: Options) => {
      modals.push(strip(opts) as ModalCall)
      const result = modalResults.shift() ?? { confirm: true, cancel: false }
      succeed('showModal', opts, { ...result })
    },
    showActionSheet: (opts: Options) => succeed('showActionSheet', opts, { tapIndex: 0 }),
    setNavigationBarTitle: (opts: Options) => succeed('setNavigationBarTitle', opts),
    setKeepScreenOn: (opts: Options) => {
      keepScreenOn.push(Boolean(opts?.keepScreenOn))
      succeed('setKeepScreenOn', opts)
    },
    vibrateShort: (opts?: Options) => succeed('vibrateShort', opts),
    vibrateLong: (opts?: Options) => succeed('vibrateLong', opts),
    setClipboardData: (opts: Options) => succeed('setClipboardData', opts),
    getClipboardData: (opts: Options) => succeed('getClipboardData', opts, { data: '' }),

    // Navigation: recorded, not performed (load the next page with loadPage).
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    navigateBack: navigate('navigateBack'),
    reLaunch: navigate('reLaunch'),
    switchTab: navigate('switchTab'),

    // Storage, in memory.
    getStorageSync: ((key: string) => (storage.has(key) ? clone(storage.get(key)) : '')) as AnyFn,
    setStorageSync: ((key: string, data: unknown) => {
      storage.set(key, clone(data))
    }) as AnyFn,
    removeStorageSync: ((key: string) => {
      storage.delete(key)
    }) as AnyFn,
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),
    getStorage: (opts: Options) => {
      const key = String(opts.key)
      if (storage.has(key)) succeed('getStorage', opts, { data: clone(storage.get(key)) })
      else fail('getStorage', opts, 'data not found')
    },
    setStorage: (opts: Options) => {
      storage.set(String(opts.key), clone(opts.data))
      succeed('setStorage', opts)
    },
    removeStorage: (opts: Options) => {
      storage.delete(String(opts.key))
      succeed('removeStorage', opts)
    },

    // Camera / microphone permission.
    getSetting: (opts: Options) => succeed('getSetting', opts, { authSetting: { ...permissions } }),
    authorize: (opts: Options) => {
      const scope = String(opts.scope)
      if (permissions[scope] === false) fail('authorize', opts, 'auth deny')
      else {
        permissions[scope] = true
        succeed('authorize', opts)
      }
    },
    // The settings page: the user switches both on (settingsAllow), or leaves them.
    openSetting: (opts: Options) => {
      if (settings.allow) {
        permissions['scope.camera'] = true
        permissions['scope.record'] = true
      }
      succeed('openSetting', opts, { authSetting: { ...permissions } })
    },

    // Live media.
    createLivePusherContext: ((...args: unknown[]) => {
      const ctx = createMediaContext('live-pusher', PUSHER_METHODS, args, record)
      pusherContexts.push(ctx)
      return ctx.api
    }) as AnyFn,
    createLivePlayerContext: ((...args: unknown[]) => {
      const ctx = createMediaContext('live-player', PLAYER_METHODS, args, record)
      playerContexts.push(ctx)
      return ctx.api
    }) as AnyFn,

    // Network.
    getNetworkType: (opts: Options) => succeed('getNetworkType', opts, { networkType: network.isConnected ? network.networkType : 'none' }),
    onNetworkStatusChange: ((cb: (res: NetworkStatus) => void) => {
      listeners.network.push(cb)
    }) as AnyFn,
    offNetworkStatusChange: ((cb?: (res: NetworkStatus) => void) => off(listeners.network, cb)) as AnyFn,
    connectSocket: (opts: Options) => {
      succeed('connectSocket', opts)
      const task = wxConnectSocket(opts, net)
      sockets.push(task)
      return task.api
    },
    request: (opts: Options) => wxRequest(opts, net, requests),

    // App-level events.
    onAppShow: ((cb: (res: unknown) => void) => listeners.appShow.push(cb)) as AnyFn,
    offAppShow: ((cb?: (res: unknown) => void) => off(listeners.appShow, cb)) as AnyFn,
    onAppHide: ((cb: (res: unknown) => void) => listeners.appHide.push(cb)) as AnyFn,
    offAppHide: ((cb?: (res: unknown) => void) => off(listeners.appHide, cb)) as AnyFn,
    onMemoryWarning: ((cb: (res: unknown) => void) => listeners.memory.push(cb)) as AnyFn,
    offMemoryWarning: ((cb?: (res: unknown) => void) => off(listeners.memory, cb)) as AnyFn,
    onAudioInterruptionBegin: ((cb: (res: unknown) => void) => listeners.audioBegin.push(cb)) as AnyFn,
    offAudioInterruptionBegin: ((cb?: (res: unknown) => void) => off(listeners.audioBegin, cb)) as AnyFn,
    onAudioInterruptionEnd: ((cb: (res: unknown) => void) => listeners.audioEnd.push(cb)) as AnyFn,
    offAudioInterruptionEnd: ((cb?: (res: unknown) => void) => off(listeners.audioEnd, cb)) as AnyFn,
    onError: () => undefined,
    offError: () => undefined,
    onUnhandledRejection: () => undefined,
    offUnhandledRejection: () => undefined,

    // Misc.
    createSelectorQuery: () => createSelectorQuery(windowInfo, record),
    getUpdateManager: () => ({
      applyUpdate: () => undefined,
      onCheckForUpdate: () => undefined,
      onUpdateReady: () => undefined,
      onUpdateFailed: () => undefined,
    }),
    getRealtimeLogManager: () => logger(),
    getLogManager: () => logger(),
    reportEvent: () => undefined,
    reportAnalytics: () => undefined,
  }

  // Record every call of every API above.
  const recorded: Record<string, unknown> = {}
  for (const [name, fn] of Object.entries(api)) {
    recorded[name] = (...args: unknown[]) => {
      record(name, args)
      return (fn as (...a: unknown[]) => unknown)(...args)
    }
  }

  const known = new Set(Object.keys(recorded))
  // `webpackJsonp` and anything else the bundle stores on `wx` go through;
  // reads of an API that is not defined are noted.
  const proxy = new Proxy(recorded, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && !(prop in target) && !known.has(prop) && prop !== 'then' && prop !== 'webpackJsonp' && prop !== 'cloud' && prop !== 'env') {
        unknownApis.add(prop)
      }
      return Reflect.get(target, prop, receiver)
    },
  })

  return {
    api: proxy,
    calls,
    callsTo: (name) => calls.filter((c) => c.api === name).map((c) => c.args),
    toasts,
    modals,
    modalResults,
    loadings,
    navigations,
    storage,
    pusherContexts,
    playerContexts,
    playerContext: (id) => [...playerContexts].reverse().find((c) => c.id === id),
    sockets,
    requests,
    keepScreenOn,
    permissions,
    get settingsAllow() {
      return settings.allow
    },
    set settingsAllow(allow: boolean) {
      settings.allow = allow
    },
    unknownApis,
    emitNetworkStatusChange(status) {
      network = { ...status }
      for (const cb of [...listeners.network]) cb({ ...network })
    },
    emitAppHide() {
      for (const cb of [...listeners.appHide]) cb({})
    },
    emitAppShow(opts = {}) {
      for (const cb of [...listeners.appShow]) cb({ ...launchOptions, ...opts })
    },
    emitMemoryWarning(level = 10) {
      for (const cb of [...listeners.memory]) cb({ level })
    },
    emitAudioInterruptionBegin() {
      for (const cb of [...listeners.audioBegin]) cb({})
    },
    emitAudioInterruptionEnd() {
      for (const cb of [...listeners.audioEnd]) cb({})
    },
    clearCalls() {
      calls.length = 0
      toasts.length = 0
      modals.length = 0
      loadings.length = 0
      navigations.length = 0
      requests.length = 0
      keepScreenOn.length = 0
      for (const ctx of [...pusherContexts, ...playerContexts]) ctx.calls.length = 0
    },
  }
}

function logger() {
  const noop = () => undefined
  return { info: noop, warn: noop, error: noop, log: noop, debug: noop, setFilterMsg: noop, addFilterMsg: noop }
}

/** The options an app passed, without its callbacks. */
function strip(opts: Options | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(opts ?? {})) {
    if (typeof v !== 'function') out[k] = v
  }
  return out
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}

function pick(from: Record<string, unknown> | undefined, keysOf: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (!from) return out
  for (const key of Object.keys(keysOf)) {
    if (key in from) out[key] = from[key]
  }
  return out
}
