/**
 * One pino logger per server process; each subsystem takes a child with `subsystem` set, so log
 * lines can be filtered by part. Phone numbers, e-mails, document numbers and amounts are never
 * logged in clear: callers log ids and counts, or mask with `maskAddress`.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export const SUBSYSTEMS = ['http', 'socket', 'store', 'import', 'leases', 'ingest', 'feed', 'content', 'cli'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

/**
 * Creates the process logger. The level comes from `GESTIONA_LOG_LEVEL` (default `info`); under
 * vitest the default is `silent` so test output stays readable, unless the variable is set.
 */
export function createLogger(options: { level?: string } = {}): Logger {
  const fromEnvironment = process.env.GESTIONA_LOG_LEVEL;
  const defaultLevel = process.env.VITEST ? 'silent' : 'info';
  return pino({ name: 'gestiona-server', level: options.level ?? fromEnvironment ?? defaultLevel });
}

export function childLogger(logger: Logger, subsystem: Subsystem): Logger {
  return logger.child({ subsystem });
}
