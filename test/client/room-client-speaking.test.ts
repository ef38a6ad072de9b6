/**
 * Who is speaking, relayed through a real room service on loopback: the
 * room client sends `speaking` on flips of the store's `speaking.self.speaking`
 * (written by a real speaking service from pusher-shaped level ticks), `false`
 * once when the microphone goes off, and hands the others' `speaking_changed`
 * to their speaking service, which brings an off-page speaker onto page 1.
 */
import { LIMITS } from '../../src/core/protocol'
import { createSpeakingService, type SpeakingService } from '../../src/services/speaking'
import type { RoomClient } from '../../src/services/room-client'
import { clientsDisposedAfterEach, joinConnected, until } from './helpers'
import { createMeetingStore, selectMountedIds, type MeetingStore } from '../../src/store'
import type { RunningService } from '../../server/service'
import { startTestService } from '../server/helpers/service'
import { createMeeting } from '../server/helpers/http'

jest.setTimeout(20_000)

let service: RunningService
const clients = clientsDisposedAfterEach()
const speakers: SpeakingService[] = []

beforeAll(async () => {
  service = await startTestService({})
})
afterAll(async () => {
  await service.stop()
})
afterEach(() => {
  speakers.splice(0).forEach((s) => s.dispose())
})

const clock = {
  now: () => Date.now(),
  setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimer: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Member {
  client: RoomClient
  store: MeetingStore
  speaking: SpeakingService
  id: string
  /** The reports this member's client handed on, in order. */
  heard: Array<[string, boolean] | 'cleared'>
}

async function join(meetingId: string, nickname: string, hostKey?: string): Promise<Member> {
  const store = createMeetingStore()
  // A phone: pages of 4.
  store.getState().gridAreaMeasured({ width: 390, height: 700 })
  const speaking = createSpeakingService(store, clock)
  speaking.start()
  speakers.push(speaking)
  const heard: Member['heard'] = []
  const joined = await joinConnected(service.url, clients, meetingId, nickname, {
    hostKey,
    store,
    prepare: (client) =>
      client.setSpeakingReports({
        reported: (id, on) => {
          heard.push([id, on])
          speaking.remoteReported(id, on)
        },
        cleared: () => {
          heard.push('cleared')
          speaking.reportsCleared()
        },
      }),
  })
  return { ...joined, speaking, heard }
}

/** The pusher's audiovolumenotify, every 100 ms for `ms`. */
async function talk(m: Member, level: number, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    m.speaking.selfLevel(level)
    await sleep(100)
  }
}

const reports = (m: Member) => m.heard.filter((h) => h !== 'cleared')

test('a flip of self speaking sends exactly one report; the microphone going off sends false once, and nothing while off', async () => {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await join(meetingId, 'Ada', hostKey)
  const guest = await join(meetingId, 'Grace')
  await talk(guest, 60, 1500)
  expect(guest.store.getState().speaking.self.speaking).toBe(true)
  await until(() => reports(host).length === 1, 'the report')
  // Still talking: no more reports.
  await talk(guest, 60, 800)
  expect(reports(host)).toEqual([[guest.id, true]])

  guest.store.getState().micToggled()
  await until(() => reports(host).length === 2, 'false on mic off')
  // The pusher keeps measuring while the microphone is off: nothing is sent.
  await talk(guest, 60, 1500)
  expect(reports(host)).toEqual([
    [guest.id, true],
    [guest.id, false],
  ])
  // The sender hears nothing of its own reports.
  expect(reports(guest)).toEqual([])
})

test("a speaker on a later page, reported through the service, is brought onto the viewer's page 1 and mounted", async () => {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await join(meetingId, 'Ada', hostKey)
  const guests: Member[] = []
  for (let i = 1; i <= 5; i++) guests.push(await join(meetingId, `G${i}`))
  await until(() => host.store.getState().participants.order.length === 5, 'five remotes')
  const last = guests[4]
  expect(selectMountedIds(host.store.getState())).not.toContain(last.id)
  await talk(last, 60, 1200)
  await until(() => host.store.getState().speaking.activeId === last.id, 'the active speaker')
  expect(host.store.getState().speaking.featuredId).toBe(last.id)
  expect(selectMountedIds(host.store.getState())).toEqual([...host.store.getState().participants.order.slice(0, 3), last.id])
})

test('flips faster than the speaking budget: the refused report is sent again once the budget allows, so the others end with the current state', async () => {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await join(meetingId, 'Ada', hostKey)
  const guest = await join(meetingId, 'Grace')
  // Written straight through the slice's action (the speaking service itself cannot flip this fast):
  // nine flips 30 ms apart, ending on "speaking".
  const s = guest.store.getState()
  for (let i = 1; i <= 9; i++) {
    s.voiceChanged(null, { bucket: i % 2 === 1 ? 3 : 0, speaking: i % 2 === 1 })
    await sleep(30)
  }
  await until(() => reports(host).length > LIMITS.speakingBurst, 'a report after the refusal', 6000)
  // Never more than the budget allows (burst 4, then one per 500 ms), and never a repeat of the same state in a row.
  const heard = reports(host).map((r) => (r as [string, boolean])[1])
  expect(heard.length).toBeLessThan(9)
  expect(heard.every((on, i) => i === 0 || on !== heard[i - 1])).toBe(true)
  await sleep(1200)
  expect(reports(host).at(-1)).toEqual([guest.id, true])
})
