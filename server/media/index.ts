/** Picks the media provider named by the configuration. */
import type { MediaConfig } from '../config'
import type { Logger } from '../logger'
import { LocalMediaProvider } from './local'
import type { MediaProvider } from './provider'
import { TencentCssProvider } from './tencent-css'
import { TrtcProvider } from './trtc'

export type { MediaProvider, MediaSubject, StreamUrls } from './provider'

export function createMediaProvider(config: MediaConfig, log: Logger): MediaProvider {
  switch (config.provider) {
    case 'local':
      return new LocalMediaProvider(config, log)
    case 'tencent-css':
      return new TencentCssProvider(config, log)
    case 'trtc':
      return new TrtcProvider(config, log)
  }
}
