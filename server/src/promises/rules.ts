/**
 * The lifecycle rules of promises (promesas de pago) and instalment agreements (acuerdos de pago),
 * as pure functions: which payment counts toward which instalment, and the status that results on
 * a given Bogotá day. A promise is stored as an agreement of one instalment, so one set of rules
 * serves both.
 *
 * The two tunable numbers live here and nowhere else:
 * - `PROMISE_GRACE_DAYS`: calendar days after an instalment's due date during which a payment still
 *   counts as on time. The instalment is judged on the day after the grace ends.
 * - `PARTLY_KEPT_MIN_PERCENT`: the share of an instalment's amount, paid within its window, below
 *   which a short payment counts as a broken instalment rather than a partly kept one.
 */

import type { PromiseStatus } from '@gestiona/core/sync';

export type { PromiseStatus } from '@gestiona/core/sync';

export const PROMISE_GRACE_DAYS = 3;
export const PARTLY_KEPT_MIN_PERCENT = 50;

export interface InstalmentTerms {
  /** 1 for the first instalment. */
  number: number;
  /** `YYYY-MM-DD`. */
  dueOn: string;
  amountCents: number;
}

export interface PromiseTerms {
  id: string;
  /** Bogotá date the promise was made; a payment dated earlier was not made for it. */
  madeOn: string;
  /** Instant the promise was made, which orders two promises due on the same day. */
  madeAt: string;
  obligationIds: readonly string[];
  /** Oldest due date first. */
  instalments: readonly InstalmentTerms[];
}

export interface PaymentFact {
  id: string;
  obligationId: string;
  /** `YYYY-MM-DD`, the date the creditor received the payment. */
  paidOn: string;
  amountCents: number;
  /** The creditor's payment reference, which orders payments of the same day. */
  reference: string;
}

export interface Allocation {
  paymentId: string;
  promiseId: string;
  instalment: number;
  amountCents: number;
}

/** Why a payment, or the part of it left over, counts toward no instalment. */
export type UnmatchedReason = 'no-promise' | 'before-promise' | 'after-grace';

export interface PaymentOutcome {
  paymentId: string;
  /** The promise that received the payment, or its first share; null when none did. */
  promiseId: string | null;
  /** Part of the payment above what the matched instalments still owed. */
  excessCents: number;
  /** Set when no instalment received any of the payment. */
  unmatched: UnmatchedReason | null;
}

export interface AllocationResult {
  allocations: Allocation[];
  payments: PaymentOutcome[];
  /** Excess by promise id: what was paid above the promise's whole amount. */
  excessByPromise: Map<string, number>;
}

/** Adds `days` to a `YYYY-MM-DD` date. */
export function addCalendarDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The last day on which a payment counts toward an instalment due on `dueOn`. */
export function lastOnTimeDay(dueOn: string): string {
  return addCalendarDays(dueOn, PROMISE_GRACE_DAYS);
}

/**
 * Splits each payment over the instalments it can count toward, from scratch, so the result does
 * not depend on the order files arrived in. A payment counts toward an instalment of a promise
 * that covers its obligation when it is dated from the day the promise was made up to the last
 * day of the instalment's grace (so an early payment counts). Payments go oldest first, and each
 * fills the open instalment with the earliest due date first (then the older promise), so two
 * promises on one obligation are paid in due order and an agreement is paid ahead instalment by
 * instalment. What is left once every eligible instalment is full is the excess of the last
 * promise that received a share: it is kept, and the excess is noted.
 */
