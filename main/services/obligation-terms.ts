/**
 * The creditor's terms of each obligation as the agent sees them: whether a credit-bureau report
 * may be mentioned yet (R14), and whether collection fees may be charged and up to what (R15).
 * Main computes both at trusted time, so the renderer only shows the result.
 */
import { CREDIT_REPORT_WAIT_DAYS, evaluateCreditReport, requiredNoticeCount } from '@gestiona/core/compliance/credit-report';
import { evaluateCollectionFee } from '@gestiona/core/compliance/collection-fee';
import { formatDisplayDate, parseIsoDate } from '@gestiona/core/compliance/civil-date';
import type { RulePack } from '@gestiona/core/compliance/types';
import type { Obligation } from '@gestiona/core/domain';
import { formatCop } from '@gestiona/core/format';
import type { ObligationDetail, ScriptStepView } from '@gestiona/core/ipc';

const percentFormat = new Intl.NumberFormat('es-CO', { maximumFractionDigits: 2 });

/** Returns `Obligación 123 de Banco X`, how the agent and the creditor name one obligation. */
export function obligationLabel(obligation: Obligation): string {
  return `Obligación ${obligation.number} de ${obligation.creditor}`;
}

/**
 * Evaluates R14 for one obligation at `atIso`. The debt measured against 15 % of the minimum wage
 * is the overdue amount, the smaller of the two amounts, so a borderline debt needs two notices.
 */
export function creditReportStatus(obligation: Obligation, pack: RulePack, atIso: string): { allowed: boolean; text: string } {
  const notices = [...new Set(obligation.creditReportNotices ?? [])].sort();
  const decision = evaluateCreditReport({
    at: atIso,
    notices,
    debtCents: obligation.overdueCents,
    monthlyMinimumWageCents: pack.monthlyMinimumWageCents,
  });
  const required = requiredNoticeCount(obligation.overdueCents, pack.monthlyMinimumWageCents);
  const noticeWord = required === 2 ? 'Segundo aviso previo' : 'Aviso previo';

  if (notices.length === 0) return { allowed: false, text: 'No hay aviso previo registrado: no mencione un reporte a las centrales de riesgo (R14).' };
  if (notices.length < required) {
    return {
      allowed: false,
      text: `Aviso previo enviado el ${displayDate(notices[0]!)}; la deuda no supera el 15 % de un salario mínimo y necesita un segundo aviso en otro día antes de mencionar el reporte (R14).`,
    };
  }

  const counted = notices[required - 1]!;
  if (decision.allowed) return { allowed: true, text: `${noticeWord} enviado el ${displayDate(counted)}; el reporte ya se puede mencionar (R14).` };
  const unlockDay = parseIsoDate(counted)! + CREDIT_REPORT_WAIT_DAYS;
  return {
    allowed: false,
    text: `${noticeWord} enviado el ${displayDate(counted)}; el reporte se podrá mencionar desde el ${formatDisplayDate(unlockDay)} (R14).`,
  };
}

/**
 * Locks a step that announces a credit-bureau report unless R14 allows the report on every overdue
 * obligation of the debtor, because the script speaks of the debtor's debt as a whole. An
 * untrusted clock also locks it, since the 20 days are counted on trusted time.
 */
export function creditReportLock(obligations: readonly Obligation[], pack: RulePack, atIso: string, untrustedClock: string | null): NonNullable<ScriptStepView['lock']> | null {
  if (untrustedClock !== null) return { rules: ['R14'], reasons: [untrustedClock] };

  const overdue = obligations.filter((obligation) => obligation.overdueCents > 0 || obligation.daysPastDue > 0);
  if (overdue.length === 0) {
    return { rules: ['R14'], reasons: ['Ninguna obligación del titular está vencida: no hay reporte que anunciar (R14).'] };
  }
  const reasons = overdue.flatMap((obligation) => {
    const status = creditReportStatus(obligation, pack, atIso);
    return status.allowed ? [] : [`${obligationLabel(obligation)}: ${status.text}`];
  });
  return reasons.length === 0 ? null : { rules: ['R14'], reasons };
}

/**
 * Evaluates R15 for one obligation as if the fee were charged today on its overdue amount.
 * `effectiveActionOn` is the Bogotá date of the debtor's latest right-party contact, or null; a
 * contact typified as right-party now is itself an effective action, so its absence is shown as a
 * condition rather than a refusal.
 */
export function collectionFeeStatus(obligation: Obligation, effectiveActionOn: string | null, today: string): ObligationDetail['collectionFee'] {
  const terms = obligation.collectionFeeTerms ?? null;
  if (terms === null) return { allowed: false, text: 'Sin tabla de gastos de cobranza registrada: no se pueden cobrar gastos (R15).' };

  const decision = evaluateCollectionFee({
    effectiveActionOn: effectiveActionOn ?? today,
    product: obligation.product,
    feeSchedulePercent: terms.schedulePercent,
    disclosedToDebtor: terms.disclosedToDebtor,
    inLitigation: terms.inLitigation,
    amountCents: 0,
    baseCents: obligation.overdueCents,
    appliedOn: today,
  });
  if (!decision.allowed) return { allowed: false, text: decision.reasons.map((reason) => reason.message).join(' ') };

  const percent = `${percentFormat.format(terms.schedulePercent)} %`;
  const maximum = `hasta ${percent} de lo que se recaude (${formatCop(decision.maxFeeCents)} sobre el vencido de ${formatCop(obligation.overdueCents)})`;
  if (effectiveActionOn === null) {
    return { allowed: true, text: `Gastos de cobranza ${maximum}, solo si esta gestión es un contacto efectivo con el titular (R15).` };
  }
  return { allowed: true, text: `Gastos de cobranza permitidos: ${maximum} (R15).` };
}

function displayDate(isoDate: string): string {
  return formatDisplayDate(parseIsoDate(isoDate)!);
}
