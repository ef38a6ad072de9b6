/**
 * The capacity bench's baseline: the same wire traffic as the room service
 * (create, HTTP join, socket, hello/welcome, ping/pong, set_media fanned out
 * to the room, leave) served by plain `node:http` + `ws` with no auth, no
 * validation, no presence rules and no logging. What it costs is what any
 * fan-out server on this runtime costs; the service's excess over it is
 * ours.
 *
 * `node --import tsx bench/server/bare-server.ts` prints `{"port":N}` once listening (PORT, default 0).
 */
import { createServer } from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'

interface Member {
  readonly id: string
  micOn: boolean
  socket: WebSocket | null
}

const rooms = new Map<string, Map<string, Member>>()
let nextId = 1

/** One encoding per event, as the service does since issue 12 (c). */
function broadcast(room: Map<string, Member>, message: object, except?: Member): void {
  const frame = Buffer.from(JSON.stringify(message))
  for (const m of room.values()) if (m !== except && m.socket !== null) m.socket.send(frame, { binary: false })
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const reply = (status: number, body: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method === 'POST' && req.url === '/v1/meetings') {
      const meetingId = String(nextId++)
      rooms.set(meetingId, new Map())
      return reply(201, { meetingId, hostKey: 'none' })
    }
    const join = /^\/v1\/meetings\/([^/]+)\/join$/.exec(req.url ?? '')
    const room = join === null ? undefined : rooms.get(join[1])
    if (req.method === 'POST' && room !== undefined && join !== null) {
      const member: Member = { id: `p${nextId++}`, micOn: true, socket: null }
      room.set(member.id, member)
      broadcast(room, { type: 'participant_joined', participant: { id: member.id } }, member)
      return reply(200, { participantId: member.id, token: `${join[1]}:${member.id}` })
    }
    reply(404, { error: { code: 'not_found' } })
  })
})

const wss = new WebSocketServer({ server, path: '/v1/ws' })
wss.on('connection', (socket) => {
  let room: Map<string, Member> | undefined
  let member: Member | undefined
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { type: string; token?: string; micOn?: boolean }
    switch (message.type) {
      case 'hello': {
        const [roomId, id] = (message.token ?? '').split(':')
        room = rooms.get(roomId)
        member = room?.get(id)
        if (member !== undefined) member.socket = socket
        socket.send(JSON.stringify({ type: 'welcome', participantId: id }))
        return
      }
      case 'ping':
        socket.send(JSON.stringify({ type: 'pong', serverTime: Date.now() }))
        return
      case 'set_media':
        if (room === undefined || member === undefined) return
        member.micOn = message.micOn ?? member.micOn
        broadcast(room, { type: 'participant_updated', participant: { id: member.id, micOn: member.micOn } })
        socket.send(JSON.stringify({ type: 'ack', for: 'set_media' }))
        return
      case 'leave':
        socket.send(JSON.stringify({ type: 'ack', for: 'leave' }))
        if (room !== undefined && member !== undefined) {
          room.delete(member.id)
          broadcast(room, { type: 'participant_left', participantId: member.id, reason: 'left' })
        }
        socket.close(1000, 'left')
    }
  })
  socket.on('close', () => {
    if (member !== undefined) member.socket = null
  })
})

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address()
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address !== null ? address.port : 0 })}\n`)
})
process.on('SIGTERM', () => process.exit(0))
