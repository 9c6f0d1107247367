/** Promises, their instalments and status history, and the payments reconciled with them. */
import type { PaymentSnapshot, PromiseSnapshot, PromiseStatus } from '@gestiona/core/sync';
import type { SqlConnection } from '../store/sql.ts';
import type { Allocation, EvaluatedPromise, PaymentFact, PromiseTerms, UnmatchedReason } from './rules.ts';

export type StatusChangeCause = 'typified' | 'payments-import' | 'grace-ended';

export interface NewPromise {
  id: string;
  kind: 'promise' | 'agreement';
  debtorId: string;
  interactionId: string;
  agentId: string;
  code: string;
  obligationIds: readonly string[];
  collectionFeeCents: number | null;
  madeAt: string;
  madeOn: string;
  instalments: ReadonlyArray<{ dueOn: string; amountCents: number }>;
  reason: string;
  now: Date;
  today: string;
}

export interface StatusChange {
  promiseId: string;
  /** null for the promise as a whole. */
  instalment: number | null;
  from: PromiseStatus | null;
  to: PromiseStatus;
  cause: StatusChangeCause;
  reason: string;
}

export interface PromiseStatusChange extends StatusChange {
  changedAt: string;
}

export interface StoredPayment extends PaymentFact {
  creditor: string;
  debtorId: string;
  promiseId: string | null;
  excessCents: number;
  unmatchedReason: UnmatchedReason | null;
  importedAt: string;
}

interface PromiseRow {
  id: string;
  kind: 'promise' | 'agreement';
  debtor_id: string;
  agent_id: string;
  code: string;
  obligation_ids: string;
  amount_cents: number;
  made_at: string;
  made_on: string;
  status: PromiseStatus;
  paid_cents: number;
  excess_cents: number;
  status_changed_at: string;
  status_reason: string;
}

interface InstalmentRow {
  promise_id: string;
  number: number;
  due_on: string;
  amount_cents: number;
  paid_cents: number;
  status: PromiseStatus;
}

interface PaymentRow {
  id: number | string;
  creditor: string;
  reference: string;
  obligation_id: string;
  debtor_id: string;
  paid_on: string;
  amount_cents: number;
  promise_id: string | null;
  excess_cents: number;
  unmatched_reason: UnmatchedReason | null;
  imported_at: string;
}

export class PromisesTable {
  constructor(readonly sql: SqlConnection) {}

  /** Inserts the promise pending, with its instalments and its first status change; returns false when the id exists. */
  async insert(promise: NewPromise): Promise<boolean> {
    const exists = await this.sql.get<{ id: string }>('SELECT id FROM promises WHERE id = ? OR interaction_id = ?', [promise.id, promise.interactionId]);
    if (exists) return false;
    const at = promise.now.toISOString();
    const amountCents = promise.instalments.reduce((total, instalment) => total + instalment.amountCents, 0);
    await this.sql.run(
      `INSERT INTO promises (id, kind, debtor_id, interaction_id, agent_id, code, obligation_ids, amount_cents, collection_fee_cents, made_at, made_on,
         status, paid_cents, excess_cents, status_changed_at, status_reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, ?, ?, ?)`,
      [
        promise.id,
        promise.kind,
        promise.debtorId,
        promise.interactionId,
        promise.agentId,
        promise.code,
        JSON.stringify(promise.obligationIds),
        amountCents,
        promise.collectionFeeCents,
        promise.madeAt,
        promise.madeOn,
        at,
        promise.reason,
        at,
      ],
    );
    for (const [index, instalment] of promise.instalments.entries()) {
      await this.sql.run("INSERT INTO promise_instalments (promise_id, number, due_on, amount_cents, paid_cents, status) VALUES (?, ?, ?, ?, 0, 'pending')", [
        promise.id,
        index + 1,
        instalment.dueOn,
        instalment.amountCents,
      ]);
    }
    await this.recordChanges([{ promiseId: promise.id, instalment: null, from: null, to: 'pending', cause: 'typified', reason: promise.reason }], promise.now, promise.today);
    return true;
  }

  /** Returns the terms of every promise of the debtor, oldest first. */
  async termsOfDebtor(debtorId: string): Promise<PromiseTerms[]> {
    const promises = await this.sql.all<PromiseRow>('SELECT * FROM promises WHERE debtor_id = ? ORDER BY made_at, id', [debtorId]);
    const instalments = await this.instalmentsOf(promises.map((row) => row.id));
    return promises.map((row) => ({
      id: row.id,
      madeOn: row.made_on,
      madeAt: row.made_at,
      obligationIds: JSON.parse(row.obligation_ids) as string[],
      instalments: (instalments.get(row.id) ?? []).map((instalment) => ({
        number: Number(instalment.number),
        dueOn: instalment.due_on,
        amountCents: Number(instalment.amount_cents),
      })),
    }));
  }

