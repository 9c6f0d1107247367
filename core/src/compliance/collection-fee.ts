/**
 * R15 (SFC, Circular Básica Jurídica): collection fees (gastos de cobranza) may be charged only after
 * a documented effective collection action, only as the fee schedule disclosed to the debtor allows,
 * and never on housing loans before litigation.
 */
import { z } from 'zod';
import { isoDateSchema, productSchema } from '../domain.ts';
import { formatCop } from '../format.ts';
import { formatDisplayDate, parseIsoDate } from './civil-date.ts';
import { collectionFeeMessages } from './messages.ts';
import { gateFindingSchema, ruleIdSchema } from './types.ts';

export const collectionFeeRequestSchema = z.object({
  /** Bogotá date of the documented effective collection action; null when there is none. */
  effectiveActionOn: isoDateSchema.nullable(),
  product: productSchema,
  /** Fee as a percentage of the base in the schedule disclosed to the debtor, e.g. 10 or 12.5. */
  feeSchedulePercent: z.number().min(0).max(100),
  disclosedToDebtor: z.boolean(),
  /** The obligation is in judicial collection (cobro judicial). */
  inLitigation: z.boolean(),
  /** Fee to be charged, in COP centavos. */
  amountCents: z.number().int().nonnegative(),
  /** Amount the schedule's percentage applies to (usually the amount collected), in COP centavos. */
  baseCents: z.number().int().nonnegative(),
  /** Bogotá date on which the fee is applied; when given, it must not precede the effective action. */
  appliedOn: isoDateSchema.optional(),
});
export type CollectionFeeRequest = z.infer<typeof collectionFeeRequestSchema>;

export const collectionFeeDecisionSchema = z.object({
  allowed: z.boolean(),
  /** `['R15']` when blocked, else empty. */
  rules: z.array(ruleIdSchema),
  reasons: z.array(gateFindingSchema),
  /** Largest fee the disclosed schedule allows on the base, in COP centavos (rounded down). */
  maxFeeCents: z.number().int().nonnegative(),
});
export type CollectionFeeDecision = z.infer<typeof collectionFeeDecisionSchema>;

/**
 * Decides whether a collection fee may be charged. Every failed condition adds its own reason. The
 * percentage is read to hundredths of a percent (12.345 counts as 12.35).
 *
 * Throws a RangeError naming the field when a date is not `YYYY-MM-DD`, an amount is not a whole
 * non-negative number of centavos, or the percentage is not between 0 and 100.
 */
export function evaluateCollectionFee(request: CollectionFeeRequest): CollectionFeeDecision {
  checkCents(request.amountCents, 'amountCents');
  checkCents(request.baseCents, 'baseCents');
  if (!Number.isFinite(request.feeSchedulePercent) || request.feeSchedulePercent < 0 || request.feeSchedulePercent > 100) {
    throw new RangeError(`evaluateCollectionFee: feeSchedulePercent is ${String(request.feeSchedulePercent)}, expected a percentage from 0 to 100`);
  }
  const actionDay = request.effectiveActionOn === null ? null : parseDate(request.effectiveActionOn, 'effectiveActionOn');
  const appliedDay = request.appliedOn === undefined ? null : parseDate(request.appliedOn, 'appliedOn');

  // toPrecision drops the binary error of `× 100` (1.005 × 100 is 100.49999999999999) before rounding.
  const basisPoints = BigInt(Math.round(Number((request.feeSchedulePercent * 100).toPrecision(12))));
  const maxFeeCents = Number((BigInt(request.baseCents) * basisPoints) / 10_000n);

  const messages: string[] = [];
  if (actionDay === null) messages.push(collectionFeeMessages.noEffectiveAction);
  else if (appliedDay !== null && appliedDay < actionDay) {
    messages.push(collectionFeeMessages.appliedBeforeAction(formatDisplayDate(appliedDay), formatDisplayDate(actionDay)));
  }
  if (!request.disclosedToDebtor) messages.push(collectionFeeMessages.notDisclosed);
  if (request.product === 'mortgage' && !request.inLitigation) messages.push(collectionFeeMessages.mortgageBeforeLitigation);
  if (request.amountCents > maxFeeCents) {
    messages.push(collectionFeeMessages.aboveSchedule(formatCop(request.amountCents), formatPercent(request.feeSchedulePercent), formatCop(request.baseCents), formatCop(maxFeeCents)));
  }

  return {
    allowed: messages.length === 0,
    rules: messages.length === 0 ? [] : ['R15'],
    reasons: messages.map((message) => ({ rule: 'R15', message })),
    maxFeeCents,
  };
}

const percentFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });

function formatPercent(percent: number): string {
  return `${percentFormat.format(percent)} %`;
}

function parseDate(text: string, field: string): number {
  const dayNumber = parseIsoDate(text);
  if (dayNumber === null) throw new RangeError(`evaluateCollectionFee: ${field} is "${text}", not an existing date as YYYY-MM-DD`);
  return dayNumber;
}

function checkCents(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`evaluateCollectionFee: ${field} is ${String(value)}, expected a whole non-negative number of COP centavos`);
  }
}
