/**
 * Presence over real sockets, with short timings: resume after a dropped
 * socket (no flicker for the others, no duplicate), replacement of a socket
 * the server still thinks is alive, the grace window, the heartbeat timeout,
 * the hello deadline and refused hellos.
 */
import { PATHS, type ErrorResponse } from '../../src/core/protocol'
import { TokenSigner } from '../../server/auth/token'
import type { RunningService } from '../../server/service'
import { closeAll, enter, sleep, TestClient, type Member } from './helpers/client'
import { createMeeting, http, join } from './helpers/http'
import { startTestService, TEST_SESSION_SECRET } from './helpers/service'

const HEARTBEAT_TIMEOUT_MS = 600
const RESUME_GRACE_MS = 900
const PING_EVERY_MS = 100
const EMPTY_MEETING_TTL_MS = 1000

let service: RunningService
const opened: TestClient[] = []

beforeAll(async () => {
  service = await startTestService({
    HEARTBEAT_INTERVAL_MS: String(PING_EVERY_MS),
    HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
    RESUME_GRACE_MS: String(RESUME_GRACE_MS),
    EMPTY_MEETING_TTL_MS: String(EMPTY_MEETING_TTL_MS),
  })
})

afterEach(async () => {
  await closeAll(opened.splice(0))
})

afterAll(async () => {
  await service.stop()
})

async function member(meetingId: string, nickname: string, hostKey?: string): Promise<Member> {
  const m = await enter(service, meetingId, { nickname, hostKey })
  opened.push(m.client)
  m.client.startHeartbeat(PING_EVERY_MS)
  return m
}

async function connect(): Promise<TestClient> {
  const client = await TestClient.connect(service.socketUrl)
  opened.push(client)
  return client
}

async function meetingWithTwo(): Promise<{ meetingId: string; host: Member; guest: Member }> {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await member(meetingId, 'Host', hostKey)
  const guest = await member(meetingId, 'Guest')
  await host.client.event('participant_joined')
  return { meetingId, host, guest }
}

const roster = (m: Member, after: TestClient): string[] =>
  after.received('participant_joined').map((e) => e.participant.id).concat(m.id)

describe('resume', () => {
  test('a client whose socket is cut resumes as the same participant; the others see no left/joined', async () => {
    const { host, guest } = await meetingWithTwo()
    const cut = await guest.client.terminate()
    expect(cut.code).toBe(1006)

    // While it is away, the host mutes it: the snapshot on resume must carry that.
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })

    await sleep(RESUME_GRACE_MS / 3)
    const back = await connect()
    back.startHeartbeat(PING_EVERY_MS)
    const welcome = await back.hello(guest.join.token)
    expect(welcome).toMatchObject({ resumed: true, participantId: guest.id, role: 'participant', pushUrl: guest.join.pushUrl })
    expect(welcome.participants.map((p) => p.id)).toEqual([host.id, guest.id])
    expect(welcome.participants.find((p) => p.id === guest.id)).toMatchObject({ micOn: false, mutedByHost: true })
    expect(welcome.token).not.toBe('')

    // Well past the grace window: the participant stayed, and nobody heard of the drop.
    await sleep(RESUME_GRACE_MS + 200)
    expect(host.client.received('participant_left')).toEqual([])
    expect(host.client.received('participant_joined')).toHaveLength(1)
    expect(roster(host, host.client)).toEqual([guest.id, host.id])
    expect(await back.request({ type: 'set_media', cameraOn: false })).toMatchObject({ type: 'ack' })
    expect((await host.client.event('participant_updated')).participant).toMatchObject({ id: guest.id })
    const info = await http<{ participantCount: number }>('GET', service.url + PATHS.meeting(host.join.meeting.id))
    expect(info.body.participantCount).toBe(2)
  })

  test('resuming on a new socket before the server noticed the old one closes the old one (4001), silently for others', async () => {
    const { host, guest } = await meetingWithTwo()
    const second = await connect()
    second.startHeartbeat(PING_EVERY_MS)
    expect((await second.hello(guest.join.token)).resumed).toBe(true)
    expect(await guest.client.event('error')).toMatchObject({ code: 'session_replaced' })
    expect(await guest.client.closed).toEqual({ code: 4001, reason: 'replaced' })
    await sleep(100)
    expect(host.client.received('participant_left')).toEqual([])
    expect(await second.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
  })

  test('a token refreshed by welcome resumes too', async () => {
    const { guest } = await meetingWithTwo()
    await guest.client.terminate()
    const again = await connect()
    const welcome = await again.hello(guest.welcome.token)
    expect(welcome.participantId).toBe(guest.id)
  })
})

