/**
 * The PostgreSQL driver: a `pg` pool shared by every server node's store.
 *
 * Write transactions run at SERIALIZABLE isolation, which gives each one the effect of running
 * alone, as SQLite's single writer does. PostgreSQL enforces that by aborting one of two
 * conflicting transactions (serialization failure or deadlock), and this driver runs the aborted
 * one again from the start.
 */
import type pg from 'pg';
import type { Logger } from '../../logger.ts';
import type { SqlConnection, SqlValue, StoreDriver } from '../sql.ts';
import { schemaVersionOf } from './database.ts';

/** Transaction-level advisory lock that orders feed writes. An arbitrary constant that no other code takes. */
const FEED_LOCK_KEY = 0x67_65_73_02;

/** SQLSTATE codes after which the whole transaction can run again: serialization_failure, deadlock_detected. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

/**
 * SQLSTATE out_of_memory with this message: a shared lock table of the PostgreSQL server is full.
 * SERIALIZABLE transactions fill the predicate lock table, which has room for
 * `max_pred_locks_per_transaction` objects per server process and is shared by every database of
 * the server. PostgreSQL keeps a committed transaction's entries until every transaction that
 * overlapped it has ended. In a reconnection storm hundreds of handshake transactions overlap, and
 * some of them failed this way. The entries are freed as those transactions end, so the
 * transaction runs again after the same wait as a conflict.
 */
const LOCK_TABLE_FULL = { code: '53200', message: 'out of shared memory' };

/**
 * Attempts per transaction before the conflict error reaches the caller.
 * NOTE: chosen without measurements of production contention.
 */
const MAX_ATTEMPTS = 20;

/** Upper bound of the random wait before another attempt, in milliseconds. */
const MAX_BACKOFF_MS = 100;

/**
 * Named prepared statements, one per distinct SQL text, with `?` turned into `$1, $2, …`. `pg`
 * parses a named statement once per connection and reuses the plan after that.
 */
const statements = new Map<string, { name: string; text: string }>();

function prepared(sql: string, params: readonly SqlValue[]): pg.QueryConfig<SqlValue[]> {
  let statement = statements.get(sql);
  if (!statement) {
    let index = 0;
    statement = { name: `gestiona_${statements.size + 1}`, text: sql.replace(/\?/g, () => `$${(index += 1)}`) };
    statements.set(sql, statement);
  }
  return { name: statement.name, text: statement.text, values: [...params] };
}

class PgConnection implements SqlConnection {
  readonly writableCte = true;
  private feedLocked = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly inWriteTransaction: boolean,
  ) {}

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.client.query(prepared(sql, params));
    return result.rows as Row[];
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return (await this.all<Row>(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.client.query(prepared(sql, params));
    return result.rowCount ?? 0;
  }

  /**
   * Takes a transaction-level advisory lock before the first insert into `changes`.
   *
   * A sequence hands out `seq` when the row is inserted, not when it commits. With two concurrent
   * writers, the one holding seq 11 can commit before the one holding seq 10. A workstation that
   * pulls in between receives 11, stores cursor 11 and never requests 10 again. While this lock
   * is held, no other transaction can take a seq, and PostgreSQL releases it only at COMMIT or
   * ROLLBACK, after the commit is visible to new snapshots. So seqs become visible in order, and
   * a rolled-back transaction leaves a gap that no later commit fills.
   */
  async lockFeed(): Promise<void> {
    if (!this.inWriteTransaction) throw new Error('Feed entries can be written only inside a write transaction');
    if (this.feedLocked) return;
    await this.client.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK_KEY]);
    this.feedLocked = true;
  }
}

export class PostgresDriver implements StoreDriver {
  readonly singleNode = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly logger: Logger,
  ) {}

  async connect<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await work(new PgConnection(client, false));
    } finally {
      client.release();
    }
  }

  snapshot<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY', (client) => work(new PgConnection(client, false)));
  }

  async transaction<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.inTransaction('BEGIN ISOLATION LEVEL SERIALIZABLE', (client) => work(new PgConnection(client, true)));
      } catch (error) {
        if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.debug({ attempt, code: sqlState(error) }, 'run transaction: retrying after a conflict or a full lock table');
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_BACKOFF_MS, 2 ** attempt)));
      }
    }
  }

  async schemaVersion(): Promise<number> {
    const client = await this.pool.connect();
    try {
      return await schemaVersionOf(client);
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }

  private async inTransaction<T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let reusable = true;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      reusable = await rollback(client);
      throw error;
    } finally {
      // A connection whose ROLLBACK failed may still hold the transaction open, so it is closed instead of reused.
      client.release(!reusable);
    }
  }
}

/** Rolls back the client's transaction, if any; returns false when the connection failed. */
async function rollback(client: pg.PoolClient): Promise<boolean> {
  try {
    await client.query('ROLLBACK');
    return true;
  } catch {
    return false;
  }
}

/** Returns whether a transaction that failed with `error` can run again from the start. */
export function isRetryable(error: unknown): boolean {
  const code = sqlState(error);
  if (code === null) return false;
  if (RETRYABLE_CODES.has(code)) return true;
  return code === LOCK_TABLE_FULL.code && error instanceof Error && error.message === LOCK_TABLE_FULL.message;
}

/** Returns the SQLSTATE of a PostgreSQL error, or null for any other error. */
export function sqlState(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}
