/**
 * The `trtc` provider in the real room service over real sockets, with
 * Tencent's TRTC API replaced by a loopback endpoint that checks each
 * request's TC3 signature: what a participant is given at join (room:// with
 * a UserSig and a PrivateMapKey for the meeting's string room), the host
 * mute withdrawing send-audio through `media_credentials`, removal, leaving
 * and ending the meeting reaching TRTC as correctly signed calls, renewal
 * before expiry, and the configuration errors.
 */
import { TokenSigner } from '../../server/auth/token'
import { ConfigError, loadConfig } from '../../server/config'
import { createRootLogger } from '../../server/logger'
import { TrtcProvider, trtcPrivileges } from '../../server/media/trtc'
import type { TrtcRoomApi } from '../../server/media/trtc-api'
import { decodeTlsSig, TRTC_PRIVILEGES } from '../../server/media/trtc-usersig'
import type { Link } from '../../server/rooms/participant'
import { RoomRegistry } from '../../server/rooms/registry'
import { MemoryStore } from '../../server/state/memory-store'
import type { RunningService } from '../../server/service'
import type { MediaCredentialsMessage, ServerMessage } from '../../src/core/protocol'
import { parseTrtcPushUrl } from '../../src/core/trtc'
import { closeAll, enter, TestClient } from './helpers/client'
import { startFakeTrtcApi, type FakeTrtcApi } from './helpers/fake-trtc-api'
import { API_ID, API_KEY, FULL, privilegesOf, SDK_APP_ID, TRTC_KEY, trtcEnv } from './helpers/trtc'
import { createMeeting } from './helpers/http'
import { startTestService } from './helpers/service'

const P = TRTC_PRIVILEGES

