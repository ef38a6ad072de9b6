/**
 * Several instances of the room service sharing meetings through a real
 * redis-server (started here on a free loopback port): members on different
 * instances see each other and the host's controls; racing joins respect
 * capacity; a killed instance's members resume elsewhere unseen by the
 * others, and the ones that do not are removed after the resume window; a
 * Redis restart (which loses everything: no persistence) does not end the
 * meeting.
 */
import { PATHS, type ErrorResponse, type JoinResponse, type MeetingInfoResponse } from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import { membersOf } from './helpers/across'
import { closeAll, sleep, TestClient } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import { startChildInstance, type ChildInstance } from './helpers/instance'
import { startRedis, type RedisProcess } from '../../scripts/lib/redis-server'
import { startTestService, TENCENT_MEDIA_ENV, TEST_SESSION_SECRET } from './helpers/service'

jest.setTimeout(30_000)

const RESUME_GRACE_MS = 1500
const INSTANCE_TTL_MS = 600

let redis: RedisProcess
let a: RunningService
let b: RunningService
const opened: TestClient[] = []

const env = (): Record<string, string> => ({
  REDIS_URL: redis.url,
  RESUME_GRACE_MS: String(RESUME_GRACE_MS),
  INSTANCE_TTL_MS: String(INSTANCE_TTL_MS),
  CAPACITY: '3',
})

beforeAll(async () => {
  redis = await startRedis()
  a = await startTestService(env())
  b = await startTestService(env())
})

afterEach(async () => {
  await closeAll(opened.splice(0))
})

afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await redis?.stop()
})

const { member, meetingAcross: across } = membersOf(opened)
/** A meeting created on A with its host on A and a guest on B. */
const meetingAcross = () => across(a, b)

