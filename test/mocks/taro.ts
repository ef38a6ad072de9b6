/**
 * Stand-in for @tarojs/taro in component tests: the WeChat client is the one
 * boundary we cannot run here. Every API records its calls (jest.fn) and
 * answers like WeChat does; tests can change the answers (e.g. showModal's
 * confirm) and the router params.
 */
import TaroNetwork from './taro-node'

type Listener = () => void

export const router: { params: Record<string, string | undefined> } = { params: {} }
export const system = { language: 'zh_CN', windowWidth: 375, windowHeight: 667, platform: 'devtools' }
export const modalAnswer = { confirm: true }
const didShow = new Set<Listener>()
const resizeListeners = new Set<(res: { size: { windowWidth: number; windowHeight: number } }) => void>()

/** Simulate the window being resized (a desktop browser, a rotated tablet). */
export function emitWindowResize(windowWidth: number, windowHeight: number) {
  system.windowWidth = windowWidth
  system.windowHeight = windowHeight
  resizeListeners.forEach((fn) => fn({ size: { windowWidth, windowHeight } }))
}
const didHide = new Set<Listener>()

/**
 * Camera / microphone permission as WeChat keeps it: `undefined` = never
 * asked (authorize prompts and the user allows), `false` = refused (authorize
 * fails without asking again), `true` = allowed.
 */
export const permissions: Record<string, boolean | undefined> = {}
/** What the user does on the settings page openSetting opens: allow both, or leave them as they are. */
export const settingsPage = { allows: true }

type AnyListener = (res: unknown) => void
const appListeners: Record<string, Set<AnyListener>> = {}
const listeners = (name: string) => (appListeners[name] ??= new Set())
/** Fire a platform event the app listens to with Taro.on<name> (AppShow, AppHide, NetworkStatusChange, AudioInterruptionBegin, MemoryWarning…). */
export function emitPlatform(name: string, res: unknown = {}) {
  listeners(name).forEach((fn) => fn(res))
}
/** Calls on the live-pusher context (pause, resume, stop), in order. */
export const pusherContextCalls: string[] = []
/** Calls on live-player contexts (`createLivePlayerContext(id)`), in order. */
export const playerContextCalls: { id: string; method: string; args: unknown[] }[] = []
const platformApis = Object.fromEntries(
  ['AppShow', 'AppHide', 'NetworkStatusChange', 'AudioInterruptionBegin', 'AudioInterruptionEnd', 'MemoryWarning'].flatMap((name) => [
    [`on${name}`, jest.fn((fn: AnyListener) => void listeners(name).add(fn))],
    [`off${name}`, jest.fn((fn: AnyListener) => void listeners(name).delete(fn))],
  ]),
)

/** wx storage as WeChat keeps it (values stored as given; a missing key reads as ''). */
export const storage = new Map<string, unknown>()
/** The action sheet's answer: the item index the user taps, or null to dismiss it. */
export const actionSheetAnswer: { tapIndex: number | null } = { tapIndex: 0 }
/** The page's onShareAppMessage handler, as useShareAppMessage registered it (WeChat calls it from the ··· menu). */
export const share: { handler: (() => unknown) | null } = { handler: null }

