/**
 * The BENCHMARKS.md section of this benchmark. Only the text between the
 * markers is ours; other benchmarks add their own sections around it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import type { EventMetric } from './metrics'
import { PUSHER_MODEL, AUDIO_KBPS } from './pusher'
import type { TraceRun } from './suite'
import { TARGETS, requiredMisses, type TargetId } from './targets'
import { NET_BUSY_MODEL, NETSTATUS_MODEL } from './simulate'

export const SECTION_START = '<!-- bench:bitrate:start -->'
export const SECTION_END = '<!-- bench:bitrate:end -->'

const FILE_HEADER = `# Benchmarks

Measured numbers and how to reproduce them. Each benchmark owns one section,
between its \`<!-- bench:NAME:start -->\` / \`<!-- bench:NAME:end -->\` markers,
which its command rewrites; everything outside the markers is left alone.
`

export interface MachineInfo {
  readonly cpu: string
  readonly cores: number
  readonly os: string
  readonly node: string
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    os: `${os.platform()} ${os.release()}`,
    node: process.version,
  }
}

const TARGET_ORDER: TargetId[] = [
  'utilization-vs-static',
  'p95-delay-vs-static',
  'stalls-vs-static',
  'late-vs-static',
  'frozen-vs-static',
  'calm',
  'reacts',
  'no-downgrade',
  'stable',
  'utilization',
  'recover',
  'loss-ceiling',
  'jitter-spike',
  'floor',
]

function cell(value: EventMetric | number | null): string {
  if (value === null) return '—'
  return String(value)
}

function targetCell(run: TraceRun, id: TargetId): string {
  const results = run.targets.filter((t) => t.id === id)
  if (results.length === 0) return '—'
  if (results.every((t) => t.pass)) return 'pass'
  return TARGETS[id].required ? '**FAIL**' : 'miss'
}

function passCount(run: TraceRun): string {
  const required = run.targets.filter((t) => TARGETS[t.id].required)
  const passed = required.filter((t) => t.pass).length
  return passed === required.length ? `${passed}/${required.length}` : `**${passed}/${required.length}**`
}

/** Runs shown next to the main table. */
export interface Extras {
  /** Per recorded trace: `static` first, then the evidence ceilings (evidence.ts). */
  readonly evidence?: ReadonlyArray<readonly TraceRun[]>
  /** Per trace where `app` misses a required target against `static`: [app, static] on the trace's seed and the next ones. */
  readonly seeds?: ReadonlyArray<ReadonlyArray<readonly TraceRun[]>>
}

/** What the seed table shows for a trace, where we have looked (test/unit/bench/targets.test.ts pins the misses). */
const SEED_NOTES: Record<string, string> = {
  'outage-10s-host':
    'app freezes 10–30 ms longer on every seed: after the outage its backlog (frames encoded under the lowered ceiling) is smaller and drains sooner, so the wait for the first fresh frame starts earlier; both runs show that frame at the same time.',
  'verizon-lte-short-up':
    'the 1101 at 67 s sends the ceiling to the floor for 7 s; over the seeds that costs a few tenths of a second of freezing per run: the small, real price of the cut the product promises on sustained congestion.',
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '—' : (a / b).toFixed(2))

