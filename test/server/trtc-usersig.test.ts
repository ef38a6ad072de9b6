/**
 * TLS 2.0 UserSig and PrivateMapKey: the pinned vector from the issue and
 * shared/reference/trtc.md §3 (TLS.sig and the decoded JSON, never the zlib
 * string), and the same inputs through Tencent's own npm package
 * `tls-sig-api-v2` with its clock pinned, decoded and compared field by field.
 */
import {
  decodeTlsSig,
  genPrivateMapKey,
  genUserSig,
  privateMapKeyUserbuf,
  tlsSignature,
  TRTC_PRIVILEGES,
} from '../../server/media/trtc-usersig'
import { deflateSync } from 'node:zlib'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const TencentTls = require('tls-sig-api-v2/TLSSigAPIv2.js') as {
  Api: new (sdkappid: number, key: string) => {
    genUserSig(userid: string, expire: number): string
    genPrivateMapKey(userid: string, expire: number, roomid: number, privilegeMap: number): string
    genPrivateMapKeyWithStringRoomID(userid: string, expire: number, roomstr: string, privilegeMap: number): string
  }
}

const SDK_APP_ID = 1400000000
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
const TIME = 1700000000
const base = { sdkAppId: SDK_APP_ID, secretKey: KEY, userId: 'xiaojun', time: TIME }

/** Run Tencent's package with its clock at TIME. */
function withTencentClock<T>(run: () => T): T {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(TIME * 1000)
  try {
    return run()
  } finally {
    spy.mockRestore()
  }
}

describe('UserSig', () => {
  test('the pinned vector: xiaojun, 1700000000, 86400 → TLS.sig SNF4…LlVc= and this JSON', () => {
    const sig = genUserSig({ ...base, expireS: 86400 })
    expect(decodeTlsSig(sig)).toEqual({
      'TLS.ver': '2.0',
      'TLS.identifier': 'xiaojun',
      'TLS.sdkappid': 1400000000,
      'TLS.time': 1700000000,
      'TLS.expire': 86400,
      'TLS.sig': 'SNF4FmVCPucoXsBOpbVF3fFCf57JPm0ezZ1jeVILlVc=',
    })
  })

  test('only URL-safe characters (A–Z a–z 0–9 * - _), so it goes into room:// unencoded', () => {
    for (const userId of ['xiaojun', 'p0123456789', 'a'.repeat(32)]) {
      expect(genUserSig({ ...base, userId, expireS: 86400 })).toMatch(/^[A-Za-z0-9*_-]+$/)
    }
  })

  test.each([
    ['the vector', 'xiaojun', 86400],
    ['a participant id', 'p9f3c2a1b0d', 3600],
    ['a long lifetime', 'p0000000001', 180 * 86400],
  ])("decodes to what Tencent's tls-sig-api-v2 produces: %s", (_name, userId, expireS) => {
    const theirs = withTencentClock(() => new TencentTls.Api(SDK_APP_ID, KEY).genUserSig(userId, expireS))
    expect(decodeTlsSig(genUserSig({ ...base, userId, expireS }))).toEqual(decodeTlsSig(theirs))
  })

  test('another key gives another TLS.sig', () => {
    const a = decodeTlsSig(genUserSig({ ...base, expireS: 86400 }))
    const b = decodeTlsSig(genUserSig({ ...base, secretKey: `${KEY.slice(0, -1)}f`, expireS: 86400 }))
    expect(b['TLS.sig']).not.toBe(a['TLS.sig'])
  })

  const wrap = (json: string): string => deflateSync(Buffer.from(json)).toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_')
  test.each([['not base64 zlib', 'hello'], ['JSON without TLS.ver', wrap('{"TLS.sig":"x"}')], ['JSON null', wrap('null')]])(
    'decode refuses %s',
    (_name, value) => {
      expect(() => decodeTlsSig(value)).toThrow()
    },
  )
})

describe('PrivateMapKey', () => {
  test('the reference userbuf vector: room 10000, expire 300, privileges 255', () => {
    const userbuf = privateMapKeyUserbuf({ ...base, roomId: 10000, expireS: 300, privileges: 255 })
    expect(userbuf.toString('hex')).toBe('0000077869616f6a756e53724e00000027106553f22c000000ff00000000')
    expect(tlsSignature({ ...base, expireS: 300 }, userbuf.toString('base64'))).toBe('0+M4K64lITF5k+8jtQGalx0fgxd1aweZx0fZYfdnvZk=')
  })

  test("the reference vector through Tencent's package: TLS.sig 0+M4…dnvZk=", () => {
    const theirs = withTencentClock(() => new TencentTls.Api(SDK_APP_ID, KEY).genPrivateMapKey('xiaojun', 300, 10000, 255))
    expect(decodeTlsSig(theirs)).toEqual({
      'TLS.ver': '2.0',
      'TLS.identifier': 'xiaojun',
      'TLS.sdkappid': 1400000000,
      'TLS.time': 1700000000,
      'TLS.expire': 300,
      'TLS.userbuf': Buffer.from('0000077869616f6a756e53724e00000027106553f22c000000ff00000000', 'hex').toString('base64'),
      'TLS.sig': '0+M4K64lITF5k+8jtQGalx0fgxd1aweZx0fZYfdnvZk=',
    })
  })

  test('string rooms: cVer 1, room id 0, the room string at the end; same as Tencent\'s genPrivateMapKeyWithStringRoomID', () => {
    const input = { ...base, userId: 'p0a1b2c3d4e', strRoomId: '123456789', expireS: 86400, privileges: 0b10111011 }
    const ours = decodeTlsSig(genPrivateMapKey(input))
    const theirs = decodeTlsSig(
      withTencentClock(() => new TencentTls.Api(SDK_APP_ID, KEY).genPrivateMapKeyWithStringRoomID(input.userId, 86400, '123456789', input.privileges)),
    )
    expect(ours).toEqual(theirs)
    const userbuf = Buffer.from(ours['TLS.userbuf'] as string, 'base64')
    expect(userbuf.readUInt8(0)).toBe(1)
    expect(userbuf.readUInt32BE(3 + 11 + 4)).toBe(0)
    expect(userbuf.readUInt32BE(3 + 11 + 8)).toBe(TIME + 86400)
    expect(userbuf.readUInt32BE(3 + 11 + 12)).toBe(0b10111011)
    expect(userbuf.subarray(userbuf.length - 9).toString()).toBe('123456789')
  })

  test('the privilege bits are the documented ones (255 = all, 42 = enter + receive)', () => {
    const all = Object.values(TRTC_PRIVILEGES).reduce((a, b) => a | b, 0)
    expect(all).toBe(255)
    expect(TRTC_PRIVILEGES.enterRoom | TRTC_PRIVILEGES.receiveAudio | TRTC_PRIVILEGES.receiveVideo).toBe(42)
  })
})
