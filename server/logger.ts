/**
 * Structured logs: one pino root per service, one child per module
 * (`{ module: 'rooms' }`), so a line says where it came from.
 */
import pino, { type Logger } from 'pino'
import type { LogLevel } from './config'

export type { Logger }

/** The service's root logger: JSON lines on stdout. */
export function createRootLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'room-service' } })
}

/** A module's logger. */
export function moduleLogger(root: Logger, module: string): Logger {
  return root.child({ module })
}
