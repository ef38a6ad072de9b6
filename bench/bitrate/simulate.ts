/**
 * The deterministic simulator: a trace and a controller in, a run record out.
 *
 * Every 5 ms: the engine (every 100 ms) updates its estimate from what it saw
 * `reactionLagMs` ago; the encoder moves towards min(ceiling, engine target);
 * frames (15 fps, keyframe every 2 s, ±5 % VBR) and audio (20 ms frames) are
 * packetised into the pacer, which feeds the bottleneck at 2.5 × the media
 * rate; the bottleneck queues, tail-drops, serves at the trace's capacity, and
 * the path adds one-way delay, jitter and random loss. Every 1–2 s (seeded) a
 * netstatus tick is synthesised from the last window and fed to the
 * controller; state code 1101 is fed when the queue has stayed over half full
 * for 2 s. The controller is called exactly as the app's store calls it.
 */
import type { BitrateController, DecisionReason } from '../../src/core/bitrate-controller'
import type { NetStatus } from '../../src/core/netstatus'
import { presetForRole, type Preset } from '../../src/core/presets'
import { Bottleneck } from './link'
import { AUDIO_KBPS, Engine, PUSHER_MODEL as M, encoderTarget, resolutionFor } from './pusher'
import { createRng } from './rng'
import { valueAt, type Trace } from './trace'

export const SIM_STEP_MS = 5
/** PUSH_WARNING_NET_BUSY, emitted when the bottleneck stayed over half full this long. */
export const NET_BUSY_CODE = 1101
export const NET_BUSY_AFTER_MS = 2000
/** A tick is a stall when the receiver completed fewer than this share of the frames it should have. */
export const STALL_SHARE = 0.5

/** Ground truth at a tick, for metrics and debugging; the controller never sees it. */
export interface TickTruth {
  readonly capacityKbps: number
  /** Wait of the oldest queued packet. */
  readonly queueDelayMs: number
  readonly engineKbps: number
  readonly encoderKbps: number
}

export interface TickRecord {
  readonly atMs: number
  readonly status: NetStatus
  /** Ceiling after the controller's decision on this tick. */
  readonly ceilingKbps: number
  readonly reason: DecisionReason
  readonly audioOnlySuggested: boolean
  readonly stall: boolean
  readonly truth: TickTruth
}

export interface DecisionRecord {
  readonly atMs: number
  readonly input: 'netstatus' | 'code'
  readonly ceilingKbps: number
  readonly reason: DecisionReason
}

export interface RunResult {
  readonly trace: Trace
  readonly controller: string
  readonly preset: Preset
  readonly audioKbps: number
  readonly initialCeilingKbps: number
  readonly ticks: readonly TickRecord[]
  /** One per controller input (ticks and codes), in order. */
  readonly decisions: readonly DecisionRecord[]
  readonly netBusyAtMs: readonly number[]
  readonly stepMs: number
  /** Bits that reached the receiver, bucketed by arrival step. */
  readonly deliveredBits: Float64Array
  /** Per admitted packet: when it entered the bottleneck, how long it queued, whether its wait spanned an outage. */
  readonly packetSendMs: Float64Array
  readonly packetQueueMs: Float64Array
  readonly packetInOutage: Uint8Array
  readonly packetCount: number
  readonly totals: { readonly offered: number; readonly tailDropped: number; readonly randomLost: number }
}

interface FrameState {
  pending: number
  lastEndMs: number
  broken: boolean
  lastArrivalMs: number
}

/** A growable Float64Array, to keep a 10-minute run's packet log cheap. */
class Column {
  data = new Float64Array(4096)
  length = 0
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }
  view(): Float64Array {
    return this.data.slice(0, this.length)
  }
}

