/**
 * Property-based fuzzing of incoming frames and request bodies (fast-check)
 * over real sockets, as a suite that runs against any set-up: one instance
 * (test/server/fuzz.test.ts) or two sharing a meeting through Redis
 * (test/server/scale-out-fuzz.test.ts, host on one, fuzzer on the other).
 * Properties: every frame gets exactly one reply, in order; every failure is
 * an `error` with a known code; nothing is an `internal` error (a handler that
 * threw: counted as a crash); the socket stays open; the room and its other
 * member stay healthy.
 */
import fc from 'fast-check'
import {
  CLIENT_MESSAGE_TYPES,
  ERROR_CODES,
  PATHS,
  type ErrorResponse,
  type MeetingInfoResponse,
  type ReplyMessage,
} from '../../../src/core/protocol'
import type { Env } from '../../../server/config'
import { CLIENT_MESSAGE_SCHEMAS } from '../../../server/ws/schemas'
import { closeAll, enter, TestClient, type Member, type ServiceAddress } from './client'
import { createMeeting, http } from './http'

export interface FuzzSetup {
  readonly name: string
  /** Where the meeting is created and its host is. */
  readonly hostOn: ServiceAddress
  /** Where the fuzzing member (and the pre-hello socket, and the join bodies) go. */
  readonly guestOn: ServiceAddress
  stop(): Promise<void>
}

export interface FuzzRuns {
  readonly socket: number
  readonly preHello: number
  readonly http: number
}

