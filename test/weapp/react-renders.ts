/**
 * Counts React renders in the compiled bundle between two points in time.
 *
 * The production bundle never connects to React DevTools (Taro's renderer
 * injects into the DevTools hook only in development), so this reads the
 * fiber tree itself: Taro's reconciler keeps each host node's fiber on its
 * TaroElement (`__reactFiber$…`), from which the root and the current tree
 * are reached. A function component rendered since a snapshot when it was
 * mounted since, or when its props or hook state objects changed identity:
 * a render always makes a new hook list, and a parent's render always passes
 * new props, while a bailout (memo, an unchanged subtree) keeps both.
 *
 * The bundle is minified, so components are named by what they render: the
 * tag and first class of their first host element (`view.tile`,
 * `live-player.tile__video`), or `(empty)` when they render nothing.
 */
import type { PageHandle } from './harness'

interface Fiber {
  tag: number
  type: unknown
  memoizedProps: Record<string, unknown> | null
  memoizedState: unknown
  child: Fiber | null
  sibling: Fiber | null
  return: Fiber | null
  alternate: Fiber | null
  stateNode: unknown
}

/** react-reconciler's work tags. */
const FUNCTION_COMPONENT = 0
const CLASS_COMPONENT = 1
const HOST_ROOT = 3
const HOST_COMPONENT = 5
const FORWARD_REF = 11
const SIMPLE_MEMO_COMPONENT = 15
const RENDERING_TAGS = new Set([FUNCTION_COMPONENT, CLASS_COMPONENT, FORWARD_REF, SIMPLE_MEMO_COMPONENT])

export interface RenderRecord {
  /** What the component renders: `tag.first-class` of its first host element, e.g. `view.tile`. */
  readonly label: string
  /** That element's `className` in full (modifier classes tell a local tile from a remote one). */
  readonly className: string
  /** The component's props (e.g. a tile's `id`). */
  readonly props: Record<string, unknown>
  /** Mounted since the snapshot (else re-rendered). */
  readonly mount: boolean
}

function firstHost(fiber: Fiber): Fiber | null {
  let f: Fiber | null = fiber.child
  while (f !== null && f.tag !== HOST_COMPONENT) f = f.child
  return f
}

function describe(fiber: Fiber): { label: string; className: string } {
  const host = firstHost(fiber)
  if (host === null) return { label: '(empty)', className: '' }
  const className = typeof host.memoizedProps?.className === 'string' ? host.memoizedProps.className : ''
  const first = className.split(/\s+/)[0]
  return { label: `${String(host.type)}${first ? `.${first}` : ''}`, className }
}

/** The current tree's root fiber of the page, found from any element it rendered. */
function currentRootOf(page: PageHandle): Fiber {
  const element = page.taro.element(page.get('view')) as unknown as Record<string, unknown>
  const key = Object.keys(element).find((k) => k.startsWith('__reactFiber$'))
  if (key === undefined) throw new Error('no React fiber on the page root element: did @tarojs/react change its keys?')
  let fiber = element[key] as Fiber
  while (fiber.return !== null) fiber = fiber.return
  if (fiber.tag !== HOST_ROOT) throw new Error(`the top fiber has tag ${fiber.tag}, not a HostRoot`)
  return (fiber.stateNode as { current: Fiber }).current
}

/** The snapshot of one function component: what changes when it renders. */
interface Seen { readonly props: unknown; readonly state: unknown }

export interface RenderCounter {
  /** The renders since the last `take()` (or since the counter was made), then a new snapshot. */
  take(): RenderRecord[]
}

/** Starts counting the renders of a loaded page. */
export function countRenders(page: PageHandle): RenderCounter {
  // Fibers come in pairs (current / alternate); both map to one identity.
  const ids = new WeakMap<Fiber, number>()
  let nextId = 0
  const idOf = (f: Fiber): number => {
    let id = ids.get(f) ?? (f.alternate ? ids.get(f.alternate) : undefined)
    if (id === undefined) id = nextId++
    ids.set(f, id)
    if (f.alternate) ids.set(f.alternate, id)
    return id
  }
  const snapshot = (): Map<number, { fiber: Fiber; seen: Seen }> => {
    const out = new Map<number, { fiber: Fiber; seen: Seen }>()
    const walk = (f: Fiber | null): void => {
      for (let c = f; c !== null; c = c.sibling) {
        if (RENDERING_TAGS.has(c.tag)) out.set(idOf(c), { fiber: c, seen: { props: c.memoizedProps, state: c.memoizedState } })
        walk(c.child)
      }
    }
    walk(currentRootOf(page))
    return out
  }
  let before = snapshot()
  return {
    take() {
      const after = snapshot()
      const renders: RenderRecord[] = []
      for (const [id, { fiber, seen }] of after) {
        const old = before.get(id)
        if (old !== undefined && old.seen.props === seen.props && old.seen.state === seen.state) continue
        renders.push({ ...describe(fiber), props: fiber.memoizedProps ?? {}, mount: old === undefined })
      }
      before = after
      return renders
    },
  }
}
