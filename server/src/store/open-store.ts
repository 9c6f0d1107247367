/** Chooses the store from configuration: a SQLite file (`dbPath`) or a PostgreSQL database (`databaseUrl`). */
import type { Logger } from '../logger.ts';
import { openPostgresStore } from './pg/postgres-store.ts';
import { openServerStore } from './sqlite-store.ts';
import type { ServerStore } from './types.ts';

/** Exactly one of the two must be set. */
export interface StoreLocation {
  /** SQLite database file; created with its folder when missing. */
  dbPath?: string;
  /** PostgreSQL URL, `postgres://user:password@host:port/database`. */
  databaseUrl?: string;
}

export interface OpenAnyStoreOptions extends StoreLocation {
  logger: Logger;
  /** Lease length in days (default 7); fractions are allowed. */
  leaseDays?: number;
}

export function openStore(options: OpenAnyStoreOptions): Promise<ServerStore> {
  const { dbPath, databaseUrl, logger, leaseDays } = options;
  if (dbPath !== undefined && databaseUrl !== undefined) {
    throw new Error('Both dbPath and databaseUrl are set: give dbPath for SQLite or databaseUrl for PostgreSQL, not both');
  }
  if (databaseUrl !== undefined) return openPostgresStore({ databaseUrl, logger, leaseDays });
  if (dbPath !== undefined) return openServerStore({ dbPath, logger, leaseDays });
  throw new Error('No database configured: set dbPath (SQLite file) or databaseUrl (PostgreSQL URL)');
}
