/**
 * Draining on shutdown (SIGTERM → stop()), over real sockets: every client
 * is told to resume elsewhere (close 1012, resumable), no meeting is ended
 * and nobody hears anyone leave; while the drain runs, new meetings, joins
 * and sockets are refused clearly. The sockets are closed in slices with
 * turns of the event loop between them.
 */
import { connect, type Socket } from 'node:net'
import { CLOSE_CODES, PATHS, shouldResume, type ErrorResponse } from '../../src/core/protocol'
import { inSlices } from '../../server/drain'
import type { RunningService } from '../../server/service'
import { closeAll, enter, TestClient, type Member } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import { startTestService } from './helpers/service'

describe('stop() drains', () => {
  let service: RunningService
  const members: Member[] = []
  let silent: Socket | undefined

  beforeAll(async () => {
    service = await startTestService()
  })
  afterAll(async () => {
    silent?.destroy()
    await closeAll(members.map((m) => m.client))
    await service.stop()
  })

  /** A WebSocket that never answers the close handshake, so the drain waits for it. */
  function unresponsiveSocket(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(service.port, '127.0.0.1', () => {
        socket.write(
          `GET ${PATHS.socket} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
        )
      })
      socket.once('data', (data) => (/^HTTP\/1.1 101/.test(data.toString()) ? resolve(socket) : reject(new Error(data.toString()))))
      socket.on('error', () => undefined)
    })
  }

  it('tells every client to resume elsewhere, ends no meeting, and refuses newcomers meanwhile', async () => {
    const meetings: string[] = []
    for (let r = 0; r < 3; r++) {
      const { meetingId, hostKey } = await createMeeting(service.url)
      meetings.push(meetingId)
      for (let i = 0; i < 9; i++) members.push(await enter(service, meetingId, { nickname: `R${r}P${i}`, ...(i === 0 ? { hostKey } : {}) }))
    }
    silent = await unresponsiveSocket()

    const stopped = service.stop()
    const join = await http<ErrorResponse>('POST', service.url + PATHS.join(meetings[0]), { nickname: 'Late' })
    const create = await http<ErrorResponse>('POST', service.url + PATHS.meetings, {})
    const late = await TestClient.connect(service.socketUrl)
    const lateClose = await late.closed
    const closes = await Promise.all(members.map((m) => m.client.closed))
    await stopped

    expect(closes.every((c) => c.code === CLOSE_CODES.service_restart)).toBe(true)
    expect(shouldResume(CLOSE_CODES.service_restart)).toBe(true)
    for (const m of members) {
      expect(m.client.received('meeting_ended')).toEqual([])
      expect(m.client.received('participant_left')).toEqual([])
    }
    expect(join.status).toBe(503)
    expect(join.body.error.code).toBe('shutting_down')
    expect(create.status).toBe(503)
    expect(create.body.error.code).toBe('shutting_down')
    expect(lateClose.code).toBe(CLOSE_CODES.service_restart)
  })
})

describe('inSlices', () => {
  it('gives the event loop a turn between slices, not before the first', async () => {
    const seen: Array<number | string> = []
    await inSlices(Array.from({ length: 7 }, (_, i) => i), 3, (i) => {
      if (i === 0) setImmediate(() => seen.push('turn'))
      seen.push(i)
    })
    expect(seen).toEqual([0, 1, 2, 'turn', 3, 4, 5, 6])
  })

  it('works from a snapshot, so items removed from the live set as they go are all visited once', async () => {
    const live = new Set([1, 2, 3, 4, 5])
    const visited: number[] = []
    await inSlices(live, 2, (n) => {
      visited.push(n)
      live.delete(n)
    })
    expect(visited).toEqual([1, 2, 3, 4, 5])
    expect(live.size).toBe(0)
  })
})
