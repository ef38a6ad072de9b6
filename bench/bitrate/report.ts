/**
 * The BENCHMARKS.md section of this benchmark. Only the text between the
 * markers is ours; other benchmarks add their own sections around it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import type { EventMetric, Metrics } from './metrics'
import { PUSHER_MODEL, AUDIO_KBPS } from './pusher'
import type { TraceRun } from './suite'
import { TARGETS, type TargetId } from './targets'

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

const TARGET_ORDER: TargetId[] = ['first-cut', 'settle', 'p95-queue', 'no-downgrade', 'stable', 'utilization', 'recover', 'loss-ceiling', 'jitter-spike', 'floor']

function cell(value: EventMetric | number | null): string {
  if (value === null) return '—'
  return String(value)
}

function targetCell(run: TraceRun, id: TargetId): string {
  const results = run.targets.filter((t) => t.id === id)
  if (results.length === 0) return '—'
  return results.every((t) => t.pass) ? 'pass' : '**FAIL**'
}

function passCount(run: TraceRun): string {
  const passed = run.targets.filter((t) => t.pass).length
  return passed === run.targets.length ? `${passed}/${run.targets.length}` : `**${passed}/${run.targets.length}**`
}

function firstCut(m: Metrics): string {
  if (m.ticksToFirstCut === null) return '—'
  if (m.ticksToFirstCut === 'never') return 'never'
  return `${m.ticksToFirstCut} / ${m.timeToFirstCutS} s`
}

/** Runs shown next to the main table. */
export interface Extras {
  /** `v1` (the literal rules of the meeting-client issue) on every trace of the suite. */
  readonly ablation?: readonly TraceRun[]
  /** Every controller on traces outside the suite that show a limit of the set-up. */
  readonly limits?: ReadonlyArray<readonly TraceRun[]>
}

function missedTargets(run: TraceRun): string {
  const missed = [...new Set(run.targets.filter((t) => !t.pass).map((t) => t.id))]
  return missed.length === 0 ? 'none' : missed.join(', ')
}