const Taro = {
  getSystemInfoSync: jest.fn(() => ({ ...system })),
  getWindowInfo: jest.fn(() => ({ windowWidth: system.windowWidth, windowHeight: system.windowHeight })),
  getAppBaseInfo: jest.fn(() => ({ language: system.language })),
  onWindowResize: jest.fn((fn: (res: { size: { windowWidth: number; windowHeight: number } }) => void) => {
    resizeListeners.add(fn)
  }),
  offWindowResize: jest.fn((fn: (res: { size: { windowWidth: number; windowHeight: number } }) => void) => {
    resizeListeners.delete(fn)
  }),
  showToast: jest.fn(async () => ({ errMsg: 'showToast:ok' })),
  setNavigationBarTitle: jest.fn(async () => ({ errMsg: 'setNavigationBarTitle:ok' })),
  showModal: jest.fn(async () => ({ confirm: modalAnswer.confirm, cancel: !modalAnswer.confirm, errMsg: 'showModal:ok' })),
  navigateTo: jest.fn(async () => ({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn(async () => ({ errMsg: 'redirectTo:ok' })),
  navigateBack: jest.fn(async () => ({ errMsg: 'navigateBack:ok' })),
  reLaunch: jest.fn(async () => ({ errMsg: 'reLaunch:ok' })),
  openSetting: jest.fn(async () => {
    if (settingsPage.allows) {
      permissions['scope.camera'] = true
      permissions['scope.record'] = true
    }
    return { authSetting: { ...permissions }, errMsg: 'openSetting:ok' }
  }),
  authorize: jest.fn(async ({ scope }: { scope: string }) => {
    if (permissions[scope] === false) throw { errMsg: 'authorize:fail auth deny' }
    permissions[scope] = true
    return { errMsg: 'authorize:ok' }
  }),
  getSetting: jest.fn(async () => ({ authSetting: { ...permissions }, errMsg: 'getSetting:ok' })),
  getNetworkType: jest.fn(async () => ({ networkType: 'wifi', errMsg: 'getNetworkType:ok' })),
  createLivePlayerContext: jest.fn((id: string) => ({
    requestFullScreen: (...args: unknown[]) => playerContextCalls.push({ id, method: 'requestFullScreen', args }),
    exitFullScreen: (...args: unknown[]) => playerContextCalls.push({ id, method: 'exitFullScreen', args }),
  })),
  createLivePusherContext: jest.fn(() => ({
    pause: () => pusherContextCalls.push('pause'),
    resume: () => pusherContextCalls.push('resume'),
    stop: () => pusherContextCalls.push('stop'),
  })),
  ...platformApis,
  setKeepScreenOn: jest.fn(async () => ({ errMsg: 'setKeepScreenOn:ok' })),
  getStorageSync: jest.fn((key: string) => (storage.has(key) ? storage.get(key) : '')),
  setStorageSync: jest.fn((key: string, value: unknown) => void storage.set(key, value)),
  removeStorageSync: jest.fn((key: string) => void storage.delete(key)),
  setClipboardData: jest.fn(async () => ({ errMsg: 'setClipboardData:ok' })),
  showActionSheet: jest.fn(async () => {
    if (actionSheetAnswer.tapIndex === null) throw { errMsg: 'showActionSheet:fail cancel' }
    return { tapIndex: actionSheetAnswer.tapIndex, errMsg: 'showActionSheet:ok' }
  }),
  useShareAppMessage: (fn: () => unknown) => {
    share.handler = fn
  },
  // Network APIs are real (node:http, ws): component tests talk to a real room service.
  request: TaroNetwork.request,
  connectSocket: TaroNetwork.connectSocket,
  useRouter: () => ({ params: router.params, path: '' }),
  useDidShow: (fn: Listener) => {
    didShow.add(fn)
  },
  useDidHide: (fn: Listener) => {
    didHide.add(fn)
  },
  useUnload: jest.fn(),
}

/** Simulate the page coming to the foreground / going to the background. */
export function emitDidShow() {
  didShow.forEach((fn) => fn())
}
export function emitDidHide() {
  didHide.forEach((fn) => fn())
}

/** Forget recorded calls and listeners between tests. */
export function resetTaroMock() {
  Object.values(Taro).forEach((v) => {
    // (request/connectSocket are plain functions: nothing to clear.)
    if (typeof v === 'function' && 'mockClear' in v) (v as jest.Mock).mockClear()
  })
  router.params = {}
  system.language = 'zh_CN'
  system.windowWidth = 375
  system.windowHeight = 667
  resizeListeners.clear()
  modalAnswer.confirm = true
  didShow.clear()
  didHide.clear()
  for (const key of Object.keys(permissions)) delete permissions[key]
  settingsPage.allows = true
  playerContextCalls.length = 0
  Object.values(appListeners).forEach((set) => set.clear())
  pusherContextCalls.length = 0
  storage.clear()
  actionSheetAnswer.tapIndex = 0
  share.handler = null
}

export const { useRouter, useDidShow, useDidHide, useUnload, useShareAppMessage } = Taro
export default Taro
