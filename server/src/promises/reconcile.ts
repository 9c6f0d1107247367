/**
 * Re-evaluates the promises of some debtors against every payment stored for them, records each
 * status change with when and why, and sends the debtor's lease holder what changed. Runs inside
 * the caller's write transaction, so statuses, allocations and feed entries commit together.
 */
import { bogotaDate, formatCop } from '@gestiona/core/format';
import type { PromiseSnapshot, PromiseStatus } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import { resegmentDebtors } from '../strategy/resegment.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { paymentSnapshot, type StatusChange, type StatusChangeCause, type StoredPayment } from './promise-table.ts';
import { addCalendarDays, evaluatePromises, lastOnTimeDay, PROMISE_GRACE_DAYS, type EvaluatedInstalment, type EvaluatedPromise, type PaymentOutcome } from './rules.ts';

export interface ReconcileOptions {
  now: Date;
  cause: StatusChangeCause;
  /** Payments stored by this operation: each goes to the holder as `payment.add`. */
  newPaymentIds?: ReadonlySet<string>;
  logger?: Logger;
}

export interface ReconcileSummary {
  /** Promise status changes (whole promises, not instalments), by new status. */
  changed: Record<PromiseStatus, number>;
  /** Debtors whose promise status changed, in id order. */
  debtorsChanged: string[];
  /** Payment outcomes of this run, by payment id. */
  payments: Map<string, PaymentOutcome>;
  /** Feed entries sent to lease holders. */
  feedEntries: number;
}

const AGREEMENT_STATUS_WORDS: Record<PromiseStatus, string> = {
  pending: 'pendiente',
  kept: 'cumplido',
  'partly-kept': 'cumplido en parte',
  broken: 'incumplido',
};

export function emptySummary(): ReconcileSummary {
  return { changed: { pending: 0, kept: 0, 'partly-kept': 0, broken: 0 }, debtorsChanged: [], payments: new Map(), feedEntries: 0 };
}

export async function reconcileDebtors(tables: Tables, context: WriteContext, debtorIds: readonly string[], options: ReconcileOptions): Promise<ReconcileSummary> {
  const summary = emptySummary();
  const today = bogotaDate(options.now.toISOString());
  for (const debtorId of [...new Set(debtorIds)].sort()) {
    await reconcileDebtor(tables, context, debtorId, today, options, summary);
  }
  // The promise status is a segmentation variable: a broken promise puts the debtor back into the strategy.
  if (summary.debtorsChanged.length > 0) await resegmentDebtors(tables.promises.sql, tables, context, summary.debtorsChanged, options.now);
  return summary;
}

async function reconcileDebtor(tables: Tables, context: WriteContext, debtorId: string, today: string, options: ReconcileOptions, summary: ReconcileSummary): Promise<void> {
  const terms = await tables.promises.termsOfDebtor(debtorId);
  const before = new Map((await tables.promises.snapshotsOfDebtor(debtorId)).map((snapshot) => [snapshot.id, snapshot]));
  const payments = await tables.promises.paymentsOfDebtor(debtorId);
  const { promises: evaluated, allocation } = evaluatePromises(terms, payments, today);

  const changes: StatusChange[] = [];
  const touched: string[] = [];
  for (const promise of evaluated) {
    const previous = before.get(promise.id);
    if (!previous) continue;
    changes.push(...statusChanges(previous, promise, options.cause));
    if (previous.status !== promise.status || previous.paidCents !== promise.paidCents || previous.excessCents !== promise.excessCents) touched.push(promise.id);
    if (previous.status !== promise.status) summary.changed[promise.status] += 1;
  }
  await tables.promises.saveEvaluation(debtorId, evaluated, allocation.allocations, changes, options.now, today);

  const changedPayments: StoredPayment[] = [];
  for (const payment of payments) {
    const outcome = allocation.payments.find((candidate) => candidate.paymentId === payment.id)!;
    summary.payments.set(payment.id, outcome);
    const differs = payment.promiseId !== outcome.promiseId || payment.excessCents !== outcome.excessCents || payment.unmatchedReason !== outcome.unmatched;
    if (differs) await tables.promises.setPaymentOutcome(payment.id, outcome);
    if (differs || options.newPaymentIds?.has(payment.id)) {
      changedPayments.push({ ...payment, promiseId: outcome.promiseId, excessCents: outcome.excessCents, unmatchedReason: outcome.unmatched });
    }
  }

  const statusChanged = evaluated.some((promise) => before.get(promise.id)?.status !== promise.status);
  if (statusChanged) summary.debtorsChanged.push(debtorId);
  if (touched.length === 0 && changedPayments.length === 0) return;
  summary.feedEntries += await sendToHolder(tables, context, debtorId, touched, changedPayments, options.now);
  if (statusChanged) {
    options.logger?.info({ debtorId, promises: touched, cause: options.cause }, 'reconcile promises: status changed');
  }
}

