/**
 * What a participant is told about a `<live-pusher>` / `<live-player>`
 * state code, in zh-CN and en. The codes themselves (names, severity,
 * recovery) live in src/core/state-codes.ts, which gives each a message key
 * (`<table>.<code>`); the store, the media session and the statistics view
 * look the text up here. A test checks that every code of the core tables has
 * a string in both languages.
 */
import type { Localized } from '../core/presets'
import type { DescribedCode, StateCodeMessageKey } from '../core/state-codes'
import type { Language } from './index'

type KnownKey = Exclude<StateCodeMessageKey, 'unknown'>

const zhCN: { readonly [key: KnownKey]: string } = {
  'pusher.1001': '已连接到服务器',
  'pusher.1002': '已开始发送音视频',
  'pusher.1003': '摄像头已打开',
  'pusher.1004': '屏幕录制已开始',
  'pusher.1005': '已根据网络调整画面分辨率',
  'pusher.1006': '已根据网络调整画面清晰度',
  'pusher.1007': '已采集到首帧画面',
  'pusher.1008': '视频编码器已启动',
  'pusher.1018': '已进入会议',
  'pusher.1019': '已离开会议',
  'pusher.1020': '参会成员已更新',
  'pusher.1021': '网络已切换，正在重新加入会议…',
  'pusher.1022': '加入会议失败，正在重试',
  'pusher.1031': '有成员加入会议',
  'pusher.1032': '有成员离开会议',
  'pusher.1033': '成员的摄像头状态已变化',
  'pusher.1034': '成员的麦克风状态已变化',
  'pusher.1101': '您的网络较差，对方可能看不清您的画面',
  'pusher.1102': '网络连接断开，正在重新连接…',
  'pusher.1103': '硬件编码不可用，已切换为软件编码，手机可能发热',
  'pusher.1104': '视频编码出错，正在自动恢复',
  'pusher.1107': '已切换为硬件编码',
  'pusher.3001': '无法解析服务器地址，正在重试…',
  'pusher.3002': '无法连接服务器，正在重试…',
  'pusher.3003': '与服务器握手失败，正在重试…',
  'pusher.3004': '服务器断开了连接，正在重试…',
  'pusher.3005': '网络传输异常，正在重试…',
  'pusher.4998': '麦克风状态已切换',
  'pusher.4999': '静音状态已切换',
  'pusher.5000': '小程序已切到后台，其他人暂时看不到您的画面',
  'pusher.5001': '通话被系统或微信通话打断，正在恢复',
  'pusher.-1301': '无法打开摄像头，请检查摄像头权限或是否被其他应用占用',
  'pusher.-1302': '无法打开麦克风，请检查麦克风权限或是否被其他应用占用',
  'pusher.-1303': '视频编码失败，正在重新开始推流',
  'pusher.-1304': '音频编码失败，正在重新开始推流',
  'pusher.-1305': '手机不支持当前分辨率，正在重新开始推流',
  'pusher.-1306': '手机不支持当前音频采样率，正在重新开始推流',
  'pusher.-1307': '网络连接已断开，正在重新连接',
  'pusher.-1308': '屏幕录制启动失败',
  'pusher.-1309': '当前系统版本不支持屏幕录制',
  'pusher.-1310': '屏幕录制被其他应用打断',
  'pusher.-1311': '麦克风没有声音，请关闭占用麦克风的其他应用',
  'pusher.-1312': '屏幕录制切换横竖屏失败',
  'pusher.-3301': '加入会议失败，正在重试',
  'pusher.-100018': '会议凭证无效或已过期，请重新加入会议',
  'player.2001': '已连接到服务器',
  'player.2002': '开始接收音视频',
  'player.2003': '已收到首个画面',
  'player.2004': '开始播放',
  'player.2005': '播放进度更新',
  'player.2006': '对方已停止发送画面',
  'player.2007': '加载中…',
  'player.2008': '视频解码器已启动',
  'player.2009': '画面分辨率已变化',
  'player.2030': '音频设备已变化（如耳机已拔出）',
  'player.2032': '画面已显示',
  'player.2101': '画面解码出错，正在自动恢复',
  'player.2102': '声音解码出错，正在自动恢复',
  'player.2103': '与该成员的连接断开，正在重新连接…',
  'player.2104': '网络不稳定，画面可能卡顿',
  'player.2105': '画面卡顿',
  'player.2106': '硬件解码不可用，已切换为软件解码，手机可能发热',
  'player.2107': '画面丢帧，可能出现花屏',
  'player.2108': '硬件解码失败，已切换为软件解码',
  'player.3001': '无法解析服务器地址，正在重试…',
  'player.3002': '无法连接服务器，正在重试…',
  'player.3003': '与服务器握手失败，正在重试…',
  'player.3005': '网络传输异常，正在重试…',
  'player.-2301': '与该成员的连接已断开，正在重新连接',
  'player.-2302': '获取播放地址失败，正在重试',
  'pusher-error.10001': '没有相机权限，请在设置中允许使用摄像头',
  'pusher-error.10002': '没有麦克风权限，请在设置中允许使用麦克风',
  'pusher-error.10003': '背景音乐加载失败',
  'pusher-error.10004': '等待画面加载失败，切到后台时其他人可能看到黑屏',
}

