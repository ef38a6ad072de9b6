/**
 * The room service of a bench:ui run: test/weapp's, with room for 25 remote
 * participants and the page's user in one meeting (the bench's largest room).
 */
import { startWeappService } from '../../test/weapp/global-setup'

export default async function globalSetup(): Promise<void> {
  await startWeappService({ CAPACITY: '32' })
}