/** Sends the changed promises and payments to the debtor's current lease holder, if any; returns the entries appended. */
async function sendToHolder(tables: Tables, context: WriteContext, debtorId: string, promiseIds: readonly string[], payments: readonly StoredPayment[], now: Date): Promise<number> {
  const lease = await tables.leases.openLease(debtorId);
  if (!lease || lease.expiresAt <= now.toISOString()) return 0;
  let appended = 0;
  for (const promiseId of promiseIds) {
    const snapshot = await tables.promises.snapshot(promiseId);
    if (!snapshot) continue;
    await tables.changes.append(context, lease.agentId, { type: 'promise.upsert', payload: snapshot }, now);
    appended += 1;
  }
  for (const payment of payments) {
    await tables.changes.append(context, lease.agentId, { type: 'payment.add', payload: paymentSnapshot(payment, paymentNote(payment)) }, now);
    appended += 1;
  }
  return appended;
}

/**
 * Sends a newly leased debtor's promises and payments to the lease holder, so the new desk shows
 * them in the worklist and the timeline.
 */
export async function sendDebtorPromises(tables: Tables, context: WriteContext, agentId: string, debtorId: string, now: Date): Promise<void> {
  for (const snapshot of await tables.promises.snapshotsOfDebtor(debtorId)) {
    await tables.changes.append(context, agentId, { type: 'promise.upsert', payload: snapshot }, now);
  }
  for (const payment of await tables.promises.paymentsOfDebtor(debtorId)) {
    await tables.changes.append(context, agentId, { type: 'payment.add', payload: paymentSnapshot(payment, paymentNote(payment)) }, now);
  }
}

/** Spanish note on a payment's reconciliation, or null when it simply paid a promise. */
export function paymentNote(payment: Pick<StoredPayment, 'promiseId' | 'excessCents' | 'unmatchedReason'>): string | null {
  switch (payment.unmatchedReason) {
    case 'no-promise':
      return 'Pago sin promesa: ninguna promesa cubre esta obligación.';
    case 'before-promise':
      return 'Pago anterior a la promesa: no cuenta para ella.';
    case 'after-grace':
      return `Pago después del plazo de gracia (${PROMISE_GRACE_DAYS} días): no cuenta para la promesa.`;
    case null:
      return payment.excessCents > 0 ? `Excedente de ${formatCop(payment.excessCents)} sobre lo prometido.` : null;
  }
}

function statusChanges(previous: PromiseSnapshot, promise: EvaluatedPromise, cause: StatusChangeCause): StatusChange[] {
  const changes: StatusChange[] = [];
  const many = promise.instalments.length > 1;
  if (many) {
    for (const instalment of promise.instalments) {
      const old = previous.instalments.find((candidate) => candidate.number === instalment.number);
      if (!old || old.status === instalment.status) continue;
      changes.push({ promiseId: promise.id, instalment: instalment.number, from: old.status, to: instalment.status, cause, reason: instalmentReason(instalment, `Cuota ${instalment.number}`) });
    }
  }
  if (previous.status !== promise.status) {
    changes.push({ promiseId: promise.id, instalment: null, from: previous.status, to: promise.status, cause, reason: promiseReason(previous.kind, promise) });
  }
  return changes;
}

function promiseReason(kind: PromiseSnapshot['kind'], promise: EvaluatedPromise): string {
  if (kind === 'promise' || promise.instalments.length === 1) {
    const reason = instalmentReason(promise.instalments[0]!, 'Promesa');
    return promise.excessCents > 0 ? `${reason} Excedente de ${formatCop(promise.excessCents)}.` : reason;
  }
  const word = AGREEMENT_STATUS_WORDS[promise.status];
  const counts = promise.instalments.filter((instalment) => instalment.status === 'kept').length;
  const broken = promise.instalments.find((instalment) => instalment.status === 'broken');
  const detail = broken ? ` La cuota ${broken.number} quedó incumplida.` : '';
  const excess = promise.excessCents > 0 ? ` Excedente de ${formatCop(promise.excessCents)}.` : '';
  return `Acuerdo ${word}: ${counts} de ${promise.instalments.length} cuotas cumplidas, pagado ${formatCop(promise.paidCents)}.${detail}${excess}`;
}

function instalmentReason(instalment: EvaluatedInstalment, subject: string): string {
  const paid = `${formatCop(instalment.paidCents)} de ${formatCop(instalment.amountCents)}`;
  const graceEnd = calendarDate(lastOnTimeDay(instalment.dueOn));
  switch (instalment.status) {
    case 'kept':
      return `${subject} cumplida: pagó ${paid}.`;
    case 'partly-kept':
      return `${subject} cumplida en parte: al terminar el plazo de gracia (${graceEnd}) había pagado ${paid}.`;
    case 'broken':
      return `${subject} incumplida: al terminar el plazo de gracia (${graceEnd}) había pagado ${paid}.`;
    case 'pending':
      return `${subject} pendiente: vence el ${calendarDate(instalment.dueOn)}, pagado ${paid}.`;
  }
}

/** `2026-12-10` as `10/12/2026`. */
export function calendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * Re-evaluates the debtors with an instalment still pending after its grace ended. From the day
 * after the grace, a promise without enough payment becomes partly kept or broken.
 */
export async function sweepLapsedPromises(tables: Tables, context: WriteContext, now: Date, logger?: Logger): Promise<ReconcileSummary> {
  const today = bogotaDate(now.toISOString());
  const lastLapsedDueOn = addCalendarDays(today, -(PROMISE_GRACE_DAYS + 1));
  const debtorIds = await tables.promises.debtorsWithPendingDueBy(lastLapsedDueOn);
  return reconcileDebtors(tables, context, debtorIds, { now, cause: 'grace-ended', logger });
}