describe('two instances, one meeting', () => {
  it('members on each instance see each other, and events carry one sequence', async () => {
    const { meetingId, host, guest } = await meetingAcross()
    expect(a.instance).not.toBe(b.instance)
    expect((await host.client.event('participant_joined')).participant).toMatchObject({ id: guest.id, nickname: 'Guest' })
    expect(guest.welcome.participants.map((p) => p.id)).toEqual([host.id, guest.id])
    expect(guest.welcome.meeting.hostId).toBe(host.id)
    // The meeting is found from either instance.
    const info = await http<MeetingInfoResponse>('GET', b.url + PATHS.meeting(meetingId))
    expect(info.body.participantCount).toBe(2)

    expect(await guest.client.request({ type: 'set_media', cameraOn: false })).toMatchObject({ type: 'ack' })
    const seen = await host.client.event('participant_updated')
    expect(seen.participant).toMatchObject({ id: guest.id, cameraOn: false })
    // Host and guest saw the same event under the same number, one above the joined event.
    expect(host.client.seqs.at(-1)).toBe(guest.client.seqs.at(-1))
    expect(host.client.seqs.at(-1)).toBe(host.client.seqs[0] + 1)
  })

  it('the host on A mutes and then removes a participant on B', async () => {
    const { host, guest } = await meetingAcross()
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    expect(await guest.client.event('host_action')).toEqual({ type: 'host_action', action: 'mute_mic', by: host.id })
    expect((await guest.client.event('participant_updated')).participant).toMatchObject({ id: guest.id, micOn: false, mutedByHost: true })
    // The mute holds on B: the guest cannot lift it itself.
    expect(await guest.client.request({ type: 'set_media', micOn: true })).toMatchObject({ type: 'error', code: 'muted_by_host' })

    expect(await host.client.request({ type: 'remove_participant', participantId: guest.id })).toMatchObject({ type: 'ack' })
    expect(await guest.client.event('removed')).toEqual({ type: 'removed', by: host.id })
    expect(await guest.client.closed).toEqual({ code: 4002, reason: 'removed' })
    expect(await host.client.event('participant_left')).toEqual({ type: 'participant_left', participantId: guest.id, reason: 'removed' })
  })

  it('host controls are refused on B for a participant, whichever instance it is on', async () => {
    const { host, guest } = await meetingAcross()
    expect(await guest.client.request({ type: 'mute_mic', participantId: host.id })).toMatchObject({ type: 'error', code: 'not_host' })
    // After a transfer made on A, B lets the new host act.
    expect(await host.client.request({ type: 'transfer_host', participantId: guest.id })).toMatchObject({ type: 'ack' })
    await guest.client.event('meeting_updated')
    expect(await guest.client.request({ type: 'lock_room', locked: true })).toMatchObject({ type: 'ack' })
    expect((await host.client.event('meeting_updated')).meeting).toMatchObject({ hostId: guest.id })
  })

  it('two joins racing for the last seat on two instances: exactly one gets in', async () => {
    for (let round = 0; round < 8; round++) {
      const { meetingId, host } = await meetingAcross() // 2 of 3 seats taken
      const [onA, onB] = await Promise.all([
        http<JoinResponse | ErrorResponse>('POST', a.url + PATHS.join(meetingId), { nickname: 'Racer A' }),
        http<JoinResponse | ErrorResponse>('POST', b.url + PATHS.join(meetingId), { nickname: 'Racer B' }),
      ])
      expect([onA.status, onB.status].sort()).toEqual([200, 409])
      const refused = (onA.status === 409 ? onA : onB).body as ErrorResponse
      expect(refused.error.code).toBe('room_full')
      const info = await http<MeetingInfoResponse>('GET', a.url + PATHS.meeting(meetingId))
      expect(info.body.participantCount).toBe(3)
      await closeAll([host.client])
    }
  })

  it('a host key raced on two instances is used once: one host', async () => {
    for (let round = 0; round < 8; round++) {
      const { meetingId, hostKey } = await createMeeting(a.url)
      // Someone on B first, so both instances hold the meeting when the key is raced.
      const early = await member(b, meetingId, 'Early')
      const [onA, onB] = await Promise.all([
        http<JoinResponse | ErrorResponse>('POST', a.url + PATHS.join(meetingId), { nickname: 'One', hostKey }),
        http<JoinResponse | ErrorResponse>('POST', b.url + PATHS.join(meetingId), { nickname: 'Two', hostKey }),
      ])
      expect([onA.status, onB.status].sort()).toEqual([200, 403])
      const winner = (onA.status === 200 ? onA : onB).body as JoinResponse
      expect(winner.role).toBe('host')
      const info = await http<MeetingInfoResponse>('GET', b.url + PATHS.meeting(meetingId))
      expect(info.body).toMatchObject({ participantCount: 2, meeting: { hostId: winner.participantId } })
      await closeAll([early.client])
    }
  })

  it('a participant resuming on the other instance stays the same participant; nobody sees it leave', async () => {
    const { host, guest } = await meetingAcross()
    await guest.client.terminate()
    const again = await TestClient.connect(a.socketUrl)
    opened.push(again)
    const welcome = await again.hello(guest.welcome.token)
    expect(welcome).toMatchObject({ resumed: true, participantId: guest.id })
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    expect(await again.event('host_action')).toMatchObject({ action: 'mute_mic' })
    await sleep(RESUME_GRACE_MS + INSTANCE_TTL_MS)
    expect(host.client.received('participant_left')).toEqual([])
  })
})

describe('resuming with lastSeq', () => {
  it('gets what it missed while the log holds it, and the snapshot alone once the log has moved past it', async () => {
    const { host, guest } = await meetingAcross()
    await host.client.event('participant_joined')
    const lastSeq = guest.client.lastSeq ?? guest.welcome.seq
    expect(lastSeq).toBeDefined()
    await guest.client.terminate()
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })

    const back = await TestClient.connect(a.socketUrl)
    opened.push(back)
    const welcome = await back.hello(guest.welcome.token, lastSeq)
    expect(welcome.missed?.map((m) => m.type)).toEqual(['participant_updated', 'host_action'])
    expect(welcome.missed?.map((m) => m.seq)).toEqual([lastSeq! + 1, lastSeq! + 2])
    // (+1 when the attach beat the old socket's detach: the old socket is then told session_replaced, not this one.)
    expect(welcome.seq).toBeGreaterThanOrEqual(lastSeq! + 2)
    await back.terminate()

    // Far more events than the log keeps (about 256): the old position is gone.
    for (let i = 0; i < 300; i++) {
      expect(await host.client.request({ type: 'set_media', cameraOn: i % 2 === 1 })).toMatchObject({ type: 'ack' })
    }
    const late = await TestClient.connect(b.socketUrl)
    opened.push(late)
    const snapshotOnly = await late.hello(guest.welcome.token, lastSeq)
    expect(snapshotOnly).toMatchObject({ resumed: true, participantId: guest.id })
    expect(snapshotOnly.missed).toBeUndefined()
    expect(snapshotOnly.seq).toBeGreaterThanOrEqual(welcome.seq! + 300)
    expect(snapshotOnly.participants.find((p) => p.id === host.id)).toMatchObject({ cameraOn: true })
  })
})

