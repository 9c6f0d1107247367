/**
 * The seam between the store's queries and its two databases. The table classes write their SQL
 * once, with `?` placeholders and only syntax that SQLite and PostgreSQL both accept (upserts with
 * qualified column names, `RETURNING`, `CASE` instead of two-argument `MAX`). Each driver runs that
 * SQL on its own connection type and decides how transactions are isolated.
 */

/** A value bound to one `?` placeholder. */
export type SqlValue = string | number | null;

export interface SqlConnection {
  /**
   * True when `INSERT … RETURNING` may run inside `WITH`, so that several inserts share one
   * statement (PostgreSQL). SQLite rejects it, and a connection without the flag gets one
   * statement per insert, which costs nothing there because SQLite runs in the process.
   */
  readonly writableCte?: boolean;
  all<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Returns the first row, or undefined when there is none. */
  get<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row | undefined>;
  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Must be called before each insert into `changes`, inside the write transaction. It makes
   * feed entries commit in `seq` order, so that a cursor never passes an entry that is still
   * uncommitted. SQLite needs nothing, because its single writer already commits in order.
   */
  lockFeed(): Promise<void>;
}

/** Access to one database for the store: connections, transactions, schema version and shutdown. */
export interface StoreDriver {
  /** The file path, or the database URL without its password; for logs and error messages. */
  readonly location: string;
  /** True when one server node at a time uses the database, as with a SQLite file. */
  readonly singleNode: boolean;
  /** Runs `work` with statements that each commit on their own; for single-statement reads and writes. */
  connect<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T>;
  /** Runs `work` in one read-only transaction, so that several statements see one committed state. */
  snapshot<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction with the effect of running it alone, and commits. Any error
   * rolls back everything `work` wrote. A driver may run `work` again after a conflict with a
   * concurrent transaction, so `work` must keep its state inside the callback.
   */
  transaction<T>(work: (sql: SqlConnection) => Promise<T>): Promise<T>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
