/** Promises, agreements and payments the server sent for the leased debtors. */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { paymentSnapshotSchema, promiseSnapshotSchema, type PaymentSnapshot, type PromiseSnapshot } from '@gestiona/core/sync';

/** A promise or agreement the agent typified here, before the server's copy arrives. */
export interface LocalPromiseRecord {
  interactionId: string;
  debtorId: string;
  kind: 'promise' | 'agreement';
  code: string;
  fields: Record<string, unknown>;
  createdAt: string;
}

/** A callback the agent scheduled here (`local_records` of kind `callback`). */
export interface LocalCallbackRecord {
  interactionId: string;
  debtorId: string;
  /** The agreed instant, ISO-8601 with offset. */
  dueAt: string;
  createdAt: string;
}

interface LocalRecordRow {
  interaction_id: string;
  debtor_id: string;
  kind: 'promise' | 'agreement';
  payload: string;
  created_at: string;
}

const LOCAL_ONLY_SQL = `
  SELECT local_records.interaction_id, local_records.debtor_id, local_records.kind, local_records.payload, local_records.created_at
  FROM local_records WHERE local_records.debtor_id IN (SELECT value FROM json_each(?)) AND local_records.kind IN ('promise', 'agreement')
    AND NOT EXISTS (SELECT 1 FROM promises WHERE promises.id = local_records.interaction_id)
  ORDER BY local_records.created_at`;

/** Entries kept in `PromiseStore.parsedSnapshots` before it starts over: a few thousand promises, a few megabytes. */
const PARSED_SNAPSHOT_LIMIT = 5_000;

export class PromiseStore {
  private readonly db: Database;
  private readonly upsertPromise: Statement;
  private readonly deleteInstalments: Statement;
  private readonly insertInstalment: Statement;
  private readonly upsertPayment: Statement;
  private readonly selectSnapshotsIn: Statement<[string], { debtor_id: string; snapshot: string }>;
  private readonly selectLocalOnlyIn: Statement<[string], LocalRecordRow>;
  private readonly selectCallbacksIn: Statement<[string], { interaction_id: string; debtor_id: string; due_at: string; created_at: string }>;
  private readonly selectFollowUpCandidates: Statement<[string], { debtor_id: string }>;
  /**
   * Snapshots parsed by `forDebtors`, by their stored JSON text. The worklist reads the same
   * promises on every page, and validating them again cost more than the rest of its follow-ups.
   * They are frozen because every caller shares them.
   */
  private readonly parsedSnapshots = new Map<string, PromiseSnapshot | null>();

  constructor(db: Database) {
    this.db = db;
    this.upsertPromise = db.prepare(`
      INSERT INTO promises (id, debtor_id, status, snapshot, received_at) VALUES (@id, @debtorId, @status, @snapshot, @receivedAt)
      ON CONFLICT (id) DO UPDATE SET debtor_id = excluded.debtor_id, status = excluded.status, snapshot = excluded.snapshot, received_at = excluded.received_at`);
    this.deleteInstalments = db.prepare('DELETE FROM promise_instalments WHERE promise_id = ?');
    this.insertInstalment = db.prepare(
      'INSERT INTO promise_instalments (promise_id, number, debtor_id, due_on, status) VALUES (@promiseId, @number, @debtorId, @dueOn, @status)',
    );
    this.upsertPayment = db.prepare(`
      INSERT INTO payments (id, debtor_id, paid_on, snapshot, received_at) VALUES (@id, @debtorId, @paidOn, @snapshot, @receivedAt)
      ON CONFLICT (id) DO UPDATE SET debtor_id = excluded.debtor_id, paid_on = excluded.paid_on, snapshot = excluded.snapshot, received_at = excluded.received_at`);
    this.selectSnapshotsIn = db.prepare('SELECT debtor_id, snapshot FROM promises WHERE debtor_id IN (SELECT value FROM json_each(?))');
    this.selectLocalOnlyIn = db.prepare(LOCAL_ONLY_SQL);
    this.selectCallbacksIn = db.prepare(`
      SELECT interaction_id, debtor_id, due_at, created_at FROM local_records
      WHERE debtor_id IN (SELECT value FROM json_each(?)) AND kind = 'callback' AND due_at IS NOT NULL
      ORDER BY created_at`);
    // Every debtor that may have a follow-up due on the day: a pending instalment due then, or a
    // promise, agreement or callback typified here. The service decides which do.
    this.selectFollowUpCandidates = db.prepare(`
      SELECT debtor_id FROM promise_instalments WHERE due_on = ? AND status = 'pending'
      UNION SELECT debtor_id FROM local_records WHERE kind IN ('promise', 'agreement', 'callback')`);
  }

