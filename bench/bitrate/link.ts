/**
 * The bottleneck: a FIFO served at the trace's piecewise-constant capacity,
 * with tail drop when the queued bits exceed `queueMs` at the link's current
 * rate (during an outage, at the last non-zero rate: the buffer does not
 * vanish when the radio does).
 */
import type { Schedule } from './trace'

interface Segment {
  readonly startMs: number
  readonly endMs: number
  /** kbps = bits per ms. */
  readonly rate: number
}

interface Queued {
  arrivalMs: number
  endMs: number
  bits: number
}

export interface Admission {
  /** Time service starts (arrival + queueing delay). */
  readonly startMs: number
  /** Time the last bit leaves the bottleneck; Infinity if capacity never returns. */
  readonly endMs: number
}

export class Bottleneck {
  private readonly segments: Segment[]
  private readonly queueMs: number
  private readonly queue: Queued[] = []
  private head = 0
  private backlogBits = 0
  private busyUntilMs = 0
  private segmentIndex = 0
  /** The zero-capacity segments, and for each segment the last non-zero rate (recorded traces have hundreds of segments). */
  private readonly outages: Segment[]
  private readonly effectiveRates: number[]

  constructor(capacityKbps: Schedule, queueMs: number) {
    this.queueMs = queueMs
    this.segments = capacityKbps.map(([startS, kbps], i) => ({
      startMs: startS * 1000,
      endMs: i + 1 < capacityKbps.length ? capacityKbps[i + 1][0] * 1000 : Infinity,
      rate: kbps,
    }))
    this.outages = this.segments.filter((seg) => seg.rate === 0)
    const firstNonZero = this.segments.find((seg) => seg.rate > 0)?.rate ?? 0
    let last = firstNonZero
    this.effectiveRates = this.segments.map((seg) => (last = seg.rate > 0 ? seg.rate : last))
  }

  /** Capacity in kbps at `atMs`. */
  capacityAt(atMs: number): number {
    return this.segmentAt(atMs).rate
  }

  /** Whether the capacity is zero at some time in (fromMs, toMs). */
  outageBetween(fromMs: number, toMs: number): boolean {
    return this.outages.some((seg) => seg.startMs < toMs && seg.endMs > fromMs)
  }

  /** Buffer size in bits at `atMs`. */
  limitBits(atMs: number): number {
    return this.queueMs * this.effectiveRate(atMs)
  }

  /** Bits queued (including the packet in service) at `atMs`. */
  backlogAt(atMs: number): number {
    this.dropDeparted(atMs)
    return this.backlogBits
  }

  /** How long the oldest queued packet has waited so far: what a delay-based estimator sees grow. */
  headSojournMs(atMs: number): number {
    this.dropDeparted(atMs)
    return this.head < this.queue.length ? atMs - this.queue[this.head].arrivalMs : 0
  }

  /** Offer a packet at `atMs` (non-decreasing across calls); null when tail-dropped. */
  offer(atMs: number, bits: number): Admission | null {
    this.dropDeparted(atMs)
    if (this.backlogBits + bits > this.limitBits(atMs)) return null
    const startMs = Math.max(atMs, this.busyUntilMs)
    const endMs = this.serviceEnd(startMs, bits)
    this.busyUntilMs = endMs
    this.queue.push({ arrivalMs: atMs, endMs, bits })
    this.backlogBits += bits
    return { startMs, endMs }
  }

  private dropDeparted(atMs: number): void {
    while (this.head < this.queue.length && this.queue[this.head].endMs <= atMs) {
      this.backlogBits -= this.queue[this.head].bits
      this.head++
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head)
      this.head = 0
    }
    if (this.head === this.queue.length) this.backlogBits = 0
  }

  private segmentAt(atMs: number): Segment {
    // Queries are nearly monotonic; walk from the last position.
    let i = this.segmentIndex
    while (i > 0 && this.segments[i].startMs > atMs) i--
    while (i + 1 < this.segments.length && this.segments[i + 1].startMs <= atMs) i++
    this.segmentIndex = i
    return this.segments[i]
  }

  private effectiveRate(atMs: number): number {
    this.segmentAt(atMs)
    return this.effectiveRates[this.segmentIndex]
  }

  /** When `bits` starting service at `startMs` have left, across capacity changes and outages. */
  private serviceEnd(startMs: number, bits: number): number {
    this.segmentAt(startMs)
    let index = this.segmentIndex
    let t = startMs
    let remaining = bits
    for (;;) {
      const segment = this.segments[index]
      if (segment.rate > 0) {
        const available = (segment.endMs - t) * segment.rate
        if (remaining <= available) return t + remaining / segment.rate
        remaining -= available
      }
      if (segment.endMs === Infinity) return Infinity
      t = segment.endMs
      index++
    }
  }
}