const en: typeof zhCN = {
  'pusher.1001': 'Connected to the server',
  'pusher.1002': 'Your audio and video are being sent',
  'pusher.1003': 'Camera is on',
  'pusher.1004': 'Screen capture started',
  'pusher.1005': 'Video resolution adjusted to your network',
  'pusher.1006': 'Video quality adjusted to your network',
  'pusher.1007': 'Camera picture is ready',
  'pusher.1008': 'Video encoder started',
  'pusher.1018': 'You joined the meeting',
  'pusher.1019': 'You left the meeting',
  'pusher.1020': 'Participant list updated',
  'pusher.1021': 'Network changed. Rejoining the meeting…',
  'pusher.1022': 'Could not join the meeting. Retrying.',
  'pusher.1031': 'Someone joined the meeting',
  'pusher.1032': 'Someone left the meeting',
  'pusher.1033': "A participant's camera was turned on or off",
  'pusher.1034': "A participant's microphone was turned on or off",
  'pusher.1101': 'Your network is weak. Others may see a blurry picture.',
  'pusher.1102': 'Connection lost. Reconnecting…',
  'pusher.1103': 'Hardware encoding unavailable; using software encoding. Your phone may get warm.',
  'pusher.1104': 'Video encoding hiccup. Recovering automatically.',
  'pusher.1107': 'Switched to hardware encoding',
  'pusher.3001': 'Cannot resolve the server address. Retrying…',
  'pusher.3002': 'Cannot connect to the server. Retrying…',
  'pusher.3003': 'Server handshake failed. Retrying…',
  'pusher.3004': 'The server closed the connection. Retrying…',
  'pusher.3005': 'Network transfer failed. Retrying…',
  'pusher.4998': 'Microphone switched',
  'pusher.4999': 'Mute switched',
  'pusher.5000': 'The app is in the background. Others cannot see you for now.',
  'pusher.5001': 'Interrupted by a phone or WeChat call. Resuming.',
  'pusher.-1301': 'Cannot open the camera. Check the camera permission or close other apps using it.',
  'pusher.-1302': 'Cannot open the microphone. Check the microphone permission or close other apps using it.',
  'pusher.-1303': 'Video encoding failed. Restarting your video.',
  'pusher.-1304': 'Audio encoding failed. Restarting your audio.',
  'pusher.-1305': 'Your phone does not support this resolution. Restarting your video.',
  'pusher.-1306': 'Your phone does not support this audio sample rate. Restarting your audio.',
  'pusher.-1307': 'Connection lost. Reconnecting.',
  'pusher.-1308': 'Screen capture could not start',
  'pusher.-1309': 'Screen capture is not supported on this system version',
  'pusher.-1310': 'Screen capture was interrupted by another app',
  'pusher.-1311': 'Your microphone is silent. Close other apps that may be using it.',
  'pusher.-1312': 'Screen capture could not switch orientation',
  'pusher.-3301': 'Could not join the meeting. Retrying.',
  'pusher.-100018': 'Your meeting credentials are invalid or expired. Please rejoin the meeting.',
  'player.2001': 'Connected to the server',
  'player.2002': 'Receiving audio and video',
  'player.2003': 'First picture received',
  'player.2004': 'Playing',
  'player.2005': 'Playback progress',
  'player.2006': 'The participant stopped sending video',
  'player.2007': 'Loading…',
  'player.2008': 'Video decoder started',
  'player.2009': 'Video resolution changed',
  'player.2030': 'Audio device changed (e.g. headphones unplugged)',
  'player.2032': 'Video is showing',
  'player.2101': 'Video decoding hiccup. Recovering automatically.',
  'player.2102': 'Audio decoding hiccup. Recovering automatically.',
  'player.2103': 'Connection to this participant lost. Reconnecting…',
  'player.2104': 'Unstable network. Video may stutter.',
  'player.2105': 'Video is stuttering',
  'player.2106': 'Hardware decoding unavailable; using software decoding. Your phone may get warm.',
  'player.2107': 'Frames were lost. The picture may glitch briefly.',
  'player.2108': 'Hardware decoding failed; switched to software decoding.',
  'player.3001': 'Cannot resolve the server address. Retrying…',
  'player.3002': 'Cannot connect to the server. Retrying…',
  'player.3003': 'Server handshake failed. Retrying…',
  'player.3005': 'Network transfer failed. Retrying…',
  'player.-2301': 'Connection to this participant lost. Reconnecting.',
  'player.-2302': 'Could not get the video address. Retrying.',
  'pusher-error.10001': 'Camera permission denied. Allow camera access in Settings.',
  'pusher-error.10002': 'Microphone permission denied. Allow microphone access in Settings.',
  'pusher-error.10003': 'Background music failed to load',
  'pusher-error.10004': 'Waiting image failed to load. Others may see a black screen while the app is in the background.',
}

const TABLES: { readonly [L in Language]: typeof zhCN } = { 'zh-CN': zhCN, en }

/** An undocumented code: named, so it can still be told and looked up. */
const UNKNOWN: { readonly [L in Language]: (code: string) => string } = {
  'zh-CN': (code) => `未知事件（代码 ${code}）`,
  en: (code) => `Unknown event (code ${code})`,
}

/** The message keys of the table (for the completeness test). */
export function stateCodeMessageKeys(language: Language): readonly string[] {
  return Object.keys(TABLES[language])
}

/** What a participant is told about a described code, in one language. */
export function codeMessage(described: Pick<DescribedCode, 'code' | 'messageKey'>, language: Language): string {
  const table = TABLES[language]
  const key = described.messageKey
  if (key !== 'unknown' && Object.prototype.hasOwnProperty.call(table, key)) return table[key]
  return UNKNOWN[language](String(described.code))
}

/** The message in both languages, for what the store queues (toasts, modals) before a language is chosen. */
export function localizedCodeMessage(described: Pick<DescribedCode, 'code' | 'messageKey'>): Localized {
  return { 'zh-CN': codeMessage(described, 'zh-CN'), en: codeMessage(described, 'en') }
}
