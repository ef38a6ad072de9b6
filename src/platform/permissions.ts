/**
 * Camera and microphone permission. `wx.authorize` prompts only once; after a
 * refusal the user must be sent to the settings page (platform-facts: trtc-wx
 * checkDeviceAuthorize), so recovery always goes through openSetting.
 */
import Taro from '@tarojs/taro'

/** Open the settings page; resolves true when both camera and mic are allowed afterwards. */
export async function requestMediaPermissionAgain(): Promise<boolean> {
  try {
    const { authSetting } = await Taro.openSetting()
    return authSetting['scope.camera'] === true && authSetting['scope.record'] === true
  } catch {
    return false
  }
}