describe('trtc provider in the room service', () => {
  let fake: FakeTrtcApi
  let service: RunningService
  const opened: TestClient[] = []

  beforeAll(async () => {
    fake = await startFakeTrtcApi(API_ID, API_KEY)
    service = await startTestService(trtcEnv(fake.url))
  })
  afterAll(async () => {
    await service.stop()
    await fake.close()
  })
  afterEach(async () => {
    await closeAll(opened.splice(0))
    fake.calls.length = 0
  })

  async function meetingOfTwo() {
    const { meetingId, hostKey } = await createMeeting(service.url)
    const host = await enter(service, meetingId, { nickname: 'Host', hostKey })
    const guest = await enter(service, meetingId, { nickname: 'Guest' })
    opened.push(host.client, guest.client)
    return { meetingId, host, guest }
  }

  test('join: room:// for the meeting\'s string room and the participant id, a UserSig for that id, a PrivateMapKey for that room', async () => {
    const { meetingId, host, guest } = await meetingOfTwo()
    const params = parseTrtcPushUrl(guest.join.pushUrl)
    expect(params).toMatchObject({ sdkAppId: SDK_APP_ID, strRoomId: meetingId, userId: guest.id, appScene: 'videocall' })
    expect(guest.join.pushUrl.startsWith('room://cloud.tencent.com/rtc?')).toBe(true)

    const userSig = decodeTlsSig(params?.userSig ?? '')
    expect(userSig).toMatchObject({ 'TLS.identifier': guest.id, 'TLS.sdkappid': SDK_APP_ID, 'TLS.expire': 86400 })
    expect(userSig['TLS.time'] * 1000 + 86400_000).toBe(guest.join.pushUrlExpiresAt)

    const mapKey = decodeTlsSig(params?.privateMapKey ?? '')
    const userbuf = Buffer.from(mapKey['TLS.userbuf'] as string, 'base64')
    expect(userbuf.readUInt8(0)).toBe(1) // string room
    expect(userbuf.subarray(userbuf.length - meetingId.length).toString()).toBe(meetingId)
    expect(privilegesOf(guest.join.pushUrl)).toBe(FULL)
    expect(privilegesOf(host.join.pushUrl)).toBe(FULL)

    // Everyone's play URL is the one the native side generates for that user's main stream.
    const views = guest.welcome.participants.map((p) => [p.id, p.playUrl])
    expect(views).toEqual([
      [host.id, `room://cloud.tencent.com/rtc?userid=${host.id}&streamtype=main`],
      [guest.id, `room://cloud.tencent.com/rtc?userid=${guest.id}&streamtype=main`],
    ])
  })

  test('the secret keys appear in nothing a client receives', async () => {
    const { host, guest } = await meetingOfTwo()
    const everything = JSON.stringify([host.join, host.welcome, guest.join, guest.welcome, host.client.messages, guest.client.messages])
    expect(everything).not.toContain(TRTC_KEY)
    expect(everything).not.toContain(API_KEY)
  })

  test('host mute: the muted participant gets a PrivateMapKey without send-audio; unmute gives it back', async () => {
    const { host, guest } = await meetingOfTwo()
    expect((await host.client.request({ type: 'mute_mic', participantId: guest.id })).type).toBe('ack')
    const muted = await guest.client.event('media_credentials')
    expect(muted.reason).toBe('privileges')
    expect(privilegesOf(muted.pushUrl)).toBe(FULL & ~P.sendAudio)
    expect(parseTrtcPushUrl(muted.pushUrl)).toMatchObject({ userId: guest.id })
    // The host itself got nothing.
    expect(host.client.received('media_credentials')).toEqual([])

    // A resume while muted keeps the muted key.
    const resumedWelcome = await (async () => {
      const again = await TestClient.connect(service.socketUrl)
      opened.push(again)
      return again.hello(guest.welcome.token)
    })()
    expect(privilegesOf(resumedWelcome.pushUrl)).toBe(FULL & ~P.sendAudio)
    const guestSocket = opened[opened.length - 1]

    expect((await host.client.request({ type: 'unmute_mic', participantId: guest.id })).type).toBe('ack')
    const unmuted = await guestSocket.event('media_credentials')
    expect(unmuted.reason).toBe('privileges')
    expect(privilegesOf(unmuted.pushUrl)).toBe(FULL)
  })

  test('mute_all withdraws send-audio from everyone but the host', async () => {
    const { meetingId, host, guest } = await meetingOfTwo()
    const third = await enter(service, meetingId, { nickname: 'Third' })
    opened.push(third.client)
    await host.client.request({ type: 'mute_all' })
    for (const who of [guest, third]) expect(privilegesOf((await who.client.event('media_credentials')).pushUrl)).toBe(FULL & ~P.sendAudio)
    expect(host.client.received('media_credentials')).toEqual([])
  })

  test('a muted participant made host gets send-audio back', async () => {
    const { host, guest } = await meetingOfTwo()
    await host.client.request({ type: 'mute_mic', participantId: guest.id })
    await guest.client.event('media_credentials')
    await host.client.request({ type: 'transfer_host', participantId: guest.id })
    const promoted = await guest.client.event('media_credentials')
    expect(privilegesOf(promoted.pushUrl)).toBe(FULL)
  })

  test('removal: the TRTC API receives a correctly signed RemoveUserByStrRoomId for that user in that room', async () => {
    const { meetingId, host, guest } = await meetingOfTwo()
    await host.client.request({ type: 'remove_participant', participantId: guest.id })
    const [call] = await fake.waitForCalls(1)
    expect(call).toEqual({
      action: 'RemoveUserByStrRoomId',
      region: 'ap-guangzhou',
      body: { SdkAppId: SDK_APP_ID, RoomId: meetingId, UserIds: [guest.id] },
      signatureProblem: null,
    })
  })

  test('leaving also takes the user out of the TRTC room', async () => {
    const { meetingId, guest } = await meetingOfTwo()
    await guest.client.request({ type: 'leave' })
    const [call] = await fake.waitForCalls(1)
    expect(call).toMatchObject({ action: 'RemoveUserByStrRoomId', body: { RoomId: meetingId, UserIds: [guest.id] }, signatureProblem: null })
  })

  test('ending the meeting: one signed DismissRoomByStrRoomId, no per-user removals', async () => {
    const { meetingId, host } = await meetingOfTwo()
    await host.client.request({ type: 'end_meeting' })
    await fake.waitForCalls(1)
    // Give a stray per-user removal the time to arrive, were there one.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(fake.calls).toEqual([
      { action: 'DismissRoomByStrRoomId', region: 'ap-guangzhou', body: { SdkAppId: SDK_APP_ID, RoomId: meetingId }, signatureProblem: null },
    ])
  })

  test('a TRTC API that fails does not break the meeting: the removal still happens in the room service', async () => {
    const { meetingId, host, guest } = await meetingOfTwo()
    fake.failNext({ code: 'InvalidParameter.SdkAppId', message: 'no such app' })
    await host.client.request({ type: 'remove_participant', participantId: guest.id })
    await fake.waitForCalls(1)
    expect(service.registry.get(meetingId)?.participant(guest.id)).toBeUndefined()
    expect((await host.client.request({ type: 'ping' })).type).toBe('pong')
  })

  test('renew_media_credentials: fresh credentials, then the ack', async () => {
    const { guest } = await meetingOfTwo()
    guest.client.send({ type: 'renew_media_credentials', id: 'r1' })
    const reply = await guest.client.reply()
    expect(reply).toEqual({ type: 'ack', for: 'renew_media_credentials', id: 'r1' })
    const fresh = guest.client.received('media_credentials')
    expect(fresh).toHaveLength(1)
    expect(fresh[0].reason).toBe('requested')
    expect(privilegesOf(fresh[0].pushUrl)).toBe(FULL)
  })
})

