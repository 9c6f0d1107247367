import { describe, expect, it } from 'vitest';
import { collectionFeeDecisionSchema, evaluateCollectionFee, type CollectionFeeRequest } from './collection-fee.ts';

/** A 10 % fee on a payment of 1.000.000 pesos, after a documented call, disclosed to the debtor. */
const LAWFUL: CollectionFeeRequest = {
  effectiveActionOn: '2026-12-01',
  product: 'consumer-loan',
  feeSchedulePercent: 10,
  disclosedToDebtor: true,
  inLitigation: false,
  amountCents: 10_000_000,
  baseCents: 100_000_000,
};

describe('collection fees (R15)', () => {
  it.each<[string, Partial<CollectionFeeRequest>, boolean]>([
    ['the full scheduled fee', {}, true],
    ['a fee below the schedule', { amountCents: 5_000_000 }, true],
    ['one centavo above the schedule', { amountCents: 10_000_001 }, false],
    ['no effective collection action', { effectiveActionOn: null }, false],
    ['a fee applied the day of the action', { appliedOn: '2026-12-01' }, true],
    ['a fee applied before the action', { appliedOn: '2026-11-30' }, false],
    ['an undisclosed schedule', { disclosedToDebtor: false }, false],
    ['a housing loan before litigation', { product: 'mortgage' }, false],
    ['a housing loan in litigation', { product: 'mortgage', inLitigation: true }, true],
    ['a fractional percentage', { feeSchedulePercent: 12.5, amountCents: 12_500_000 }, true],
    ['a zero percentage with no fee', { feeSchedulePercent: 0, amountCents: 0 }, true],
    ['a zero percentage with a fee', { feeSchedulePercent: 0, amountCents: 1 }, false],
  ])('%s', (_name, change, allowed) => {
    const decision = evaluateCollectionFee({ ...LAWFUL, ...change });

    expect(decision.allowed).toBe(allowed);
    expect(decision.rules).toEqual(allowed ? [] : ['R15']);
    expect(collectionFeeDecisionSchema.parse(decision)).toEqual(decision);
  });

  it('computes the maximum fee from the schedule', () => {
    expect(evaluateCollectionFee(LAWFUL).maxFeeCents).toBe(10_000_000);
    expect(evaluateCollectionFee({ ...LAWFUL, feeSchedulePercent: 12.5 }).maxFeeCents).toBe(12_500_000);
    // 7,33 % of 999 centavos is 73,2267 centavos, rounded down.
    expect(evaluateCollectionFee({ ...LAWFUL, feeSchedulePercent: 7.33, baseCents: 999, amountCents: 0 }).maxFeeCents).toBe(73);
    // 1,005 % is read as 1,01 %, although 1.005 × 100 is 100.49999999999999 in binary floating point.
    expect(evaluateCollectionFee({ ...LAWFUL, feeSchedulePercent: 1.005, baseCents: 10_000, amountCents: 0 }).maxFeeCents).toBe(101);
  });

  it('lists every reason in Spanish', () => {
    const decision = evaluateCollectionFee({ ...LAWFUL, effectiveActionOn: null, disclosedToDebtor: false, product: 'mortgage', amountCents: 15_000_000 });

    expect(decision.reasons.map((reason) => reason.message)).toEqual([
      'No hay una gestión de cobro efectiva documentada: no se pueden cobrar gastos de cobranza (R15).',
      'La tarifa de gastos de cobranza no se informó al deudor: no se puede aplicar (R15).',
      'En créditos de vivienda solo se pueden cobrar gastos de cobranza cuando la obligación está en cobro judicial (R15).',
      'Los gastos de cobranza ($\u00a0150.000) superan la tarifa informada al deudor: 10 % de $\u00a01.000.000 es como máximo $\u00a0100.000 (R15).',
    ]);
    expect(decision.rules).toEqual(['R15']);
  });

  it('names the dates when the fee precedes the action', () => {
    const [reason] = evaluateCollectionFee({ ...LAWFUL, appliedOn: '2026-11-30' }).reasons;
    expect(reason?.message).toBe('Los gastos de cobranza no se pueden aplicar el 30/11/2026, antes de la gestión de cobro efectiva del 01/12/2026 (R15).');
  });

  it.each<[string, Partial<CollectionFeeRequest>, RegExp]>([
    ['a percentage above 100', { feeSchedulePercent: 120 }, /feeSchedulePercent is 120/],
    ['a negative amount', { amountCents: -1 }, /amountCents is -1/],
    ['a fractional base', { baseCents: 0.5 }, /baseCents is 0.5/],
    ['an impossible action date', { effectiveActionOn: '2026-13-01' }, /effectiveActionOn is "2026-13-01"/],
  ])('rejects %s', (_name, change, message) => {
    expect(() => evaluateCollectionFee({ ...LAWFUL, ...change })).toThrow(message);
  });
});
