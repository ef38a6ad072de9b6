/**
 * The meeting flows over real sockets against the service with its embedded
 * media server: create, join, see each other, host controls and their
 * enforcement, capacity, lock, passcode, host hand-over, leaving and closing.
 */
import {
  ERRORS,
  PATHS,
  ROLE_GRANTS,
  type ErrorResponse,
  type MeetingInfoResponse,
  type ParticipantView,
} from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import { closeAll, enter, sleep, TestClient, type Member } from './helpers/client'
import { createMeeting, http, join } from './helpers/http'
import { LOCAL_MEDIA_ENV, startTestService } from './helpers/service'

let service: RunningService
const opened: TestClient[] = []

beforeAll(async () => {
  service = await startTestService(LOCAL_MEDIA_ENV)
})

afterEach(async () => {
  await closeAll(opened.splice(0))
})

afterAll(async () => {
  await service.stop()
})

async function member(meetingId: string, nickname: string, extra: { hostKey?: string; passcode?: string } = {}): Promise<Member> {
  const m = await enter(service, meetingId, { nickname, ...extra })
  opened.push(m.client)
  return m
}

/** A meeting with its host (the creator) and one participant, both connected. */
async function meetingWithTwo(): Promise<{ meetingId: string; host: Member; guest: Member }> {
  const { meetingId, hostKey } = await createMeeting(service.url)
  const host = await member(meetingId, 'Host', { hostKey })
  const guest = await member(meetingId, 'Guest')
  return { meetingId, host, guest }
}

async function expectHttpError(status: number, code: keyof typeof ERRORS, promise: Promise<{ status: number; body: unknown }>): Promise<void> {
  const res = await promise
  expect(res.status).toBe(status)
  expect((res.body as ErrorResponse).error).toMatchObject({ code, message: expect.any(String) })
}

describe('two clients join a meeting on the local service', () => {
  test('the welcome says how long the meeting has run, by the service’s clock', async () => {
    const createdAfter = Date.now()
    const { meetingId, hostKey } = await createMeeting(service.url)
    const host = await member(meetingId, 'Ada', { hostKey })
    expect(host.welcome.meetingElapsedMs).toBeGreaterThanOrEqual(0)
    expect(host.welcome.meetingElapsedMs).toBeLessThanOrEqual(Date.now() - createdAfter)
    await sleep(60)
    const guest = await member(meetingId, 'Grace')
    // The meeting's age, not the guest's: at least the 60 ms slept since the host's welcome.
    expect(guest.welcome.meetingElapsedMs).toBeGreaterThanOrEqual((host.welcome.meetingElapsedMs ?? 0) + 60)
  })

  test('they see each other, with signed play URLs from the embedded media server', async () => {
    const { meetingId, hostKey, expiresAt } = await createMeeting(service.url)
    expect(meetingId).toMatch(/^[0-9]{9}$/)
    expect(expiresAt).toBeGreaterThan(Date.now())

    const host = await member(meetingId, 'Ada', { hostKey })
    expect(host.join.role).toBe('host')
    expect(host.welcome).toMatchObject({ type: 'welcome', resumed: false, participantId: host.id, role: 'host' })
    expect(host.welcome.meeting).toMatchObject({ id: meetingId, hostId: host.id, locked: false, capacity: 9 })
    expect(host.join.pushUrl).toMatch(/^rtmp:\/\/127\.0\.0\.1:\d+\/live\/m\d{9}_p[0-9a-f]{10}_[0-9a-f]{8}\?txSecret=[0-9a-f]{32}&txTime=[0-9A-F]+$/)

    const guest = await member(meetingId, 'Grace')
    expect(guest.join.role).toBe('participant')
    expect(guest.welcome.participants.map((p) => p.nickname)).toEqual(['Ada', 'Grace'])

    const joined = await host.client.event('participant_joined')
    expect(joined.participant).toMatchObject({ id: guest.id, nickname: 'Grace', role: 'participant', micOn: true, cameraOn: true, mutedByHost: false })
    expect(joined.participant.playUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/live\/m\d{9}_p[0-9a-f]{10}_[0-9a-f]{8}\.flv\?txSecret=[0-9a-f]{32}&txTime=[0-9A-F]+$/)

    const hostSeenByGuest = guest.welcome.participants.find((p) => p.id === host.id) as ParticipantView
    expect(hostSeenByGuest).toMatchObject({ nickname: 'Ada', role: 'host' })
    expect(hostSeenByGuest.playUrl).toBe(host.welcome.participants.find((p) => p.id === host.id)?.playUrl)
    // Push URL and play URL name the same stream.
    const streamOf = (url: string): string => (/\/live\/([^.?]+)/.exec(url) as RegExpExecArray)[1]
    expect(streamOf(host.join.pushUrl)).toBe(streamOf(hostSeenByGuest.playUrl))

    const info = await http<MeetingInfoResponse>('GET', service.url + PATHS.meeting(meetingId))
    expect(info.body).toEqual({ meeting: { id: meetingId, hostId: host.id, locked: false, capacity: 9, passcodeRequired: false }, participantCount: 2 })
  })

  test('set_media reaches everyone; pong answers ping', async () => {
    const { host, guest } = await meetingWithTwo()
    await host.client.event('participant_joined')
    expect(await guest.client.request({ type: 'set_media', cameraOn: false, id: 'r1' })).toEqual({ type: 'ack', for: 'set_media', id: 'r1' })
    expect((await host.client.event('participant_updated')).participant).toMatchObject({ id: guest.id, cameraOn: false, micOn: true })
    expect((await guest.client.event('participant_updated')).participant).toMatchObject({ id: guest.id, cameraOn: false })
    expect(await guest.client.request({ type: 'ping', id: 'hb' })).toMatchObject({ type: 'pong', id: 'hb', serverTime: expect.any(Number) })
  })

  test('away (the app in the background) reaches everyone and is cleared the same way; a bad value is refused', async () => {
    const { host, guest } = await meetingWithTwo()
    expect((await host.client.event('participant_joined')).participant).toMatchObject({ id: guest.id, away: false })
    expect(await guest.client.request({ type: 'set_media', away: true })).toMatchObject({ type: 'ack', for: 'set_media' })
    expect((await host.client.event('participant_updated')).participant).toMatchObject({ id: guest.id, away: true, micOn: true, cameraOn: true })
    expect(await guest.client.request({ type: 'set_media', away: false })).toMatchObject({ type: 'ack' })
    expect((await host.client.event('participant_updated')).participant).toMatchObject({ id: guest.id, away: false })
    expect(await guest.client.request({ type: 'set_media', away: 'yes' })).toMatchObject({ type: 'error', code: 'bad_message', for: 'set_media' })
  })
})

