/**
 * What one event costs the compiled mini program: every setData of every
 * instance (the page and Taro's custom components), its keys and its bytes
 * (UTF-8 of JSON.stringify, what crosses from the logic to the render
 * thread), what the payload carried (whole tiles, player nodes, a child list
 * of tiles), and the React renders it caused.
 */
import { observeSetData, type PageHandle } from '../../test/weapp/harness'
import { countRenders, type RenderCounter, type RenderRecord } from '../../test/weapp/react-renders'

export interface EventCost {
  readonly event: string
  readonly calls: number
  readonly keys: number
  readonly bytes: number
  /** Remote tile nodes serialised whole in the payload (a new tile is one). */
  readonly tilesSent: number
  /** `<live-player>` nodes serialised whole (their signed `src` with them). */
  readonly playersSent: number
  /** Child lists holding remote tiles re-sent (Taro re-sends a list when a node leaves it). */
  readonly tileListsSent: number
  /** Remote tiles React rendered (mounts included), by participant id. */
  readonly tileRenders: readonly string[]
  /** Of those, the tiles that were already mounted (re-rendered, not new). */
  readonly tileRerenders: readonly string[]
  /** Renders of the grid component. */
  readonly gridRenders: number
  /** Every component render, by what it renders (`view.tile`, `live-player.tile__video`…). */
  readonly renders: Readonly<Record<string, number>>
  readonly renderCount: number
  /** Wall time of the measured window (the steady room: its length). */
  readonly ms: number
}

type Json = unknown

const isRemoteTileNode = (o: Record<string, Json>): boolean =>
  typeof o.cl === 'string' && /^tile(\s|$)/.test(o.cl) && !o.cl.includes('tile--local') && !o.cl.includes('tile--gone')

function scan(value: Json, found: { tiles: number; players: number; lists: number }): void {
  if (Array.isArray(value)) {
    if (value.some((v) => typeof v === 'object' && v !== null && isRemoteTileNode(v as Record<string, Json>))) found.lists += 1
    for (const v of value) scan(v, found)
    return
  }
  if (typeof value !== 'object' || value === null) return
  const o = value as Record<string, Json>
  if (isRemoteTileNode(o)) found.tiles += 1
  if (o.cl === 'tile__video' && o.uid !== 'local-pusher') found.players += 1
  for (const v of Object.values(o)) scan(v, found)
}

const isRemoteTileRender = (r: RenderRecord): boolean => r.label === 'view.tile' && !r.className.includes('tile--local')

/** Measures the events of one page, one at a time. */
/** The room header's clock text ("mm:ss" / "h:mm:ss", src/core/invite.ts formatElapsed). */
const CLOCK_TEXT = /^\d{1,3}:\d{2}(:\d{2})?$/

/**
 * The meeting clock's own once-a-second tick: the entries of a setData whose
 * value is the clock's text. It runs on its timer, not because of the
 * measured event (Taro may batch it into the event's call), so a meter
 * leaves those entries out; test/weapp/room-header.test.ts measures the tick alone.
 */
export function isClockTick(data: Record<string, unknown>): boolean {
  const values = Object.values(data)
  return values.length > 0 && values.every(isClockText)
}

function isClockText(value: unknown): boolean {
  return typeof value === 'string' && CLOCK_TEXT.test(value)
}

/** `data` without the clock's entries, or null when nothing else is left. */
function withoutClock(data: Record<string, unknown>): Record<string, unknown> | null {
  const rest = Object.fromEntries(Object.entries(data).filter(([, v]) => !isClockText(v)))
  return Object.keys(rest).length === 0 ? null : rest
}

export class CostMeter {
  private readonly counter: RenderCounter
  private readonly calls: Record<string, unknown>[] = []
  private readonly stop: () => void

  constructor(private readonly page: PageHandle) {
    this.stop = observeSetData((r) => this.calls.push(r.data))
    this.counter = countRenders(page)
  }

  /** Runs `action` (which must leave the page flushed), then reports what happened since the last measure. */
  async measure(event: string, action: () => Promise<void>): Promise<EventCost> {
    await this.page.flush()
    this.calls.length = 0
    this.counter.take()
    const started = Date.now()
    await action()
    await this.page.flush()
    const ms = Date.now() - started
    const calls = this.calls.splice(0).map(withoutClock).filter((data): data is Record<string, unknown> => data !== null)
    const renders = this.counter.take().filter((r) => !r.label.endsWith('.room-header__clock'))
    const found = { tiles: 0, players: 0, lists: 0 }
    let keys = 0
    let bytes = 0
    for (const data of calls) {
      keys += Object.keys(data).length
      bytes += Buffer.byteLength(JSON.stringify(data), 'utf8')
      scan(data, found)
    }
    const byLabel: Record<string, number> = {}
    for (const r of renders) byLabel[r.label] = (byLabel[r.label] ?? 0) + 1
    return {
      event,
      calls: calls.length,
      keys,
      bytes,
      tilesSent: found.tiles,
      playersSent: found.players,
      tileListsSent: found.lists,
      tileRenders: renders.filter(isRemoteTileRender).map((r) => String(r.props.id)),
      tileRerenders: renders.filter((r) => isRemoteTileRender(r) && !r.mount).map((r) => String(r.props.id)),
      gridRenders: renders.filter((r) => r.label === 'view.video-grid').length,
      renders: byLabel,
      renderCount: renders.length,
      ms,
    }
  }

  dispose(): void {
    this.stop()
  }
}

/** Bytes of one live remote tile as the page data holds it: the unit of the join/leave budget. */
export function liveTileBytes(page: PageHandle): number {
  let best: number | null = null
  const walk = (value: Json): void => {
    if (Array.isArray(value)) return value.forEach(walk)
    if (typeof value !== 'object' || value === null) return
    const o = value as Record<string, Json>
    if (isRemoteTileNode(o) && typeof o.cl === 'string' && o.cl.includes('tile--live')) {
      const size = Buffer.byteLength(JSON.stringify(o), 'utf8')
      best = best === null ? size : Math.max(best, size)
    }
    Object.values(o).forEach(walk)
  }
  walk(page.instance.data)
  if (best === null) throw new Error('no live remote tile in the page data')
  return best
}
