/**
 * The `trtc` provider with two (and, for a stop, three) instances sharing
 * meetings through a real redis-server, Tencent's TRTC API replaced by the
 * signature-checking loopback endpoint they all call: a host mute made on
 * one instance reaches the muted participant's socket on the other as new
 * credentials; removal, leaving and ending reach TRTC once (from the
 * instance that committed them, not from every instance holding the
 * meeting); an instance that stops while the meeting goes on (1012) ends
 * nothing in TRTC.
 */
import { startRedis, type RedisProcess } from '../../scripts/lib/redis-server'
import type { RunningService } from '../../server/service'
import { PATHS, type MeetingInfoResponse } from '../../src/core/protocol'
import { parseTrtcPushUrl } from '../../src/core/trtc'
import { TRTC_PRIVILEGES } from '../../server/media/trtc-usersig'
import { membersOf } from './helpers/across'
import { closeAll, sleep, TestClient } from './helpers/client'
import { startFakeTrtcApi, type FakeTrtcApi } from './helpers/fake-trtc-api'
import { http } from './helpers/http'
import { startTestService } from './helpers/service'
import { API_ID, API_KEY, FULL, privilegesOf, trtcEnv } from './helpers/trtc'

jest.setTimeout(30_000)

/** Long enough for a call that is not supposed to come, were there one. */
const STRAY_CALL_MS = 300

let redis: RedisProcess
let fake: FakeTrtcApi
let a: RunningService
let b: RunningService
const opened: TestClient[] = []

const env = (): Record<string, string> => ({ ...trtcEnv(fake.url), REDIS_URL: redis.url, RESUME_GRACE_MS: '5000', INSTANCE_TTL_MS: '600' })

beforeAll(async () => {
  redis = await startRedis()
  fake = await startFakeTrtcApi(API_ID, API_KEY)
  a = await startTestService(env())
  b = await startTestService(env())
})

afterEach(async () => {
  await closeAll(opened.splice(0))
  // Leaving empties the meetings, which dismisses them: let those calls land before the next test counts.
  await sleep(STRAY_CALL_MS)
  fake.calls.length = 0
})

afterAll(async () => {
  await a?.stop()
  await b?.stop()
  await fake?.close()
  await redis?.stop()
})

const { member, meetingAcross: across } = membersOf(opened)
/** A meeting created on A with its host on A and a guest on B. */
const meetingAcross = () => across(a, b)

describe('trtc across instances', () => {
  it('the host on A mutes a participant on B: B delivers it a key without send-audio; the unmute gives it back', async () => {
    const { host, guest } = await meetingAcross()
    expect(await host.client.request({ type: 'mute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    const muted = await guest.client.event('media_credentials')
    expect(muted.reason).toBe('privileges')
    expect(privilegesOf(muted.pushUrl)).toBe(FULL & ~TRTC_PRIVILEGES.sendAudio)
    expect(parseTrtcPushUrl(muted.pushUrl)).toMatchObject({ userId: guest.id })
    expect(host.client.received('media_credentials')).toEqual([])

    expect(await host.client.request({ type: 'unmute_mic', participantId: guest.id })).toMatchObject({ type: 'ack' })
    const unmuted = await guest.client.event('media_credentials')
    expect(unmuted.reason).toBe('privileges')
    expect(privilegesOf(unmuted.pushUrl)).toBe(FULL)
  })

  it('a resume on the other instance while muted gets the muted key in its welcome, and only there', async () => {
    const { host, guest } = await meetingAcross()
    await host.client.request({ type: 'mute_mic', participantId: guest.id })
    await guest.client.event('media_credentials')
    await guest.client.terminate()
    const again = await TestClient.connect(a.socketUrl)
    opened.push(again)
    // From before the mute: `missed` tells the mute but leaves the superseded credentials out.
    const welcome = await again.hello(guest.welcome.token, guest.welcome.seq)
    expect(privilegesOf(welcome.pushUrl)).toBe(FULL & ~TRTC_PRIVILEGES.sendAudio)
    expect(welcome.missed?.map((m) => m.type)).toContain('host_action')
    expect(welcome.missed?.map((m) => m.type)).not.toContain('media_credentials')
  })

  it('the host on A removes a participant on B: one signed RemoveUserByStrRoomId', async () => {
    const { meetingId, host, guest } = await meetingAcross()
    await host.client.request({ type: 'remove_participant', participantId: guest.id })
    await fake.waitForCalls(1)
    await sleep(STRAY_CALL_MS)
    expect(fake.calls).toEqual([
      { action: 'RemoveUserByStrRoomId', region: 'ap-guangzhou', body: expect.objectContaining({ RoomId: meetingId, UserIds: [guest.id] }), signatureProblem: null },
    ])
  })

  it('a participant on B leaves: one RemoveUserByStrRoomId', async () => {
    const { meetingId, guest } = await meetingAcross()
    await guest.client.request({ type: 'leave' })
    await fake.waitForCalls(1)
    await sleep(STRAY_CALL_MS)
    expect(fake.calls).toMatchObject([{ action: 'RemoveUserByStrRoomId', body: { RoomId: meetingId, UserIds: [guest.id] }, signatureProblem: null }])
  })

  it('the host ends the meeting with members on both instances: one DismissRoomByStrRoomId, no removals', async () => {
    const { meetingId, host, guest } = await meetingAcross()
    await host.client.request({ type: 'end_meeting' })
    expect(await guest.client.event('meeting_ended')).toMatchObject({ reason: 'ended_by_host' })
    await fake.waitForCalls(1)
    await sleep(STRAY_CALL_MS)
    expect(fake.calls).toMatchObject([{ action: 'DismissRoomByStrRoomId', body: { RoomId: meetingId }, signatureProblem: null }])
  })

  it('an instance that stops while the meeting goes on dismisses nothing; its member resumes elsewhere', async () => {
    const c = await startTestService(env())
    try {
      const { meetingId, host } = await meetingAcross()
      const onC = await member(c, meetingId, 'On C')
      await host.client.event('participant_joined')
      await c.stop()
      expect(await onC.client.closed).toMatchObject({ code: 1012 })
      await sleep(STRAY_CALL_MS)
      expect(fake.calls).toEqual([])

      const again = await TestClient.connect(b.socketUrl)
      opened.push(again)
      expect(await again.hello(onC.welcome.token)).toMatchObject({ resumed: true, participantId: onC.id })
      const info = await http<MeetingInfoResponse>('GET', a.url + PATHS.meeting(meetingId))
      expect(info.body.participantCount).toBe(3)
      expect(host.client.received('participant_left')).toEqual([])
    } finally {
      await c.stop()
    }
  })
})
