/**
 * room:// URLs and the pusher's room events, pinned to the shapes in
 * shared/reference/trtc.md: the URL trtc-wx builds (§1.1), the player URL
 * the native side generates (§1.2), and the bindstatechange payloads of
 * 1018–1034 / -3301 / -100018 (§2) — malformed ones included: each gives a
 * log line naming the code and nothing is thrown.
 */
import {
  buildTrtcPlayUrl,
  buildTrtcPushUrl,
  isTrtcUrl,
  parseTrtcPlayUrl,
  parseTrtcPushUrl,
  parseTrtcRoomEvent,
  TrtcUrlError,
  type TrtcRoomEvent,
} from '../../../src/core/trtc'

const PUSH = {
  sdkAppId: 1400000000,
  strRoomId: '123456789',
  userId: 'p0a1b2c3d4e',
  userSig: 'eJyrVgrxCdYrSy1SslIy0jNQ0gHzM1NS80oy0zLBwhWZiflZpXlQqeKU7MSCgswUJStDEwMogMiUZOamKlkZmqOKplYUZBalKllZmJnAhIoz05WslIL93EzccsOcA0qT8yOKnfwLksLcjNPcnNNMzb0Ccg1Sq6IMs1LDPH1ywpJtlWoBGRkxcA__',
  privateMapKey: 'eJw1jd0KgjAYhm9ldFywmS7tLLBO*-QAuvpm8pr9Qbn3Y2fOPx9_eA',
}

describe('room:// push URL', () => {
  test('the trtc-wx parameter set, string room, videocall, no role, raw (unencoded) values', () => {
    expect(buildTrtcPushUrl(PUSH)).toBe(
      'room://cloud.tencent.com/rtc?sdkappid=1400000000&strroomid=123456789&userid=p0a1b2c3d4e' +
        `&usersig=${PUSH.userSig}&appscene=videocall&encsmall=0&cloudenv=PRO&privatemapkey=${PUSH.privateMapKey}&recvmode=1`,
    )
  })

  test('parses back to the same parameters (what the browser SDK is given)', () => {
    expect(parseTrtcPushUrl(buildTrtcPushUrl(PUSH))).toEqual({ ...PUSH, appScene: 'videocall' })
  })

  test('parse: keys case-insensitive, the older host, first value of a repeated key, as the native parser', () => {
    expect(parseTrtcPushUrl('room://rtc.tencent.com?SDKAPPID=1400000001&StrRoomId=r1&userid=u1&userid=u2&usersig=s&appscene=live')).toEqual({
      sdkAppId: 1400000001,
      strRoomId: 'r1',
      userId: 'u1',
      userSig: 's',
      privateMapKey: '',
      appScene: 'live',
    })
  })

  test.each([
    ['an RTMP URL', 'rtmp://push.example.com/live/s?txSecret=a&txTime=b'],
    ['the old RTMP-proxy form (no /rtc)', 'room://cloud.tencent.com?sdkappid=1&roomid=2&userid=u&roomsig=x'],
    ['no usersig', 'room://cloud.tencent.com/rtc?sdkappid=1&strroomid=r&userid=u'],
    ['a non-numeric sdkappid', 'room://cloud.tencent.com/rtc?sdkappid=abc&strroomid=r&userid=u&usersig=s'],
    ['empty', ''],
  ])('parse refuses %s', (_name, url) => {
    expect(parseTrtcPushUrl(url)).toBeNull()
  })

  test.each([
    ['a userid with a space', { userId: 'p 1' }],
    ['a Chinese room id (trtc-wx refuses them)', { strRoomId: '会议' }],
    ['a room id with &', { strRoomId: '1&userid=x' }],
    ['a UserSig with raw base64 + / =', { userSig: 'ab+c/d=' }],
    ['an empty PrivateMapKey', { privateMapKey: '' }],
    ['sdkappid 0', { sdkAppId: 0 }],
  ])('build refuses %s (no value can smuggle parameters in)', (_name, change) => {
    expect(() => buildTrtcPushUrl({ ...PUSH, ...change })).toThrow(TrtcUrlError)
  })

  test('the error message never contains the credentials themselves', () => {
    expect(() => buildTrtcPushUrl({ ...PUSH, userSig: 'secret+sig' })).toThrow(/usersig "<redacted>"/)
  })
})