describe('trtc provider: renewal before expiry (a room on the memory store with a test clock)', () => {
  const log = createRootLogger('silent')
  const calls: string[] = []
  const api: TrtcRoomApi = {
    removeUsers: async (room, users) => {
      calls.push(`remove ${room} ${users.join(',')}`)
    },
    dismissRoom: async (room) => {
      calls.push(`dismiss ${room}`)
    },
  }

  test('a connected participant gets media_credentials {renewal} once half the lifetime has passed, valid a full lifetime on', async () => {
    let now = 1_700_000_000_000
    const media = new TrtcProvider(
      {
        provider: 'trtc',
        sdkAppId: SDK_APP_ID,
        secretKey: TRTC_KEY,
        api: { secretId: API_ID, secretKey: API_KEY, region: 'ap-guangzhou', endpoint: 'http://127.0.0.1:9' },
      },
      log,
      api,
      () => now,
    )
    const ttlMs = 3600_000
    const registry = new RoomRegistry(
      {
        settings: { capacity: 9, tokenTtlMs: ttlMs, mediaUrlTtlMs: ttlMs, emptyTtlMs: 60_000, heartbeat: { intervalMs: 1000, timeoutMs: 1e9, resumeGraceMs: 1e9 } },
        media,
        tokens: new TokenSigner('renewal-test-secret-0123456789'),
        store: new MemoryStore(),
        instance: 'i-test',
        log,
        now: () => now,
      },
      log,
    )
    const { room } = await registry.create(null)
    const received: ServerMessage[] = []
    const link: Link = { send: (m) => received.push(m), sendFrame: (f) => received.push(JSON.parse(f.toString('utf8')) as ServerMessage), close: () => {} }
    const p = await room.mutate((tx) => tx.join({ nickname: 'A' }))
    room.hold('link-1', p.id, link)
    await room.mutate((tx) => tx.attach(tx.actor(p.id), 'link-1'))
    room.markAttached('link-1')
    const firstExpiry = p.urls.expiresAt
    expect(firstExpiry).toBe(now + ttlMs)
    const sweepAt = async (t: number): Promise<void> => {
      now = t
      room.touch('link-1')
      await registry.sweep(now)
    }
    const renewals = (): MediaCredentialsMessage[] => received.filter((m): m is MediaCredentialsMessage => m.type === 'media_credentials')

    await sweepAt(now + ttlMs / 2 - 1000)
    expect(renewals()).toEqual([])

    await sweepAt(now + 1000)
    expect(renewals()).toHaveLength(1)
    expect(renewals()[0]).toMatchObject({ reason: 'renewal', pushUrlExpiresAt: now + ttlMs })
    expect(decodeTlsSig(parseTrtcPushUrl(renewals()[0].pushUrl)?.userSig ?? '')['TLS.time']).toBe(now / 1000)
    // The record holds them too: a resume's welcome carries the renewed URL.
    expect(room.participant(p.id)?.urls.pushUrl).toBe(renewals()[0].pushUrl)

    // Not again until the new ones are half spent.
    await sweepAt(now + 1000)
    expect(renewals()).toHaveLength(1)
  })

  test.each([
    ['participant', false, FULL],
    ['participant', true, FULL & ~P.sendAudio],
    ['host', false, FULL],
  ] as const)('privileges: %s muted=%s → %i', (role, mutedByHost, bits) => {
    expect(trtcPrivileges({ role, mutedByHost })).toBe(bits)
  })
})