describe('losing an instance', () => {
  let c: ChildInstance

  beforeAll(async () => {
    c = await startChildInstance({ ...TENCENT_MEDIA_ENV, ...env(), SESSION_SECRET: TEST_SESSION_SECRET })
  })

  afterAll(async () => {
    await c?.kill()
  })

  it('killed mid-meeting: its members resume on A within the resume window and get what they missed; one that does not is removed after it', async () => {
    const { meetingId, hostKey } = await createMeeting(a.url)
    const host = await member(a, meetingId, 'Host', hostKey)
    const stays = await member(c, meetingId, 'Resumes')
    const gone = await member(c, meetingId, 'Vanishes')
    await host.client.event('participant_joined')
    await host.client.event('participant_joined')
    await sleep(INSTANCE_TTL_MS) // C has beaten with this meeting in its list
    const lastSeq = stays.client.lastSeq
    expect(lastSeq).toBeDefined()

    await c.kill()
    await stays.client.closed
    // While it is away, the host acts on it.
    expect(await host.client.request({ type: 'camera_off', participantId: stays.id })).toMatchObject({ type: 'ack' })

    const resumed = await TestClient.connect(a.socketUrl)
    opened.push(resumed)
    const welcome = await resumed.hello(stays.welcome.token, lastSeq)
    expect(welcome).toMatchObject({ resumed: true, participantId: stays.id })
    expect(welcome.participants.find((p) => p.id === stays.id)).toMatchObject({ cameraOn: false })
    expect(welcome.missed?.map((m) => m.type)).toEqual(['participant_updated', 'host_action'])
    expect(welcome.missed?.[1]).toMatchObject({ type: 'host_action', action: 'camera_off', by: host.id })

    // The one that never came back is removed once its instance is found dead and its window ends.
    const left = await host.client.event('participant_left', INSTANCE_TTL_MS * 3 + RESUME_GRACE_MS + 3000)
    expect(left).toEqual({ type: 'participant_left', participantId: gone.id, reason: 'timeout' })
    // …and only that one.
    await sleep(RESUME_GRACE_MS)
    expect(host.client.received('participant_left').map((m) => m.participantId)).toEqual([gone.id])
    const info = await http<MeetingInfoResponse>('GET', a.url + PATHS.meeting(meetingId))
    expect(info.body.participantCount).toBe(2)
  })
})

describe('losing Redis', () => {
  it('a Redis restart (all data lost) does not end the meeting: instances reconnect, restore, re-subscribe', async () => {
    const { meetingId, host, guest } = await meetingAcross()
    await host.client.event('participant_joined')
    await redis.kill()
    // While it is down, a command is refused cleanly and the sockets stay.
    expect(await host.client.request({ type: 'lock_room', locked: true })).toMatchObject({ type: 'error', code: 'unavailable' })
    await redis.start()

    // Retried as a client would after `unavailable`.
    let reply = await host.client.request({ type: 'mute_mic', participantId: guest.id })
    for (let i = 0; i < 40 && reply.type === 'error' && reply.code === 'unavailable'; i++) {
      await sleep(100)
      reply = await host.client.request({ type: 'mute_mic', participantId: guest.id })
    }
    expect(reply).toMatchObject({ type: 'ack' })
    expect(await guest.client.event('host_action')).toMatchObject({ action: 'mute_mic', by: host.id })
    expect(guest.client.isOpen).toBe(true)

    const info = await http<MeetingInfoResponse>('GET', b.url + PATHS.meeting(meetingId))
    expect(info.body).toMatchObject({ participantCount: 2, meeting: { hostId: host.id } })
    const third = await member(b, meetingId, 'After')
    expect(third.welcome.participants.map((p) => p.id)).toEqual([host.id, guest.id, third.id])
    expect((await host.client.event('participant_joined')).participant.id).toBe(third.id)
  })
})
