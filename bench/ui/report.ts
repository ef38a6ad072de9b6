/**
 * The `ui` section of BENCHMARKS.md and the budgets of issue 12 it checks.
 */
import { machineLine, today } from '../lib/benchmarks-md'
import type { EventCost } from './measure'

/** `restart`: a code after which the app remounts the player (-2301): one player node is the point. */
export type EventKind = 'status' | 'restart' | 'steady' | 'netstatus' | 'join' | 'leave' | 'talking' | 'silence'

export interface MeasuredEvent extends EventCost {
  readonly kind: EventKind
  /** The participants the event is about: their tiles may render, no other may. */
  readonly concerned: readonly string[]
}

export interface RoomRun {
  readonly remotes: number
  /** One live remote tile's bytes in the page data. */
  readonly tileBytes: number
  readonly events: readonly MeasuredEvent[]
}

/** A state code that changes a tile's status: at most this many bytes (a class or a text). */
export const STATUS_BUDGET_BYTES = 150
/** A join or a leave: at most this many times one tile's bytes… */
export const JOIN_LEAVE_TILE_FACTOR = 1.2
/**
 * …of a tile as the issue measured it before this bench's fixes (770 B: a
 * live tile with its inline size). Fixed, so that making tiles smaller does
 * not tighten the budget of a join.
 */
export const REFERENCE_TILE_BYTES = 770

/**
 * who is speaking: one participant talking (a level tick every 300 ms) costs
 * at most this many bytes per second: a few class changes of one tile (the
 * policy passes at most one change per 250 ms per tile, src/core/speaking.ts);
 * two talkers within the 1 KB/s issue 12 set for them.
 */
export const TALKING_BUDGET_BYTES_PER_S = 500

export interface Verdict {
  readonly pass: boolean
  /** The budget in words, e.g. "≤ 150 B, no player node". */
  readonly budget: string
  /** bytes ÷ budget bytes, when the budget is in bytes. */
  readonly ratio: number | null
  readonly misses: readonly string[]
}

const othersRendered = (e: MeasuredEvent): string[] => e.tileRerenders.filter((id) => !e.concerned.includes(id))

/** Checks one event against the issue's budgets. */
export function verdict(e: MeasuredEvent): Verdict {
  const misses: string[] = []
  const renders = (): void => {
    const others = othersRendered(e)
    if (others.length > 0) misses.push(`${others.length} other tile(s) re-rendered`)
    if (e.tileRerenders.length > e.concerned.length) misses.push(`${e.tileRerenders.length} tile renders for ${e.concerned.length} tile(s)`)
  }
  switch (e.kind) {
    case 'steady':
    case 'netstatus':
    case 'silence':
      if (e.bytes > 0) misses.push(`${e.bytes} B sent`)
      if (e.renderCount > 0) misses.push(`${e.renderCount} renders`)
      return { pass: misses.length === 0, budget: e.kind === 'netstatus' ? '0 B, no render' : '0 B/s, no render', ratio: null, misses }
    case 'talking': {
      const perSecond = (e.bytes * 1000) / e.ms
      if (perSecond > TALKING_BUDGET_BYTES_PER_S) misses.push(`${Math.round(perSecond)} B/s > ${TALKING_BUDGET_BYTES_PER_S} B/s`)
      if (e.playersSent > 0) misses.push('player node re-sent')
      if (e.tilesSent > 0) misses.push('a tile sent whole')
      if (e.gridRenders > 0) misses.push('grid rendered')
      renders()
      return { pass: misses.length === 0, budget: `≤ ${TALKING_BUDGET_BYTES_PER_S} B/s, that tile only`, ratio: perSecond / TALKING_BUDGET_BYTES_PER_S, misses }
    }
    case 'status': {
      if (e.bytes > STATUS_BUDGET_BYTES) misses.push(`${e.bytes} B > ${STATUS_BUDGET_BYTES} B`)
      if (e.playersSent > 0) misses.push('player node re-sent')
      if (e.gridRenders > 0) misses.push('grid rendered')
      renders()
      return { pass: misses.length === 0, budget: `≤ ${STATUS_BUDGET_BYTES} B, no player node, 1 tile render`, ratio: e.bytes / STATUS_BUDGET_BYTES, misses }
    }
    case 'restart':
      if (e.playersSent > 1) misses.push(`${e.playersSent} player nodes`)
      if (e.tileListsSent > 0) misses.push('the grid’s child list re-sent')
      renders()
      return { pass: misses.length === 0, budget: 'the one remounted player, 1 tile render', ratio: null, misses }
    case 'join':
    case 'leave': {
      const limit = Math.round(JOIN_LEAVE_TILE_FACTOR * REFERENCE_TILE_BYTES)
      if (e.bytes > limit) misses.push(`${e.bytes} B > ${limit} B`)
      if (e.tileListsSent > 0) misses.push('the grid’s child list re-sent')
      if (e.gridRenders > 1) misses.push(`${e.gridRenders} grid renders`)
      renders()
      return { pass: misses.length === 0, budget: `≤ ${limit} B (${JOIN_LEAVE_TILE_FACTOR} tiles), no child list, grid + its tile`, ratio: e.bytes / limit, misses }
    }
  }
}

const renderCell = (e: EventCost): string => {
  if (e.renderCount === 0) return '0'
  const tiles = e.tileRenders.length
  return `${e.renderCount} (tiles ${tiles}${e.gridRenders ? `, grid ${e.gridRenders}` : ''})`
}