/** The section's markdown, markers included. */
export function renderSection(
  runs: ReadonlyArray<readonly TraceRun[]>,
  machine: MachineInfo,
  elapsedS: number,
  dateIso: string,
  extras: Extras = {},
): string {
  const app = runs.map((r) => r.find((x) => x.run.controller === 'app')).filter((r): r is TraceRun => r !== undefined)
  const appFailures = app.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `${r.trace.name}: ${t.id} (${t.detail})`))
  const controllers = runs[0]?.map((r) => r.run.controller) ?? []
  const tracesPassing = (name: string) => runs.filter((r) => r.find((x) => x.run.controller === name)?.targets.every((t) => t.pass)).length
  const lines: string[] = []
  lines.push(SECTION_START)
  lines.push('## Uplink bitrate controller on a network-trace suite (issue 5)')
  lines.push('')
  lines.push('`src/core/bitrate-controller.ts` (`app`, the controller the store runs) against two baselines through the same')
  lines.push('`BitrateController` interface, on the shipped traces in `bench/bitrate/traces/`, in the deterministic simulator of `bench/bitrate/`.')
  lines.push('')
  lines.push('- Reproduce: `npm run bench:bitrate` (the whole suite; rewrites this section) or')
  lines.push('  `npm run bench:bitrate -- --trace bench/bitrate/traces/step-drop-50-host.json` (one JSON line per controller).')
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}, Node ${machine.node}; the suite took ${elapsedS.toFixed(1)} s on ${dateIso}.`)
  lines.push(`- Traces meeting every target: ${controllers.map((c) => `\`${c}\` ${tracesPassing(c)}/${runs.length}`).join(', ')}.`)
  lines.push(appFailures.length === 0 ? '- `app` meets every target on every trace.' : `- \`app\` misses: ${appFailures.join('; ')}.`)
  lines.push('')
  lines.push('### Targets for `app`, per trace')
  lines.push('')
  lines.push(`| trace | ${TARGET_ORDER.join(' | ')} |`)
  lines.push(`|---|${TARGET_ORDER.map(() => '---').join('|')}|`)
  for (const r of app) lines.push(`| ${r.trace.name} | ${TARGET_ORDER.map((id) => targetCell(r, id)).join(' | ')} |`)
  lines.push('')
  lines.push('"—": the target does not apply to that trace. The targets:')
  lines.push('')
  for (const id of TARGET_ORDER) lines.push(`- \`${id}\`: ${TARGETS[id]}.`)
  lines.push('')
  lines.push('### `app`, `static` and `naive` side by side')
  lines.push('')
  lines.push('| trace | controller | targets met | first cut (ticks / s) | settle s | recover s | utilization | p95 queue ms | loss % | changes/min | flaps | stall ticks | min ceiling kbps |')
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const perTrace of runs) {
    for (const r of perTrace) {
      const m = r.analysis.metrics
      lines.push(
        `| ${m.trace} | ${m.controller} | ${passCount(r)} | ${firstCut(m)} | ${cell(m.timeToSettleS)} | ${cell(m.timeToRecoverS)} | ${cell(m.utilization)} | ${m.p95QueueDelayMs} | ${m.lossPct} | ${m.ceilingChangesPerMin} | ${m.flaps} | ${m.stallTicks} | ${m.minCeilingKbps} |`,
      )
    }
  }
  lines.push('')
  lines.push('"never": the event window (until the next capacity step) ended first; "—": no such event in the trace.')
  lines.push('Per-event metrics report the worst event of the trace.')
  lines.push('')
  if (extras.ablation && extras.ablation.length > 0) {
    lines.push('### What made the difference')
    lines.push('')
    lines.push('`v1` below is the rule set of the meeting-client issue implemented literally (`bench/bitrate/ablation.ts`: cut 0.75× when netJitter ≥ 30')
    lines.push('on two ticks together with a send deficit, or at once on 1101; +8 %/s after two calm ticks). Same simulator, same traces:')
    lines.push('')
    lines.push('| trace | `v1` targets met | `v1` misses | `v1` settle s | `v1` recover s | `app` targets met |')
    lines.push('|---|---|---|---|---|---|')
    for (const v1 of extras.ablation) {
      const appRun = app.find((a) => a.trace.name === v1.trace.name)
      const m = v1.analysis.metrics
      lines.push(`| ${v1.trace.name} | ${passCount(v1)} | ${missedTargets(v1)} | ${cell(m.timeToSettleS)} | ${cell(m.timeToRecoverS)} | ${appRun ? passCount(appRun) : '—'} |`)
    }
    lines.push('')
    lines.push('What changed from v1 to `app`, and why:')
    lines.push('')
    lines.push('1. **Detect on the send deficit corroborated by videoCache, not on netJitter.** After a drop the bottleneck queue is full but')
    lines.push('   steady, so netJitter (delay *variation*) barely moves; v1 therefore only cuts on the late 1101 and misses `first-cut`. `app`')
    lines.push('   cuts on the tick that shows a deficit ≥ 25 % with ≥ 2 frames piled up (or ≥ 20 % with a full queue of ≥ 4 frames), or on two')
    lines.push('   ticks of ≥ 12 % with frames piled up on both; a lone keyframe burst or a jitter spike never satisfies either.')
    lines.push('2. **Cut to a fraction of what gets through, not by a fixed factor.** max(0.85 × (netSpeed − audio), 0.8 × netSpeed) lands in')
    lines.push('   [0.75, 1.0] × capacity; v1\'s 0.75× of the old ceiling never reaches the band after a 50 % or 75 % drop. The tick after a cut')
    lines.push('   refines it once, because the cutting tick averaged pre- and post-drop delivery.')
    lines.push('3. **Tell random loss from congestion.** A deficit with nothing queued is loss; `app` learns that floor and takes it off the')
    lines.push('   deficit and puts it back into the capacity estimate, so 5 % and 20 % loss never cut and a drop on a lossy link still settles.')
    lines.push('4. **Reopen carefully, then get out of the way.** +8 %/s for 5 s after a cut, then up to +20 %/s while the encoder is pinned at')
    lines.push('   the ceiling on a healthy link, and a ceiling the engine is not using is reopened once the link has been healthy for 3 ticks,')
    lines.push('   10 s after the cut. v1\'s 8 %/s all the way takes twice as long to reopen after the outage.')
    lines.push('5. **Never fight the engine.** No move on a single tick, none while the engine sits below the ceiling, none on random loss:')
    lines.push('   no ceiling change after convergence on the stable traces.')
    lines.push('')
    lines.push('On delivery (utilization, p95 queue delay, loss) `app` and `static` are close: the simulated engine reacts to the queue within')
    lines.push('its 1 s lag, before the first netstatus tick can show a drop, so the ceiling is a guard rail that keeps it from re-probing')
    lines.push('into a collapsed link (slightly less loss after drops), not a second rate controller. The targets `static` misses are the')
    lines.push('ones about reacting: the first cut and settling into the band.')
    lines.push('')
  }
  if (extras.limits && extras.limits.length > 0) {
    lines.push('### Known limit: deeper buffers than 300 ms')
    lines.push('')
    lines.push('With a bottleneck buffer deeper than the issue\'s 300 ms, no controller that learns of a drop from 1–2 s netstatus ticks can keep')
    lines.push('the p95 of the drop transient under 300 ms: at 2× overload the buffer fills in `queueMs`, well before the first tick, and the')
    lines.push('packets already in it wait it out. These traces are not in the suite; they show the size of the effect:')
    lines.push('')
    lines.push('| trace | queueMs | controller | p95 queue ms | whole-run p95 ms | targets missed |')
    lines.push('|---|---|---|---|---|---|')
    for (const perTrace of extras.limits) {
      for (const r of perTrace) {
        lines.push(`| ${r.trace.name} | ${r.trace.queueMs} | ${r.run.controller} | ${r.analysis.metrics.p95QueueDelayMs} | ${r.analysis.p95WholeRunMs.toFixed(1)} | ${missedTargets(r)} |`)
      }
    }
    lines.push('')
  }
  lines.push('### What is simulated, and how it is measured')
  lines.push('')
  lines.push(`- **Link**: piecewise-constant capacity; FIFO bottleneck with tail drop when the queued bits exceed \`queueMs\` at the current rate`)
  lines.push('  (at the last non-zero rate during an outage); one-way delay; per-packet jitter uniform in [0, `jitterMs`]; random loss after the bottleneck.')
  lines.push(`- **Pusher**: ${PUSHER_MODEL.fps} fps, keyframe every ${PUSHER_MODEL.gopS} s at ${PUSHER_MODEL.keyframeFactor}× a P-frame, ±${PUSHER_MODEL.vbrNoise * 100} % VBR;`)
  lines.push(`  encoder follows min(ceiling, engine target) with a ${PUSHER_MODEL.encoderLagMs} ms lag, never below min-bitrate; pacer at ${PUSHER_MODEL.pacingFactor}× the media rate;`)
  lines.push(`  audio ${AUDIO_KBPS.high} kbps for audio-quality high (48 kHz), ${AUDIO_KBPS.low} kbps for low (16 kHz) — TRTC's rates for those sample rates.`)
  lines.push(`  The engine is a simplified GCC (libwebrtc aimd_rate_control): on over-use (standing queue grew ${PUSHER_MODEL.growthThresholdMs} ms in each of two ${PUSHER_MODEL.growthWindowMs} ms windows,`)
  lines.push(`  or above ${PUSHER_MODEL.standingQueueShare * 100} % of the buffer) it cuts to ${PUSHER_MODEL.decreaseFactor} × delivered and holds while the queue drains; otherwise +${PUSHER_MODEL.increasePerS * 100} %/s,`)
  lines.push(`  capped at 1.5 × delivered + 10 kbps; it acts on what the network did ${PUSHER_MODEL.reactionLagMs} ms earlier. It starts at max-bitrate.`)
  lines.push('- **Netstatus**: a tick every 1–2 s (seeded) with videoBitrate, audioBitrate (encoder output), netSpeed (delivered), netJitter (mean')
  lines.push('  delay variation between consecutive packets, with multiplicative and additive noise), videoFPS, videoGOP, videoWidth/Height and')
  lines.push('  videoCache (frames not yet through the bottleneck); state code 1101 when the queue stayed over half full for 2 s (again every 2 s while it does).')
  lines.push('- **Events**: a *drop* is a capacity step to ≤ 50 % that bites (new capacity < 90 % of min(old capacity, preset max + audio));')
  lines.push('  a *rise* is a ≥ 1.5× step of min(capacity, preset max + audio). A drop is *observable* from the first tick whose netSpeed is')
  lines.push('  below 75 % of videoBitrate + audioBitrate, or from a 1101. `first-cut` passes when the first cut is no later than that;')
  lines.push('  `settle` when the ceiling is in [0.75, 1.0] × capacity (clamped into the preset range) by the third tick counting the observable one.')
  lines.push('- **Metrics**: `timeToRecoverS` is measured on the ceiling (≥ 90 % of min(capacity, preset max)); `utilization` is delivered ÷')
  lines.push('  (min(capacity, preset max + audio) × (1 − random loss)) outside the first 15 s and the 15 s after each ≥ 15 % step;')
  lines.push('  `p95QueueDelayMs` is the worst of the whole run and of each drop\'s 10 s transient, leaving out packets whose wait spanned an outage;')
  lines.push('  `flaps` are down-up-down within 30 s; a stall tick is one in which the receiver completed fewer than half the frames it should have.')
  lines.push('  The `stable` target counts changes and flaps after 30 s of convergence.')
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