  /** Stores the server's promise, replacing an older copy; the caller runs this inside the feed batch's transaction. */
  put(snapshot: PromiseSnapshot, receivedAt: string): void {
    this.upsertPromise.run({ id: snapshot.id, debtorId: snapshot.debtorId, status: snapshot.status, snapshot: JSON.stringify(snapshot), receivedAt });
    this.deleteInstalments.run(snapshot.id);
    for (const instalment of snapshot.instalments) {
      this.insertInstalment.run({ promiseId: snapshot.id, number: instalment.number, debtorId: snapshot.debtorId, dueOn: instalment.dueOn, status: instalment.status });
    }
  }

  putPayment(snapshot: PaymentSnapshot, receivedAt: string): void {
    this.upsertPayment.run({ id: snapshot.id, debtorId: snapshot.debtorId, paidOn: snapshot.paidOn, snapshot: JSON.stringify(snapshot), receivedAt });
  }

  /** Returns the debtor's promises from the server, oldest first, skipping a row that no longer parses. */
  forDebtor(debtorId: string): PromiseSnapshot[] {
    const rows = this.db.prepare('SELECT snapshot FROM promises WHERE debtor_id = ?').all(debtorId) as Array<{ snapshot: string }>;
    return parsePromises(rows);
  }

  /**
   * Returns the server's promises of each debtor in `debtorIds`, ordered as `forDebtor` orders them;
   * a debtor without any is left out. The snapshots are frozen and shared between calls.
   */
  forDebtors(debtorIds: readonly string[]): Map<string, PromiseSnapshot[]> {
    const rows = debtorIds.length === 0 ? [] : this.selectSnapshotsIn.all(JSON.stringify(debtorIds));
    if (this.parsedSnapshots.size > PARSED_SNAPSHOT_LIMIT) this.parsedSnapshots.clear();
    const byDebtor = new Map<string, PromiseSnapshot[]>();
    for (const [debtorId, group] of groupBy(rows, (row) => row.debtor_id)) {
      const snapshots = group.flatMap((row) => {
        const snapshot = this.parsedSnapshot(row.snapshot);
        return snapshot === null ? [] : [snapshot];
      });
      byDebtor.set(debtorId, snapshots.sort(byMadeAt));
    }
    return byDebtor;
  }

  private parsedSnapshot(text: string): PromiseSnapshot | null {
    const cached = this.parsedSnapshots.get(text);
    if (cached !== undefined) return cached;
    const parsed = promiseSnapshotSchema.safeParse(JSON.parse(text));
    const snapshot = parsed.success ? deepFreeze(parsed.data) : null;
    this.parsedSnapshots.set(text, snapshot);
    return snapshot;
  }

  /** Returns the debtors that may have a follow-up due on `today` (`YYYY-MM-DD`, Bogotá); the service decides which have one. */
  followUpCandidates(today: string): string[] {
    return this.selectFollowUpCandidates.all(today).map((row) => row.debtor_id);
  }

  /** Returns the callbacks scheduled here for each debtor in `debtorIds`, oldest first; a debtor without any is left out. */
  callbacksFor(debtorIds: readonly string[]): Map<string, LocalCallbackRecord[]> {
    const rows = debtorIds.length === 0 ? [] : this.selectCallbacksIn.all(JSON.stringify(debtorIds));
    const byDebtor = new Map<string, LocalCallbackRecord[]>();
    for (const [debtorId, group] of groupBy(rows, (row) => row.debtor_id)) {
      byDebtor.set(
        debtorId,
        group.map((row) => ({ interactionId: row.interaction_id, debtorId: row.debtor_id, dueAt: row.due_at, createdAt: row.created_at })),
      );
    }
    return byDebtor;
  }

