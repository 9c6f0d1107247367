/**
 * One pino logger per workstation process, with a child per subsystem. Personal data never goes
 * into a log line in clear, through three layers:
 *
 * - callers log ids and pass addresses through `maskAddress`;
 * - the redact paths below blank the fields that carry names, addresses, documents, amounts,
 *   notes and secrets if someone logs a whole object by mistake;
 * - `maskPersonalData` masks what slips through inside strings (messages, error texts, ids):
 *   e-mail addresses and runs of six or more digits, which covers phone and document numbers
 *   and amounts. Debtor ids embed the document number (`CC-1020304050`), so they leave the
 *   process as `CC-********50`.
 *
 * `GESTIONA_LOG_LEVEL` sets the level (default `info`; `silent` under vitest unless a log file
 * is set). `GESTIONA_LOG_FILE` writes the log to that file instead of stdout.
 */
import { maskPersonalData, maskValue } from '@gestiona/core/log-masking';
import { pino, stdSerializers, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

export const SUBSYSTEMS = ['store', 'sync', 'gate', 'ipc', 'bridge', 'dialer', 'session'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

/** Fields that carry personal data, amounts or secrets, at the top level and one level down. */
const SENSITIVE_FIELDS = [
  'password',
  'token',
  'address',
  'phone',
  'email',
  'uri',
  'docNumber',
  'fullName',
  'debtorName',
  'personName',
  'fields',
  'note',
  'payload',
  'args',
  'body',
  'amount',
  'amountCents',
  'balanceCents',
  'overdueCents',
  'totalBalanceCents',
  'promisedCents',
];

const REDACTED_PATHS = [...SENSITIVE_FIELDS, ...SENSITIVE_FIELDS.map((field) => `*.${field}`)];

/** pino's error serializer, with the message, stack and any extra string property masked. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return maskValue(error, 0);
  return maskValue({ ...stdSerializers.err(error) }, 0);
}

/** Level from `GESTIONA_LOG_LEVEL`; defaults to `info`, and to `silent` under vitest unless a log file is set. */
export function defaultLogLevel(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GESTIONA_LOG_LEVEL) return env.GESTIONA_LOG_LEVEL;
  return env.VITEST && !env.GESTIONA_LOG_FILE ? 'silent' : 'info';
}

export interface CreateLoggerOptions {
  level?: string;
  name?: string;
  /** Destination of the lines: default the file in `GESTIONA_LOG_FILE`, else stdout. Tests pass a stream. */
  destination?: DestinationStream;
}

/** Builds the pino options of every workstation logger. */
export function loggerOptions(options: Pick<CreateLoggerOptions, 'level' | 'name'> = {}): LoggerOptions {
  return {
    name: options.name ?? 'gestiona-workstation',
    level: options.level ?? defaultLogLevel(),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    formatters: { log: (object) => maskValue(object) as Record<string, unknown> },
    hooks: {
      // Messages are constant text by convention; this masks one built from data by mistake.
      logMethod(args, method) {
        const masked = args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, masked);
      },
    },
  };
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const destination = options.destination ?? logFileDestination();
  return destination ? pino(loggerOptions(options), destination) : pino(loggerOptions(options));
}

/** Synchronous appends, so that a crash loses no line that was logged before it. */
function logFileDestination(env: NodeJS.ProcessEnv = process.env): DestinationStream | undefined {
  const file = env.GESTIONA_LOG_FILE;
  return file ? pino.destination({ dest: file, sync: true, mkdir: true, append: true }) : undefined;
}

export function subsystemLogger(root: Logger, subsystem: Subsystem): Logger {
  return root.child({ subsystem });
}
