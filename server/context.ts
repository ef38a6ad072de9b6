/** What request handlers share: configuration, the rooms, signing, media, the clock. */
import type { TokenSigner } from './auth/token'
import type { Config } from './config'
import type { MediaProvider } from './media'
import type { OpenFileBudget } from './open-files'
import type { RoomRegistry } from './rooms/registry'

export interface ServiceContext {
  readonly config: Config
  readonly registry: RoomRegistry
  readonly tokens: TokenSigner
  readonly media: MediaProvider
  readonly now: () => number
  /** Whether a newcomer's socket still fits under the open-file limit. */
  readonly openFiles: OpenFileBudget
}
