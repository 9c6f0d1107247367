/**
 * The database access of the server's command line: the location from the flags and environment,
 * opened for the length of one command. Only the commands that set up a server
 * (`serve`, `import`, `users add`) may create a missing SQLite file. Every other command stops
 * and names the path, because on an empty new database it would report that nothing was found.
 */
import { existsSync } from 'node:fs';
import { resolveStoreLocation } from './config.ts';
import { CliError, describeStartError } from './cli-errors.ts';
import { childLogger, createLogger, type Logger } from './logger.ts';
import { redactUrl } from './redact-url.ts';
import { isPostgresUrl } from './store/pg/database.ts';
import { openStore, type StoreLocation } from './store/open-store.ts';
import type { ServerStore } from './store/types.ts';

/**
 * `create: true` lets a missing SQLite file, or a database without the schema, be created, and
 * `out` then prints a line that reports it. The default is to raise instead.
 */
export type WithStoreOptions = { create?: false } | { create: true; out: (line: string) => void };

/** The options every command takes to choose its database. */
export const DATABASE_OPTIONS = { db: { type: 'string' }, 'database-url': { type: 'string' } } as const;

/** Returns the database the flags and environment select; raises a `CliError` when they are invalid. */
export function storeLocation(values: { db?: string; 'database-url'?: string }): StoreLocation {
  const location = resolveStoreLocation({ db: values.db, databaseUrl: values['database-url'] });
  if (!location.ok) throw new CliError(location.message);
  const { databaseUrl } = location.value;
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    throw new CliError(`URL de PostgreSQL inválida: ${redactUrl(databaseUrl)}. Use postgres://usuario:clave@host:puerto/base.`);
  }
  return location.value;
}

/** Creates the logger of a command other than `serve`: warnings and errors only, unless GESTIONA_LOG_LEVEL sets another level. */
export function commandLogger(): Logger {
  return createLogger({ level: process.env.GESTIONA_LOG_LEVEL ?? 'warn' });
}

/**
 * Opens the store, runs `work` and closes the store. A store that cannot be opened raises a
 * `CliError` with the Spanish line for it; the original error goes to the log at debug level.
 */
export async function withStore(location: StoreLocation, work: (store: ServerStore) => Promise<number>, options: WithStoreOptions = {}): Promise<number> {
  const logger = commandLogger();
  const create = options.create === true;
  const isNewFile = create && location.dbPath !== undefined && !existsSync(location.dbPath);

  let store: ServerStore;
  try {
    store = await openStore({ ...location, createIfMissing: create, logger: childLogger(logger, 'store') });
  } catch (error) {
    throw startFailure(error, location, logger);
  }
  // Printed so that a mistyped --db on a creating command is noticed at once.
  if (isNewFile && options.create === true) options.out(`Se creó la base de datos nueva ${location.dbPath}.`);

  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * Returns a `CliError` for a known start-up failure, logging the original at debug level, or the
 * error itself when it is not a known one.
 */
export function startFailure(error: unknown, context: Parameters<typeof describeStartError>[1], logger: Logger): unknown {
  const message = describeStartError(error, context);
  if (message === null) return error;
  childLogger(logger, 'cli').debug({ err: error }, 'start command: failed');
  return new CliError(message, { cause: error });
}
