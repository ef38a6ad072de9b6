/** What request handlers share: configuration, the rooms, signing, media, the clock. */
import type { TokenSigner } from './auth/token'
import type { Config } from './config'
import type { MediaProvider } from './media'
import type { RoomRegistry } from './rooms/registry'

export interface ServiceContext {
  readonly config: Config
  readonly registry: RoomRegistry
  readonly tokens: TokenSigner
  readonly media: MediaProvider
  readonly now: () => number
}
