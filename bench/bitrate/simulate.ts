/**
 * The deterministic simulator: a trace and a controller in, a run record out.
 *
 * Every 5 ms: the engine (every 100 ms) updates its estimate from what it saw
 * `reactionLagMs` ago; the encoder moves towards min(ceiling, engine target);
 * frames (15 fps, keyframe every 2 s, ±5 % VBR) and audio (20 ms frames) are
 * packetised into the sender's queue, which the pacer drains at 2.5 × the
 * media rate as far as the transport's window lets it; the bottleneck queues,
 * tail-drops, serves at the trace's capacity, and the path adds one-way delay,
 * jitter and random loss.
 *
 * The controller sees only what a pusher reports, measured where the pusher
 * measures it (bench/bitrate/README.md documents each field): every ~2 s a
 * netstatus tick from the sender's own counters (videoCache = frames waiting
 * at the sender, netSpeed = what the sender sent), delivered to the handler a
 * little late as a real bridge callback is; and 1101 when the sender's own
 * queue or send deficit says the uplink cannot keep up. The controller is
 * called exactly as the app's store calls it.
 */
import type { BitrateController, DecisionReason } from '../../src/core/bitrate-controller'
import type { NetStatus } from '../../src/core/netstatus'
import { presetForRole, type Preset } from '../../src/core/presets'
import { Bottleneck } from './link'
import { AUDIO_KBPS, Engine, PUSHER_MODEL as M, encoderTarget, resolutionFor } from './pusher'
import { createRng } from './rng'
import { valueAt, type Trace } from './trace'

export const SIM_STEP_MS = 5
/** PUSH_WARNING_NET_BUSY. */
export const NET_BUSY_CODE = 1101
/** A tick is a stall when the receiver completed fewer than this share of the frames it should have. */
export const STALL_SHARE = 0.5

/**
 * When and how the pusher reports (README.md, "netstatus"). The SDK samples
 * its counters on a 2 s timer (LiteAV's onNetStatus period) and posts the
 * result over the bridge to the JS thread, which runs the handler a little
 * later, now and then much later when the JS thread is busy.
 */
export const NETSTATUS_MODEL = {
  intervalMs: 2000,
  /** Timer jitter of the sampling, standard deviation (clipped at 3σ). */
  timerJitterSdMs: 20,
  /** Bridge delay to the handler: exponential with this mean… */
  deliveryMeanMs: 15,
  /** …and with this probability a busy JS thread adds up to lateMaxMs. */
  lateShare: 0.05,
  lateMaxMs: 600,
} as const

/**
 * 1101 from the sender's own view (README.md, "1101"): over the last
 * `windowMs` either the sender sent less than (1 − sendDeficit) of what the
 * encoders produced, or at least `queueFrames` frames waited at the sender the
 * whole time. Checked every `checkMs`, repeated every `windowMs` while it lasts.
 */
export const NET_BUSY_MODEL = {
  checkMs: 100,
  windowMs: 2000,
  sendDeficit: 0.3,
  queueFrames: 5,
} as const

/** Ground truth at a tick, for metrics and debugging; the controller never sees it. */
export interface TickTruth {
  readonly capacityKbps: number
  /** Wait of the oldest packet queued at the bottleneck. */
  readonly queueDelayMs: number
  readonly engineKbps: number
  readonly encoderKbps: number
  /** kbps that reached the receiver over the tick's window (goodput). */
  readonly deliveredKbps: number
}

export interface TickRecord {
  /** When the handler ran (the `atMs` the controller got); the counters were sampled at `sampledAtMs`. */
  readonly atMs: number
  readonly sampledAtMs: number
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
  readonly audioOnlySuggested: boolean
}

/** Every camera frame: when it was captured, whether it was encoded, and when (if ever) it arrived whole. */
export interface FrameLog {
  readonly count: number
  readonly captureMs: Float64Array
  /** 0 for a frame the encoder skipped. */
  readonly bits: Float64Array
  /** Arrival of its last packet at the receiver; NaN when skipped, lost in part, or not arrived by the end. */
  readonly arrivalMs: Float64Array
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
  /** When each 1101 reached the controller. */
  readonly netBusyAtMs: readonly number[]
  readonly stepMs: number
  /** Bits that reached the receiver, bucketed by arrival step. */
  readonly deliveredBits: Float64Array
  /** Per packet admitted to the bottleneck: when it entered it, how long it queued there, whether its wait spanned an outage. */
  readonly packetSendMs: Float64Array
  readonly packetQueueMs: Float64Array
  readonly packetInOutage: Uint8Array
  readonly packetCount: number
  readonly frames: FrameLog
  readonly totals: { readonly offered: number; readonly tailDropped: number; readonly randomLost: number; readonly framesSkipped: number }
}