describe('host controls', () => {
  test('the host mutes the other (who cannot unmute itself), lifts it, then removes them', async () => {
    const { meetingId, host, guest } = await meetingWithTwo()
    await host.client.event('participant_joined')

    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack', for: 'mute_mic' })
    expect(await guest.client.event('host_action')).toEqual({ type: 'host_action', action: 'mute_mic', by: host.id })
    for (const c of [host.client, guest.client]) {
      expect((await c.event('participant_updated')).participant).toMatchObject({ id: guest.id, micOn: false, mutedByHost: true })
    }
    expect(await guest.client.request({ type: 'set_media', micOn: true })).toMatchObject({ type: 'error', code: 'muted_by_host', for: 'set_media' })

    expect(await host.client.request({ type: 'unmute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    expect(await guest.client.event('host_action')).toEqual({ type: 'host_action', action: 'unmute_mic', by: host.id })
    expect((await guest.client.event('participant_updated')).participant).toMatchObject({ micOn: false, mutedByHost: false })
    expect(await guest.client.request({ type: 'set_media', micOn: true })).toMatchObject({ type: 'ack' })

    expect(await host.client.request({ type: 'camera_off', participantId: guest.id })).toMatchObject({ type: 'ack' })
    expect(await guest.client.event('host_action')).toMatchObject({ action: 'camera_off' })

    expect(await host.client.request({ type: 'remove_participant', participantId: guest.id })).toMatchObject({ type: 'ack', for: 'remove_participant' })
    expect(await guest.client.event('removed')).toEqual({ type: 'removed', by: host.id })
    expect(await guest.client.closed).toEqual({ code: 4002, reason: 'removed' })
    expect(await host.client.event('participant_left')).toEqual({ type: 'participant_left', participantId: guest.id, reason: 'removed' })

    // The removed participant's token no longer opens a session.
    const again = await TestClient.connect(service.socketUrl)
    opened.push(again)
    expect(await again.request({ type: 'hello', token: guest.join.token })).toMatchObject({ type: 'error', code: 'not_in_meeting' })
    expect((await again.closed).code).toBe(4005)
    const info = await http<MeetingInfoResponse>('GET', service.url + PATHS.meeting(meetingId))
    expect(info.body.participantCount).toBe(1)
  })

  test('every host control from a participant is refused with not_host, and nothing changes', async () => {
    const { host, guest } = await meetingWithTwo()
    expect(ROLE_GRANTS.participant.canMuteOthers).toBe(false)
    const attempts = [
      { type: 'mute_mic', participantId: host.id },
      { type: 'unmute_mic', participantId: host.id },
      { type: 'camera_off', participantId: host.id },
      { type: 'remove_participant', participantId: host.id },
      { type: 'mute_all' },
      { type: 'lock_room', locked: true },
      { type: 'transfer_host', participantId: guest.id },
      { type: 'end_meeting' },
    ]
    for (const attempt of attempts) {
      expect(await guest.client.request({ ...attempt, id: attempt.type })).toEqual({
        type: 'error',
        code: 'not_host',
        message: ERRORS.not_host.message,
        id: attempt.type,
        for: attempt.type,
      })
    }
    expect(await host.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    const info = await http<MeetingInfoResponse>('GET', service.url + PATHS.meeting(host.join.meeting.id))
    expect(info.body).toMatchObject({ meeting: { hostId: host.id, locked: false }, participantCount: 2 })
    expect(host.client.received('participant_updated')).toEqual([])
  })

  test('targets must be other members of the room', async () => {
    const { host } = await meetingWithTwo()
    expect(await host.client.request({ type: 'mute_mic', participantId: host.id })).toMatchObject({ code: 'bad_target' })
    expect(await host.client.request({ type: 'remove_participant', participantId: 'p0000000000' })).toMatchObject({ code: 'unknown_participant' })
  })

  test('mute all, lock, hand over host, and the new host is obeyed', async () => {
    const { meetingId, host, guest } = await meetingWithTwo()
    const third = await member(meetingId, 'Third')

    expect(await host.client.request({ type: 'mute_all' })).toMatchObject({ type: 'ack' })
    expect(await guest.client.event('host_action')).toEqual({ type: 'host_action', action: 'mute_all', by: host.id })
    expect(await third.client.event('host_action')).toEqual({ type: 'host_action', action: 'mute_all', by: host.id })

    expect(await host.client.request({ type: 'lock_room', locked: true })).toMatchObject({ type: 'ack' })
    expect((await guest.client.event('meeting_updated')).meeting).toMatchObject({ locked: true })
    expect((await third.client.event('meeting_updated')).meeting).toMatchObject({ locked: true })
    await expectHttpError(403, 'room_locked', http('POST', service.url + PATHS.join(meetingId), { nickname: 'Late' }))

    expect(await host.client.request({ type: 'transfer_host', participantId: guest.id })).toMatchObject({ type: 'ack' })
    const hostChange = await third.client.event('meeting_updated')
    expect(hostChange.meeting).toMatchObject({ hostId: guest.id })
    const roles = new Map(third.client.received('participant_updated').map((u) => [u.participant.id, u.participant]))
    expect(roles.get(host.id)).toMatchObject({ role: 'participant' })
    // A muted participant who becomes host is no longer held muted.
    expect(roles.get(guest.id)).toMatchObject({ role: 'host', mutedByHost: false })

    expect(await host.client.request({ type: 'lock_room', locked: false })).toMatchObject({ code: 'not_host' })
    expect(await guest.client.request({ type: 'lock_room', locked: false })).toMatchObject({ type: 'ack' })
    await join(service.url, meetingId, { nickname: 'Late' })
  })

  test('the host ends the meeting for all; the room is gone', async () => {
    const { meetingId, host, guest } = await meetingWithTwo()
    expect(await host.client.request({ type: 'end_meeting' })).toMatchObject({ type: 'ack' })
    for (const m of [host, guest]) {
      expect(await m.client.event('meeting_ended')).toEqual({ type: 'meeting_ended', reason: 'ended_by_host' })
      expect((await m.client.closed).code).toBe(4003)
    }
    expect(guest.client.received('participant_left')).toEqual([])
    await expectHttpError(404, 'unknown_meeting', http('GET', service.url + PATHS.meeting(meetingId)))
    await expectHttpError(404, 'unknown_meeting', http('POST', service.url + PATHS.join(meetingId), { nickname: 'Late' }))
    expect(service.registry.get(meetingId)).toBeUndefined()
  })
})

describe('joining', () => {
  test('capacity: nine publishers by default, the tenth gets room_full', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    await join(service.url, meetingId, { nickname: 'Host', hostKey })
    for (let i = 2; i <= 9; i++) await join(service.url, meetingId, { nickname: `P${i}` })
    await expectHttpError(409, 'room_full', http('POST', service.url + PATHS.join(meetingId), { nickname: 'P10' }))
    const info = await http<MeetingInfoResponse>('GET', service.url + PATHS.meeting(meetingId))
    expect(info.body.participantCount).toBe(9)
  })

  test('passcode: required and checked; the host key skips it and works once', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url, '2468')
    const info = await http<MeetingInfoResponse>('GET', service.url + PATHS.meeting(meetingId))
    expect(info.body.meeting.passcodeRequired).toBe(true)
    await expectHttpError(403, 'wrong_passcode', http('POST', service.url + PATHS.join(meetingId), { nickname: 'A' }))
    await expectHttpError(403, 'wrong_passcode', http('POST', service.url + PATHS.join(meetingId), { nickname: 'A', passcode: '1357' }))
    expect((await join(service.url, meetingId, { nickname: 'A', passcode: '2468' })).role).toBe('participant')
    expect((await join(service.url, meetingId, { nickname: 'H', hostKey })).role).toBe('host')
    await expectHttpError(403, 'bad_host_key', http('POST', service.url + PATHS.join(meetingId), { nickname: 'H2', hostKey }))
  })

  test('a creator joining after others arrives as host (no participant-then-host flicker)', async () => {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const early = await member(meetingId, 'Early')
    expect(early.welcome.meeting.hostId).toBeNull()
    const host = await member(meetingId, 'Creator', { hostKey })
    expect((await early.client.event('participant_joined')).participant).toMatchObject({ id: host.id, role: 'host' })
    expect((await early.client.event('meeting_updated')).meeting.hostId).toBe(host.id)
    expect(early.client.received('participant_updated')).toEqual([])
  })

  test.each([
    ['empty', ''],
    ['blank', '   '],
    ['33 characters', 'x'.repeat(33)],
    ['a control character', 'a\u0007b'],
    ['not a string', 7],
    ['missing', undefined],
  ])('nickname %s → nickname_invalid', async (_name, nickname) => {
    const { meetingId } = await createMeeting(service.url)
    await expectHttpError(400, 'nickname_invalid', http('POST', service.url + PATHS.join(meetingId), nickname === undefined ? {} : { nickname }))
  })

  test.each([
    ['malformed JSON', 'POST', () => PATHS.meetings, '{"passcode": '],
    ['a wrong field type', 'POST', () => PATHS.meetings, { passcode: 1234 }],
    ['an unexpected field', 'POST', () => PATHS.meetings, { title: 'x' }],
    ['a badly formed passcode', 'POST', () => PATHS.meetings, { passcode: '12' }],
    ['a body that is not an object', 'POST', () => PATHS.join('123456789'), '[1,2]'],
  ])('HTTP %s → 400 bad_message', async (_name, method, path, body) => {
    const res = await http<ErrorResponse>(method, service.url + path(), body)
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('bad_message')
  })

  test('HTTP: unknown meeting, unknown route, oversized body', async () => {
    await expectHttpError(404, 'unknown_meeting', http('POST', service.url + PATHS.join('000000000'), { nickname: 'A' }))
    await expectHttpError(404, 'unknown_meeting', http('GET', service.url + PATHS.meeting('not-an-id')))
    await expectHttpError(404, 'not_found', http('GET', service.url + '/v1/nothing'))
    await expectHttpError(413, 'frame_too_large', http('POST', service.url + PATHS.meetings, { passcode: 'x'.repeat(64 * 1024) }))
  })
})

describe('leaving and closing', () => {
  test('leave over the socket: ack, close 1000, the others hear participant_left', async () => {
    const { host, guest } = await meetingWithTwo()
    expect(await guest.client.request({ type: 'leave' })).toMatchObject({ type: 'ack', for: 'leave' })
    expect(await guest.client.closed).toEqual({ code: 1000, reason: 'left' })
    expect(await host.client.event('participant_left')).toEqual({ type: 'participant_left', participantId: guest.id, reason: 'left' })
  })

  test('when the host leaves, the longest-present member becomes host', async () => {
    const { meetingId, host, guest } = await meetingWithTwo()
    const third = await member(meetingId, 'Third')
    await host.client.request({ type: 'leave' })
    expect((await third.client.event('meeting_updated')).meeting.hostId).toBe(guest.id)
    expect(await guest.client.request({ type: 'mute_mic', participantId: third.id })).toMatchObject({ type: 'ack' })
  })

  test('the room closes when the last participant leaves (HTTP leave included)', async () => {
    const { meetingId, host, guest } = await meetingWithTwo()
    await expectHttpError(401, 'bad_token', http('POST', service.url + PATHS.leave(meetingId), { token: 'forged.token' }))
    expect((await http('POST', service.url + PATHS.leave(meetingId), { token: guest.join.token })).body).toEqual({ ok: true })
    expect((await guest.client.closed).code).toBe(1000)
    await host.client.request({ type: 'leave' })
    await sleep(20)
    await expectHttpError(404, 'unknown_meeting', http('GET', service.url + PATHS.meeting(meetingId)))
    expect(service.registry.get(meetingId)).toBeUndefined()
  })
})
