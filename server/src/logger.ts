/**
 * One pino logger per server process; each subsystem takes a child with `subsystem` set, so log
 * lines can be filtered by part. Phone numbers, e-mails, document numbers and amounts are never
 * logged in clear: callers log ids and counts, and every string of a log object is masked as well,
 * because debtor ids carry the document number (`CC-1020304050`).
 */
import { maskValue } from '@gestiona/core/log-masking';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const SUBSYSTEMS = ['http', 'socket', 'store', 'import', 'leases', 'ingest', 'feed', 'content', 'cli'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

/**
 * Creates the process logger. The level comes from `GESTIONA_LOG_LEVEL` (default `info`); under
 * vitest the default is `silent` so test output stays readable, unless the variable is set.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const fromEnvironment = process.env.GESTIONA_LOG_LEVEL;
  const defaultLevel = process.env.VITEST ? 'silent' : 'info';
  const settings = {
    name: 'gestiona-server',
    level: options.level ?? fromEnvironment ?? defaultLevel,
    formatters: { log: (object: Record<string, unknown>) => maskValue(object) as Record<string, unknown> },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

export function childLogger(logger: Logger, subsystem: Subsystem): Logger {
  return logger.child({ subsystem });
}
