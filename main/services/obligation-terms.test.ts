import { describe, expect, it } from 'vitest';
import { parseRulePack } from '@gestiona/core/compliance/rule-pack';
import type { Obligation } from '@gestiona/core/domain';
import { formatCop } from '@gestiona/core/format';
import { readFileSync } from 'node:fs';
import { collectionFeeStatus, creditReportLock, creditReportStatus } from './obligation-terms.ts';

const PACK = parseRulePack(JSON.parse(readFileSync(new URL('../../resources/rule-pack.json', import.meta.url), 'utf8')));
const TUESDAY_10 = '2026-03-03T10:00:00-05:00';

function obligation(overrides: Partial<Obligation> = {}): Obligation {
  return {
    id: 'o1',
    creditor: 'Banco Andino',
    number: '4500-1',
    product: 'credit-card',
    balanceCents: 250_000_000,
    overdueCents: 40_000_000,
    daysPastDue: 120,
    dueDate: '2025-11-03',
    writtenOff: false,
    ...overrides,
  };
}

describe('creditReportStatus', () => {
  it.each([
    { case: 'no notice', notices: undefined, overdue: 40_000_000, allowed: false, text: 'No hay aviso previo registrado: no mencione un reporte a las centrales de riesgo (R14).' },
    { case: 'notice 20 days before', notices: ['2026-02-11'], overdue: 40_000_000, allowed: true, text: 'Aviso previo enviado el 11/02/2026; el reporte ya se puede mencionar (R14).' },
    {
      case: 'notice 19 days before',
      notices: ['2026-02-12'],
      overdue: 40_000_000,
      allowed: false,
      text: 'Aviso previo enviado el 12/02/2026; el reporte se podrá mencionar desde el 04/03/2026 (R14).',
    },
    {
      case: 'a small debt with one notice',
      notices: ['2026-01-02'],
      overdue: 20_000_000,
      allowed: false,
      text: 'Aviso previo enviado el 02/01/2026; la deuda no supera el 15 % de un salario mínimo y necesita un segundo aviso en otro día antes de mencionar el reporte (R14).',
    },
    {
      case: 'a small debt counted from the second notice',
      notices: ['2026-02-20', '2026-01-02'],
      overdue: 20_000_000,
      allowed: false,
      text: 'Segundo aviso previo enviado el 20/02/2026; el reporte se podrá mencionar desde el 12/03/2026 (R14).',
    },
  ])('reports $case', ({ notices, overdue, allowed, text }) => {
    const status = creditReportStatus(obligation({ creditReportNotices: notices, overdueCents: overdue }), PACK, TUESDAY_10);
    expect(status.allowed).toBe(allowed);
    expect(status.text).toBe(text);
  });
});

describe('creditReportLock', () => {
  it('unlocks when every overdue obligation allows the report', () => {
    const obligations = [obligation({ creditReportNotices: ['2026-01-05'] }), obligation({ id: 'o2', number: '77', overdueCents: 0, daysPastDue: 0 })];
    expect(creditReportLock(obligations, PACK, TUESDAY_10, null)).toBeNull();
  });

  it('names each obligation that still locks the step', () => {
    const obligations = [obligation({ creditReportNotices: ['2026-01-05'] }), obligation({ id: 'o2', number: '77', creditor: 'Coop Sur' })];
    expect(creditReportLock(obligations, PACK, TUESDAY_10, null)).toEqual({
      rules: ['R14'],
      reasons: ['Obligación 77 de Coop Sur: No hay aviso previo registrado: no mencione un reporte a las centrales de riesgo (R14).'],
    });
  });

  it('locks on an untrusted clock whatever the notices', () => {
    const lock = creditReportLock([obligation({ creditReportNotices: ['2026-01-05'] })], PACK, TUESDAY_10, 'Reloj no confiable.');
    expect(lock).toEqual({ rules: ['R14'], reasons: ['Reloj no confiable.'] });
  });

  it('locks when no obligation is overdue', () => {
    const lock = creditReportLock([obligation({ overdueCents: 0, daysPastDue: -3, creditReportNotices: ['2026-01-05'] })], PACK, TUESDAY_10, null);
    expect(lock?.reasons).toEqual(['Ninguna obligación del titular está vencida: no hay reporte que anunciar (R14).']);
  });
});

describe('collectionFeeStatus', () => {
  const disclosed = { schedulePercent: 10, disclosedToDebtor: true, inLitigation: false };

  it.each([
    { case: 'no terms', terms: null, product: 'credit-card' as const, action: '2026-03-01', allowed: false, text: 'Sin tabla de gastos de cobranza registrada' },
    { case: 'an undisclosed schedule', terms: { ...disclosed, disclosedToDebtor: false }, product: 'credit-card' as const, action: '2026-03-01', allowed: false, text: 'no se informó al deudor' },
    { case: 'a mortgage before litigation', terms: disclosed, product: 'mortgage' as const, action: '2026-03-01', allowed: false, text: 'créditos de vivienda' },
    { case: 'a mortgage in litigation', terms: { ...disclosed, inLitigation: true }, product: 'mortgage' as const, action: '2026-03-01', allowed: true, text: 'Gastos de cobranza permitidos: hasta 10 %' },
    { case: 'no earlier effective action', terms: disclosed, product: 'credit-card' as const, action: null, allowed: true, text: 'solo si esta gestión es un contacto efectivo' },
  ])('reports $case', ({ terms, product, action, allowed, text }) => {
    const status = collectionFeeStatus(obligation({ product, collectionFeeTerms: terms }), action, '2026-03-03');
    expect(status.allowed).toBe(allowed);
    expect(status.text).toContain(text);
  });

  it('states the maximum on the overdue amount in COP', () => {
    const status = collectionFeeStatus(obligation({ collectionFeeTerms: { ...disclosed, schedulePercent: 12.5 } }), '2026-03-01', '2026-03-03');
    expect(status.text).toBe(`Gastos de cobranza permitidos: hasta 12,5 % de lo que se recaude (${formatCop(5_000_000)} sobre el vencido de ${formatCop(40_000_000)}) (R15).`);
  });
});
