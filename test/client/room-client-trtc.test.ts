/**
 * The room client with the `trtc` provider, against a real room service on
 * loopback (its TRTC REST API the signature-checking fake): what it does with
 * `media_credentials` — new privileges (a host mute) and the answer to its
 * own `renew_media_credentials` switch the push URL now; a renewal waits for
 * the pusher's next entry (the media session calls useRenewedMediaCredentials).
 * Only server entry points that exist on main too: the public API and sockets.
 */
import { RoomClient } from '../../src/services/room-client'
import { clientsDisposedAfterEach, joinConnected, until, type JoinedClient } from './helpers'
import { parseTrtcPushUrl } from '../../src/core/trtc'
import { TRTC_PRIVILEGES as P } from '../../server/media/trtc-usersig'
import type { RunningService } from '../../server/service'
import { startFakeTrtcApi, type FakeTrtcApi } from '../server/helpers/fake-trtc-api'
import { startTestService } from '../server/helpers/service'
import { API_ID, API_KEY, FULL, privilegesOf, trtcEnv } from '../server/helpers/trtc'


let fake: FakeTrtcApi
let service: RunningService
const clients = clientsDisposedAfterEach()

beforeAll(async () => {
  fake = await startFakeTrtcApi(API_ID, API_KEY)
  service = await startTestService(trtcEnv(fake.url))
})
afterAll(async () => {
  await service.stop()
  await fake.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const join = (meetingId: string, nickname: string, hostKey?: string): Promise<JoinedClient> =>
  joinConnected(service.url, clients, meetingId, nickname, { hostKey })

async function meeting() {
  const { meetingId, hostKey } = await RoomClient.createMeeting(service.url)
  const host = await join(meetingId, 'Host', hostKey)
  const guest = await join(meetingId, 'Guest')
  return { meetingId, host, guest }
}

test('a host mute: the muted participant’s push URL switches at once to a key without send-audio', async () => {
  const { host, guest } = await meeting()
  const before = guest.store.getState().publisher.pushUrl
  expect(privilegesOf(before)).toBe(FULL)
  await host.client.muteMic(guest.id)
  await until(() => guest.store.getState().publisher.pushUrl !== before, 'the new push URL')
  expect(privilegesOf(guest.store.getState().publisher.pushUrl)).toBe(FULL & ~P.sendAudio)
  expect(guest.store.getState().publisher.mutedByHost).toBe(true)
})

test('renew_media_credentials: the answer switches the push URL (a new UserSig) at once', async () => {
  const { guest } = await meeting()
  const before = guest.store.getState().publisher.pushUrl
  // UserSigs are signed to the second.
  await sleep(1_100)
  guest.client.renewMediaCredentials()
  await until(() => guest.store.getState().publisher.pushUrl !== before, 'the renewed push URL')
  const after = parseTrtcPushUrl(guest.store.getState().publisher.pushUrl)
  expect(after?.userSig).not.toBe(parseTrtcPushUrl(before)?.userSig)
  expect(after?.userId).toBe(guest.id)
})

test('a renewal is kept for the next entry: the live pusher keeps its URL until useRenewedMediaCredentials', async () => {
  const { guest } = await meeting()
  const before = guest.store.getState().publisher.pushUrl
  const renewed = before.replace(/usersig=[^&]+/, 'usersig=renewedSig')
  // The frame the service sends at half the credentials' lifetime (protocol §7.4; its sweep and
  // signing are the server tests'), handed to the client as its socket would (the service renews
  // 30 s into a 60 s lifetime at the earliest, too long to wait for here).
  const frame = { type: 'media_credentials', reason: 'renewal', pushUrl: renewed, pushUrlExpiresAt: Date.now() + 86_400_000 }
  ;(guest.client as unknown as { onMessage(text: string): void }).onMessage(JSON.stringify(frame))
  expect(guest.store.getState().publisher.pushUrl).toBe(before)
  guest.client.useRenewedMediaCredentials()
  expect(guest.store.getState().publisher.pushUrl).toBe(renewed)
  // Once: nothing is pending any more.
  guest.store.getState().pushCredentialsChanged(before)
  guest.client.useRenewedMediaCredentials()
  expect(guest.store.getState().publisher.pushUrl).toBe(before)
})

test.each([
  [1, 'removed'],
  [2, 'ended_by_host'],
] as const)('TRTC put the user out (1019 reason %i): the session ends as %s and the others see it leave', async (reason, ended) => {
  const { host, guest } = await meeting()
  await until(() => host.store.getState().participants.order.includes(guest.id), 'the host to see the guest')
  guest.client.removedFromMedia(reason)
  expect(guest.store.getState().session.ended).toBe(ended)
  await until(() => !host.store.getState().participants.order.includes(guest.id), 'the host to see the guest go')
})
