/**
 * The SQLite driver: one better-sqlite3 connection shared by the whole process.
 *
 * better-sqlite3 is synchronous, but the store's operations are async (PostgreSQL needs it), so a
 * transaction stays open across `await`s. Any other statement issued on the same connection in
 * that time would run inside that transaction. A feed read could then see rows that are later
 * rolled back, and SQLite would reuse their `seq`, which a workstation's cursor has already
 * passed. So every use of the connection, reads included, takes its turn through one queue.
 *
 * NOTE: the queue covers one store. Two stores open on the same file in the same process can
 * interleave: the second one's BEGIN IMMEDIATE then blocks the thread for the busy timeout (5 s)
 * and fails with "database is locked". Open one store per file per process; other processes
 * (the command line) only wait.
 */
import type { Statement } from 'better-sqlite3';
import { TaskQueue } from '../task-queue.ts';
import { openDatabase, schemaVersion, type MigrationReport, type SqliteDatabase } from './database.ts';
import type { SqlConnection, SqlValue, StoreDriver } from './sql.ts';

class SqliteConnection implements SqlConnection {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  async all<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    return this.prepare(sql).all(...params) as Row[];
  }

  async get<Row>(sql: string, params: readonly SqlValue[] = []): Promise<Row | undefined> {
    return this.prepare(sql).get(...params) as Row | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }

  async lockFeed(): Promise<void> {
    // Nothing to do: `BEGIN IMMEDIATE` already made this the only writer, so seqs commit in order.
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

export class SqliteDriver implements StoreDriver {
  readonly singleNode = true;
  /**
   * better-sqlite3 blocks the event loop for every statement and every commit's wait for the disk.
   * The turn between tasks lets handshakes, pings and acknowledgements run between two transactions
   * of a backlog, as in a reconnection storm. No transaction is open during that turn, because each
   * task commits or rolls back before it settles.
   */
  private readonly queue = new TaskQueue({ turnBetweenTasks: true });
  private readonly connection: SqliteConnection;

  private constructor(
    readonly location: string,
    private readonly db: SqliteDatabase,
  ) {
    this.connection = new SqliteConnection(db);
  }

  /** Opens (creating if needed) the file and applies pending migrations. */
  static open(path: string): { driver: SqliteDriver; migration: MigrationReport } {
    const { db, migration } = openDatabase(path);
    return { driver: new SqliteDriver(path, db), migration };
  }

  connect<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    return this.queue.run(() => work(this.connection));
  }

  snapshot<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    // A deferred transaction keeps one WAL snapshot, which matters when another process writes the file.
    return this.queue.run(() => this.inTransaction('BEGIN', work));
  }

  transaction<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock at once, so a second process (the command line) waits on
    // busy_timeout at BEGIN instead of failing halfway through when its read lock cannot be upgraded.
    return this.queue.run(() => this.inTransaction('BEGIN IMMEDIATE', work));
  }

  async schemaVersion(): Promise<number> {
    return this.queue.run(async () => schemaVersion(this.db));
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.db.open) this.db.close();
    });
  }

  private async inTransaction<T>(begin: string, work: (sql: SqlConnection) => Promise<T>): Promise<T> {
    this.db.exec(begin);
    try {
      const result = await work(this.connection);
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }
}
