/**
 * The `trtc` provider's test setup, shared by the server tests and the
 * compiled mini-program scenario: Tencent's documented UserSig vector key,
 * API credentials for the loopback fake API (fake-trtc-api.ts), the
 * service's environment, and reading a push URL's PrivateMapKey privileges.
 */
import { decodeTlsSig } from '../../../server/media/trtc-usersig'
import { parseTrtcPushUrl } from '../../../src/core/trtc'

export const SDK_APP_ID = 1400000000
export const TRTC_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
export const API_ID = 'AKIDtestTRTC00000000000000000000000'
export const API_KEY = 'testApiSecretKey0123456789abcdef'

/** The room service's environment for the trtc provider, its TRTC API at `endpoint`. */
export const trtcEnv = (endpoint: string): Record<string, string> => ({
  MEDIA_PROVIDER: 'trtc',
  TRTC_SDK_APP_ID: String(SDK_APP_ID),
  TRTC_SECRET_KEY: TRTC_KEY,
  TENCENTCLOUD_SECRET_ID: API_ID,
  TENCENTCLOUD_SECRET_KEY: API_KEY,
  TRTC_API_ENDPOINT: endpoint,
})

/** The privileges a push URL's PrivateMapKey grants, read from its userbuf (layout: docs/protocol.md §7.4, reference §3). */
export function privilegesOf(pushUrl: string): number {
  const params = parseTrtcPushUrl(pushUrl)
  if (params === null) throw new Error(`not a TRTC push URL: ${pushUrl}`)
  const userbuf = Buffer.from(decodeTlsSig(params.privateMapKey)['TLS.userbuf'] as string, 'base64')
  const accountLength = userbuf.readUInt16BE(1)
  return userbuf.readUInt32BE(3 + accountLength + 12)
}
