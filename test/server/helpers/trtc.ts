/** The `trtc` provider's test environment (sentinel keys, a loopback TRTC API) and a reader for what a push URL grants. */
import { decodeTlsSig, TRTC_PRIVILEGES } from '../../../server/media/trtc-usersig'
import { parseTrtcPushUrl } from '../../../src/core/trtc'

export const SDK_APP_ID = 1400000000
export const TRTC_KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e'
export const API_ID = 'AKIDtestTRTC00000000000000000000000'
export const API_KEY = 'testApiSecretKey0123456789abcdef'
const P = TRTC_PRIVILEGES
/** What everyone may do: create, enter, send audio and video, receive all; never send aux. */
export const FULL = P.createRoom | P.enterRoom | P.sendAudio | P.sendVideo | P.receiveAudio | P.receiveVideo | P.receiveAux

export const trtcEnv = (endpoint: string): Record<string, string> => ({
  MEDIA_PROVIDER: 'trtc',
  TRTC_SDK_APP_ID: String(SDK_APP_ID),
  TRTC_SECRET_KEY: TRTC_KEY,
  TENCENTCLOUD_SECRET_ID: API_ID,
  TENCENTCLOUD_SECRET_KEY: API_KEY,
  TRTC_API_ENDPOINT: endpoint,
})

/** The privileges a push URL's PrivateMapKey grants, read from its userbuf. */
export function privilegesOf(pushUrl: string): number {
  const params = parseTrtcPushUrl(pushUrl)
  if (params === null) throw new Error(`not a TRTC push URL: ${pushUrl}`)
  const userbuf = Buffer.from(decodeTlsSig(params.privateMapKey)['TLS.userbuf'] as string, 'base64')
  const accountLength = userbuf.readUInt16BE(1)
  return userbuf.readUInt32BE(3 + accountLength + 12)
}
