/**
 * One pino logger per workstation process, with a child per subsystem. Personal data never goes
 * into a log line: callers log ids and pass addresses through `maskAddress`; the redact paths below
 * catch the fields that would leak if someone logged a whole object by mistake.
 */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export const SUBSYSTEMS = ['store', 'sync', 'gate', 'ipc', 'bridge', 'dialer', 'session'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

const REDACTED_PATHS = [
  'password',
  'token',
  'address',
  'docNumber',
  'fullName',
  'fields',
  'note',
  '*.password',
  '*.token',
  '*.address',
  '*.docNumber',
  '*.fullName',
  '*.fields',
  '*.note',
  '*.balanceCents',
  '*.overdueCents',
  '*.amountCents',
];

/** Level from `GESTIONA_LOG_LEVEL`; defaults to `info`, and to `silent` under vitest so test output stays readable. */
export function defaultLogLevel(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GESTIONA_LOG_LEVEL) return env.GESTIONA_LOG_LEVEL;
  return env.VITEST ? 'silent' : 'info';
}

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'gestiona-workstation',
    level: options.level ?? defaultLogLevel(),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}

export function subsystemLogger(root: Logger, subsystem: Subsystem): Logger {
  return root.child({ subsystem });
}
