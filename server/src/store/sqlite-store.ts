/** Opens the SQLite implementation of `ServerStore`: one file, WAL journal, one writer. */
import type { Logger } from '../logger.ts';
import { SqlServerStore, leaseDurationMs } from './sql-store.ts';
import { SqliteDriver } from './sqlite-driver.ts';
import type { ServerStore } from './types.ts';

export { DEFAULT_LEASE_DAYS } from './sql-store.ts';

export interface OpenStoreOptions {
  dbPath: string;
  logger: Logger;
  /** Lease length in days (default 7); fractions are allowed. */
  leaseDays?: number;
}

export async function openServerStore(options: OpenStoreOptions): Promise<ServerStore> {
  const durationMs = leaseDurationMs(options.leaseDays);
  const { driver, migration } = SqliteDriver.open(options.dbPath);
  if (migration.from !== migration.to) {
    options.logger.info({ dbPath: options.dbPath, from: migration.from, to: migration.to }, 'migrate database: done');
  }

  return new SqlServerStore(driver, durationMs, options.logger);
}
