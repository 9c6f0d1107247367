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

export class PromiseStore {
  private readonly db: Database;
  private readonly upsertPromise: Statement;
  private readonly deleteInstalments: Statement;
  private readonly insertInstalment: Statement;
  private readonly upsertPayment: Statement;

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
    return rows
      .flatMap((row) => {
        const parsed = promiseSnapshotSchema.safeParse(JSON.parse(row.snapshot));
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => a.madeAt.localeCompare(b.madeAt) || a.id.localeCompare(b.id));
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
    const rows = this.db
      .prepare(
        `SELECT local_records.interaction_id, local_records.debtor_id, local_records.kind, local_records.payload, local_records.created_at
         FROM local_records WHERE local_records.debtor_id = ? AND local_records.kind IN ('promise', 'agreement')
           AND NOT EXISTS (SELECT 1 FROM promises WHERE promises.id = local_records.interaction_id)
         ORDER BY local_records.created_at`,
      )
      .all(debtorId) as Array<{ interaction_id: string; debtor_id: string; kind: 'promise' | 'agreement'; payload: string; created_at: string }>;
    return rows.map((row) => {
      const payload = JSON.parse(row.payload) as { code?: unknown; fields?: unknown };
      return {
        interactionId: row.interaction_id,
        debtorId: row.debtor_id,
        kind: row.kind,
        code: typeof payload.code === 'string' ? payload.code : '',
        fields: typeof payload.fields === 'object' && payload.fields !== null ? (payload.fields as Record<string, unknown>) : {},
        createdAt: row.created_at,
      };
    });
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
