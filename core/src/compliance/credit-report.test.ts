import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditReportDecisionSchema, evaluateCreditReport, requiredNoticeCount, type CreditReportRequest } from './credit-report.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS } from './types.ts';

const WAGE = MONTHLY_MINIMUM_WAGE_2026_CENTS;

/** 15 % of the 2026 minimum wage, in centavos: 26.263.575 (an exact number of centavos). */
const SMALL_DEBT_LIMIT = 26_263_575;

const LARGE_DEBT = 500_000_000;

function report(at: string, notices: string[], debtCents = LARGE_DEBT): CreditReportRequest {
  return { at, notices, debtCents, monthlyMinimumWageCents: WAGE };
}

describe('credit report notices (R14)', () => {
  it('takes the 2026 wage as 1.750.905 pesos', () => {
    expect(WAGE).toBe(1_750_905 * 100);
    expect(SMALL_DEBT_LIMIT * 100).toBe(WAGE * 15);
  });

  it.each([
    ['at 15 % exactly', SMALL_DEBT_LIMIT, 2],
    ['one centavo above 15 %', SMALL_DEBT_LIMIT + 1, 1],
    ['a zero debt', 0, 2],
    ['a large debt', LARGE_DEBT, 1],
  ])('requires the right notices %s', (_name, debtCents, count) => {
    expect(requiredNoticeCount(debtCents, WAGE)).toBe(count);
  });

  it.each([
    ['day 19 after the notice', '2026-12-20T10:00:00-05:00', false, '2026-12-21T00:00:00-05:00'],
    ['the last second of day 19', '2026-12-20T23:59:59-05:00', false, '2026-12-21T00:00:00-05:00'],
    ['the last second of day 19 in UTC', '2026-12-21T04:59:59Z', false, '2026-12-21T00:00:00-05:00'],
    ['day 20 at midnight', '2026-12-21T00:00:00-05:00', true, '2026-12-21T00:00:00-05:00'],
    ['day 20 at midnight in UTC', '2026-12-21T05:00:00Z', true, '2026-12-21T00:00:00-05:00'],
    ['day 45', '2027-01-15T10:00:00-05:00', true, '2027-01-15T10:00:00-05:00'],
    ['the day of the notice', '2026-12-01T18:00:00-05:00', false, '2026-12-21T00:00:00-05:00'],
  ])('one notice on 1 December: %s', (_name, at, allowed, nextAllowedAt) => {
    const decision = evaluateCreditReport(report(at, ['2026-12-01']));

    expect(decision.allowed).toBe(allowed);
    expect(decision.rules).toEqual(allowed ? [] : ['R14']);
    expect(decision.nextAllowedAt).toBe(nextAllowedAt);
    expect(creditReportDecisionSchema.parse(decision)).toEqual(decision);
  });

  it('explains the wait in Spanish', () => {
    expect(evaluateCreditReport(report('2026-12-20T10:00:00-05:00', ['2026-12-01'])).reasons).toEqual([
      { rule: 'R14', message: 'El reporte negativo solo se permite 20 días calendario después del aviso previo (01/12/2026): desde el 21/12/2026 (R14).' },
    ]);
  });

  it('blocks with no notice and gives no date', () => {
    const decision = evaluateCreditReport(report('2027-06-01T10:00:00-05:00', []));

    expect(decision.allowed).toBe(false);
    expect(decision.nextAllowedAt).toBeNull();
    expect(decision.reasons).toEqual([
      { rule: 'R14', message: 'No se ha enviado el aviso previo al titular: el reporte negativo a las centrales de riesgo no está permitido (R14).' },
    ]);
  });

  it('counts from the first of several notices', () => {
    const decision = evaluateCreditReport(report('2026-12-21T08:00:00-05:00', ['2026-12-10', '2026-12-01', '2026-12-05']));
    expect(decision.allowed).toBe(true);
  });

  it('lets a future notice only delay the report', () => {
    const decision = evaluateCreditReport(report('2026-12-01T08:00:00-05:00', ['2026-12-05']));

    expect(decision.allowed).toBe(false);
    expect(decision.nextAllowedAt).toBe('2026-12-25T00:00:00-05:00');
  });
});