/** Define the fuzz tests of this file; `start` gets the settings the suite needs. */
export function fuzzSuite(start: (env: Env) => Promise<FuzzSetup>, runs: FuzzRuns): void {
  const MAX_FRAME_BYTES = 4096
  const counts = { socketRuns: 0, socketFrames: 0, preHelloRuns: 0, preHelloFrames: 0, httpRuns: 0, crashes: 0, codes: new Map<string, number>(), httpStatuses: new Map<number, number>() }

  let setup: FuzzSetup
  let meetingId: string
  let host: Member
  let guest: Member
  const opened: TestClient[] = []

  beforeAll(async () => {
    setup = await start({ MAX_FRAME_BYTES: String(MAX_FRAME_BYTES) })
    const created = await createMeeting(setup.hostOn.url)
    meetingId = created.meetingId
    host = await enter(setup.hostOn, meetingId, { nickname: 'Host', hostKey: created.hostKey })
    guest = await enter(setup.guestOn, meetingId, { nickname: 'Fuzzer' })
    opened.push(host.client, guest.client)
    host.client.startHeartbeat(1000)
  })

  afterAll(async () => {
    await closeAll(opened)
    await setup.stop()
    const codes = [...counts.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')
    console.info(
      `fuzz (${setup.name}): socket ${counts.socketRuns} runs / ${counts.socketFrames} frames; before hello ${counts.preHelloRuns} runs / ${counts.preHelloFrames} frames; ` +
        `HTTP join ${counts.httpRuns} bodies; crashes ${counts.crashes}\nsocket replies: ${codes}\nHTTP statuses: ${[...counts.httpStatuses].map(([s, n]) => `${s} ${n}`).join(', ')}`,
    )
  })

  // ---------------------------------------------------------------------------
  // Arbitraries

  const anyJson = fc.jsonValue({ maxDepth: 3 })
  const FIELD_NAMES = ['type', 'id', 'token', 'participantId', 'micOn', 'cameraOn', 'locked', 'nickname', 'text', 'clientMsgId', 'raised', 'constructor', '__proto__']
  const fieldName = fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 }))
  const typeName = fc.oneof({ arbitrary: fc.constantFrom(...CLIENT_MESSAGE_TYPES), weight: 4 }, { arbitrary: fc.string({ maxLength: 70 }), weight: 1 })

  /** A frame: text (possibly not JSON) or binary bytes. */
  type Frame = { readonly text: string } | { readonly binary: Uint8Array }

  /** Well-formed messages of every type, aimed at real ids, to mutate. */
  function templates(): Record<string, unknown>[] {
    return [
      { type: 'ping' },
      { type: 'set_media', micOn: true },
      { type: 'set_media', cameraOn: false },
      { type: 'mute_mic', participantId: host.id },
      { type: 'unmute_mic', participantId: guest.id },
      { type: 'camera_off', participantId: host.id },
      { type: 'remove_participant', participantId: host.id },
      { type: 'mute_all' },
      { type: 'lock_room', locked: true },
      { type: 'transfer_host', participantId: guest.id },
      { type: 'end_meeting' },
      { type: 'hello', token: guest.join.token },
      { type: 'chat_send', text: 'hi', clientMsgId: 'c1' },
      { type: 'chat_send', text: ' \u200b\n\u0007 \ud800', clientMsgId: 'c2' },
      { type: 'chat_send', text: '😀'.repeat(501), clientMsgId: 'c3' },
      { type: 'hand_raise', raised: true },
      { type: 'hand_lower', participantId: host.id },
      { type: 'hands_lower_all' },
      { type: 'speaking', speaking: true },
      { type: 'speaking', speaking: false },
    ]
  }

  const frames = (): fc.Arbitrary<Frame> => {
    const structured = fc
      .record({ type: typeName, fields: fc.dictionary(fieldName, anyJson, { maxKeys: 4 }), id: fc.option(fc.string({ maxLength: 70 }), { nil: undefined }) })
      .map(({ type, fields, id }) => ({ text: JSON.stringify({ ...fields, type, ...(id === undefined ? {} : { id }) }) }))
    const mutated = fc
      .record({
        base: fc.constantFrom(...templates()),
        key: fieldName,
        value: fc.option(anyJson, { nil: undefined }),
      })
      .map(({ base, key, value }) => {
        const copy: Record<string, unknown> = { ...base }
        if (value === undefined) delete copy[key]
        else copy[key] = value
        return { text: JSON.stringify(copy) }
      })
    return fc.oneof(
      { arbitrary: structured, weight: 4 },
      { arbitrary: mutated, weight: 4 },
      { arbitrary: fc.constantFrom(...templates()).map((m) => ({ text: JSON.stringify(m) })), weight: 1 },
      { arbitrary: fc.json({ maxDepth: 4 }).map((text) => ({ text })), weight: 2 },
      { arbitrary: fc.string({ maxLength: 300, unit: 'binary' }).map((text) => ({ text })), weight: 2 },
      // Chat text of any code points (controls, surrogates, invisible, over-long), the field most open to users.
      {
        arbitrary: fc
          .record({ text: fc.string({ maxLength: 620, unit: fc.oneof(fc.constantFrom('\n', '\r', '\u0000', '\u2028', '\u200b', '\ud800', ' '), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }), clientMsgId: fc.string({ minLength: 1, maxLength: 8 }) })
          .map(({ text, clientMsgId }) => ({ text: JSON.stringify({ type: 'chat_send', text, clientMsgId }) })),
        weight: 2,
      },
      { arbitrary: fc.integer({ min: MAX_FRAME_BYTES + 1, max: 3 * MAX_FRAME_BYTES }).map((n) => ({ text: JSON.stringify({ type: 'ping', id: 'x'.repeat(n) }) })), weight: 1 },
      { arbitrary: fc.uint8Array({ maxLength: 200 }).map((binary) => ({ binary })), weight: 1 },
    )
  }

  /** Valid frames that legitimately end this socket's session are left out (they are tested on their own). */
  function endsSession(frame: Frame, kinds: ReadonlyArray<'leave' | 'hello'>): boolean {
    if (!('text' in frame)) return false
    let value: unknown
    try {
      value = JSON.parse(frame.text)
    } catch {
      return false
    }
    return kinds.some((kind) => CLIENT_MESSAGE_SCHEMAS[kind].safeParse(value).success)
  }

  async function sendAndCheck(client: TestClient, frame: Frame): Promise<ReplyMessage> {
    if ('text' in frame) client.send(frame.text)
    else client.send(Buffer.from(frame.binary), { binary: true })
    const reply = await client.reply(3000)
    counts.codes.set(reply.type === 'error' ? reply.code : reply.type, (counts.codes.get(reply.type === 'error' ? reply.code : reply.type) ?? 0) + 1)
    if (reply.type === 'error' && reply.code === 'internal') counts.crashes += 1
    return reply
  }

  // ---------------------------------------------------------------------------

  test('fuzzed frames on a joined socket: one structured reply each; the room and the other member stay healthy', async () => {
    const before = host.client.messages.length
    await fc.assert(
      fc.asyncProperty(fc.array(frames(), { minLength: 1, maxLength: 6 }), async (batch) => {
        fc.pre(batch.every((f) => !endsSession(f, ['leave'])))
        counts.socketRuns += 1
        for (const frame of batch) {
          counts.socketFrames += 1
          const reply = await sendAndCheck(guest.client, frame)
          expect(['ack', 'pong', 'error']).toContain(reply.type)
          if (reply.type === 'error') {
            expect(ERROR_CODES).toContain(reply.code)
            expect(reply.code).not.toBe('internal')
            expect(typeof reply.message).toBe('string')
          }
        }
        expect(guest.client.isOpen).toBe(true)
      }),
      { numRuns: runs.socket },
    )

    // The other member: still connected, still host, heard no one leave, and answers.
    expect(await host.client.request({ type: 'ping' })).toMatchObject({ type: 'pong' })
    const events = host.client.messages.slice(before)
    expect(events.filter((m) => m.type === 'participant_left' || m.type === 'meeting_ended' || m.type === 'removed')).toEqual([])
    const info = await http<MeetingInfoResponse>('GET', setup.hostOn.url + PATHS.meeting(meetingId))
    expect(info.body).toMatchObject({ participantCount: 2, meeting: { hostId: host.id } })
    expect(guest.client.isOpen).toBe(true)
    expect(counts.crashes).toBe(0)
  }, 60_000)

  test('fuzzed frames before hello: one structured reply each, the socket stays open', async () => {
    const client = await TestClient.connect(setup.guestOn.socketUrl)
    opened.push(client)
    await fc.assert(
      fc.asyncProperty(fc.array(frames(), { minLength: 1, maxLength: 4 }), async (batch) => {
        fc.pre(batch.every((f) => !endsSession(f, ['hello'])))
        counts.preHelloRuns += 1
        for (const frame of batch) {
          counts.preHelloFrames += 1
          const reply = await sendAndCheck(client, frame)
          expect(['pong', 'error']).toContain(reply.type)
          if (reply.type === 'error') expect(['hello_required', 'bad_message', 'unknown_type', 'frame_too_large']).toContain(reply.code)
        }
        expect(client.isOpen).toBe(true)
      }),
      { numRuns: runs.preHello },
    )
    expect(counts.crashes).toBe(0)
  }, 60_000)

  test('fuzzed join bodies: a join or a structured error, never a 5xx', async () => {
    const target = (await createMeeting(setup.hostOn.url)).meetingId
    const body = fc.oneof(
      fc.record({ nickname: fc.oneof(fc.string({ maxLength: 40, unit: 'binary' }), anyJson), passcode: fc.option(anyJson, { nil: undefined }), micOn: fc.option(anyJson, { nil: undefined }) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 200 }),
    )
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        counts.httpRuns += 1
        const res = await http<ErrorResponse | { participantId: string }>('POST', setup.guestOn.url + PATHS.join(target), text)
        if (res.status >= 500) counts.crashes += 1
        counts.httpStatuses.set(res.status, (counts.httpStatuses.get(res.status) ?? 0) + 1)
        expect(res.status).toBeLessThan(500)
        if (res.status !== 200) expect(ERROR_CODES).toContain((res.body as ErrorResponse).error.code)
      }),
      { numRuns: runs.http },
    )
    expect(counts.crashes).toBe(0)
  }, 60_000)
}
