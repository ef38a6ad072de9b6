import { MASK, redactStreamUrl } from '@/core/redact'
import { buildTrtcPushUrl } from '@/core/trtc'
import { signedQuery } from '../../../server/media/tencent-sign'

describe('redactStreamUrl', () => {
  test.each<[string, string, string]>([
    [
      'a URL-signed rtmp push: host and stream name stay, txSecret/txTime are masked',
      'rtmp://push.example.com/live/m123456789_p1?txSecret=0123456789abcdef0123456789abcdef&txTime=6A1B2C3D',
      'rtmp://push.example.com/…/m123456789_p1?txSecret=***&txTime=***',
    ],
    [
      'an flv play URL with our own token',
      'http://127.0.0.1:8000/live/m1_p2.flv?token=eyJhbGciOi.secret.part&foo=bar',
      'http://127.0.0.1:8000/…/m1_p2.flv?token=***&foo=bar',
    ],
    [
      'a TRTC push: room and user ids stay, userSig and privateMapKey are masked',
      'room://cloud.tencent.com/rtc?sdkappid=1400000001&strroomid=m1&userid=p1&usersig=eJwsecret&appscene=videocall&privatemapkey=eJwkey&recvmode=1',
      'room://cloud.tencent.com/rtc?sdkappid=1400000001&strroomid=m1&userid=p1&usersig=***&appscene=videocall&privatemapkey=***&recvmode=1',
    ],
    ['keys compared without case', 'rtmp://h/live/s?TXSECRET=abc&UserSig=def', 'rtmp://h/…/s?TXSECRET=***&UserSig=***'],
    ['a percent-encoded key is still recognised', 'rtmp://h/live/s?tx%53ecret=abc', 'rtmp://h/…/s?tx%53ecret=***'],
    ['credentials in the authority are dropped', 'rtmp://user:pass@h.example.com/live/s', 'rtmp://h.example.com/…/s'],
    ['a single path segment is kept whole', 'http://h/s.flv', 'http://h/s.flv'],
    ['no path, no query', 'http://h', 'http://h'],
    ['a fragment is dropped', 'http://h/live/s?a=1#token=x', 'http://h/…/s?a=1'],
    ['a key without a value is kept as is', 'http://h/live/s?debug&token=t', 'http://h/…/s?debug&token=***'],
    ['an empty address stays empty', '', ''],
    ['something that is not a URL is masked whole', 'txSecret=abc', MASK],
    ['a relative path is masked whole', '/live/s?token=x', MASK],
  ])('%s', (_name, url, expected) => {
    expect(redactStreamUrl(url)).toBe(expected)
  })

  test('a non-string never throws', () => {
    expect(redactStreamUrl(undefined as unknown as string)).toBe('')
    expect(redactStreamUrl(42 as unknown as string)).toBe('')
  })

  test('the secrets of a URL the room service really signs never survive', () => {
    const query = signedQuery('a-push-key', 'm123_p1', Date.UTC(2030, 0, 1))
    const secret = /txSecret=([0-9a-f]+)/.exec(query)?.[1] as string
    const txTime = /txTime=([0-9A-F]+)/.exec(query)?.[1] as string
    const shown = redactStreamUrl(`rtmp://push.example.com/live/m123_p1?${query}`)
    expect(shown).not.toContain(secret)
    expect(shown).not.toContain(txTime)
    expect(shown).toContain('m123_p1')
  })

  test('the credentials of a room:// URL our builder makes never survive', () => {
    const url = buildTrtcPushUrl({ sdkAppId: 1400000001, strRoomId: 'm1', userId: 'p1', userSig: 'eJyrVkrOz-SIG', privateMapKey: 'eJyrPMK-KEY' })
    const shown = redactStreamUrl(url)
    expect(shown).not.toContain('eJyrVkrOz-SIG')
    expect(shown).not.toContain('eJyrPMK-KEY')
    expect(shown).toContain('userid=p1')
  })
})
