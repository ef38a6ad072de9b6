/** Token buckets: one per WebSocket connection, one per client IP for HTTP. */

export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly capacity: number,
    private readonly refillPerMs: number,
    now: number,
  ) {
    this.tokens = capacity
    this.updatedAt = now
  }

  /** Take one token; false when empty. */
  take(now: number): boolean {
    this.refill(now)
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** Milliseconds until one token is available. */
  retryAfterMs(now: number): number {
    this.refill(now)
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.refillPerMs)
  }

  /** Full again, so forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.refill(now)
    return this.tokens >= this.capacity
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt)
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.refillPerMs)
    this.updatedAt = now
  }
}

/** One bucket per key (client IP), forgotten once full again. */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly capacity: number,
    private readonly refillPerMs: number,
  ) {}

  /** 0 when allowed, else milliseconds to wait. */
  check(key: string, now: number): number {
    let bucket = this.buckets.get(key)
    if (bucket === undefined) {
      bucket = new TokenBucket(this.capacity, this.refillPerMs, now)
      this.buckets.set(key, bucket)
    }
    return bucket.take(now) ? 0 : Math.max(1, bucket.retryAfterMs(now))
  }

  /** Drop buckets that refilled; called by the service's sweeper. */
  prune(now: number): void {
    for (const [key, bucket] of this.buckets) if (bucket.isFull(now)) this.buckets.delete(key)
  }
}