  /** Returns the stored promises of the debtor in the feed's shape, oldest first. */
  async snapshotsOfDebtor(debtorId: string): Promise<PromiseSnapshot[]> {
    const promises = await this.sql.all<PromiseRow>('SELECT * FROM promises WHERE debtor_id = ? ORDER BY made_at, id', [debtorId]);
    const instalments = await this.instalmentsOf(promises.map((row) => row.id));
    return promises.map((row) => toSnapshot(row, instalments.get(row.id) ?? []));
  }

  async snapshot(promiseId: string): Promise<PromiseSnapshot | null> {
    const row = await this.sql.get<PromiseRow>('SELECT * FROM promises WHERE id = ?', [promiseId]);
    if (!row) return null;
    const instalments = await this.instalmentsOf([row.id]);
    return toSnapshot(row, instalments.get(row.id) ?? []);
  }

  /**
   * Writes an evaluation: statuses, amounts paid, and the allocations of the debtor's payments.
   * `changes` are recorded with `now` and `today`; the promise's reason becomes its last change's.
   */
  async saveEvaluation(debtorId: string, evaluated: readonly EvaluatedPromise[], allocations: readonly Allocation[], changes: readonly StatusChange[], now: Date, today: string): Promise<void> {
    const at = now.toISOString();
    for (const promise of evaluated) {
      const last = changes.filter((change) => change.promiseId === promise.id && change.instalment === null).at(-1);
      await this.sql.run(
        `UPDATE promises SET status = ?, paid_cents = ?, excess_cents = ?,
           status_changed_at = CASE WHEN status = ? THEN status_changed_at ELSE ? END,
           status_reason = CASE WHEN status = ? THEN status_reason ELSE ? END
         WHERE id = ?`,
        [promise.status, promise.paidCents, promise.excessCents, promise.status, at, promise.status, last?.reason ?? '', promise.id],
      );
      for (const instalment of promise.instalments) {
        await this.sql.run('UPDATE promise_instalments SET paid_cents = ?, status = ? WHERE promise_id = ? AND number = ?', [
          instalment.paidCents,
          instalment.status,
          promise.id,
          instalment.number,
        ]);
      }
    }
    await this.sql.run('DELETE FROM payment_allocations WHERE payment_id IN (SELECT id FROM payments WHERE debtor_id = ?)', [debtorId]);
    for (const share of allocations) {
      await this.sql.run('INSERT INTO payment_allocations (payment_id, promise_id, instalment, amount_cents) VALUES (?, ?, ?, ?)', [
        Number(share.paymentId),
        share.promiseId,
        share.instalment,
        share.amountCents,
      ]);
    }
    await this.recordChanges(changes, now, today);
  }

  async recordChanges(changes: readonly StatusChange[], now: Date, today: string): Promise<void> {
    for (const change of changes) {
      await this.sql.run(
        'INSERT INTO promise_status_changes (promise_id, instalment, from_status, to_status, changed_at, changed_on, cause, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [change.promiseId, change.instalment, change.from, change.to, now.toISOString(), today, change.cause, change.reason],
      );
    }
  }

  /** Status history of one promise, oldest first. */
  async history(promiseId: string): Promise<PromiseStatusChange[]> {
    const rows = await this.sql.all<{ promise_id: string; instalment: number | null; from_status: PromiseStatus | null; to_status: PromiseStatus; changed_at: string; cause: StatusChangeCause; reason: string }>(
      'SELECT promise_id, instalment, from_status, to_status, changed_at, cause, reason FROM promise_status_changes WHERE promise_id = ? ORDER BY id',
      [promiseId],
    );
    return rows.map((row) => ({
      promiseId: row.promise_id,
      instalment: row.instalment === null ? null : Number(row.instalment),
      from: row.from_status,
      to: row.to_status,
      changedAt: row.changed_at,
      cause: row.cause,
      reason: row.reason,
    }));
  }

  /** Debtors with an instalment still pending that fell due on or before `lastDueOn`. */
  async debtorsWithPendingDueBy(lastDueOn: string): Promise<string[]> {
    const rows = await this.sql.all<{ debtor_id: string }>(
      `SELECT DISTINCT promises.debtor_id FROM promise_instalments JOIN promises ON promises.id = promise_instalments.promise_id
       WHERE promise_instalments.status = 'pending' AND promise_instalments.due_on <= ? ORDER BY promises.debtor_id`,
      [lastDueOn],
    );
    return rows.map((row) => row.debtor_id);
  }

  // Payments

