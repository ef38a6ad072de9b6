/**
 * Runs in every weapp test file (setupFilesAfterEnv): real network round
 * trips take longer than Jest's default 5 s budget allows under load, and
 * whatever a file left open (the app's sockets, the other participants'
 * sockets) is closed when it ends, so Jest exits by itself.
 */
import http from 'node:http'
import { closeAllNetwork } from './fake-network'
import { openedSockets } from '../mocks/taro-node'

jest.setTimeout(30_000)

afterAll(async () => {
  await closeAllNetwork()
  await Promise.all(
    openedSockets.splice(0).map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === ws.CLOSED) return resolve()
          ws.once('close', () => resolve())
          ws.terminate()
        }),
    ),
  )
  // The other participants' requests (test/mocks/taro-node.ts) use the global agent.
  http.globalAgent.destroy()
})
