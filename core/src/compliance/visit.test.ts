import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, type GateRequest, type RulePack } from './types.ts';

const PACK: RulePack = {
  version: 'r13-test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

const WEDNESDAY_10 = '2026-12-09T10:00:00-05:00';

function visit(overrides: Partial<GateRequest> = {}): GateRequest {
  return { at: WEDNESDAY_10, channel: 'visit', party: 'debtor', authorized: true, history: [], ...overrides };
}

const VISIT_MESSAGE =
  'Las visitas al domicilio o al lugar de trabajo están prohibidas; solo se permiten en microcrédito, crédito de fomento o crédito agropecuario con autorización expresa del acreedor (R13).';

describe('field visits (R13)', () => {
  it.each<[string, Partial<GateRequest>, boolean]>([
    ['without a credit type', {}, false],
    ['with the flag but no credit type', { visitAllowedFlag: true }, false],
    ['microcredit without the flag', { creditType: 'microcredit' }, false],
    ['microcredit with the flag off', { creditType: 'microcredit', visitAllowedFlag: false }, false],
    ['microcredit with the flag', { creditType: 'microcredit', visitAllowedFlag: true }, true],
    ['development credit with the flag', { creditType: 'development', visitAllowedFlag: true }, true],
    ['agricultural credit with the flag', { creditType: 'agricultural', visitAllowedFlag: true }, true],
  ])('%s', (_name, overrides, allowed) => {
    const decision = evaluateGate(visit(overrides), PACK);

    expect(decision.allowed).toBe(allowed);
    expect(decision.rules).toEqual(allowed ? [] : ['R13']);
    expect(decision.nextAllowedAt).toBe(allowed ? WEDNESDAY_10 : null);
    if (!allowed) expect(decision.reasons[0]?.message).toBe(VISIT_MESSAGE);
  });

  it('ignores the visit fields on other channels', () => {
    expect(evaluateGate({ ...visit(), channel: 'letter' }, PACK).allowed).toBe(true);
  });

  it('applies the contact rules to an allowed visit', () => {
    const decision = evaluateGate(visit({ creditType: 'agricultural', visitAllowedFlag: true, at: '2026-12-09T19:30:00-05:00' }), PACK);

    expect(decision.rules).toEqual(['R1']);
    expect(decision.nextAllowedAt).toBe('2026-12-10T07:00:00-05:00');
  });

  it('lists R13 after the other rules', () => {
    const decision = evaluateGate(visit({ at: '2026-12-06T10:00:00-05:00', authorized: false }), PACK);
    expect(decision.rules).toEqual(['R3', 'R7', 'R13']);
  });

  it('counts a visit and a letter as contacts on their own channels', () => {
    const history = [{ at: '2026-12-07T10:00:00-05:00', channel: 'letter' as const, kind: 'attempt' as const }];
    const decision = evaluateGate(visit({ creditType: 'microcredit', visitAllowedFlag: true, history }), PACK);

    expect(decision.rules).toEqual(['R6']);
    expect(decision.reasons[0]?.message).toBe(
      'Esta persona tiene un contacto por carta del 07/12/2026 10:00; hasta el 14/12/2026 10:00 solo se permite contactarla por ese mismo canal (R6).',
    );
  });
});
