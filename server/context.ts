/** What request handlers share: configuration, the rooms and their store, signing, media, the clock. */
import type { TokenSigner } from './auth/token'
import type { Config } from './config'
import type { MediaProvider } from './media'
import type { OpenFileBudget } from './open-files'
import type { RoomRegistry } from './rooms/registry'
import type { StateStore } from './state/store'

export interface ServiceContext {
  readonly config: Config
  readonly registry: RoomRegistry
  /** Where meetings live (memory, or Redis shared with other instances). */
  readonly store: StateStore
  /** This process's instance id (liveness key, member records). */
  readonly instance: string
  readonly tokens: TokenSigner
  readonly media: MediaProvider
  readonly now: () => number
  /** Whether a newcomer's socket still fits under the open-file limit. */
  readonly openFiles: OpenFileBudget
}