export function allocatePayments(promises: readonly PromiseTerms[], payments: readonly PaymentFact[]): AllocationResult {
  const owed = new Map<string, number>();
  const key = (promiseId: string, instalment: number) => `${promiseId}#${instalment}`;
  for (const promise of promises) for (const instalment of promise.instalments) owed.set(key(promise.id, instalment.number), instalment.amountCents);

  const ordered = [...payments].sort((a, b) => a.paidOn.localeCompare(b.paidOn) || a.reference.localeCompare(b.reference) || a.id.localeCompare(b.id));
  const allocations: Allocation[] = [];
  const outcomes: PaymentOutcome[] = [];
  const excessByPromise = new Map<string, number>();

  for (const payment of ordered) {
    const covering = promises.filter((promise) => promise.obligationIds.includes(payment.obligationId));
    const eligible = covering
      .flatMap((promise) => promise.instalments.map((instalment) => ({ promise, instalment })))
      .filter(({ promise, instalment }) => promise.madeOn <= payment.paidOn && payment.paidOn <= lastOnTimeDay(instalment.dueOn))
      .sort(
        (a, b) =>
          a.instalment.dueOn.localeCompare(b.instalment.dueOn) ||
          a.promise.madeAt.localeCompare(b.promise.madeAt) ||
          a.promise.id.localeCompare(b.promise.id) ||
          a.instalment.number - b.instalment.number,
      );

    if (eligible.length === 0) {
      outcomes.push({ paymentId: payment.id, promiseId: null, excessCents: 0, unmatched: unmatchedReason(covering, payment) });
      continue;
    }

    let left = payment.amountCents;
    let firstPromise: string | null = null;
    let lastPromise = eligible.at(-1)!.promise.id;
    for (const { promise, instalment } of eligible) {
      if (left === 0) break;
      const open = owed.get(key(promise.id, instalment.number))!;
      if (open === 0) continue;
      const share = Math.min(open, left);
      owed.set(key(promise.id, instalment.number), open - share);
      allocations.push({ paymentId: payment.id, promiseId: promise.id, instalment: instalment.number, amountCents: share });
      left -= share;
      firstPromise ??= promise.id;
      lastPromise = promise.id;
    }
    if (left > 0) excessByPromise.set(lastPromise, (excessByPromise.get(lastPromise) ?? 0) + left);
    outcomes.push({ paymentId: payment.id, promiseId: firstPromise ?? lastPromise, excessCents: left, unmatched: null });
  }

  return { allocations, payments: outcomes, excessByPromise };
}

function unmatchedReason(covering: readonly PromiseTerms[], payment: PaymentFact): UnmatchedReason {
  if (covering.length === 0) return 'no-promise';
  const lastDay = covering.flatMap((promise) => promise.instalments.map((instalment) => lastOnTimeDay(instalment.dueOn))).sort().at(-1)!;
  return payment.paidOn > lastDay ? 'after-grace' : 'before-promise';
}

/**
 * Returns an instalment's status on `today`. Paid in full is kept at once, even before the due
 * date. Until the grace ends it is pending. After it, a share of at least `PARTLY_KEPT_MIN_PERCENT`
 * is partly kept, and less is broken.
 */
export function instalmentStatus(instalment: InstalmentTerms, paidCents: number, today: string): PromiseStatus {
  if (paidCents >= instalment.amountCents) return 'kept';
  if (today <= lastOnTimeDay(instalment.dueOn)) return 'pending';
  return paidCents * 100 >= instalment.amountCents * PARTLY_KEPT_MIN_PERCENT ? 'partly-kept' : 'broken';
}

/**
 * Returns the status of a whole promise or agreement from its instalments' statuses: broken as
 * soon as one instalment is broken (the agreement falls), kept when every one is kept, pending
 * while any is still open, and partly kept otherwise.
 */
export function overallStatus(statuses: readonly PromiseStatus[]): PromiseStatus {
  if (statuses.includes('broken')) return 'broken';
  if (statuses.every((status) => status === 'kept')) return 'kept';
  if (statuses.includes('pending')) return 'pending';
  return 'partly-kept';
}

export interface EvaluatedInstalment extends InstalmentTerms {
  paidCents: number;
  status: PromiseStatus;
}

export interface EvaluatedPromise {
  id: string;
  status: PromiseStatus;
  paidCents: number;
  excessCents: number;
  instalments: EvaluatedInstalment[];
}

/** Allocates the payments and evaluates every promise on `today`. */
export function evaluatePromises(promises: readonly PromiseTerms[], payments: readonly PaymentFact[], today: string): { promises: EvaluatedPromise[]; allocation: AllocationResult } {
  const allocation = allocatePayments(promises, payments);
  const paid = new Map<string, number>();
  for (const share of allocation.allocations) {
    const key = `${share.promiseId}#${share.instalment}`;
    paid.set(key, (paid.get(key) ?? 0) + share.amountCents);
  }

  const evaluated = promises.map((promise): EvaluatedPromise => {
    const instalments = promise.instalments.map((instalment): EvaluatedInstalment => {
      const paidCents = paid.get(`${promise.id}#${instalment.number}`) ?? 0;
      return { ...instalment, paidCents, status: instalmentStatus(instalment, paidCents, today) };
    });
    const excessCents = allocation.excessByPromise.get(promise.id) ?? 0;
    return {
      id: promise.id,
      status: overallStatus(instalments.map((instalment) => instalment.status)),
      paidCents: instalments.reduce((total, instalment) => total + instalment.paidCents, 0) + excessCents,
      excessCents,
      instalments,
    };
  });
  return { promises: evaluated, allocation };
}