describe('small debts (R14)', () => {
  it.each([
    ['two notices the same day', ['2026-12-01', '2026-12-01'], '2027-02-01T10:00:00-05:00', false, null],
    ['one notice', ['2026-12-01'], '2027-02-01T10:00:00-05:00', false, null],
    ['two days, day 19 after the second', ['2026-12-01', '2026-12-03'], '2026-12-22T10:00:00-05:00', false, '2026-12-23T00:00:00-05:00'],
    ['two days, day 20 after the second', ['2026-12-01', '2026-12-03'], '2026-12-23T00:00:00-05:00', true, '2026-12-23T00:00:00-05:00'],
    ['two days, day 20 after the first only', ['2026-12-01', '2026-12-03'], '2026-12-21T10:00:00-05:00', false, '2026-12-23T00:00:00-05:00'],
    ['two days given in reverse order', ['2026-12-03', '2026-12-01'], '2026-12-23T08:00:00-05:00', true, '2026-12-23T08:00:00-05:00'],
  ])('%s', (_name, notices, at, allowed, nextAllowedAt) => {
    const decision = evaluateCreditReport(report(at, notices, SMALL_DEBT_LIMIT));

    expect(decision.allowed).toBe(allowed);
    expect(decision.nextAllowedAt).toBe(nextAllowedAt);
  });

  it('asks for the second notice in Spanish', () => {
    expect(evaluateCreditReport(report('2027-02-01T10:00:00-05:00', ['2026-12-01', '2026-12-01'], SMALL_DEBT_LIMIT)).reasons).toEqual([
      {
        rule: 'R14',
        message:
          'La deuda no supera el 15 % de un salario mínimo mensual: se requieren dos avisos previos en días distintos y hay 1; el reporte negativo no está permitido (R14).',
      },
    ]);
  });

  it('names the second notice in the wait', () => {
    const [reason] = evaluateCreditReport(report('2026-12-22T10:00:00-05:00', ['2026-12-01', '2026-12-03'], SMALL_DEBT_LIMIT)).reasons;
    expect(reason?.message).toBe('El reporte negativo solo se permite 20 días calendario después del segundo aviso (03/12/2026): desde el 23/12/2026 (R14).');
  });

  it('needs one notice a centavo above 15 %', () => {
    expect(evaluateCreditReport(report('2026-12-21T10:00:00-05:00', ['2026-12-01'], SMALL_DEBT_LIMIT + 1)).allowed).toBe(true);
  });
});

describe('invalid credit report requests', () => {
  it.each<[string, CreditReportRequest, RegExp]>([
    ['an instant without offset', report('2026-12-21T10:00:00', ['2026-12-01']), /at is "2026-12-21T10:00:00"/],
    ['an impossible notice date', report('2026-12-21T10:00:00-05:00', ['2026-12-01', '2026-02-30']), /notices\[1\] is "2026-02-30"/],
    ['a fractional debt', { ...report('2026-12-21T10:00:00-05:00', []), debtCents: 10.5 }, /debtCents is 10.5/],
    ['a zero wage', { ...report('2026-12-21T10:00:00-05:00', []), monthlyMinimumWageCents: 0 }, /monthlyMinimumWageCents is 0/],
  ])('rejects %s', (_name, request, message) => {
    expect(() => evaluateCreditReport(request)).toThrow(message);
  });
});

describe('credit report properties (R14)', () => {
  const dateArbitrary = fc.integer({ min: 0, max: 120 }).map((days) => new Date(Date.UTC(2026, 10, 1) + days * 86_400_000).toISOString().slice(0, 10));

  it('unlocks exactly at the start of the next allowed day', () => {
    fc.assert(
      fc.property(
        fc.array(dateArbitrary, { maxLength: 4 }),
        fc.integer({ min: 0, max: 2 * SMALL_DEBT_LIMIT }),
        fc.integer({ min: Date.UTC(2026, 10, 1), max: Date.UTC(2027, 3, 1) }),
        (notices, debtCents, atMs) => {
          const decision = evaluateCreditReport(report(new Date(atMs).toISOString(), notices, debtCents));
          if (decision.nextAllowedAt === null) {
            expect(new Set(notices).size).toBeLessThan(requiredNoticeCount(debtCents, WAGE));
            return;
          }

          const nextMs = Date.parse(decision.nextAllowedAt);
          expect(evaluateCreditReport(report(decision.nextAllowedAt, notices, debtCents)).allowed).toBe(true);
          if (decision.allowed) {
            expect(nextMs).toBe(atMs);
          } else {
            expect(nextMs).toBeGreaterThan(atMs);
            expect(evaluateCreditReport(report(new Date(nextMs - 1).toISOString(), notices, debtCents)).allowed).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
