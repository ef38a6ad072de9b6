/**
 * Where the service's per-participant heap goes: the service in this
 * process, one generator process filling rooms of 9, a heap snapshot before
 * and after, and the growth per participant by V8 node type/constructor.
 *
 *   node --expose-gc --import tsx bench/server/heap.ts [participants=1800]
 *
 * (Fixed costs such as compiled code show up too at small N; they do not grow with N.)
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { fork } from 'node:child_process'
import { writeHeapSnapshot } from 'node:v8'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../server/config'
import { startService } from '../../server/service'
import { SERVICE_ENV } from './service-env'

const N = Number(process.argv[2] ?? 1800)
function summary(file: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8'))
  const f = snap.snapshot.meta.node_fields as string[]
  const types = snap.snapshot.meta.node_types[0] as string[]
  const nf = f.length, ti = f.indexOf('type'), ni = f.indexOf('name'), si = f.indexOf('self_size')
  const out = new Map<string, { count: number; size: number }>()
  const nodes = snap.nodes as number[]
  for (let i = 0; i < nodes.length; i += nf) {
    const t = types[nodes[i + ti]]
    const name = t === 'object' || t === 'closure' ? `${t}:${snap.strings[nodes[i + ni]]}` : t
    const e = out.get(name) ?? { count: 0, size: 0 }
    e.count++; e.size += nodes[i + si]; out.set(name, e)
  }
  return out
}
async function main() {
  const cfg = loadConfig({ ...SERVICE_ENV, LOG_LEVEL: 'warn' })
  const service = await startService(cfg)
  const gen = fork('bench/server/generator.ts', [], { execArgv: ['--import', 'tsx'] })
  await new Promise((r) => setTimeout(r, 500))
  ;(global as any).gc(); const h0 = process.memoryUsage().heapUsed
  const a = writeHeapSnapshot(join(tmpdir(), 'bench-heap-0.heapsnapshot'))
  const rooms = Array.from({ length: Math.ceil(N / 9) }, (_, index) => ({ index, size: 9 }))
  gen.send({ cmd: 'join', plan: { kind: 'service', url: service.url, rooms, joinsPerS: 600, sources: ['127.0.0.2', '127.0.0.3'], heartbeatMs: 10000, setMediaEveryMs: 30000 } })
  await new Promise((r) => gen.once('message', r))
  await new Promise((r) => setTimeout(r, 1000))
  ;(global as any).gc(); const h1 = process.memoryUsage().heapUsed
  const b = writeHeapSnapshot(join(tmpdir(), 'bench-heap-1.heapsnapshot'))
  console.log('heap KiB/participant', ((h1 - h0) / 1024 / (rooms.length * 9)).toFixed(2))
  const s0 = summary(a), s1 = summary(b)
  const rows = [...s1].map(([k, v]) => [k, v.count - (s0.get(k)?.count ?? 0), v.size - (s0.get(k)?.size ?? 0)] as const).sort((x, y) => y[2] - x[2]).slice(0, 40)
  for (const [k, c, s] of rows) console.log(String(s / (rooms.length * 9)).padStart(8).slice(0, 8), 'B/p', String(c).padStart(7), k)
  gen.kill()
  rmSync(a)
  rmSync(b)
  await service.stop()
  process.exit(0)
}
void main()
