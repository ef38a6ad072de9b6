/** What the room-client tests share: polling the stores, and clients joined and connected against a real service. */
import { RoomClient, type BackoffOptions } from '../../src/services/room-client'
import { createMeetingStore, type MeetingStore } from '../../src/store'

/** Resolve when `check` holds, polling the stores (events arrive asynchronously). */
export async function until(check: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The clients a test file makes: disposed after each test. */
export function clientsDisposedAfterEach(): RoomClient[] {
  const clients: RoomClient[] = []
  afterEach(() => {
    clients.splice(0).forEach((c) => c.dispose())
  })
  return clients
}

export interface JoinedClient {
  readonly client: RoomClient
  readonly store: MeetingStore
  readonly id: string
}

export interface JoinOptions {
  readonly hostKey?: string
  readonly backoff?: BackoffOptions
  /** The client's store, when the test prepared one (a new store otherwise). */
  readonly store?: MeetingStore
  /** Runs before the join (handlers to set on the client). */
  readonly prepare?: (client: RoomClient, store: MeetingStore) => void
}

/** A client with its own store, joined to `meetingId` and connected (its socket welcomed); kept in `clients`. */
export async function joinConnected(
  serviceUrl: string,
  clients: RoomClient[],
  meetingId: string,
  nickname: string,
  options: JoinOptions = {},
): Promise<JoinedClient> {
  const store = options.store ?? createMeetingStore()
  const client = new RoomClient({ serviceUrl, store, ...(options.backoff !== undefined ? { backoff: options.backoff } : {}) })
  clients.push(client)
  options.prepare?.(client, store)
  await client.join(meetingId, { nickname, hostKey: options.hostKey })
  await until(() => store.getState().session.connection === 'connected', `${nickname} connected`)
  return { client, store, id: client.participantId as string }
}
