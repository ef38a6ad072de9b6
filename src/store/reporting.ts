import type { DescribedCode } from '../core/state-codes'
import type { Localized } from '../core/presets'
import type { MeetingState, ModalRequest } from './types'

/** The debug view keeps this many state codes. */
export const DEBUG_LOG_LIMIT = 100
/** The same warning is not toasted again within this window (SDKs repeat 1101 every tick). */
export const NOTICE_REPEAT_MS = 10_000

let nextId = 1
function newId(): number {
  return nextId++
}

type Ui = MeetingState['ui']

/** Every code, known or not, goes to the debug view; an unknown one is also logged. */
export function withDebugEntry(ui: Ui, described: DescribedCode, subject: string, atMs: number): Ui {
  if (!described.known) {
    console.warn(`[meeting] unknown ${described.source} code ${described.code} from ${subject}`)
  }
  const entry = {
    atMs,
    source: described.source,
    subject,
    code: described.code,
    name: described.name,
    known: described.known,
  }
  const debugLog = [...ui.debugLog, entry].slice(-DEBUG_LOG_LIMIT)
  return { ...ui, debugLog }
}

/** Queue a toast unless the same code was toasted within NOTICE_REPEAT_MS. */
export function withNotice(ui: Ui, text: Localized, code: number | null, atMs: number): Ui {
  const repeated = code !== null && ui.notices.some((n) => n.code === code && atMs - n.atMs < NOTICE_REPEAT_MS)
  if (repeated) return ui
  return { ...ui, notices: [...ui.notices, { id: newId(), text, code, atMs }] }
}

/** Ask the user to act on a fatal error; a newer one replaces an older one. */
export function withModal(ui: Ui, request: Omit<ModalRequest, 'id'>): Ui {
  return { ...ui, modal: { ...request, id: newId() } }
}
