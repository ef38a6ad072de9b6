/**
 * At the open-file limit a join is refused cleanly: the real service in a
 * child process with a low `ulimit -n` (so the machine is not exhausted),
 * driven over real sockets until it runs out of descriptors. The refused
 * joiner gets 503 `server_full` and was never a member (nobody hears of it),
 * the service logs why, and once descriptors free up joins work again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { resolve } from 'node:path'
import { PATHS, type ErrorResponse, type JoinResponse } from '../../src/core/protocol'
import { closeAll, sleep, TestClient } from './helpers/client'
import { createMeeting, http } from './helpers/http'
import { TENCENT_MEDIA_ENV, TEST_SESSION_SECRET } from './helpers/service'

const LIMIT = 128
const ROOT = resolve(__dirname, '../..')

let child: ChildProcess | undefined
let output = ''
const idle: Socket[] = []
const clients: TestClient[] = []

afterAll(async () => {
  for (const s of idle) s.destroy()
  await closeAll(clients)
  if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGKILL')
})

/** `npm run server` as deployed, under `ulimit -n LIMIT`; resolves with its URL. */
function startLimitedService(): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const proc = spawn('bash', ['-c', `ulimit -n ${LIMIT} && exec "$0" --import tsx server/main.ts`, process.execPath], {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        SESSION_SECRET: TEST_SESSION_SECRET,
        CAPACITY: '50',
        HTTP_RATE_PER_MIN: '600000',
        HTTP_RATE_BURST: '10000',
        ...TENCENT_MEDIA_ENV,
      } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    child = proc
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 30_000)
    const onData = (data: Buffer): void => {
      output += data.toString('utf8')
      const ready = /Room service ready at (http:\/\/\S+)/.exec(output)
      if (ready !== null) {
        clearTimeout(timer)
        resolveUrl(ready[1])
      }
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    proc.once('exit', (code) => reject(new Error(`service exited (${code}):\n${output}`)))
  })
}

function openIdle(port: number): Promise<void> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => done())
    socket.on('error', fail)
    idle.push(socket)
  })
}

it('refuses the join with 503 server_full before membership exists, logs it, and admits again once descriptors are free', async () => {
  const url = await startLimitedService()
  const port = Number(new URL(url).port)
  const socketUrl = `${url.replace(/^http/, 'ws')}${PATHS.socket}`
  const { meetingId, hostKey } = await createMeeting(url)
  const host = await TestClient.connect(socketUrl)
  clients.push(host)
  const hostJoin = await http<JoinResponse>('POST', url + PATHS.join(meetingId), { nickname: 'Host', hostKey })
  await host.hello(hostJoin.body.token)

  let admitted = 0
  let refusal: { status: number; body: ErrorResponse } | undefined
  for (let i = 0; i < LIMIT && refusal === undefined; i++) {
    for (let k = 0; k < 4; k++) await openIdle(port)
    const res = await http<ErrorResponse>('POST', url + PATHS.join(meetingId), { nickname: `P${i}` })
    if (res.status === 200) admitted += 1
    else refusal = res
  }
  expect(refusal?.status).toBe(503)
  expect(refusal?.body.error).toMatchObject({ code: 'server_full', retryAfterMs: expect.any(Number) })
  expect(admitted).toBeGreaterThan(0)

  // Only the admitted ones were ever announced.
  await sleep(300)
  expect(host.received('participant_joined')).toHaveLength(admitted)
  const warning = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; limit?: number })
    .find((line) => /open-file limit/.test(line.msg))
  expect(warning).toMatchObject({ level: 40, limit: LIMIT })
  // The service itself is fine.
  expect((await http('GET', url + PATHS.health)).status).toBe(200)

  // Free descriptors: the next join gets in, and its socket is held.
  for (const s of idle.splice(0)) s.destroy()
  await sleep(200)
  const late = await http<JoinResponse>('POST', url + PATHS.join(meetingId), { nickname: 'Late' })
  expect(late.status).toBe(200)
  const lateClient = await TestClient.connect(socketUrl)
  clients.push(lateClient)
  expect((await lateClient.hello(late.body.token)).type).toBe('welcome')
  expect((await host.event('participant_joined')).participant.nickname).toBe('P0')
  expect(host.received('participant_joined').at(-1)?.participant.nickname).toBe('Late')
}, 60_000)
