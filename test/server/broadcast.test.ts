/**
 * A room event is serialised once, however many members receive it: with
 * nine members on real sockets, one set_media makes one JSON encoding of the
 * `participant_updated` event, and all eight others (and the subject) get
 * the same bytes.
 */
import type { ServerMessage } from '../../src/core/protocol'
import type { RunningService } from '../../server/service'
import { closeAll, enter, type Member } from './helpers/client'
import { createMeeting } from './helpers/http'
import { startTestService } from './helpers/service'

let service: RunningService
const members: Member[] = []

beforeAll(async () => {
  service = await startTestService()
})

afterAll(async () => {
  await closeAll(members.map((m) => m.client))
  await service.stop()
})

it('encodes a broadcast once for nine recipients', async () => {
  const { meetingId, hostKey } = await createMeeting(service.url)
  members.push(await enter(service, meetingId, { nickname: 'Host', hostKey }))
  for (let i = 1; i < 9; i++) members.push(await enter(service, meetingId, { nickname: `P${i}` }))
  const subject = members[4]

  const encoded: unknown[] = []
  const stringify = JSON.stringify
  const spy = jest.spyOn(JSON, 'stringify').mockImplementation((value: unknown, ...rest: unknown[]) => {
    if ((value as { type?: unknown } | null)?.type === 'participant_updated') encoded.push(value)
    return (stringify as (v: unknown, ...r: unknown[]) => string)(value, ...rest)
  })
  let raw: string[]
  try {
    const rawFrames = members.map(
      (m) =>
        new Promise<string>((resolve) => {
          const onMessage = (data: Buffer): void => {
            const text = data.toString('utf8')
            if ((JSON.parse(text) as ServerMessage).type !== 'participant_updated') return
            m.client.socket.off('message', onMessage)
            resolve(text)
          }
          m.client.socket.on('message', onMessage)
        }),
    )
    expect((await subject.client.request({ type: 'set_media', micOn: false })).type).toBe('ack')
    raw = await Promise.all(rawFrames)
  } finally {
    spy.mockRestore()
  }

  expect(encoded).toHaveLength(1)
  expect(new Set(raw).size).toBe(1)
  expect(JSON.parse(raw[0])).toMatchObject({ type: 'participant_updated', participant: { id: subject.id, micOn: false } })
})
