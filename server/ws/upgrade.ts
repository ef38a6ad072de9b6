/**
 * Let go of what @fastify/websocket keeps of the HTTP upgrade for as long as
 * the socket lives (issue 12 (b)): its `error` listener on the WebSocket
 * closes over the fastify request and reply, and the upgrade's
 * ServerResponse stays assigned to the TCP socket. Together that held the
 * IncomingMessage with its headers, the ServerResponse, fastify's Request
 * and Reply and a per-request child logger: about 3 KiB of V8 heap per
 * participant, measured with a heap snapshot at 1,800 sockets (see
 * BENCHMARKS.md, server section).
 */
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'

export function releaseUpgrade(socket: WebSocket, request: FastifyRequest, onError: (error: Error) => void): void {
  // Replace the plugin's listener (it only logs and terminates, as onError's caller does); a socket must keep one.
  socket.removeAllListeners('error')
  socket.on('error', onError)
  // Node's own ServerResponse.detachSocket, as the HTTP server calls it when a response ends.
  const tcp = request.raw.socket as Socket & { _httpMessage?: ServerResponse | null }
  const response = tcp._httpMessage as (ServerResponse & { detachSocket?: (s: Socket) => void }) | null | undefined
  if (response?.socket === tcp && typeof response.detachSocket === 'function') response.detachSocket(tcp)
}