export function simulate<S>(trace: Trace, controller: BitrateController<S>): RunResult {
  const preset = presetForRole(trace.role)
  const audioKbps = AUDIO_KBPS[preset.audioQuality]
  const step = SIM_STEP_MS
  const durationMs = trace.durationS * 1000
  const steps = Math.ceil(durationMs / step)
  const link = new Bottleneck(trace.capacityKbps, trace.queueMs)

  const rng = {
    ticks: createRng(trace.seed, 'ticks'),
    vbr: createRng(trace.seed, 'vbr'),
    loss: createRng(trace.seed, 'loss'),
    jitter: createRng(trace.seed, 'jitter'),
    netJitter: createRng(trace.seed, 'netJitter'),
  }

  let { state, decision } = controller.init(preset, 0)
  let ceiling = decision.ceiling.maxBitrateKbps
  const initialCeilingKbps = ceiling
  // The pusher starts encoding at max-bitrate.
  const engine = new Engine(ceiling + audioKbps, preset.minBitrateKbps + audioKbps)
  let encoderKbps = ceiling
  const encoderAlpha = 1 - Math.exp(-step / M.encoderLagMs)

  // Per-step buckets (by creation time, or by arrival time for delivery).
  const videoBits = new Float64Array(steps + 1)
  const audioBits = new Float64Array(steps + 1)
  const framesEncoded = new Float64Array(steps + 1)
  const deliveredBits = new Float64Array(steps + 1)
  const framesComplete = new Float64Array(steps + 1)
  const jitterSum = new Float64Array(steps + 1)
  const jitterCount = new Float64Array(steps + 1)
  const sojourn = new Float64Array(steps + 1)
  const stepOf = (atMs: number) => Math.floor(atMs / step)

  const packetSend = new Column()
  const packetQueue = new Column()
  const packetOutage: number[] = []
  const totals = { offered: 0, tailDropped: 0, randomLost: 0 }

  const ticks: TickRecord[] = []
  const decisions: DecisionRecord[] = []
  const netBusyAtMs: number[] = []

  // Pacer FIFO.
  const pacerBits: number[] = []
  const pacerFrame: number[] = []
  let pacerHead = 0
  let pacerBudget = 0

  const frames: FrameState[] = []
  let oldestLiveFrame = 0
  let lastPacketDelayMs: number | null = null

  const framesPerGop = M.fps * M.gopS
  const pFrameShare = framesPerGop / (M.keyframeFactor + framesPerGop - 1)
  const frameIntervalMs = 1000 / M.fps
  let frameIndex = 0
  let nextAudioMs = 0

  let lastTickMs = 0
  let lastTickStep = 0
  let nextTickMs = roundToStep(rng.ticks.uniform(1000, 2000))
  let overHalfSinceMs: number | null = null

  function roundToStep(ms: number): number {
    return Math.round(ms / step) * step
  }

  function feed(input: Parameters<BitrateController<S>['step']>[1]): void {
    ;({ state, decision } = controller.step(state, input, preset))
    ceiling = decision.ceiling.maxBitrateKbps
    decisions.push({ atMs: input.atMs, input: input.kind, ceilingKbps: ceiling, reason: decision.reason })
  }

  function finishFrame(id: number): void {
    const frame = frames[id]
    if (frame.pending === 0 && !frame.broken && frame.lastArrivalMs < durationMs) {
      framesComplete[stepOf(frame.lastArrivalMs)] += 1
    }
  }

  function send(bits: number, frameId: number, atMs: number): void {
    totals.offered++
    const admission = link.offer(atMs, bits)
    const frame = frameId >= 0 ? frames[frameId] : null
    if (frame) frame.pending--
    if (admission === null) {
      totals.tailDropped++
      if (frame) {
        frame.broken = true
        finishFrame(frameId)
      }
      return
    }
    const queueMs = admission.startMs - atMs
    // Did this packet's wait span an outage? Then no sender could have spared it the wait.
    const strandedByOutage = link.outageBetween(atMs, admission.startMs)
    packetSend.push(atMs)
    packetQueue.push(queueMs)
    packetOutage.push(strandedByOutage ? 1 : 0)
    const endMs = admission.endMs
    const atS = Math.min(endMs, durationMs) / 1000
    const lost = rng.loss.next() < valueAt(trace.lossPct, atS) / 100
    const extraMs = rng.jitter.uniform(0, valueAt(trace.jitterMs, atMs / 1000))
    const arrivalMs = endMs + trace.oneWayDelayMs + extraMs
    const delayMs = queueMs + extraMs
    if (arrivalMs < durationMs) {
      const s = stepOf(arrivalMs)
      if (lastPacketDelayMs !== null) {
        jitterSum[s] += Math.abs(delayMs - lastPacketDelayMs)
        jitterCount[s] += 1
      }
      if (!lost) deliveredBits[s] += bits
    }
    lastPacketDelayMs = delayMs
    if (lost) totals.randomLost++
    if (frame) {
      if (lost) frame.broken = true
      frame.lastEndMs = Math.max(frame.lastEndMs, endMs)
      frame.lastArrivalMs = Math.max(frame.lastArrivalMs, arrivalMs)
      finishFrame(frameId)
    }
  }

  function videoCacheAt(atMs: number): number {
    while (oldestLiveFrame < frames.length) {
      const f = frames[oldestLiveFrame]
      if (f.pending > 0 || f.lastEndMs > atMs) break
      oldestLiveFrame++
    }
    let cached = 0
    for (let i = oldestLiveFrame; i < frames.length; i++) {
      const f = frames[i]
      if (f.pending > 0 || f.lastEndMs > atMs) cached++
    }
    return cached
  }

  function deliveredKbpsBetween(fromMs: number, toMs: number): number {
    const from = Math.max(0, stepOf(fromMs) + 1)
    const to = Math.max(0, stepOf(toMs))
    let bits = 0
    for (let s = from; s <= to; s++) bits += deliveredBits[s]
    return toMs > fromMs ? bits / (toMs - fromMs) : 0
  }

  /** Minimum wait of the oldest queued packet over the filter window ending at `atMs`. */
  function standingQueue(atMs: number): number {
    const to = stepOf(atMs)
    let min = Infinity
    for (let i = Math.max(0, to - Math.round(M.filterWindowMs / step)); i <= Math.max(0, to); i++) min = Math.min(min, sojourn[i])
    return min
  }

  function synthesiseTick(atMs: number, currentStep: number): void {
    const windowMs = atMs - lastTickMs
    let v = 0
    let a = 0
    let d = 0
    let f = 0
    let complete = 0
    let jSum = 0
    let jCount = 0
    for (let s = lastTickStep + 1; s <= currentStep; s++) {
      v += videoBits[s]
      a += audioBits[s]
      d += deliveredBits[s]
      f += framesEncoded[s]
      complete += framesComplete[s]
      jSum += jitterSum[s]
      jCount += jitterCount[s]
    }
    // netJitter: mean delay variation between consecutive packets (ms), with
    // multiplicative and additive noise. Unit-less, as the SDK's.
    const variation = jCount > 0 ? jSum / jCount : 0
    const netJitter = Math.max(0, Math.round(variation * Math.exp(0.3 * rng.netJitter.normal()) + 2 * Math.abs(rng.netJitter.normal())))
    const videoKbps = v / windowMs
    const { width, height } = resolutionFor(encoderKbps)
    const status: NetStatus = {
      videoBitrate: Math.round(videoKbps),
      audioBitrate: Math.round(a / windowMs),
      netSpeed: Math.round(d / windowMs),
      netJitter,
      videoFPS: Math.round((f * 1000) / windowMs),
      videoGOP: M.gopS,
      videoWidth: width,
      videoHeight: height,
      videoCache: videoCacheAt(atMs),
    }
    const stall = complete < STALL_SHARE * M.fps * (windowMs / 1000)
    const truth: TickTruth = {
      capacityKbps: link.capacityAt(atMs),
      queueDelayMs: link.headSojournMs(atMs),
      engineKbps: engine.estimateKbps,
      encoderKbps,
    }
    feed({ kind: 'netstatus', atMs, status })
    ticks.push({ atMs, status, ceilingKbps: ceiling, reason: decision.reason, audioOnlySuggested: decision.audioOnlySuggested, stall, truth })
    lastTickMs = atMs
    lastTickStep = currentStep
  }

  for (let s = 0; s < steps; s++) {
    const t = s * step

    if (t % M.engineIntervalMs === 0) {
      const seenMs = t - M.reactionLagMs
      if (seenMs >= M.deliveredWindowMs) {
        engine.update(t, {
          sojournMs: standingQueue(seenMs),
          sojournBeforeMs: standingQueue(seenMs - M.growthWindowMs),
          sojournTwoBeforeMs: standingQueue(seenMs - 2 * M.growthWindowMs),
          deliveredKbps: deliveredKbpsBetween(seenMs - M.deliveredWindowMs, seenMs),
          queueMs: trace.queueMs,
        })
      }
    }

    encoderKbps += (encoderTarget(ceiling, engine.estimateKbps, audioKbps, preset) - encoderKbps) * encoderAlpha

    while (frameIndex * frameIntervalMs <= t) {
      const keyframe = frameIndex % framesPerGop === 0
      const share = (keyframe ? M.keyframeFactor * pFrameShare : pFrameShare) * (1 + rng.vbr.uniform(-M.vbrNoise, M.vbrNoise))
      const bits = encoderKbps * frameIntervalMs * share
      videoBits[s] += bits
      framesEncoded[s] += 1
      const packets = Math.max(1, Math.ceil(bits / M.packetBits))
      const id = frames.length
      frames.push({ pending: packets, lastEndMs: 0, broken: false, lastArrivalMs: 0 })
      let remaining = bits
      for (let p = 0; p < packets; p++) {
        const size = Math.min(M.packetBits, remaining)
        pacerBits.push(size)
        pacerFrame.push(id)
        remaining -= size
      }
      frameIndex++
    }
    while (nextAudioMs <= t) {
      const bits = audioKbps * M.audioFrameMs
      audioBits[s] += bits
      pacerBits.push(bits)
      pacerFrame.push(-1)
      nextAudioMs += M.audioFrameMs
    }

    if (pacerHead === pacerBits.length) {
      pacerBudget = 0
    } else {
      pacerBudget += M.pacingFactor * (encoderKbps + audioKbps) * step
      while (pacerBudget > 0 && pacerHead < pacerBits.length) {
        const bits = pacerBits[pacerHead]
        const frameId = pacerFrame[pacerHead]
        pacerHead++
        pacerBudget -= bits
        send(bits, frameId, t)
      }
      if (pacerHead > 8192 && pacerHead * 2 > pacerBits.length) {
        pacerBits.splice(0, pacerHead)
        pacerFrame.splice(0, pacerHead)
        pacerHead = 0
      }
    }

    sojourn[s] = link.headSojournMs(t)

    if (link.backlogAt(t) > 0.5 * link.limitBits(t)) {
      overHalfSinceMs ??= t
      if (t - overHalfSinceMs >= NET_BUSY_AFTER_MS) {
        netBusyAtMs.push(t)
        feed({ kind: 'code', atMs: t, code: NET_BUSY_CODE })
        overHalfSinceMs = t
      }
    } else {
      overHalfSinceMs = null
    }

    if (t >= nextTickMs) {
      synthesiseTick(t, s)
      nextTickMs = t + roundToStep(rng.ticks.uniform(1000, 2000))
    }
  }

  return {
    trace,
    controller: controller.name,
    preset,
    audioKbps,
    initialCeilingKbps,
    ticks,
    decisions,
    netBusyAtMs,
    stepMs: step,
    deliveredBits,
    packetSendMs: packetSend.view(),
    packetQueueMs: packetQueue.view(),
    packetInOutage: Uint8Array.from(packetOutage),
    packetCount: packetSend.length,
    totals,
  }
}
