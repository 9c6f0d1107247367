/** Opens the PostgreSQL implementation of `ServerStore`, which several server nodes can share. */
import type { Logger } from '../../logger.ts';
import { leaseDurationMs, SqlServerStore } from '../sql-store.ts';
import type { ServerStore } from '../types.ts';
import { redactUrl } from '../../redact-url.ts';
import { createPool, isPostgresUrl, migrate } from './database.ts';
import { PostgresDriver } from './driver.ts';

export interface OpenPostgresStoreOptions {
  /** `postgres://user:password@host:port/database`, with the query parameters `pg` supports, such as `sslmode`. */
  databaseUrl: string;
  logger: Logger;
  /** Lease length in days (default 7); fractions are allowed. */
  leaseDays?: number;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<ServerStore> {
  const durationMs = leaseDurationMs(options.leaseDays);
  if (!isPostgresUrl(options.databaseUrl)) {
    throw new Error(`Invalid database URL ${redactUrl(options.databaseUrl)}: use postgres://user@host:port/database`);
  }

  const location = redactUrl(options.databaseUrl);
  const pool = createPool(options.databaseUrl, options.logger, options.poolSize);
  try {
    const migration = await migrate(pool, location);
    if (migration.from !== migration.to) {
      options.logger.info({ database: location, from: migration.from, to: migration.to }, 'migrate database: done');
    }
  } catch (error) {
    await pool.end();
    throw error;
  }

  return new SqlServerStore(new PostgresDriver(pool, location, options.logger), durationMs, options.logger);
}