const perSecondKinds: readonly EventKind[] = ['steady', 'talking', 'silence']
const bytesCell = (e: MeasuredEvent): string => (perSecondKinds.includes(e.kind) ? `${Math.round((e.bytes * 1000) / e.ms)} B/s` : `${e.bytes}`)

/** The section body (between the markers). `before`: the same bench on the build before the fixes, if recorded. */
export function renderUiSection(runs: readonly RoomRun[], before: readonly RoomRun[] | null, elapsedS: number): string {
  const lines: string[] = []
  const all = runs.flatMap((r) => r.events.map((e) => ({ run: r, e, v: verdict(e) })))
  const passed = all.filter((x) => x.v.pass).length
  lines.push('## UI update cost in the compiled mini program (issue 12, item 1)')
  lines.push('')
  lines.push(`${passed} of ${all.length} events within budget.`)
  lines.push('')
  lines.push('- Reproduce: `npm run bench:ui` (builds dist/weapp for the bench\'s room service, runs `bench/ui/ui.bench.ts`, rewrites this')
  lines.push('  section); `BENCH_UI_SIZES=9 npm run bench:ui` for one room size.')
  lines.push(`- Machine: ${machineLine()}; ${elapsedS.toFixed(0)} s on ${today()}.`)
  lines.push('- Method: the weapp build in miniprogram-simulate with the fake `wx` of test/weapp; every instance\'s `setData` is wrapped')
  lines.push('  (calls, keys, bytes = UTF-8 of `JSON.stringify(data)`); React renders are read from the fiber tree (a component rendered')
  lines.push('  when mounted or when its props or hook state changed identity; components are named by the element they render). The page\'s')
  lines.push('  user hosts; the other participants are the app\'s room client in Node against a real room service; player events are')
  lines.push('  fired on the `<live-player>` as WeChat shapes them. "tiles sent": remote tiles serialised whole; "players": `<live-player>`')
  lines.push('  nodes serialised whole (signed `src` included); "lists": child lists holding tiles re-sent.')
  lines.push(`- Budgets (issue 12): a steady room 0 B/s and a netstatus that keeps the quality level 0 B, no render; a state code that`)
  lines.push(`  changes a tile's status ≤ ${STATUS_BUDGET_BYTES} B, never the player node, one render of that tile; a join or a leave ≤ ${JOIN_LEAVE_TILE_FACTOR} × a tile`)
  lines.push(`  (${REFERENCE_TILE_BYTES} B, the tile as the issue measured it: ≤ ${Math.round(JOIN_LEAVE_TILE_FACTOR * REFERENCE_TILE_BYTES)} B), never the grid's child list, renders of the grid and the tile(s)`)
  lines.push('  concerned only (a leave on the first page of a big room also brings the next participant in). -2301 makes the app remount')
  lines.push('  the player (a new node is the point), so its budget is that one player node and one tile render.')
  lines.push(`- Who is speaking (issue 10): one participant talking (a level tick every 300 ms) ≤ ${TALKING_BUDGET_BYTES_PER_S} B/s, renders of that tile only`)
  lines.push('  (issue 12 asked ≤ 1 KB/s for two talkers); a silent room 0 B/s, no render.')
  lines.push('- Known miss: with pages of 4 (issue 10), a leave on the first page of a bigger room brings the next participant in, and')
  lines.push('  that event carries one whole new tile (its player node and signed `src`: unavoidable for a new player), the leaver\'s')
  lines.push('  emptied slot, the page dots and label, and the control bar\'s member count: ~1.1 KB against the 924 B of a plain join or')
  lines.push('  leave. Not fixed: filling the leaver\'s slot with the newcomer would save the emptied slot (~130 B) but needs index keys')
  lines.push('  on the tiles, which rebinds a mounted tile to another participant.')
  if (before) lines.push('- "before": the same bench on the build of main before this change (`bench/ui/before.json`).')
  for (const run of runs) {
    const old = before?.find((b) => b.remotes === run.remotes)
    lines.push('')
    lines.push(`### ${run.remotes} remote participants (one live tile: ${run.tileBytes} B${old ? `; before: ${old.tileBytes} B` : ''})`)
    lines.push('')
    lines.push(`| event | setData calls | keys | bytes |${old ? ' before |' : ''} tiles sent | players | lists | React renders |${old ? ' before |' : ''} budget | ratio | result |`)
    lines.push(`|---|---:|---:|---:|${old ? '---:|' : ''}---:|---:|---:|---|${old ? '---|' : ''}---|---:|---|`)
    for (const e of run.events) {
      const v = verdict(e)
      const o = old?.events.find((x) => x.event === e.event)
      const cells = [
        e.event,
        String(e.calls),
        String(e.keys),
        bytesCell(e),
        ...(old ? [o ? bytesCell(o) : '—'] : []),
        String(e.tilesSent),
        String(e.playersSent),
        String(e.tileListsSent),
        renderCell(e),
        ...(old ? [o ? renderCell(o) : '—'] : []),
        v.budget,
        v.ratio === null ? '—' : v.ratio.toFixed(2),
        v.pass ? 'pass' : `**miss**: ${v.misses.join('; ')}`,
      ]
      lines.push(`| ${cells.join(' | ')} |`)
    }
  }
  return lines.join('\n')
}
