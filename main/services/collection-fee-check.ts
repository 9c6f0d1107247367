/**
 * R15 at wrap-up: a promise or agreement whose amount includes collection fees (the catalog's
 * `collectionFee` field) is saved only when every overdue obligation of the debtor allows that fee.
 */
import { COLLECTION_FEE_FIELD, type CatalogCode, type FieldProblem, type TypificationFields } from '@gestiona/core/catalog';
import { evaluateCollectionFee } from '@gestiona/core/compliance/collection-fee';
import type { Obligation } from '@gestiona/core/domain';
import { bogotaDate, formatCop } from '@gestiona/core/format';
import type { AttemptRecord } from '../store/attempts.ts';
import type { ServiceContext } from './context.ts';
import type { Instant } from './instant.ts';
import { obligationLabel } from './obligation-terms.ts';

/**
 * Checks the fee field of a typification. The fee is a share of what the debtor pays, so the base
 * is the promised amount (or the sum of the instalments) minus the fee. The effective collection
 * action is the contact being typified when its code is right-party, else the debtor's latest
 * right-party contact in the ledger.
 */
export function checkCollectionFee(
  ctx: ServiceContext,
  code: CatalogCode,
  fields: TypificationFields,
  attempt: AttemptRecord,
  now: Instant,
): FieldProblem[] {
  const field = code.fields.find((candidate) => candidate.name === COLLECTION_FEE_FIELD);
  const fee = fields[COLLECTION_FEE_FIELD];
  if (field === undefined || typeof fee !== 'number' || fee <= 0) return [];
  const problem = (message: string): FieldProblem[] => [{ field: COLLECTION_FEE_FIELD, message: `${field.label}: ${message}` }];

  const total = promisedTotal(code, fields);
  if (total === null) return [];
  if (fee >= total) {
    return problem(`${formatCop(fee)} no puede ser igual o mayor que el valor pactado (${formatCop(total)}); escriba solo la parte que corresponde a gastos.`);
  }

  const debtor = ctx.store.debtors.get(attempt.debtorId);
  if (debtor === null) {
    return problem('no se encuentran las obligaciones del deudor en esta estación para verificar la tabla de gastos; deje el campo vacío (R15).');
  }

  const lastTwoWay = code.class === 'two-way' ? attempt.dialedAt : ctx.store.ledger.latestTwoWayAt(attempt.debtorId);
  const request = {
    effectiveActionOn: lastTwoWay === null ? null : bogotaDate(lastTwoWay),
    amountCents: fee,
    baseCents: total - fee,
    appliedOn: bogotaDate(now.iso),
  };

  const overdue = debtor.obligations.filter((obligation) => obligation.overdueCents > 0 || obligation.daysPastDue > 0);
  // NOTE: the form has no obligation selector, so the fee must be allowed on every overdue obligation it may belong to.
  const reasons = (overdue.length > 0 ? overdue : debtor.obligations).flatMap((obligation) => feeReasons(obligation, request));
  return reasons.length === 0 ? [] : problem(reasons.join(' '));
}

function feeReasons(
  obligation: Obligation,
  request: { effectiveActionOn: string | null; amountCents: number; baseCents: number; appliedOn: string },
): string[] {
  const terms = obligation.collectionFeeTerms ?? null;
  if (terms === null) return [`${obligationLabel(obligation)}: no tiene tabla de gastos de cobranza registrada (R15).`];

  const decision = evaluateCollectionFee({
    ...request,
    product: obligation.product,
    feeSchedulePercent: terms.schedulePercent,
    disclosedToDebtor: terms.disclosedToDebtor,
    inLitigation: terms.inLitigation,
  });
  return decision.reasons.map((reason) => `${obligationLabel(obligation)}: ${reason.message}`);
}

/** Returns the amount the debtor committed to: the instalment plan summed, or the code's other amount field. Returns null when the form has neither. */
function promisedTotal(code: CatalogCode, fields: TypificationFields): number | null {
  for (const field of code.fields) {
    const value = fields[field.name];
    if (field.type === 'instalments' && Array.isArray(value) && value.length > 0) {
      return value.reduce((sum, instalment) => sum + instalment.amountCents, 0);
    }
    if (field.type === 'amount' && field.name !== COLLECTION_FEE_FIELD && typeof value === 'number') return value;
  }
  return null;
}
