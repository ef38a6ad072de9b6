/**
 * The app's room client (src/services/room-client.ts) against a real room
 * service on loopback: real HTTP and WebSockets, each client with its own
 * store, exactly as two phones would run it.
 */
import { RoomClient, RoomError } from '../../src/services/room-client'
import { createMeetingStore, type MeetingStore } from '../../src/store'
import type { RunningService } from '../../server/service'
import { startTestService } from '../server/helpers/service'
import { openedSockets } from '../mocks/taro-node'
import { clientsDisposedAfterEach, until } from './helpers'

let service: RunningService
const clients = clientsDisposedAfterEach()

beforeAll(async () => {
  service = await startTestService({ RESUME_GRACE_MS: '5000' })
})
afterAll(async () => {
  await service.stop()
})
function newClient(): { client: RoomClient; store: MeetingStore } {
  const store = createMeetingStore()
  const client = new RoomClient({ serviceUrl: service.url, store, backoff: { baseMs: 50, maxMs: 200 } })
  clients.push(client)
  return { client, store }
}

async function meetingWithHost(nickname = 'Host') {
  const { meetingId, hostKey } = await RoomClient.createMeeting(service.url)
  const host = newClient()
  await host.client.join(meetingId, { nickname, hostKey })
  await until(() => host.store.getState().session.connection === 'connected', 'host connected')
  return { meetingId, host }
}

async function joinAs(meetingId: string, nickname: string) {
  const guest = newClient()
  await guest.client.join(meetingId, { nickname })
  await until(() => guest.store.getState().session.connection === 'connected', `${nickname} connected`)
  return guest
}

test('two clients join a meeting and see each other, with the right roles and presets', async () => {
  const { meetingId, host } = await meetingWithHost('主持人')
  const guest = await joinAs(meetingId, '参会者')
  await until(() => host.store.getState().participants.order.length === 1, 'host sees guest')

  const h = host.store.getState()
  const g = guest.store.getState()
  expect(h.publisher).toMatchObject({ role: 'host', presetId: 'meeting-host', maxBitrateKbps: 1000 })
  expect(g.publisher).toMatchObject({ role: 'participant', presetId: 'meeting-participant', maxBitrateKbps: 300 })
  expect(h.publisher.pushUrl).toMatch(/^rtmp:\/\/.*txSecret=[0-9a-f]{32}&txTime=[0-9A-F]+$/)
  const guestSeenByHost = h.participants.byId[h.participants.order[0]]
  expect(guestSeenByHost).toMatchObject({ nickname: '参会者', role: 'participant' })
  expect(g.participants.order).toHaveLength(1)
  expect(g.participants.byId[g.participants.order[0]]).toMatchObject({ nickname: '主持人', role: 'host' })
  expect(guestSeenByHost.playUrl).toMatch(/txSecret=/)
  expect(g.session).toMatchObject({ meetingId, hostId: host.client.participantId })
})

test('a participant turning the camera off is seen by the others', async () => {
  const { meetingId, host } = await meetingWithHost()
  const guest = await joinAs(meetingId, 'Guest')
  guest.store.getState().cameraToggled()
  const guestId = guest.client.participantId as string
  await until(() => host.store.getState().participants.byId[guestId]?.cameraOn === false, 'camera off seen')
})

test('the host mutes, then removes a participant; a non-host cannot', async () => {
  const { meetingId, host } = await meetingWithHost()
  const guest = await joinAs(meetingId, 'Guest')
  const guestId = guest.client.participantId as string
  const hostId = host.client.participantId as string

  await expect(guest.client.muteMic(hostId)).rejects.toMatchObject({ code: 'not_host' })
  await expect(guest.client.removeParticipant(hostId)).rejects.toBeInstanceOf(RoomError)

  await host.client.muteMic(guestId)
  await until(() => guest.store.getState().publisher.mutedByHost, 'guest muted')
  expect(guest.store.getState().publisher.micOn).toBe(false)
  guest.store.getState().micToggled()
  expect(guest.store.getState().publisher.micOn).toBe(false)
  expect(guest.store.getState().ui.notices.map((n) => n.text['zh-CN'])).toContain('主持人已将你静音')
  await until(() => host.store.getState().participants.byId[guestId]?.mutedByHost === true, 'host sees mute')

  await host.client.removeParticipant(guestId)
  await until(() => guest.store.getState().session.ended === 'removed', 'guest removed')
  await until(() => host.store.getState().participants.order.length === 0, 'host sees removal')
})

test('a client whose socket is cut resumes as the same participant, without the others seeing it leave', async () => {
  const { meetingId, host } = await meetingWithHost()
  const guest = await joinAs(meetingId, 'Guest')
  const guestId = guest.client.participantId as string
  await until(() => host.store.getState().participants.order.includes(guestId), 'host sees guest')
  const orders: string[][] = []
  host.store.subscribe((s) => s.participants.order, (order) => orders.push([...order]))

  const guestSocket = openedSockets.at(-1)
  expect(guestSocket).toBeDefined()
  guestSocket?.terminate() // the network drops: no close frame
  await until(() => guest.store.getState().session.connection === 'reconnecting', 'reconnecting')
  await until(() => guest.store.getState().session.connection === 'connected', 'resumed')

  expect(guest.client.participantId).toBe(guestId)
  expect(host.store.getState().participants.order).toEqual([guestId])
  expect(orders).toEqual([]) // no left/joined flicker
  // Still a working session: the host can act on it.
  await host.client.muteMic(guestId)
  await until(() => guest.store.getState().publisher.mutedByHost, 'muted after resume')
})

test('joining a meeting that does not exist fails clearly and changes nothing', async () => {
  const { client, store } = newClient()
  const before = store.getState().participants
  await expect(client.join('999999999', { nickname: 'Nobody' })).rejects.toMatchObject({ code: 'unknown_meeting' })
  expect(store.getState().participants).toBe(before)
  expect(store.getState().publisher.selfId).toBeNull()
  expect(store.getState().session.connection).toBe('idle')
})

test('a bad nickname is refused with its code', async () => {
  const { meetingId } = await meetingWithHost()
  const { client } = newClient()
  await expect(client.join(meetingId, { nickname: '   ' })).rejects.toMatchObject({ code: 'nickname_invalid' })
})

test('an unreachable service is a network error, not a crash', async () => {
  const store = createMeetingStore()
  const client = new RoomClient({ serviceUrl: 'http://127.0.0.1:9', store })
  clients.push(client)
  await expect(client.join('123456789', { nickname: 'A' })).rejects.toMatchObject({ code: 'network' })
})

test('the host ends the meeting for everyone', async () => {
  const { meetingId, host } = await meetingWithHost()
  const guest = await joinAs(meetingId, 'Guest')
  await host.client.endMeeting()
  await until(() => guest.store.getState().session.ended === 'ended_by_host', 'guest told')
  await until(() => host.store.getState().session.ended === 'ended_by_host', 'host told')
})

test('leaving tells the others', async () => {
  const { meetingId, host } = await meetingWithHost()
  const guest = await joinAs(meetingId, 'Guest')
  await until(() => host.store.getState().participants.order.length === 1, 'host sees guest')
  await guest.client.leave()
  expect(guest.store.getState().session.ended).toBe('left')
  await until(() => host.store.getState().participants.order.length === 0, 'host sees leave')
})