describe('removal by silence', () => {
  test('not back within the grace window: removed, and the others are told (reason timeout)', async () => {
    const { meetingId, host, guest } = await meetingWithTwo()
    const droppedAt = Date.now()
    await guest.client.terminate()
    const left = await host.client.event('participant_left', RESUME_GRACE_MS + 2000)
    const after = Date.now() - droppedAt
    expect(left).toEqual({ type: 'participant_left', participantId: guest.id, reason: 'timeout' })
    expect(after).toBeGreaterThanOrEqual(RESUME_GRACE_MS - 50)

    const late = await connect()
    expect(await late.request({ type: 'hello', token: guest.join.token })).toMatchObject({ type: 'error', code: 'not_in_meeting' })
    expect((await late.closed).code).toBe(4005)
    const info = await http<{ participantCount: number }>('GET', service.url + PATHS.meeting(meetingId))
    expect(info.body.participantCount).toBe(1)
  })

  test('heartbeat timeout: a connected participant silent too long is removed and told; the others are told', async () => {
    const { host, guest } = await meetingWithTwo()
    guest.client.stopHeartbeat()
    const silentFrom = Date.now()
    expect(await guest.client.event('error', HEARTBEAT_TIMEOUT_MS + 2000)).toMatchObject({ code: 'heartbeat_timeout' })
    expect(await guest.client.closed).toEqual({ code: 4004, reason: 'heartbeat timeout' })
    expect(Date.now() - silentFrom).toBeGreaterThanOrEqual(HEARTBEAT_TIMEOUT_MS - 50)
    expect(await host.client.event('participant_left')).toEqual({ type: 'participant_left', participantId: guest.id, reason: 'timeout' })
    // The host, who kept pinging, is still there.
    expect(await host.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
  })

  test('joined over HTTP but never opened the socket: removed after the grace window', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const host = await member(meetingId, 'Host', hostKey)
    const ghost = await join(service.url, meetingId, { nickname: 'Ghost' })
    expect((await host.client.event('participant_joined')).participant.id).toBe(ghost.participantId)
    expect(await host.client.event('participant_left', RESUME_GRACE_MS + 2000)).toMatchObject({ participantId: ghost.participantId, reason: 'timeout' })
  })

  test('a meeting nobody joins is dropped after its TTL; its host key no longer works', async () => {
    const { meetingId, hostKey, expiresAt } = await createMeeting(service.url)
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(EMPTY_MEETING_TTL_MS)
    await sleep(EMPTY_MEETING_TTL_MS + 300)
    const res = await http<ErrorResponse>('POST', service.url + PATHS.join(meetingId), { nickname: 'Late', hostKey })
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('unknown_meeting')
  })

  test('the room closes when its last participant times out', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const only = await member(meetingId, 'Only', hostKey)
    await only.client.terminate()
    await sleep(RESUME_GRACE_MS + 300)
    const res = await http<ErrorResponse>('GET', service.url + PATHS.meeting(meetingId))
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('unknown_meeting')
  })
})

describe('hello', () => {
  test('no hello in time: hello_timeout, close 4006', async () => {
    const client = await connect()
    expect(await client.event('error', HEARTBEAT_TIMEOUT_MS + 2000)).toMatchObject({ code: 'hello_timeout' })
    expect((await client.closed).code).toBe(4006)
  })

  test('frames before hello get hello_required, and the socket stays open', async () => {
    const client = await connect()
    expect(await client.request({ type: 'set_media', micOn: false })).toMatchObject({ type: 'error', code: 'hello_required', for: 'set_media' })
    expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
  })

  test('a second hello on the same socket: already_authenticated', async () => {
    const { guest } = await meetingWithTwo()
    expect(await guest.client.request({ type: 'hello', token: guest.join.token })).toMatchObject({ code: 'already_authenticated' })
    expect(guest.client.isOpen).toBe(true)
  })

  test.each([
    ['a forged token', (): string => 'eyJ2IjoxfQ.AAAA', 'bad_token'],
    ['an expired token', (): string => new TokenSigner(TEST_SESSION_SECRET).sign({ meetingId: '123456789', participantId: 'p1', expiresAt: Date.now() - 1 }), 'token_expired'],
    ['a token for a meeting that is gone', (): string => new TokenSigner(TEST_SESSION_SECRET).sign({ meetingId: '123456789', participantId: 'p1', expiresAt: Date.now() + 60_000 }), 'unknown_meeting'],
  ])('%s: refused with %s and close 4005', async (_name, token, code) => {
    const client = await connect()
    expect(await client.request({ type: 'hello', token: token() })).toMatchObject({ type: 'error', code, for: 'hello' })
    expect((await client.closed).code).toBe(4005)
  })
})
