/**
 * The weapp PusherView with a room:// URL: `bindstatechange` events shaped
 * as the native pusher delivers them (`e.detail = {code, message}`, or
 * `details` on some clients) reach onStateChange as codes and onRoomEvent as
 * parsed room events; a malformed payload is logged, never thrown, and the
 * code still arrives.
 */
import { render } from '@testing-library/react'
import { PusherView } from '../../src/platform/live-media'
import { fireWeChatEvent } from '../mocks/wechat'

function renderPusher() {
  const onStateChange = jest.fn()
  const onRoomEvent = jest.fn()
  const { container } = render(
    <PusherView
      url='room://cloud.tencent.com/rtc?sdkappid=1400000000&strroomid=123456789&userid=pA&usersig=x&privatemapkey=y'
      minBitrateKbps={150}
      maxBitrateKbps={300}
      audioQuality='high'
      enableMic
      enableCamera
      devicePosition='front'
      onStateChange={onStateChange}
      onNetStatus={() => {}}
      onError={() => {}}
      onRoomEvent={onRoomEvent}
    />,
  )
  return { pusher: container.querySelector('live-pusher') as Element, onStateChange, onRoomEvent }
}

test('1031 and 1033 arrive as codes and as room events, from detail or details', () => {
  const { pusher, onStateChange, onRoomEvent } = renderPusher()
  fireWeChatEvent(pusher, 'statechange', { code: 1031, message: '{"userlist":[{"userid":"pB"}]}' })
  fireWeChatEvent(
    pusher,
    'statechange',
    { code: '1033', message: '{"userlist":[{"userid":"pB","playurl":"room://cloud.tencent.com/rtc?userid=pB&streamtype=main","streamtype":"main","hasvideo":true}]}' },
    'details',
  )
  expect(onStateChange.mock.calls).toEqual([[1031], [1033]])
  expect(onRoomEvent.mock.calls).toEqual([
    [{ kind: 'users_entered', userIds: ['pB'] }],
    [{ kind: 'video', changes: [{ userId: 'pB', playUrl: 'room://cloud.tencent.com/rtc?userid=pB&streamtype=main', streamType: 'main', hasVideo: true }] }],
  ])
})

test('a malformed 1034 is logged; the code still arrives, no room event, no throw', () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    const { pusher, onStateChange, onRoomEvent } = renderPusher()
    fireWeChatEvent(pusher, 'statechange', { code: 1034, message: '{"userlist":' })
    expect(onStateChange.mock.calls).toEqual([[1034]])
    expect(onRoomEvent).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[trtc\] 1034: message is not JSON/))
  } finally {
    warn.mockRestore()
  }
})

test('non-room codes (1101) reach onStateChange only', () => {
  const { pusher, onStateChange, onRoomEvent } = renderPusher()
  fireWeChatEvent(pusher, 'statechange', { code: 1101, message: 'net busy' })
  expect(onStateChange.mock.calls).toEqual([[1101]])
  expect(onRoomEvent).not.toHaveBeenCalled()
})