interface FrameState {
  /** Packets not yet handed to the network. */
  unsent: number
  /** Packets not yet accounted for at the receiver. */
  pending: number
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

type Input = Parameters<BitrateController<unknown>['step']>[1]

export function simulate<S>(trace: Trace, controller: BitrateController<S>): RunResult {
  const preset = presetForRole(trace.role)
  const audioKbps = AUDIO_KBPS[preset.audioQuality]
  const step = SIM_STEP_MS
  const durationMs = trace.durationS * 1000
  const steps = Math.ceil(durationMs / step)
  const link = new Bottleneck(trace.capacityKbps, trace.queueMs)
  const minRttMs = 2 * trace.oneWayDelayMs

  const rng = {
    ticks: createRng(trace.seed, 'ticks'),
    delivery: createRng(trace.seed, 'delivery'),
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

  // Per-step buckets (by creation time, by send time, or by arrival time).
  const videoBits = new Float64Array(steps + 1)
  const audioBits = new Float64Array(steps + 1)
  const framesEncoded = new Float64Array(steps + 1)
  const sentBits = new Float64Array(steps + 1)
  const deliveredBits = new Float64Array(steps + 1)
  const framesComplete = new Float64Array(steps + 1)
  const jitterSum = new Float64Array(steps + 1)
  const jitterCount = new Float64Array(steps + 1)
  const sojourn = new Float64Array(steps + 1)
  /** Frames waiting at the sender at the end of each step. */
  const senderFrames = new Float64Array(steps + 1)
  const stepOf = (atMs: number) => Math.floor(atMs / step)

  const packetSend = new Column()
  const packetQueue = new Column()
  const packetOutage: number[] = []
  const frameCapture = new Column()
  const frameBits = new Column()
  const totals = { offered: 0, tailDropped: 0, randomLost: 0, framesSkipped: 0 }

  const ticks: TickRecord[] = []
  const decisions: DecisionRecord[] = []
  const netBusyAtMs: number[] = []

  // The sender's queue (packets not yet handed to the network).
  const pacerBits: number[] = []
  const pacerFrame: number[] = []
  let pacerHead = 0
  let pacerBudget = 0
  let framesAtSender = 0

  // In flight: sent, not yet acknowledged (or known lost) by feedback. Release times are kept non-decreasing.
  const flightRelease: number[] = []
  const flightBits: number[] = []
  let flightHead = 0
  let inFlightBits = 0
  let lastReleaseMs = 0

  const frames: FrameState[] = []
  let lastPacketDelayMs: number | null = null

  const framesPerGop = M.fps * M.gopS
  const pFrameShare = framesPerGop / (M.keyframeFactor + framesPerGop - 1)
  const frameIntervalMs = 1000 / M.fps
  let frameIndex = 0
  let keyframeDue = true
  let nextAudioMs = 0

  // Netstatus: sampled on the SDK's timer, delivered to the handler later, in order.
  const N = NETSTATUS_MODEL
  let lastSampleMs = 0
  let lastSampleStep = 0
  let sampleIndex = 1
  let nextSampleMs = sampleTime(N.intervalMs)
  const pending: Array<{ deliverAtMs: number; input: Input; sampledAtMs: number; stall: boolean; truth: TickTruth | null }> = []
  let lastDeliverAtMs = 0
  let lastNetBusyMs = -Infinity
  let queueBusySinceMs: number | null = null

  function roundToStep(ms: number): number {
    return Math.round(ms / step) * step
  }

  function sampleTime(nominalMs: number): number {
    const jitter = Math.max(-3, Math.min(3, rng.ticks.normal())) * N.timerJitterSdMs
    return roundToStep(nominalMs + jitter)
  }

  function post(atMs: number, input: Input, stall = false, truth: TickTruth | null = null): void {
    let delay = -N.deliveryMeanMs * Math.log(1 - rng.delivery.next())
    if (rng.delivery.next() < N.lateShare) delay += rng.delivery.uniform(0, N.lateMaxMs)
    // One bridge, one JS thread: callbacks run in the order they were posted.
    const deliverAtMs = Math.max(lastDeliverAtMs, roundToStep(atMs + delay))
    lastDeliverAtMs = deliverAtMs
    pending.push({ deliverAtMs, input: { ...input, atMs: deliverAtMs }, sampledAtMs: atMs, stall, truth })
  }

  function deliverDue(t: number): void {
    while (pending.length > 0 && pending[0].deliverAtMs <= t) {
      const p = pending.shift()!
      ;({ state, decision } = controller.step(state, p.input, preset))
      ceiling = decision.ceiling.maxBitrateKbps
      decisions.push({ atMs: p.deliverAtMs, input: p.input.kind, ceilingKbps: ceiling, reason: decision.reason, audioOnlySuggested: decision.audioOnlySuggested })
      if (p.input.kind === 'code') netBusyAtMs.push(p.deliverAtMs)
      else {
        ticks.push({
          atMs: p.deliverAtMs,
          sampledAtMs: p.sampledAtMs,
          status: p.input.status,
          ceilingKbps: ceiling,
          reason: decision.reason,
          audioOnlySuggested: decision.audioOnlySuggested,
          stall: p.stall,
          truth: p.truth!,
        })
      }
    }
  }

  function finishFrame(id: number): void {
    const frame = frames[id]
    if (frame.pending === 0 && !frame.broken && frame.lastArrivalMs < durationMs) {
      framesComplete[stepOf(frame.lastArrivalMs)] += 1
    }
  }

  function release(atMs: number): void {
    while (flightHead < flightRelease.length && flightRelease[flightHead] <= atMs) {
      inFlightBits -= flightBits[flightHead]
      flightHead++
    }
    if (flightHead > 4096 && flightHead * 2 > flightRelease.length) {
      flightRelease.splice(0, flightHead)
      flightBits.splice(0, flightHead)
      flightHead = 0
    }
  }

  function inFlight(bits: number, releaseMs: number): void {
    lastReleaseMs = Math.max(lastReleaseMs, releaseMs)
    flightRelease.push(lastReleaseMs)
    flightBits.push(bits)
    inFlightBits += bits
  }

  /** Hand one packet to the network at `atMs`. */
  function send(bits: number, frameId: number, atMs: number): void {
    totals.offered++
    sentBits[stepOf(atMs)] += bits
    const admission = link.offer(atMs, bits)
    const frame = frameId >= 0 ? frames[frameId] : null
    if (frame && --frame.unsent === 0) framesAtSender--
    if (admission === null) {
      totals.tailDropped++
      // Feedback reports the gap about one round trip later.
      inFlight(bits, atMs + minRttMs)
      if (frame) {
        frame.pending--
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
    inFlight(bits, endMs + minRttMs)
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
      frame.pending--
      if (lost) frame.broken = true
      frame.lastArrivalMs = Math.max(frame.lastArrivalMs, arrivalMs)
      finishFrame(frameId)
    }
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

  /** The pusher's counters over (last sample, now]: what the SDK puts in a netstatus. */
  function sampleNetStatus(atMs: number, currentStep: number): void {
    const windowMs = atMs - lastSampleMs
    let v = 0
    let a = 0
    let sent = 0
    let d = 0
    let f = 0
    let complete = 0
    let jSum = 0
    let jCount = 0
    for (let s = lastSampleStep + 1; s <= currentStep; s++) {
      v += videoBits[s]
      a += audioBits[s]
      sent += sentBits[s]
      d += deliveredBits[s]
      f += framesEncoded[s]
      complete += framesComplete[s]
      jSum += jitterSum[s]
      jCount += jitterCount[s]
    }
    // netJitter: mean delay variation between consecutive packets (ms) as
    // the sender's feedback shows it, with multiplicative and additive noise.
    // Unit-less, as the SDK's (README.md).
    const variation = jCount > 0 ? jSum / jCount : 0
    const netJitter = Math.max(0, Math.round(variation * Math.exp(0.3 * rng.netJitter.normal()) + 2 * Math.abs(rng.netJitter.normal())))
    const { width, height } = resolutionFor(encoderKbps)
    const status: NetStatus = {
      videoBitrate: Math.round(v / windowMs),
      audioBitrate: Math.round(a / windowMs),
      netSpeed: Math.round(sent / windowMs),
      netJitter,
      videoFPS: Math.round((f * 1000) / windowMs),
      videoGOP: M.gopS,
      videoWidth: width,
      videoHeight: height,
      videoCache: framesAtSender,
      audioCache: 0,
    }
    const stall = complete < STALL_SHARE * M.fps * (windowMs / 1000)
    const truth: TickTruth = {
      capacityKbps: link.capacityAt(atMs),
      queueDelayMs: link.headSojournMs(atMs),
      engineKbps: engine.estimateKbps,
      encoderKbps,
      deliveredKbps: d / windowMs,
    }
    post(atMs, { kind: 'netstatus', atMs, status }, stall, truth)
    lastSampleMs = atMs
    lastSampleStep = currentStep
  }

  /** 1101 as the sender can tell it: its own send deficit, or frames waiting at it for the whole window. */
  function checkNetBusy(t: number, s: number): void {
    const B = NET_BUSY_MODEL
    if (senderFrames[s] >= B.queueFrames) queueBusySinceMs ??= t
    else queueBusySinceMs = null
    if (t < B.windowMs || t - lastNetBusyMs < B.windowMs) return
    const from = s - Math.round(B.windowMs / step) + 1
    let produced = 0
    let sent = 0
    for (let i = Math.max(0, from); i <= s; i++) {
      produced += videoBits[i] + audioBits[i]
      sent += sentBits[i]
    }
    const deficit = produced > 0 && sent < (1 - B.sendDeficit) * produced
    const queued = queueBusySinceMs !== null && t - queueBusySinceMs >= B.windowMs
    if (deficit || queued) {
      lastNetBusyMs = t
      post(t, { kind: 'code', atMs: t, code: NET_BUSY_CODE })
    }
  }

  for (let s = 0; s < steps; s++) {
    const t = s * step
    deliverDue(t)
    release(t)

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
      frameCapture.push(frameIndex * frameIntervalMs)
      if (framesAtSender >= M.senderQueueLimitFrames) {
        // Skipped at the encoder: nothing is produced, the next encoded frame refers to the last one sent.
        totals.framesSkipped++
        frameBits.push(0)
        frames.push({ unsent: 0, pending: 0, broken: true, lastArrivalMs: 0 })
        frameIndex++
        continue
      }
      keyframeDue ||= frameIndex % framesPerGop === 0
      const share = (keyframeDue ? M.keyframeFactor * pFrameShare : pFrameShare) * (1 + rng.vbr.uniform(-M.vbrNoise, M.vbrNoise))
      keyframeDue = false
      const bits = encoderKbps * frameIntervalMs * share
      videoBits[s] += bits
      framesEncoded[s] += 1
      frameBits.push(bits)
      const packets = Math.max(1, Math.ceil(bits / M.packetBits))
      const id = frames.length
      frames.push({ unsent: packets, pending: packets, broken: false, lastArrivalMs: 0 })
      framesAtSender++
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
      const windowBits = Math.max(M.windowMinPackets * M.packetBits, engine.estimateKbps * (minRttMs + M.windowQueueMs))
      pacerBudget += M.pacingFactor * (encoderKbps + audioKbps) * step
      while (pacerBudget > 0 && pacerHead < pacerBits.length && inFlightBits + pacerBits[pacerHead] <= windowBits) {
        const bits = pacerBits[pacerHead]
        const frameId = pacerFrame[pacerHead]
        pacerHead++
        pacerBudget -= bits
        send(bits, frameId, t)
      }
      // Held back by the window: the pacer does not save up a burst for later.
      pacerBudget = Math.min(pacerBudget, M.packetBits)
      if (pacerHead > 8192 && pacerHead * 2 > pacerBits.length) {
        pacerBits.splice(0, pacerHead)
        pacerFrame.splice(0, pacerHead)
        pacerHead = 0
      }
    }

    sojourn[s] = link.headSojournMs(t)
    senderFrames[s] = framesAtSender
    if (t % NET_BUSY_MODEL.checkMs === 0) checkNetBusy(t, s)

    if (t >= nextSampleMs) {
      sampleNetStatus(t, s)
      // The timer keeps its 2 s grid: a late sample does not delay the next one.
      nextSampleMs = sampleTime(++sampleIndex * N.intervalMs)
    }
  }
  deliverDue(durationMs)

  const arrivalMs = new Float64Array(frames.length)
  frames.forEach((f, i) => {
    arrivalMs[i] = f.pending === 0 && !f.broken && f.lastArrivalMs < durationMs ? f.lastArrivalMs : Number.NaN
  })

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
    frames: { count: frames.length, captureMs: frameCapture.view(), bits: frameBits.view(), arrivalMs },
    totals,
  }
}