describe('room:// player URL', () => {
  test.each([
    ['main', 'room://cloud.tencent.com/rtc?userid=p0a1b2c3d4e&streamtype=main'],
    ['aux', 'room://cloud.tencent.com/rtc?userid=p0a1b2c3d4e&streamtype=aux'],
  ] as const)('%s stream, as the native side generates it', (type, url) => {
    expect(buildTrtcPlayUrl('p0a1b2c3d4e', type)).toBe(url)
    expect(parseTrtcPlayUrl(url)).toEqual({ userId: 'p0a1b2c3d4e', streamType: type })
  })

  test("trtc-room's older form is read too", () => {
    expect(parseTrtcPlayUrl('room://rtc.tencent.com?userid=xxx&streamtype=main')).toEqual({ userId: 'xxx', streamType: 'main' })
    expect(isTrtcUrl('room://rtc.tencent.com?userid=xxx&streamtype=main')).toBe(true)
    expect(isTrtcUrl('http://127.0.0.1:8000/live/s.flv')).toBe(false)
  })
})

describe('pusher room events (bindstatechange code + message)', () => {
  const url = (u: string, t = 'main'): string => `room://cloud.tencent.com/rtc?userid=${u}&streamtype=${t}`
  const cases: [string, number, unknown, TrtcRoomEvent][] = [
    ['1018 entered, with its time cost', 1018, 'onEnterRoom success, time cost[235]', { kind: 'entered', costMs: 235 }],
    ['1018 without a readable cost', 1018, '', { kind: 'entered', costMs: null }],
    ['1019 reason[0]: left normally', 1019, 'onExitRoom reason[0]', { kind: 'left', reason: 0, kicked: false }],
    ['1019 reason[1]: removed (KICKED_OUT)', 1019, 'onExitRoom reason[1]', { kind: 'left', reason: 1, kicked: true }],
    ['1019 reason[2]: room dismissed', 1019, 'onExitRoom reason[2]', { kind: 'left', reason: 2, kicked: true }],
    ['1019 without a reason', 1019, undefined, { kind: 'left', reason: null, kicked: false }],
    ['1021 re-enter', 1021, 'network type changed', { kind: 'reenter' }],
    ['1022 enter failed with its code', 1022, 'onEnterRoom failed, error code[-100013]', { kind: 'enter_failed', errorCode: -100013 }],
    ['-3301 enter failed', -3301, 'enter room failed', { kind: 'enter_failed', errorCode: -3301 }],
    ['-100018 bad UserSig', -100018, 'userSig is invalid', { kind: 'bad_credentials' }],
    ['1031 one user entered', 1031, '{"userlist":[{"userid":"pA"}]}', { kind: 'users_entered', userIds: ['pA'] }],
    ['1031 two users', 1031, '{"userlist":[{"userid":"pA"},{"userid":"pB"}]}', { kind: 'users_entered', userIds: ['pA', 'pB'] }],
    ['1032 a user left', 1032, '{"userlist":[{"userid":"pA"}]}', { kind: 'users_left', userIds: ['pA'] }],
    [
      '1033 video on, main stream',
      1033,
      `{"userlist":[{"userid":"pA","playurl":"${url('pA')}","streamtype":"main","hasvideo":true}]}`,
      { kind: 'video', changes: [{ userId: 'pA', playUrl: url('pA'), streamType: 'main', hasVideo: true }] },
    ],
    [
      '1033 video off, aux stream',
      1033,
      `{"userlist":[{"userid":"pA","playurl":"${url('pA', 'aux')}","streamtype":"aux","hasvideo":false}]}`,
      { kind: 'video', changes: [{ userId: 'pA', playUrl: url('pA', 'aux'), streamType: 'aux', hasVideo: false }] },
    ],
    [
      '1034 audio on (no streamtype: main)',
      1034,
      `{"userlist":[{"userid":"pB","playurl":"${url('pB')}","hasaudio":true}]}`,
      { kind: 'audio', changes: [{ userId: 'pB', playUrl: url('pB'), streamType: 'main', hasAudio: true }] },
    ],
    [
      '1034 audio off given as 0',
      1034,
      `{"userlist":[{"userid":"pB","playurl":"${url('pB')}","hasaudio":0}]}`,
      { kind: 'audio', changes: [{ userId: 'pB', playUrl: url('pB'), streamType: 'main', hasAudio: false }] },
    ],
    ['1031 with the object passed as is (not a string)', 1031, { userlist: [{ userid: 'pC' }] }, { kind: 'users_entered', userIds: ['pC'] }],
    [
      '1020 full list, two arrays (key names unverified; the stream type from the playurl)',
      1020,
      `{"userlist":[{"userid":"pA","playurl":"${url('pA')}"}],"auxlist":[{"userid":"pA","playurl":"${url('pA', 'aux')}"}]}`,
      {
        kind: 'user_list',
        users: [
          { userId: 'pA', playUrl: url('pA'), streamType: 'main' },
          { userId: 'pA', playUrl: url('pA', 'aux'), streamType: 'aux' },
        ],
      },
    ],
  ]
  test.each(cases)('%s', (_name, code, message, event) => {
    const warn = jest.fn()
    expect(parseTrtcRoomEvent(code, message, warn)).toEqual(event)
    expect(warn).not.toHaveBeenCalled()
  })

  test.each([1001, 1002, 1101, 1102, 5000, 5001, -1307, 2004])('%d is not a room event: null, silently', (code) => {
    const warn = jest.fn()
    expect(parseTrtcRoomEvent(code, 'whatever', warn)).toBeNull()
    expect(warn).not.toHaveBeenCalled()
  })

  const malformed: [string, number, unknown, RegExp][] = [
    ['1031 not JSON', 1031, '{"userlist":[{"userid":', /^\[trtc\] 1031: message is not JSON/],
    ['1032 no message at all', 1032, undefined, /^\[trtc\] 1032: no "userlist" array/],
    ['1033 userlist not an array', 1033, '{"userlist":{"userid":"pA"}}', /^\[trtc\] 1033: no "userlist" array/],
    ['1034 JSON null', 1034, 'null', /^\[trtc\] 1034: no "userlist" array/],
    ['1020 a number', 1020, '42', /^\[trtc\] 1020: message is not an object/],
    ['1020 not JSON', 1020, 'users: pA', /^\[trtc\] 1020: message is not JSON/],
  ]
  test.each(malformed)('malformed: %s → null and one clear log line', (_name, code, message, line) => {
    const warn = jest.fn()
    expect(parseTrtcRoomEvent(code, message, warn)).toBeNull()
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toMatch(line)
  })

  test('bad entries are skipped with a line each, good ones kept', () => {
    const warn = jest.fn()
    const message = JSON.stringify({
      userlist: [{ userid: 'pA', hasvideo: true }, { playurl: 'x', hasvideo: true }, { userid: 'pB' }, null, { userid: 'pC', hasvideo: 'yes' }],
    })
    expect(parseTrtcRoomEvent(1033, message, warn)).toEqual({ kind: 'video', changes: [{ userId: 'pA', playUrl: '', streamType: 'main', hasVideo: true }] })
    expect(warn.mock.calls.map((c: unknown[]) => c[0])).toEqual([
      expect.stringMatching(/^\[trtc\] 1033: userlist entry without a userid, skipped: \{"playurl"/),
      expect.stringMatching(/^\[trtc\] 1033: userlist entry without a userid, skipped: null/),
      expect.stringMatching(/^\[trtc\] 1033: entry without a boolean "hasvideo", skipped: \{"userid":"pB"\}/),
      expect.stringMatching(/^\[trtc\] 1033: entry without a boolean "hasvideo", skipped: \{"userid":"pC"/),
    ])
  })

  test('a hostile payload (throwing getter) is logged, never thrown', () => {
    const warn = jest.fn()
    const hostile = { get userlist(): unknown { throw new Error('boom') } }
    expect(parseTrtcRoomEvent(1031, hostile, warn)).toBeNull()
    expect(warn.mock.calls[0][0]).toMatch(/^\[trtc\] 1031: payload could not be read \(boom\)/)
  })

  test('a long payload is cut in the log line', () => {
    const warn = jest.fn()
    parseTrtcRoomEvent(1031, `not json ${'x'.repeat(5000)}`, warn)
    expect((warn.mock.calls[0][0] as string).length).toBeLessThan(300)
  })
})