describe('trtc configuration', () => {
  const base = {
    MEDIA_PROVIDER: 'trtc',
    TRTC_SDK_APP_ID: '1400000000',
    TRTC_SECRET_KEY: TRTC_KEY,
    TENCENTCLOUD_SECRET_ID: API_ID,
    TENCENTCLOUD_SECRET_KEY: API_KEY,
  }
  const problems = (env: Record<string, string | undefined>): string[] => {
    try {
      loadConfig(env)
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems]
      throw error
    }
    return []
  }

  test('a complete environment loads, with the API defaults', () => {
    expect(loadConfig(base).media).toEqual({
      provider: 'trtc',
      sdkAppId: 1400000000,
      secretKey: TRTC_KEY,
      api: { secretId: API_ID, secretKey: API_KEY, region: 'ap-guangzhou', endpoint: 'https://trtc.tencentcloudapi.com' },
    })
  })

  test.each([
    ['TRTC_SDK_APP_ID missing', { TRTC_SDK_APP_ID: undefined }, /^TRTC_SDK_APP_ID: .* \(not set\)$/],
    ['TRTC_SDK_APP_ID not a number', { TRTC_SDK_APP_ID: '14000abc' }, /^TRTC_SDK_APP_ID: must be the numeric SDKAppID .*\(got "14000abc"\)$/],
    ['TRTC_SDK_APP_ID above 32 bits', { TRTC_SDK_APP_ID: '9999999999' }, /^TRTC_SDK_APP_ID: must be the numeric SDKAppID/],
    ['TRTC_SECRET_KEY missing', { TRTC_SECRET_KEY: undefined }, /^TRTC_SECRET_KEY: .* \(not set\)$/],
    ['TRTC_SECRET_KEY too short', { TRTC_SECRET_KEY: 'abc123' }, /^TRTC_SECRET_KEY: must be the application's 64-hex-digit SDK secret key .*\(got "<redacted>"\)$/],
    ['TENCENTCLOUD_SECRET_ID missing', { TENCENTCLOUD_SECRET_ID: undefined }, /^TENCENTCLOUD_SECRET_ID: .* \(not set\)$/],
    ['TENCENTCLOUD_SECRET_ID malformed', { TENCENTCLOUD_SECRET_ID: 'not-an-id' }, /^TENCENTCLOUD_SECRET_ID: must be a Tencent Cloud API SecretId \(AKID…\)/],
    ['TENCENTCLOUD_SECRET_KEY missing', { TENCENTCLOUD_SECRET_KEY: undefined }, /^TENCENTCLOUD_SECRET_KEY: .* \(not set\)$/],
    ['an unsupported API region', { TRTC_API_REGION: 'ap-shanghai' }, /^TRTC_API_REGION: /],
    ['an endpoint that is not a URL', { TRTC_API_ENDPOINT: 'trtc.tencentcloudapi.com' }, /^TRTC_API_ENDPOINT: /],
  ])('%s → one line naming the variable', (_name, change, line) => {
    const found = problems({ ...base, ...change })
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(line)
  })

  test('no secret value is ever echoed in the error', () => {
    const message = (() => {
      try {
        loadConfig({ ...base, TRTC_SECRET_KEY: 'leaky-secret-value', TENCENTCLOUD_SECRET_KEY: 'x' })
      } catch (error) {
        return (error as Error).message
      }
      return ''
    })()
    expect(message).toContain('TRTC_SECRET_KEY')
    expect(message).not.toContain('leaky-secret-value')
  })
})