  async recordImport(input: { fileName: string; sha256: string; rowsRead: number; stored: number; duplicates: number; importedBy: string | null; importedAt: Date }): Promise<number> {
    const row = await this.sql.get<{ id: number | string }>(
      'INSERT INTO payment_imports (file_name, sha256, rows_read, stored, duplicates, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [input.fileName, input.sha256, input.rowsRead, input.stored, input.duplicates, input.importedBy, input.importedAt.toISOString()],
    );
    return Number(row!.id);
  }

  /** Returns whether the creditor's reference is already stored. */
  async hasReference(creditor: string, reference: string): Promise<boolean> {
    return (await this.sql.get<{ id: number }>('SELECT id FROM payments WHERE creditor = ? AND reference = ?', [creditor, reference])) !== undefined;
  }

  async insertPayment(input: { creditor: string; reference: string; obligationId: string; debtorId: string; paidOn: string; amountCents: number; importId: number; line: number; now: Date }): Promise<string> {
    const row = await this.sql.get<{ id: number | string }>(
      `INSERT INTO payments (creditor, reference, obligation_id, debtor_id, paid_on, amount_cents, import_id, line, promise_id, excess_cents, unmatched_reason, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL, ?) RETURNING id`,
      [input.creditor, input.reference, input.obligationId, input.debtorId, input.paidOn, input.amountCents, input.importId, input.line, input.now.toISOString()],
    );
    return String(row!.id);
  }

  async paymentsOfDebtor(debtorId: string): Promise<StoredPayment[]> {
    const rows = await this.sql.all<PaymentRow>(
      `SELECT payments.*, payment_imports.imported_at FROM payments JOIN payment_imports ON payment_imports.id = payments.import_id
       WHERE payments.debtor_id = ? ORDER BY payments.paid_on, payments.reference, payments.id`,
      [debtorId],
    );
    return rows.map((row) => ({
      id: String(row.id),
      creditor: row.creditor,
      reference: row.reference,
      obligationId: row.obligation_id,
      debtorId: row.debtor_id,
      paidOn: row.paid_on,
      amountCents: Number(row.amount_cents),
      promiseId: row.promise_id,
      excessCents: Number(row.excess_cents),
      unmatchedReason: row.unmatched_reason,
      importedAt: row.imported_at,
    }));
  }

  async setPaymentOutcome(paymentId: string, outcome: { promiseId: string | null; excessCents: number; unmatched: UnmatchedReason | null }): Promise<void> {
    await this.sql.run('UPDATE payments SET promise_id = ?, excess_cents = ?, unmatched_reason = ? WHERE id = ?', [
      outcome.promiseId,
      outcome.excessCents,
      outcome.unmatched,
      Number(paymentId),
    ]);
  }

  private async instalmentsOf(promiseIds: readonly string[]): Promise<Map<string, InstalmentRow[]>> {
    const byPromise = new Map<string, InstalmentRow[]>();
    if (promiseIds.length === 0) return byPromise;
    const rows = await this.sql.all<InstalmentRow>(
      `SELECT * FROM promise_instalments WHERE promise_id IN (${promiseIds.map(() => '?').join(', ')}) ORDER BY promise_id, number`,
      promiseIds,
    );
    for (const row of rows) {
      const list = byPromise.get(row.promise_id) ?? [];
      list.push(row);
      byPromise.set(row.promise_id, list);
    }
    return byPromise;
  }
}

function toSnapshot(row: PromiseRow, instalments: readonly InstalmentRow[]): PromiseSnapshot {
  return {
    id: row.id,
    debtorId: row.debtor_id,
    kind: row.kind,
    code: row.code,
    agentId: row.agent_id,
    obligationIds: JSON.parse(row.obligation_ids) as string[],
    amountCents: Number(row.amount_cents),
    paidCents: Number(row.paid_cents),
    excessCents: Number(row.excess_cents),
    madeAt: row.made_at,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    statusReason: row.status_reason,
    instalments: instalments.map((instalment) => ({
      number: Number(instalment.number),
      dueOn: instalment.due_on,
      amountCents: Number(instalment.amount_cents),
      paidCents: Number(instalment.paid_cents),
      status: instalment.status,
    })),
  };
}

/** Returns a stored payment in the feed's shape, with its reconciliation note in Spanish. */
export function paymentSnapshot(payment: StoredPayment, note: string | null): PaymentSnapshot {
  return {
    id: payment.id,
    debtorId: payment.debtorId,
    obligationId: payment.obligationId,
    paidOn: payment.paidOn,
    amountCents: payment.amountCents,
    reference: payment.reference,
    promiseId: payment.promiseId,
    note,
    importedAt: payment.importedAt,
  };
}
