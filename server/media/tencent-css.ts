/**
 * Tencent Cloud Live (CSS) provider: URLs in Tencent's documented formats
 * (自主拼装直播URL), signed with the domains' anti-leech keys from the
 * environment. Tencent checks them on its edge; nothing runs locally.
 */
import type { TencentMediaConfig } from '../config'
import type { Logger } from '../logger'
import type { MediaProvider, StreamUrls } from './provider'
import { signedQuery } from './tencent-sign'

export class TencentCssProvider implements MediaProvider {
  readonly kind = 'tencent-css'

  constructor(
    private readonly config: TencentMediaConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /**
   * push: `rtmp://<push-domain>/<app>/<stream>?txSecret=…&txTime=…`;
   * play: `https://<play-domain>/<app>/<stream>.flv[?txSecret=…&txTime=…]` (unsigned without a play key).
   */
  urls(streamName: string, expiresAt: number): StreamUrls {
    const { pushDomain, playDomain, app, pushKey, playKey, playScheme } = this.config
    const pushUrl = `rtmp://${pushDomain}/${app}/${streamName}?${signedQuery(pushKey, streamName, expiresAt)}`
    const playQuery = playKey === undefined ? '' : `?${signedQuery(playKey, streamName, expiresAt)}`
    const playUrl = `${playScheme}://${playDomain}/${app}/${streamName}.flv${playQuery}`
    return { pushUrl, playUrl, expiresAt }
  }

  /**
   * Not enforced: cutting a live Tencent stream needs the cloud API
   * (DropLiveStream / ForbidLiveStream) and API credentials, which this
   * service does not hold. The stream name is unique per join and the room
   * no longer lists it, so nobody is given its play URL again.
   */
  revoke(streamName: string): void {
    this.log.debug({ streamName }, 'revoke not enforced by the tencent-css provider')
  }

  describe(): string {
    return `tencent-css: push rtmp://${this.config.pushDomain}/${this.config.app}/…, play ${this.config.playScheme}://${this.config.playDomain}/${this.config.app}/….flv`
  }
}
