/** Chooses the store from configuration: a SQLite file (`dbPath`) or a PostgreSQL database (`databaseUrl`). */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { redactUrl } from '../redact-url.ts';
import { schemaVersionOf } from './pg/database.ts';
import { openPostgresStore } from './pg/postgres-store.ts';
import { openServerStore } from './sqlite-store.ts';
import type { ServerStore } from './types.ts';

/** Exactly one of the two must be set. */
export interface StoreLocation {
  /** SQLite database file; created with its folder when missing, unless `createIfMissing` is false. */
  dbPath?: string;
  /** PostgreSQL URL, `postgres://user:password@host:port/database`. The database itself must exist. */
  databaseUrl?: string;
}

export interface OpenAnyStoreOptions extends StoreLocation {
  logger: Logger;
  /** Lease length in days (default 7); fractions are allowed. */
  leaseDays?: number;
  /**
   * Default true: a missing SQLite file, or a database without the schema, gets the schema.
   * False makes both raise `StoreNotFoundError` instead, so that a mistyped location is reported
   * and not mistaken for an empty store.
   */
  createIfMissing?: boolean;
}

/** Reason a store that had to exist was not found. */
export type StoreNotFoundReason = 'missing-file' | 'directory' | 'not-a-database' | 'no-schema';

/** The location names no existing Gestiona database, and the caller did not allow creating one. */
export class StoreNotFoundError extends Error {
  constructor(
    /** The file path, or the PostgreSQL URL with its password redacted. */
    readonly location: string,
    readonly reason: StoreNotFoundReason,
    readonly dialect: 'sqlite' | 'postgres',
  ) {
    super(`No Gestiona database at ${location} (${reason})`);
    this.name = 'StoreNotFoundError';
  }
}

export async function openStore(options: OpenAnyStoreOptions): Promise<ServerStore> {
  const { dbPath, databaseUrl, logger, leaseDays } = options;
  if (dbPath !== undefined && databaseUrl !== undefined) {
    throw new Error('Both dbPath and databaseUrl are set: give dbPath for SQLite or databaseUrl for PostgreSQL, not both');
  }
  const mustExist = options.createIfMissing === false;
  if (databaseUrl !== undefined) {
    if (mustExist) await assertPostgresSchema(databaseUrl);
    return openPostgresStore({ databaseUrl, logger, leaseDays });
  }
  if (dbPath !== undefined) {
    // NOTE: the check guards against mistyped paths. A file deleted between it and the open is still created empty.
    if (mustExist && dbPath !== ':memory:') assertSqliteSchema(dbPath);
    return openServerStore({ dbPath, logger, leaseDays });
  }
  throw new Error('No database configured: set dbPath (SQLite file) or databaseUrl (PostgreSQL URL)');
}

/**
 * Raises `StoreNotFoundError` unless the file exists and has a schema version. The file is opened
 * read-only, so a wrong path is neither created nor migrated.
 */
function assertSqliteSchema(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreNotFoundError(path, 'missing-file', 'sqlite');
    throw error;
  }
  if (!isFile) throw new StoreNotFoundError(path, 'directory', 'sqlite');

  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0) throw new StoreNotFoundError(path, 'no-schema', 'sqlite');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_NOTADB') throw new StoreNotFoundError(path, 'not-a-database', 'sqlite');
    throw error;
  } finally {
    db.close();
  }
}

/**
 * Raises `StoreNotFoundError` when the database has no `schema_migrations` table. Connection
 * errors, including a database that does not exist (SQLSTATE 3D000), propagate as `pg` raised them.
 */
async function assertPostgresSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if ((await schemaVersionOf(client)) === 0) throw new StoreNotFoundError(redactUrl(url), 'no-schema', 'postgres');
  } finally {
    await client.end();
  }
}