  paymentsForDebtor(debtorId: string): PaymentSnapshot[] {
    const rows = this.db.prepare('SELECT snapshot FROM payments WHERE debtor_id = ?').all(debtorId) as Array<{ snapshot: string }>;
    return rows
      .flatMap((row) => {
        const parsed = paymentSnapshotSchema.safeParse(JSON.parse(row.snapshot));
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => a.paidOn.localeCompare(b.paidOn) || a.reference.localeCompare(b.reference));
  }

  /**
   * Returns the promises and agreements typified at this desk whose server copy has not arrived
   * yet, so a follow-up is not lost while the outbox waits for the network.
   */
  localOnly(debtorId: string): LocalPromiseRecord[] {
    return this.localOnlyFor([debtorId]).get(debtorId) ?? [];
  }

  /** `localOnly` for each debtor in `debtorIds`, in one query; a debtor without such records is left out. */
  localOnlyFor(debtorIds: readonly string[]): Map<string, LocalPromiseRecord[]> {
    const rows = debtorIds.length === 0 ? [] : this.selectLocalOnlyIn.all(JSON.stringify(debtorIds));
    const byDebtor = new Map<string, LocalPromiseRecord[]>();
    for (const [debtorId, group] of groupBy(rows, (row) => row.debtor_id)) byDebtor.set(debtorId, group.map(toLocalPromiseRecord));
    return byDebtor;
  }

  /** Deletes what the server sent about the debtor. */
  removeDebtor(debtorId: string): void {
    this.db.prepare('DELETE FROM promises WHERE debtor_id = ?').run(debtorId);
    this.db.prepare('DELETE FROM payments WHERE debtor_id = ?').run(debtorId);
  }

  /** Deletes the rows of debtors no longer stored (a lease that ended, a purge); returns how many debtors went. */
  purgeOrphans(): number {
    const orphans = this.db
      .prepare(
        `SELECT debtor_id FROM promises WHERE debtor_id NOT IN (SELECT id FROM debtors)
         UNION SELECT debtor_id FROM payments WHERE debtor_id NOT IN (SELECT id FROM debtors)`,
      )
      .all() as Array<{ debtor_id: string }>;
    for (const row of orphans) this.removeDebtor(row.debtor_id);
    return orphans.length;
  }

  wipe(): void {
    this.db.exec('DELETE FROM promises; DELETE FROM payments;');
  }
}

function parsePromises(rows: ReadonlyArray<{ snapshot: string }>): PromiseSnapshot[] {
  return rows
    .flatMap((row) => {
      const parsed = promiseSnapshotSchema.safeParse(JSON.parse(row.snapshot));
      return parsed.success ? [parsed.data] : [];
    })
    .sort(byMadeAt);
}

function byMadeAt(a: PromiseSnapshot, b: PromiseSnapshot): number {
  return a.madeAt.localeCompare(b.madeAt) || a.id.localeCompare(b.id);
}

/** Freezes a parsed JSON value and everything in it, so that a shared copy cannot be changed by one reader. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function toLocalPromiseRecord(row: LocalRecordRow): LocalPromiseRecord {
  const payload = JSON.parse(row.payload) as { code?: unknown; fields?: unknown };
  return {
    interactionId: row.interaction_id,
    debtorId: row.debtor_id,
    kind: row.kind,
    code: typeof payload.code === 'string' ? payload.code : '',
    fields: typeof payload.fields === 'object' && payload.fields !== null ? (payload.fields as Record<string, unknown>) : {},
    createdAt: row.created_at,
  };
}

/** Groups rows by a key, keeping their order within each group. */
function groupBy<Row>(rows: readonly Row[], keyOf: (row: Row) => string): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
