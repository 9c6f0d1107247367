/**
 * The "Avisos de reporte y gastos de cobranza" section of the evidence export. For each obligation
 * it lists the prior notices of a credit-bureau report and whether R14 allows the report at export
 * time, and the collection-fee terms and whether R15 allows a fee. It also lists every fee the
 * agents recorded.
 */
import { COLLECTION_FEE_FIELD } from '@gestiona/core/catalog';
import { evaluateCollectionFee } from '@gestiona/core/compliance/collection-fee';
import { formatDayNumber, parseIsoDate } from '@gestiona/core/compliance/civil-date';
import { CREDIT_REPORT_WAIT_DAYS, evaluateCreditReport, requiredNoticeCount } from '@gestiona/core/compliance/credit-report';
import type { RulePack } from '@gestiona/core/compliance/types';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import { bogotaDate, formatCop, toBogotaIso } from '@gestiona/core/format';
import type { StoredInteraction } from '../store/types.ts';
import type { EvidenceCollectionFee, EvidenceObligationTerms } from './types.ts';

const percentFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });

/** `2026-11-02` as `02/11/2026`. */
export const displayDate = (isoDate: string): string => isoDate.split('-').reverse().join('/');

/**
 * Evaluates both rules for each obligation at `now`. The effective collection action is the
 * debtor's latest right-party contact the server stored; without a rule pack the report is not evaluated.
 */
export function obligationTermsEvidence(
  snapshot: DebtorSnapshot,
  interactions: readonly StoredInteraction[],
  rulePack: RulePack | null,
  now: Date,
): EvidenceObligationTerms[] {
  const lastTwoWay = interactions
    .filter((interaction) => interaction.payload.kind === 'two-way')
    .map((interaction) => interaction.payload.dialedAt)
    .sort((left, right) => Date.parse(left) - Date.parse(right))
    .at(-1);
  const effectiveActionOn = lastTwoWay === undefined ? null : bogotaDate(lastTwoWay);
  const today = bogotaDate(now.toISOString());

  return snapshot.obligations.map((obligation) => {
    const notices = [...(obligation.creditReportNotices ?? [])].sort();
    const terms = obligation.collectionFeeTerms ?? null;

    let creditReport: EvidenceObligationTerms['creditReport'] = null;
    if (rulePack !== null) {
      const decision = evaluateCreditReport({ at: toBogotaIso(now), notices, debtCents: obligation.overdueCents, monthlyMinimumWageCents: rulePack.monthlyMinimumWageCents });
      const requiredNotices = requiredNoticeCount(obligation.overdueCents, rulePack.monthlyMinimumWageCents);
      const countedNotice = [...new Set(notices)][requiredNotices - 1];
      creditReport = {
        requiredNotices,
        allowed: decision.allowed,
        allowedFrom: countedNotice === undefined ? null : formatDayNumber(parseIsoDate(countedNotice)! + CREDIT_REPORT_WAIT_DAYS),
        text: decision.allowed ? 'Reporte permitido (R14).' : decision.reasons.map((reason) => reason.message).join(' '),
      };
    }

    let collectionFee: EvidenceObligationTerms['collectionFee'] = null;
    if (terms !== null) {
      const decision = evaluateCollectionFee({
        effectiveActionOn,
        product: obligation.product,
        feeSchedulePercent: terms.schedulePercent,
        disclosedToDebtor: terms.disclosedToDebtor,
        inLitigation: terms.inLitigation,
        amountCents: 0,
        baseCents: obligation.overdueCents,
        appliedOn: today,
      });
      collectionFee = {
        ...terms,
        allowed: decision.allowed,
        text: decision.allowed
          ? `Permitidos hasta ${percentFormat.format(terms.schedulePercent)} % de lo recaudado (${formatCop(decision.maxFeeCents)} sobre el vencido) (R15).`
          : decision.reasons.map((reason) => reason.message).join(' '),
      };
    }

    return {
      creditor: obligation.creditor,
      number: obligation.number,
      notices,
      noticesText: notices.length === 0 ? 'Ninguno' : notices.map(displayDate).join(', '),
      creditReport,
      collectionFee,
    };
  });
}

/** Lists every contact whose typification recorded collection fees, by dial time. */
export function collectionFeesCharged(interactions: readonly StoredInteraction[]): EvidenceCollectionFee[] {
  return interactions.flatMap((interaction) => {
    const fee = interaction.payload.fields[COLLECTION_FEE_FIELD];
    if (typeof fee !== 'number') return [];
    return [{ interactionId: interaction.payload.interactionId, code: interaction.payload.code, dialedAt: interaction.payload.dialedAt, feeCents: fee, feeText: formatCop(fee) }];
  });
}
