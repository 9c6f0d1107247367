import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate.ts';
import { EXEMPTION_REASONS, MONTHLY_MINIMUM_WAGE_2026_CENTS, type Exemption, type GateHistoryEntry, type GateRequest, type RulePack } from './types.ts';

const PACK: RulePack = {
  version: 'r10-test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

const FRAUD_ALERT: Exemption = { reason: 'fraud-alert', hasCollectionContent: false };

function at(bogotaLocal: string): string {
  return DateTime.fromISO(bogotaLocal, { zone: 'America/Bogota' }).toISO({ suppressMilliseconds: true })!;
}

function request(bogotaLocal: string, overrides: Partial<GateRequest> = {}): GateRequest {
  return { at: at(bogotaLocal), channel: 'sms', party: 'debtor', authorized: true, history: [], ...overrides };
}

describe('exempt messages (R10)', () => {
  // 2026-12-06 is a Sunday and 2026-12-08 a holiday.
  it.each([
    ['on a Sunday night', '2026-12-06T22:00:00', []],
    ['on a holiday', '2026-12-08T10:00:00', []],
    ['after a contact today on another channel', '2026-12-09T10:00:00', [{ at: at('2026-12-09T08:00:00'), channel: 'voice', kind: 'two-way' }]],
    ['inside another channel lock', '2026-12-09T10:00:00', [{ at: at('2026-12-04T08:00:00'), channel: 'email', kind: 'attempt' }]],
  ] as [string, string, GateHistoryEntry[]][])('is allowed %s', (_name, local, history) => {
    const decision = evaluateGate(request(local, { exemption: FRAUD_ALERT, history }), PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.rules).toEqual([]);
    expect(decision.nextAllowedAt).toBe(`${local}-05:00`);
    expect(decision.warnings).toEqual([
      { rule: 'R10', message: 'Mensaje exento (alerta de fraude): no le aplican los horarios ni los límites de contacto y no cuenta en el historial de contactos (R10).' },
    ]);
  });

  it.each(EXEMPTION_REASONS)('accepts the reason %s', (reason) => {
    const decision = evaluateGate(request('2026-12-06T22:00:00', { exemption: { reason, hasCollectionContent: false } }), PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.warnings[0]?.rule).toBe('R10');
  });

  it('still needs an authorised channel', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { exemption: FRAUD_ALERT, authorized: false }), PACK);

    expect(decision.rules).toEqual(['R7']);
    expect(decision.nextAllowedAt).toBeNull();
  });

  it('never goes to a reference', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { exemption: { reason: 'requested-information', hasCollectionContent: false }, party: 'reference' }), PACK);

    expect(decision.rules).toEqual(['R8']);
    expect(decision.nextAllowedAt).toBeNull();
  });

  it('refuses an exemption with collection content', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { exemption: { reason: 'transaction-confirmation', hasCollectionContent: true } }), PACK);

    expect(decision.allowed).toBe(false);
    expect(decision.rules).toEqual(['R10']);
    expect(decision.nextAllowedAt).toBeNull();
    expect(decision.warnings).toEqual([]);
    expect(decision.reasons).toEqual([
      {
        rule: 'R10',
        message:
          'Un mensaje con contenido de cobranza no puede enviarse como exento (confirmación de una transacción): quite el contenido de cobro o envíelo como gestión de cobranza, sujeta a horarios y límites (R10).',
      },
    ]);
  });

  it('applies the contact rules to a refused exemption', () => {
    const decision = evaluateGate(request('2026-12-06T22:00:00', { exemption: { reason: 'fraud-alert', hasCollectionContent: true } }), PACK);
    expect(decision.rules).toEqual(['R3', 'R10']);
  });
});

describe('exempt history entries (R10)', () => {
  it.each([
    ['R5 the same day', '2026-12-09T10:00:00', 'sms', at('2026-12-09T08:00:00')],
    ['R6 on another channel', '2026-12-11T10:00:00', 'voice', at('2026-12-09T08:00:00')],
  ] as const)('do not count for %s', (_name, local, channel, exemptAt) => {
    const exempt: GateHistoryEntry = { at: exemptAt, channel: 'sms', kind: 'attempt', exempt: true };
    const counted: GateHistoryEntry = { ...exempt, exempt: false };

    expect(evaluateGate(request(local, { channel, history: [exempt] }), PACK).allowed).toBe(true);
    expect(evaluateGate(request(local, { channel, history: [counted] }), PACK).allowed).toBe(false);
  });

  it('do not count under the two-way reading either', () => {
    const history: GateHistoryEntry[] = [{ at: at('2026-12-09T08:00:00'), channel: 'voice', kind: 'two-way', exempt: true }];
    expect(evaluateGate(request('2026-12-09T10:00:00', { history }), { ...PACK, countsAsContact: 'two-way-only' }).allowed).toBe(true);
  });

  it('still need a valid instant', () => {
    const history: GateHistoryEntry[] = [{ at: 'ayer', channel: 'sms', kind: 'attempt', exempt: true }];
    expect(() => evaluateGate(request('2026-12-09T10:00:00', { history }), PACK)).toThrow(/history\[0\]\.at is "ayer"/);
  });
});
