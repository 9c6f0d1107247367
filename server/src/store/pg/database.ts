/**
 * Opening a PostgreSQL database and bringing its schema up to date. The applied version is the
 * highest row of `schema_migrations`.
 */
import pg from 'pg';
import type { Logger } from '../../logger.ts';
import { redactUrl } from '../../redact-url.ts';
import type { Migration } from '../migrations/types.ts';
import { assertConsecutive, DatabaseTooNewError, type MigrationReport } from '../schema-version.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';

/** Session advisory lock held while migrating, so that nodes starting together migrate one at a time. */
const MIGRATION_LOCK_KEY = 0x67_65_73_01;

/** The table that records each applied migration; the schema version is its highest `version`. */
export const SCHEMA_MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** int8 type id in `pg_type`. */
const INT8_OID = 20;

/** Connections per pool unless the caller says otherwise; the default of `pg` itself is 10. */
export const DEFAULT_POOL_SIZE = 10;

/** Returns whether the value is a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/**
 * Counts, sequence values and identity ids are bigint, which `pg` returns as strings. Every such
 * value in this schema fits in a double, so it is parsed as a number, and one that does not fit
 * fails loudly instead of losing digits.
 */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`bigint value ${text} does not fit in a JavaScript number`);
  return value;
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: (id, format) => (id === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(id, format)),
};

export function createPool(url: string, logger: Logger, poolSize: number = DEFAULT_POOL_SIZE): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: typeParsers });
  // An idle connection can fail (a restart of PostgreSQL); without a listener the process would exit.
  pool.on('error', (error) => logger.error({ err: error, database: redactUrl(url) }, 'idle database connection: failed'));
  return pool;
}

export async function schemaVersionOf(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  if (!exists.rows[0]?.present) return 0;
  const result = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
  return result.rows[0]?.version ?? 0;
}

/**
 * Applies each pending migration in its own transaction together with its `schema_migrations`
 * row. Rejects a database whose version is newer than the latest migration.
 */
export async function migrate(pool: pg.Pool, location: string, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<MigrationReport> {
  assertConsecutive(migrations);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const report = await applyPending(client, location, migrations);
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    client.release();
    return report;
  } catch (error) {
    // Closing the connection rolls back the failed migration and drops the advisory lock.
    client.release(true);
    throw error;
  }
}

async function applyPending(client: pg.PoolClient, location: string, migrations: readonly Migration[]): Promise<MigrationReport> {
  const latest = migrations.at(-1)?.version ?? 0;
  await client.query(SCHEMA_MIGRATIONS_TABLE_SQL);
  const current = await schemaVersionOf(client);
  if (current > latest) throw new DatabaseTooNewError(location, current, latest);

  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await client.query('BEGIN');
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    await client.query('COMMIT');
  }
  return { from: current, to: Math.max(current, latest) };
}
