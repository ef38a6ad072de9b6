/**
 * `npm run bench:e2e`: the browser build against the local stack (room
 * service + embedded media server + the H5 app, one process on loopback, as
 * test/e2e runs it), measuring
 *
 * 1. join → first decoded remote frame, over 10 joins into a meeting where
 *    3 bots already publish (p50/p95; budget p50 < 500 ms, p95 < 1 s);
 * 2. capture → screen of a remote tile over 30 s of play (p50/p90; budget
 *    p50 < 300 ms),
 *
 * and rewrites the `e2e` section of BENCHMARKS.md. Needs the H5 build
 * (`npm run bench:e2e` builds it first) and Debian's chromium.
 *
 *   tsx bench/e2e/cli.ts [--joins N] [--seconds S] [--no-write]
 */
import os from 'node:os'
import type { BotFleet } from '../../scripts/lib/bot'
import { createMeeting } from '../../scripts/lib/service-api'
import globalSetup from '../../test/e2e/global-setup'
import { launchBrowser, sleep } from '../../test/e2e/helpers/browser'
import { startStack, type Stack } from '../../test/e2e/stack-control'
import { machineLine, percentile, today, writeBenchSection } from '../lib/benchmarks-md'
import { measureCaptureToScreen, type CaptureToScreen } from './capture-to-screen'
import { measureJoin, startPublishingBots, type JoinTimes } from './first-frame'

const BOTS = 3
export const FIRST_FRAME_BUDGET = { p50: 500, p95: 1000 }
export const CAPTURE_TO_SCREEN_BUDGET = { p50: 300 }

