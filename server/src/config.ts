/**
 * Selection of the command line's database and Redis: flags first, then environment variables,
 * then the default SQLite file. Error messages are in Spanish because the command line prints them.
 */
import { resolve } from 'node:path';
import { DEFAULT_DB_PATH } from './paths.ts';
import type { StoreLocation } from './store/open-store.ts';

export const DATABASE_URL_VARIABLE = 'GESTIONA_DATABASE_URL';
export const REDIS_URL_VARIABLE = 'GESTIONA_REDIS_URL';

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * `--db FILE` selects SQLite and `--database-url URL` PostgreSQL; giving both is an error. With
 * neither, a non-empty GESTIONA_DATABASE_URL selects PostgreSQL, and otherwise the default SQLite
 * file is used.
 */
export function resolveStoreLocation(
  flags: { db?: string; databaseUrl?: string },
  environment: Record<string, string | undefined> = process.env,
): ConfigResult<StoreLocation> {
  if (flags.db !== undefined && flags.databaseUrl !== undefined) {
    return { ok: false, message: 'Indique --db (archivo SQLite) o --database-url (PostgreSQL), no ambos.' };
  }
  if (flags.databaseUrl !== undefined) return { ok: true, value: { databaseUrl: flags.databaseUrl } };
  if (flags.db !== undefined) return { ok: true, value: { dbPath: resolve(flags.db) } };

  const fromEnvironment = environment[DATABASE_URL_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return { ok: true, value: { databaseUrl: fromEnvironment } };
  return { ok: true, value: { dbPath: DEFAULT_DB_PATH } };
}

/** `--redis-url URL`, else a non-empty GESTIONA_REDIS_URL, else none (a single node). */
export function resolveRedisUrl(flag: string | undefined, environment: Record<string, string | undefined> = process.env): string | undefined {
  if (flag !== undefined) return flag;
  const fromEnvironment = environment[REDIS_URL_VARIABLE];
  return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
}
