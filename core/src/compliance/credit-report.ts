/**
 * R14 (Ley 1266 de 2008, art. 12, as amended by Ley 2157 de 2021): a negative report to the credit
 * bureaus, and any script line announcing one, is locked until 20 calendar days after a prior notice
 * was sent to the debtor. For debts at or below 15 % of one monthly minimum wage, two notices on
 * different days are needed, and the 20 days count from the second.
 */
import { z } from 'zod';
import { isoDateSchema, isoInstantSchema } from '../domain.ts';
import { bogotaDayOf, bogotaDayStart, formatBogotaInstant, parseInstant } from './bogota-time.ts';
import { formatDisplayDate, parseIsoDate } from './civil-date.ts';
import { creditReportMessages } from './messages.ts';
import { gateFindingSchema, ruleIdSchema } from './types.ts';

/** Calendar days between the (last required) notice and the first day a report is allowed. */
export const CREDIT_REPORT_WAIT_DAYS = 20;

/** Small debts (two notices) are those at or below 3/20 = 15 % of one monthly minimum wage. */
const SMALL_DEBT_NUMERATOR = 3n;
const SMALL_DEBT_DENOMINATOR = 20n;

export const creditReportRequestSchema = z.object({
  /** Instant of the proposed report (or of reading the script line that announces it). */
  at: isoInstantSchema,
  /** Bogotá dates (`YYYY-MM-DD`) on which a prior notice was sent to the debtor, in any order. */
  notices: z.array(isoDateSchema),
  /** Amount of the debt to be reported, in COP centavos. */
  debtCents: z.number().int().nonnegative(),
  /** Monthly minimum wage in COP centavos, from the rule pack (`monthlyMinimumWageCents`). */
  monthlyMinimumWageCents: z.number().int().positive(),
});
export type CreditReportRequest = z.infer<typeof creditReportRequestSchema>;

export const creditReportDecisionSchema = z.object({
  allowed: z.boolean(),
  /** `['R14']` when blocked, else empty. */
  rules: z.array(ruleIdSchema),
  /** Start (00:00 Bogotá, ISO in -05:00) of the first day the report is allowed; `at` when allowed; null until enough notices exist. */
  nextAllowedAt: isoInstantSchema.nullable(),
  reasons: z.array(gateFindingSchema),
});
export type CreditReportDecision = z.infer<typeof creditReportDecisionSchema>;

/** Returns how many notices on different days R14 requires before reporting a debt of `debtCents`. */
export function requiredNoticeCount(debtCents: number, monthlyMinimumWageCents: number): 1 | 2 {
  // BigInt keeps the comparison exact at 15 % for any amount of centavos.
  return BigInt(debtCents) * SMALL_DEBT_DENOMINATOR <= BigInt(monthlyMinimumWageCents) * SMALL_DEBT_NUMERATOR ? 2 : 1;
}

/**
 * Decides whether a negative credit-bureau report is allowed at `at`. The earliest notices count:
 * the report unlocks on the 20th calendar day after the first notice, or after the second notice on
 * a different day for a small debt. A notice dated after `at` still sets the date from which the
 * report would unlock, which is then later than `at`, so it never allows a report early.
 *
 * Throws a RangeError naming the field when `at` is not an ISO instant with an offset, a notice is
 * not a `YYYY-MM-DD` date, or an amount is not a whole number of centavos (the wage must be positive).
 */
export function evaluateCreditReport(request: CreditReportRequest): CreditReportDecision {
  const atMs = parseInstant(request.at);
  if (Number.isNaN(atMs)) {
    throw new RangeError(`evaluateCreditReport: at is "${request.at}", not an ISO-8601 instant with an offset such as 2026-12-07T07:00:00-05:00`);
  }
  checkCents(request.debtCents, 'debtCents', 0);
  checkCents(request.monthlyMinimumWageCents, 'monthlyMinimumWageCents', 1);

  const noticeDays = distinctNoticeDays(request.notices);
  const required = requiredNoticeCount(request.debtCents, request.monthlyMinimumWageCents);
  if (noticeDays.length < required) {
    const message = required === 2 ? creditReportMessages.secondNoticeMissing(noticeDays.length) : creditReportMessages.noNotice;
    return { allowed: false, rules: ['R14'], nextAllowedAt: null, reasons: [{ rule: 'R14', message }] };
  }

  const countedNotice = noticeDays[required - 1]!;
  const unlockDay = countedNotice + CREDIT_REPORT_WAIT_DAYS;
  if (bogotaDayOf(atMs) >= unlockDay) {
    return { allowed: true, rules: [], nextAllowedAt: formatBogotaInstant(atMs), reasons: [] };
  }

  const message = creditReportMessages.waiting(required, formatDisplayDate(countedNotice), formatDisplayDate(unlockDay));
  return { allowed: false, rules: ['R14'], nextAllowedAt: formatBogotaInstant(bogotaDayStart(unlockDay)), reasons: [{ rule: 'R14', message }] };
}

/** Notice dates as sorted, distinct day numbers, because two notices on one day count as one. */
function distinctNoticeDays(notices: readonly string[]): number[] {
  const days = new Set<number>();
  notices.forEach((notice, index) => {
    const dayNumber = parseIsoDate(notice);
    if (dayNumber === null) throw new RangeError(`evaluateCreditReport: notices[${index}] is "${notice}", not an existing date as YYYY-MM-DD`);
    days.add(dayNumber);
  });
  return [...days].sort((left, right) => left - right);
}

function checkCents(value: number, field: string, minimum: number): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`evaluateCreditReport: ${field} is ${String(value)}, expected a whole number of COP centavos of at least ${minimum}`);
  }
}