function options(argv: string[]) {
  const value = (name: string, fallback: number): number => {
    const i = argv.indexOf(name)
    if (i < 0) return fallback
    const n = Number(argv[i + 1])
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} takes a positive whole number, got ${String(argv[i + 1])}`)
    return n
  }
  return { joins: value('--joins', 10), seconds: value('--seconds', 30), write: !argv.includes('--no-write') }
}

const ratio = (value: number, budget: number): string => `${(value / budget).toFixed(2)}${value < budget ? '' : ' **over**'}`

function renderSection(joins: readonly JoinTimes[], c2s: CaptureToScreen, chromium: string, elapsedS: number): string {
  const pick = (key: 'roomPage' | 'firstTile' | 'firstFrame' | 'allFrames') => joins.map((t) => t[key])
  const p = (key: Parameters<typeof pick>[0], q: number) => percentile(pick(key), q)
  const ff50 = p('firstFrame', 50)
  const ff95 = p('firstFrame', 95)
  const c50 = Math.round(percentile(c2s.latencies, 50))
  const c90 = Math.round(percentile(c2s.latencies, 90))
  return [
    '## Browser: join → first remote frame, capture → screen (issue 12, item 4)',
    '',
    '| measure | p50 (ms) | p95 / p90 (ms) | budget | ratio |',
    '|---|---:|---:|---|---|',
    `| join → first decoded remote frame, ${joins.length} joins | **${ff50}** | p95 **${ff95}** | p50 < ${FIRST_FRAME_BUDGET.p50}, p95 < ${FIRST_FRAME_BUDGET.p95} | ${ratio(ff50, FIRST_FRAME_BUDGET.p50)}, ${ratio(ff95, FIRST_FRAME_BUDGET.p95)} |`,
    `| capture → screen, ${c2s.latencies.length} frames over ${c2s.seconds} s | **${c50}** | p90 **${c90}** | p50 < ${CAPTURE_TO_SCREEN_BUDGET.p50} | ${ratio(c50, CAPTURE_TO_SCREEN_BUDGET.p50)} |`,
    '',
    '| from pressing 加入会议 to… | p50 (ms) | p95 (ms) | each join (ms) |',
    '|---|---:|---:|---|',
    `| the room page shown (HTTP join done) | ${p('roomPage', 50)} | ${p('roomPage', 95)} | ${pick('roomPage').join(', ')} |`,
    `| the first remote tile's \`<video>\` in the grid (socket welcome, store, render) | ${p('firstTile', 50)} | ${p('firstTile', 95)} | ${pick('firstTile').join(', ')} |`,
    `| **the first decoded remote frame** | **${ff50}** | **${ff95}** | ${pick('firstFrame').join(', ')} |`,
    `| all ${BOTS} remote tiles have decoded a frame | ${p('allFrames', 50)} | ${p('allFrames', 95)} | ${pick('allFrames').join(', ')} |`,
    '',
    `Capture → screen: min ${Math.round(Math.min(...c2s.latencies))}, p50 ${c50}, p90 ${c90}, max ${Math.round(Math.max(...c2s.latencies))} ms; ${c2s.rejected} frame(s) left out (a block not clearly black or white). Of it, media buffered ahead of the viewer's playhead: p50 ${Math.round(percentile(c2s.buffered, 50))} ms, p90 ${Math.round(percentile(c2s.buffered, 90))} ms; ${c2s.stalls} stall(s) (\`waiting\`) in ${c2s.seconds} s.`,
    '',
    '- Reproduce: `npm run bench:e2e` (builds the H5 app, then `tsx bench/e2e/cli.ts`; rewrites this section).',
    `- Machine: ${machineLine()}, Chromium ${chromium} (Debian, headless, software rendering), ${os.cpus().length} cores shared with`,
    `  the stack, ffmpeg and the bots; ${elapsedS.toFixed(0)} s on ${today()}. Figures move with the machine's load: compare within one run.`,
    '- Join → first frame (`bench/e2e/first-frame.ts`): the e2e stack and a meeting with 3 bots publishing their 320×240 test',
    '  patterns (pre-encoded H.264, a keyframe every second) before any join. Each join is a fresh browser context on the shared',
    '  pre-join link that types a nickname and clicks 进入会议; the clock is `performance.now()` in the page, from the click (capture-phase',
    '  listener) to the first animation frame at which a remote tile\'s `<video>` reports a decoded frame. The path: HTTP join →',
    '  room page → WebSocket `hello` → tiles → WS-FLV (mpegts.js) from the media server, which starts each player at its cached',
    '  last keyframe → MSE decode. The joiner\'s own camera publishes meanwhile, as a real user\'s does. p95 of 10 is the worst join.',
    '- Capture → screen (`bench/e2e/capture-to-screen.ts`): the publisher\'s camera is a canvas drawing `Date.now()` as 24',
    '  black/white blocks (an init script of the bench); the viewer decodes the blocks of each frame it presents',
    '  (`requestVideoFrameCallback`) and subtracts them from the frame\'s expected display time; the first 5 s are skipped. The path:',
    '  MediaRecorder (WebM H.264, 50 ms chunks) → ingest socket → ffmpeg (copy) → RTMP → node-media-server → WS-FLV → mpegts.js',
    '  (liveSync) → MSE → `<video>`. Video only: no audio timestamp is decoded, so mouth-to-ear is not measured separately.',
    ...(c50 < CAPTURE_TO_SCREEN_BUDGET.p50
      ? []
      : [
          `- Capture → screen misses its budget by ${c50 - CAPTURE_TO_SCREEN_BUDGET.p50} ms at p50. The viewer's buffer is the largest single part (above);`,
          '  tried on 2026-12-01 on this machine: a `liveSync` target of 0.1 s (max 0.2 s) stalled 9 times in 20 s and raised p50 to',
          '  582 ms; 20 ms recorder chunks (instead of 50) gave p50 335 and 379 ms in two runs against 395 and 377 ms with 50 ms, inside',
          '  the run-to-run spread, so neither was kept. The rest (the minimum frame above, less its buffer) is the encoder, the',
          '  chunking, ffmpeg, the media server and MSE on two shared cores.',
        ]),
  ].join('\n')
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2))
  const began = Date.now()
  globalSetup() // checks the H5 build, chromium and ffmpeg; copies the build the stack serves
  let stack: Stack | null = null
  let fleet: BotFleet | null = null
  const browser = await launchBrowser()
  try {
    stack = await startStack()
    const { meetingId } = await createMeeting(stack.url)
    fleet = await startPublishingBots(stack.url, meetingId, BOTS)
    await sleep(1_500) // a keyframe in the media server's cache
    const joins: JoinTimes[] = []
    for (let n = 1; n <= opts.joins; n++) {
      const times = await measureJoin(browser, stack.url, meetingId, { nickname: `Viewer ${n}`, remotes: BOTS })
      console.log(`join ${n}: first frame ${times.firstFrame} ms (room ${times.roomPage}, tile ${times.firstTile}, all ${times.allFrames})`)
      joins.push(times)
    }
    await fleet.stop()
    fleet = null

    const { meetingId: clockMeeting } = await createMeeting(stack.url)
    const c2s = await measureCaptureToScreen(browser, stack.url, clockMeeting, { seconds: opts.seconds })
    console.log(
      `capture → screen: p50 ${Math.round(percentile(c2s.latencies, 50))} ms, p90 ${Math.round(percentile(c2s.latencies, 90))} ms over ${c2s.latencies.length} frames (${c2s.rejected} left out); buffered ahead p50 ${Math.round(percentile(c2s.buffered, 50))} ms; ${c2s.stalls} stall(s)`,
    )
    const section = renderSection(joins, c2s, browser.version(), (Date.now() - began) / 1000)
    if (opts.write) writeBenchSection('e2e', section)
    console.log(`\n${section}`)
  } finally {
    await fleet?.stop()
    await browser.close()
    await stack?.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exit(1)
})
