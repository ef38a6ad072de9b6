/**
 * The process's open-file budget, so that a join is refused while the
 * service can still say why (issue 12 (d)). At the limit the kernel refuses
 * `accept`; libuv then takes and drops the connection, so a participant
 * whose HTTP join had succeeded would lose its socket with nothing logged,
 * and the others would see it join and time out 30 s later.
 *
 * Counting `/proc/self/fd` costs ~17 ms at 19,000 descriptors, too much per
 * join; the count is taken on the sweeper (every second near the limit,
 * every ten seconds below 80 % of it), and the HTTP server's connections
 * opened or closed since then are added to it. Descriptors that the rest
 * of the process opens between two counts (the media server's sockets, an
 * ffmpeg pipe) are what the reserve is for.
 */
import { readdirSync, readFileSync } from 'node:fs'
import type { Server } from 'node:net'

/** The soft RLIMIT_NOFILE (`ulimit -n`), or undefined where /proc does not say (not Linux). */
export function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0]
    return soft !== undefined && /^[0-9]+$/.test(soft) ? Number(soft) : undefined
  } catch {
    return undefined
  }
}

/** Descriptors open in this process now, or undefined where /proc does not say. */
export function countOpenFiles(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return undefined
  }
}

export interface OpenFileBudgetOptions {
  /** The limit; undefined turns the budget off (admits everything). */
  readonly limit: number | undefined
  /** Descriptors kept free: a join needs one for its socket; the rest cover what is opened between counts. */
  readonly reserve: number
  readonly count?: () => number | undefined
}

export class OpenFileBudget {
  readonly limit: number | undefined
  private readonly reserve: number
  private readonly count: () => number | undefined
  /** The last count, and the HTTP connections open when it was taken. */
  private counted = 0
  private connectionsAtCount = 0
  private connections = 0
  private countedAt = -Infinity

  constructor(options: OpenFileBudgetOptions) {
    this.limit = options.limit
    this.reserve = options.reserve
    this.count = options.count ?? countOpenFiles
  }

  /** Follow the server's connections (WebSocket upgrades included) between counts. */
  track(server: Server): void {
    server.on('connection', (socket) => {
      this.connections += 1
      socket.once('close', () => {
        this.connections -= 1
      })
    })
  }

  /** Descriptors in use as far as known now. */
  get inUse(): number {
    return this.counted + this.connections - this.connectionsAtCount
  }

  /** Re-count when due (the sweeper calls this; the first call always counts). */
  refresh(now: number): void {
    if (this.limit === undefined) return
    const near = this.inUse >= 0.8 * this.limit
    if (now - this.countedAt < (near ? 1000 : 10_000)) return
    const counted = this.count()
    if (counted === undefined) return
    this.counted = counted
    this.connectionsAtCount = this.connections
    this.countedAt = now
  }

  /** Whether a newcomer's socket fits, with the reserve kept free. */
  admits(): boolean {
    return this.limit === undefined || this.inUse + this.reserve < this.limit
  }
}
