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
  showModal: jest.fn(async () => ({ confirm: modalAnswer.confirm, cancel: !modalAnswer.confirm, errMsg: 'showModal:ok' })),
  navigateTo: jest.fn(async () => ({ errMsg: 'navigateTo:ok' })),
  redirectTo: jest.fn(async () => ({ errMsg: 'redirectTo:ok' })),
  navigateBack: jest.fn(async () => ({ errMsg: 'navigateBack:ok' })),
  reLaunch: jest.fn(async () => ({ errMsg: 'reLaunch:ok' })),
  openSetting: jest.fn(async () => ({ authSetting: { 'scope.camera': true, 'scope.record': true }, errMsg: 'openSetting:ok' })),
  authorize: jest.fn(async () => ({ errMsg: 'authorize:ok' })),
  getSetting: jest.fn(async () => ({ authSetting: { 'scope.camera': true, 'scope.record': true }, errMsg: 'getSetting:ok' })),
  setKeepScreenOn: jest.fn(async () => ({ errMsg: 'setKeepScreenOn:ok' })),
  getStorageSync: jest.fn(() => ''),
  setStorageSync: jest.fn(),
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
}

export const { useRouter, useDidShow, useDidHide, useUnload } = Taro
export default Taro