/** The section's markdown, markers included. */
export function renderSection(
  runs: ReadonlyArray<readonly TraceRun[]>,
  machine: MachineInfo,
  elapsedS: number,
  dateIso: string,
  extras: Extras = {},
): string {
  const app = runs.map((r) => r.find((x) => x.run.controller === 'app')).filter((r): r is TraceRun => r !== undefined)
  const appFailures = app.flatMap((r) => requiredMisses(r.targets).map((t) => `${r.trace.name}: ${t.id} (${t.detail})`))
  const controllers = runs[0]?.map((r) => r.run.controller) ?? []
  const tracesPassing = (name: string) => runs.filter((r) => requiredMisses(r.find((x) => x.run.controller === name)?.targets ?? []).length === 0).length
  const lines: string[] = []
  lines.push(SECTION_START)
  lines.push('## Uplink bitrate controller on synthetic and recorded networks (issues 5 and 11)')
  lines.push('')
  lines.push('`src/core/bitrate-controller.ts` (`app`, the controller the store runs) against `static` (the ceiling fixed at the preset max:')
  lines.push('the engine alone adapts), `gcc-like` (an application-level AIMD on netSpeed and 1101) and `naive` (halves on netJitter),')
  lines.push('through the same `BitrateController` interface, on the traces in `bench/bitrate/traces/` (synthetic) and')
  lines.push('`bench/bitrate/traces/recorded/` (Mahimahi cellular recordings at 1/10 of their capacity), in the deterministic simulator of')
  lines.push('`bench/bitrate/` (its netstatus model and sources: `bench/bitrate/README.md`).')
  lines.push('')
  lines.push('- Reproduce: `npm run bench:bitrate` (the whole suite; rewrites this section) or')
  lines.push('  `npm run bench:bitrate -- --trace bench/bitrate/traces/recorded/verizon-lte-short-up.json` (one JSON line per controller);')
  lines.push('  convert a recording: `npm run bench:bitrate -- --import-mahimahi FILE --scale 0.1 --out PATH.json`.')
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}; the suite took ${elapsedS.toFixed(1)} s on ${dateIso}.`)
  lines.push(`- Traces meeting every required target: ${controllers.map((c) => `\`${c}\` ${tracesPassing(c)}/${runs.length}`).join(', ')}.`)
  lines.push(appFailures.length === 0 ? '- `app` meets every required target on every trace.' : `- \`app\` misses: ${appFailures.join('; ')}.`)
  lines.push('- `late-vs-static` (delayOver200msPct ≤ 0.8 × `static`) is met by no controller on any trace where it applies: see')
  lines.push('  "Why no ceiling beats the engine on delay" below. It is reported, not required.')
  lines.push('')
  lines.push('### Targets for `app`, per trace')
  lines.push('')
  lines.push(`| trace | ${TARGET_ORDER.join(' | ')} |`)
  lines.push(`|---|${TARGET_ORDER.map(() => '---').join('|')}|`)
  for (const r of app) lines.push(`| ${r.trace.name} | ${TARGET_ORDER.map((id) => targetCell(r, id)).join(' | ')} |`)
  lines.push('')
  lines.push('"—": the target does not apply to that trace; "miss": a reported target that is not required. The targets')
  lines.push('(the `…-vs-static` ones on every recorded trace and every trace with a synthetic drop of ≥ 50 %):')
  lines.push('')
  for (const id of TARGET_ORDER) lines.push(`- \`${id}\`${TARGETS[id].required ? '' : ' (reported, not required)'}: ${TARGETS[id].text}.`)
  lines.push('')
  lines.push('### What a viewer feels, every controller side by side')
  lines.push('')
  lines.push('| trace | controller | required met | delay > 200 ms % | frozen s | p50 delay ms | p95 delay ms | video kbps | utilization | loss % | stall ticks | changes/min | flaps | min ceiling kbps | 1101s |')
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const perTrace of runs) {
    for (const r of perTrace) {
      const m = r.analysis.metrics
      lines.push(
        `| ${m.trace} | ${m.controller} | ${passCount(r)} | ${m.delayOver200msPct} | ${m.frozenS} | ${m.p50DelayMs} | ${m.p95DelayMs} | ${m.deliveredVideoKbps} | ${cell(m.utilization)} | ${m.lossPct} | ${m.stallTicks} | ${m.ceilingChangesPerMin} | ${m.flaps} | ${m.minCeilingKbps} | ${r.run.netBusyAtMs.length} |`,
      )
    }
  }
  lines.push('')
  if (extras.evidence && extras.evidence.length > 0) {
    lines.push('### Why no ceiling beats the engine on delay')
    lines.push('')
    lines.push('On every recorded trace, ceilings that no netstatus-fed controller can do better than (`bench/bitrate/evidence.ts`):')
    lines.push('`fixed-K` pins the ceiling at K kbps for the whole trace (the best constant, chosen in hindsight, is among them);')
    lines.push('`oracle-S` sets it at every input to S × the *true* capacity at that moment minus audio, which no phone knows, as often as')
    lines.push('inputs come. A ceiling meets `late-vs-static` only with utilization ≥ 0.97 × and delay > 200 ms ≤ 0.8 × `static`\'s:')
    lines.push('')
    lines.push('| trace | ceiling | utilization | × static | delay > 200 ms % | × static | p95 delay ms | frozen s | changes/min | meets both |')
    lines.push('|---|---|---|---|---|---|---|---|---|---|')
    for (const perTrace of extras.evidence) {
      const base = perTrace[0].analysis.metrics
      for (const r of perTrace) {
        const m = r.analysis.metrics
        const meets = (m.utilization ?? 0) >= 0.97 * (base.utilization ?? 0) && m.delayOver200msPct <= 0.8 * base.delayOver200msPct
        lines.push(
          `| ${m.trace} | ${m.controller} | ${cell(m.utilization)} | ${ratio(m.utilization, base.utilization)} | ${m.delayOver200msPct} | ${ratio(m.delayOver200msPct, base.delayOver200msPct)} | ${m.p95DelayMs} | ${m.frozenS} | ${m.ceilingChangesPerMin} | ${meets ? '**yes**' : 'no'} |`,
        )
      }
    }
    lines.push('')
    lines.push('Why: the engine under the ceiling reacts to the queue within about a second, from per-packet feedback; a netstatus tick')
    lines.push('comes every ~2 s and averages over that time. What is left of the delay over 200 ms is the engine\'s own probing and')
    lines.push('keyframe bursts at a link running near its capacity, and the only ceiling that removes it is one that sits well below')
    lines.push('the capacity all the time, which costs more than 3 % of the delivered video. Only a ceiling that knew the true capacity')
    lines.push('at every moment and changed it 15–30 times a minute meets the target, and not on every trace (the `oracle` rows); a phone')
    lines.push('knows neither, and the changes alone would break the limit of two a minute.')
    lines.push('')
    lines.push('So `app` does less: it moves the ceiling only on sustained congestion the pusher itself reports (1101, or a send deficit')
    lines.push('with frames piling up at the pusher on two ticks in a row), down to what still gets out, so the audio-only offer fires when')
    lines.push('the uplink is gone; and it gives the ceiling back in one step as soon as a tick shows the backlog gone, because a low')
    lines.push('ceiling also starves the engine\'s probing and costs utilization after the link returns. On a healthy or merely')
    lines.push('noisy link it does nothing, so it cannot make things worse there.')
    lines.push('')
  }
  if (extras.seeds && extras.seeds.length > 0) {
    lines.push('### The misses against `static`, over seeds')
    lines.push('')
    lines.push('Each trace where `app` misses a required target against `static`, run again with the next seeds (tick timing,')
    lines.push('VBR, loss, jitter and netJitter noise change; the capacity does not). After a ceiling change the two runs diverge, so')
    lines.push('a freeze can fall in one and not the other long after the change; the seeds show how much of a miss is that.')
    lines.push('')
    lines.push('| trace | seed | app frozen s | static frozen s | app delay > 200 ms % | static delay > 200 ms % | app utilization | static utilization | app p95 ms | static p95 ms |')
    lines.push('|---|---|---|---|---|---|---|---|---|---|')
    for (const perTrace of extras.seeds) {
      for (const [a, b] of perTrace) {
        const m = a.analysis.metrics
        const n = b.analysis.metrics
        lines.push(`| ${m.trace} | ${a.trace.seed} | ${m.frozenS} | ${n.frozenS} | ${m.delayOver200msPct} | ${n.delayOver200msPct} | ${cell(m.utilization)} | ${cell(n.utilization)} | ${m.p95DelayMs} | ${n.p95DelayMs} |`)
      }
    }
    lines.push('')
    for (const perTrace of extras.seeds) {
      const note = SEED_NOTES[perTrace[0][0].trace.name]
      if (note) lines.push(`- \`${perTrace[0][0].trace.name}\`: ${note}`)
    }
    lines.push('')
  }
  lines.push('### What is simulated, and how it is measured')
  lines.push('')
  lines.push(`- **Link**: piecewise-constant capacity; FIFO bottleneck with tail drop when the queued bits exceed \`queueMs\` at the current rate`)
  lines.push('  (at the last non-zero rate during an outage); one-way delay; per-packet jitter uniform in [0, `jitterMs`]; random loss after the bottleneck.')
  lines.push(`- **Pusher**: ${PUSHER_MODEL.fps} fps, keyframe every ${PUSHER_MODEL.gopS} s at ${PUSHER_MODEL.keyframeFactor}× a P-frame, ±${PUSHER_MODEL.vbrNoise * 100} % VBR;`)
  lines.push(`  encoder follows min(ceiling, engine target) with a ${PUSHER_MODEL.encoderLagMs} ms lag, never below min-bitrate, and skips frames while ${PUSHER_MODEL.senderQueueLimitFrames} wait at the sender;`)
  lines.push(`  pacer at ${PUSHER_MODEL.pacingFactor}× the media rate, held by the transport's window (estimate × (min RTT + ${PUSHER_MODEL.windowQueueMs} ms)), so a link that cannot take`)
  lines.push(`  the stream piles frames up at the sender; audio ${AUDIO_KBPS.high} kbps for audio-quality high (48 kHz), ${AUDIO_KBPS.low} kbps for low (16 kHz).`)
  lines.push(`  The engine is a simplified GCC (libwebrtc aimd_rate_control): on over-use (standing queue grew ${PUSHER_MODEL.growthThresholdMs} ms in each of two ${PUSHER_MODEL.growthWindowMs} ms windows,`)
  lines.push(`  or above ${PUSHER_MODEL.standingQueueShare * 100} % of the buffer) it cuts to ${PUSHER_MODEL.decreaseFactor} × delivered and holds while the queue drains; otherwise +${PUSHER_MODEL.increasePerS * 100} %/s,`)
  lines.push(`  capped at 1.5 × delivered + 10 kbps; it acts on what the network did ${PUSHER_MODEL.reactionLagMs} ms earlier. It starts at max-bitrate.`)
  lines.push(`- **Netstatus** (README.md has each field's model and source): sampled every ${NETSTATUS_MODEL.intervalMs} ms (σ ${NETSTATUS_MODEL.timerJitterSdMs} ms timer jitter), handed to the`)
  lines.push(`  controller after the bridge's delay (mean ${NETSTATUS_MODEL.deliveryMeanMs} ms, ${NETSTATUS_MODEL.lateShare * 100} % of ticks up to ${NETSTATUS_MODEL.lateMaxMs} ms later); netSpeed is what the sender sent, videoCache the`)
  lines.push(`  frames waiting at the sender; 1101 when over ${NET_BUSY_MODEL.windowMs / 1000} s the sender sent < ${(1 - NET_BUSY_MODEL.sendDeficit) * 100} % of what it produced or ≥ ${NET_BUSY_MODEL.queueFrames} frames waited the whole time.`)
  lines.push('- **Viewer**: a frame is shown when all its packets arrived, in capture order; its one-way delay is shown − captured')
  lines.push('  (sender queue, pacer, bottleneck, path). `delay > 200 ms %` is the share of shown frames over 200 ms; `frozen s` sums the')
  lines.push('  gaps between shown frames longer than 600 ms; `video kbps` is the shown frames\' bits over the trace; a stall tick is one in')
  lines.push('  which the receiver completed fewer than half the frames it should have. Random loss breaks a frame (no retransmission).')
  lines.push('- **Ceiling**: `utilization` is delivered ÷ (min(capacity, preset max + audio) × (1 − random loss)) outside the first 15 s and,')
  lines.push('  on synthetic traces, the 15 s after each ≥ 15 % step; `flaps` are down-up-down within 30 s; the `stable` target counts')
  lines.push('  changes and flaps after 30 s of convergence; a *drop* is a step to ≤ 50 % of the capacity that bites, a *rise* a ≥ 1.5× step.')
  lines.push(SECTION_END)
  return lines.join('\n')
}

/** Replace (or add) this benchmark's section in a BENCHMARKS.md text. */
export function withSection(existing: string | null, section: string): string {
  if (existing === null || existing.trim() === '') return `${FILE_HEADER}\n${section}\n`
  const start = existing.indexOf(SECTION_START)
  const end = existing.indexOf(SECTION_END)
  if (start >= 0 && end > start) return existing.slice(0, start) + section + existing.slice(end + SECTION_END.length)
  return `${existing.replace(/\s*$/, '')}\n\n${section}\n`
}

export function writeSection(path: string, section: string): void {
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : null
  writeFileSync(path, withSection(existing, section))
}
