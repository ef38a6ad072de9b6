/**
 * The room client's chat and hands against a real room service on loopback
 * (default chat budget: a burst of 5, then one a second): lines go pending →
 * sent on their echo, arrive at the others with an unread count while their
 * panel is closed, a refused line is failed with the reason and a retry with
 * the same clientMsgId sends it once; a late joiner's store holds the
 * history; a raised hand reaches everyone's store and the host lowers it.
 */
import { clientsDisposedAfterEach, joinConnected, until, type JoinedClient } from './helpers'
import { openedSockets } from '../mocks/taro-node'
import type { MeetingStore } from '../../src/store'
import type { RunningService } from '../../server/service'
import { startTestService } from '../server/helpers/service'
import { createMeeting } from '../server/helpers/http'

let service: RunningService
const clients = clientsDisposedAfterEach()

beforeAll(async () => {
  service = await startTestService({})
})
afterAll(async () => {
  await service.stop()
})


const join = (meetingId: string, nickname: string, hostKey?: string): Promise<JoinedClient> =>
  joinConnected(service.url, clients, meetingId, nickname, { hostKey })

async function meeting() {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await join(meetingId, 'Ada', hostKey)
  const guest = await join(meetingId, 'Grace')
  return { meetingId, host, guest }
}

const lines = (store: MeetingStore) => store.getState().chat.messages.map((m) => `${m.from.nickname}:${m.text}:${m.status}`)

test('a line is pending, then sent on its echo; the other side counts it unread while closed, and opening reads it', async () => {
  const { host, guest } = await meeting()
  expect(guest.client.sendChat('  hello  ')).toBe(true)
  expect(lines(guest.store)).toEqual(['Grace:hello:pending'])
  await until(() => guest.store.getState().chat.messages[0]?.status === 'sent', 'echo')
  const mine = guest.store.getState().chat.messages[0]
  expect(mine).toMatchObject({ mine: true, from: { id: guest.id }, error: null })
  expect(mine.id).toMatch(/^c\d+$/)
  expect(guest.store.getState().chat.unread).toBe(0)

  await until(() => host.store.getState().chat.messages.length === 1, 'host receives')
  expect(lines(host.store)).toEqual(['Grace:hello:sent'])
  expect(host.store.getState().chat.messages[0].mine).toBe(false)
  expect(host.store.getState().chat.unread).toBe(1)
  host.store.getState().chatToggled(true)
  expect(host.store.getState().chat.unread).toBe(0)
  guest.client.sendChat('again')
  await until(() => host.store.getState().chat.messages.length === 2, 'second line')
  // Read while open.
  expect(host.store.getState().chat.unread).toBe(0)
})

test('text breaking the chat rule is not sent at all', async () => {
  const { guest } = await meeting()
  expect(guest.client.sendChat('   ')).toBe(false)
  expect(guest.client.sendChat('x'.repeat(501))).toBe(false)
  expect(guest.store.getState().chat.messages).toEqual([])
})

test('over the chat budget a line fails as rate_limited; the retry, later, sends it once', async () => {
  const { host, guest } = await meeting()
  for (let i = 1; i <= 6; i++) guest.client.sendChat(`n${i}`)
  await until(() => guest.store.getState().chat.messages.some((m) => m.status === 'failed'), 'a refusal')
  await until(() => guest.store.getState().chat.messages.filter((m) => m.status === 'sent').length === 5, 'five sent')
  const failed = guest.store.getState().chat.messages.find((m) => m.status === 'failed')
  expect(failed).toMatchObject({ text: 'n6', error: 'rate_limited' })
  await new Promise((r) => setTimeout(r, 1100))
  guest.client.retryChat(failed?.clientMsgId as string)
  await until(() => guest.store.getState().chat.messages.every((m) => m.status === 'sent'), 'retry sent')
  await until(() => host.store.getState().chat.messages.length === 6, 'host has six')
  expect(host.store.getState().chat.messages.map((m) => m.text)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6'])
})

test('not connected: the line fails as network and stays for a retry', async () => {
  const { guest } = await meeting()
  guest.client.dispose()
  guest.client.sendChat('lost?')
  await until(() => guest.store.getState().chat.messages[0]?.status === 'failed', 'failed')
  expect(guest.store.getState().chat.messages[0]).toMatchObject({ text: 'lost?', error: 'network' })
})

test('cut off: a line written meanwhile fails as network and goes out by itself after the resume; what others wrote meanwhile is unread', async () => {
  const { meetingId, host } = await meeting()
  // A reconnect at least 400 ms later, so there is a window to write in while cut off.
  const { client, store } = await joinConnected(service.url, clients, meetingId, 'Lin', { backoff: { baseMs: 800, maxMs: 800 } })
  const statuses: string[] = []
  store.subscribe((s) => {
    const mine = s.chat.messages.find((m) => m.mine)
    if (mine !== undefined && statuses.at(-1) !== mine.status) statuses.push(mine.status)
  })
  openedSockets.at(-1)?.terminate() // the network drops: no close frame
  await until(() => store.getState().session.connection === 'reconnecting', 'Lin cut off')
  client.sendChat('written offline')
  host.client.sendChat('said while Lin was away')
  await until(() => host.store.getState().chat.messages.some((m) => m.text === 'said while Lin was away' && m.status === 'sent'), 'host line sent')
  await until(() => store.getState().session.connection === 'connected', 'Lin resumed')
  await until(() => host.store.getState().chat.messages.some((m) => m.text === 'written offline'), 'the line reaches the host')
  await until(() => store.getState().chat.messages.find((m) => m.mine)?.status === 'sent', 'Lin’s line sent')
  expect(statuses).toEqual(['pending', 'failed', 'pending', 'sent'])
  expect(host.store.getState().chat.messages.filter((m) => m.text === 'written offline')).toHaveLength(1)
  expect(lines(store)).toContain('Ada:said while Lin was away:sent')
  expect(store.getState().chat.unread).toBe(1)
})

test('a late joiner has the history in its store', async () => {
  const { meetingId, host, guest } = await meeting()
  host.client.sendChat('one')
  await until(() => host.store.getState().chat.messages[0]?.status === 'sent', 'one sent')
  guest.client.sendChat('two')
  await until(() => host.store.getState().chat.messages.length === 2, 'two arrived')
  const late = await join(meetingId, 'Late')
  expect(lines(late.store)).toEqual(['Ada:one:sent', 'Grace:two:sent'])
  // History is not news: nothing unread.
  expect(late.store.getState().chat.unread).toBe(0)
})

test('a raised hand reaches everyone; a non-host cannot lower it; the host does, and both stores see it', async () => {
  const { host, guest } = await meeting()
  await guest.client.raiseHand(true)
  await until(() => guest.store.getState().chat.selfHandRaisedAt !== null, 'own hand up')
  await until(() => host.store.getState().participants.byId[guest.id]?.handRaised === true, 'host sees the hand')
  await expect(guest.client.lowerHand(host.id)).rejects.toMatchObject({ code: 'not_host' })
  await host.client.lowerHand(guest.id)
  await until(() => guest.store.getState().chat.selfHandRaisedAt === null, 'own hand down')
  await until(() => host.store.getState().participants.byId[guest.id]?.handRaised === false, 'host sees it down')
})
