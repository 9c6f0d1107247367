import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ComplianceChannel, ContactKind } from '../domain.ts';
import { evaluateGate } from './gate.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, gateDecisionSchema, type GateHistoryEntry, type GateRequest, type RulePack } from './types.ts';

const PACK: RulePack = {
  version: '2026.1',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

const TWO_WAY_PACK: RulePack = { ...PACK, version: '2026.1-two-way', countsAsContact: 'two-way-only' };

const LUXON_ZONES = { Z: 'UTC', '-05:00': 'UTC-5', '+09:00': 'UTC+9' } as const;

/** Converts a Bogotá wall-clock time (`2026-12-07T07:00:00`) to an ISO instant written in `offset`. */
function at(bogotaLocal: string, offset: keyof typeof LUXON_ZONES = '-05:00'): string {
  const local = DateTime.fromISO(bogotaLocal, { zone: 'America/Bogota' });
  if (!local.isValid) throw new Error(`invalid test time "${bogotaLocal}"; write it as YYYY-MM-DDTHH:MM:SS`);
  return local.setZone(LUXON_ZONES[offset]).toISO({ suppressMilliseconds: true })!;
}

function contact(bogotaLocal: string, channel: ComplianceChannel, kind: ContactKind = 'attempt'): GateHistoryEntry {
  return { at: at(bogotaLocal), channel, kind };
}

function request(bogotaLocal: string, overrides: Partial<GateRequest> = {}): GateRequest {
  return { at: at(bogotaLocal), channel: 'voice', party: 'debtor', authorized: true, history: [], ...overrides };
}

describe('contact windows (R1–R4)', () => {
  // 2026-12-05 is a Saturday, 12-06 a Sunday, 12-07 a Monday and 12-08 (Tuesday) a holiday;
  // 2027-05-01 is a Saturday holiday and 2025-07-20 a Sunday holiday.
  const cases: [string, string, boolean, string[], string][] = [
    ['weekday before opening', '2026-12-07T06:59:59', false, ['R1'], '2026-12-07T07:00:00-05:00'],
    ['weekday at opening', '2026-12-07T07:00:00', true, [], '2026-12-07T07:00:00-05:00'],
    ['weekday last second', '2026-12-07T18:59:59', true, [], '2026-12-07T18:59:59-05:00'],
    ['weekday at closing', '2026-12-07T19:00:00', false, ['R1'], '2026-12-09T07:00:00-05:00'],
    ['weekday midnight', '2026-12-07T00:00:00', false, ['R1'], '2026-12-07T07:00:00-05:00'],
    ['Saturday before opening', '2026-12-05T07:59:59', false, ['R2'], '2026-12-05T08:00:00-05:00'],
    ['Saturday at opening', '2026-12-05T08:00:00', true, [], '2026-12-05T08:00:00-05:00'],
    ['Saturday last second', '2026-12-05T14:59:59', true, [], '2026-12-05T14:59:59-05:00'],
    ['Saturday at closing', '2026-12-05T15:00:00', false, ['R2'], '2026-12-07T07:00:00-05:00'],
    ['Saturday at weekday opening', '2026-12-05T07:00:00', false, ['R2'], '2026-12-05T08:00:00-05:00'],
    ['Sunday midday', '2026-12-06T10:00:00', false, ['R3'], '2026-12-07T07:00:00-05:00'],
    ['weekday holiday', '2026-12-08T10:00:00', false, ['R4'], '2026-12-09T07:00:00-05:00'],
    ['weekday holiday at night', '2026-12-08T22:00:00', false, ['R4'], '2026-12-09T07:00:00-05:00'],
    ['Saturday holiday', '2027-05-01T10:00:00', false, ['R4'], '2027-05-03T07:00:00-05:00'],
    ['Sunday holiday', '2025-07-20T10:00:00', false, ['R3', 'R4'], '2025-07-21T07:00:00-05:00'],
  ];

  for (const offset of ['Z', '-05:00', '+09:00'] as const) {
    it.each(cases)(`${offset}: %s (%s)`, (_name, local, allowed, rules, nextAllowedAt) => {
      const decision = evaluateGate({ ...request(local), at: at(local, offset) }, PACK);

      expect(decision.allowed).toBe(allowed);
      expect(decision.rules).toEqual(rules);
      expect(decision.nextAllowedAt).toBe(nextAllowedAt);
      expect(decision.evaluatedAt).toBe(`${local}-05:00`);
    });
  }

  it('gives Spanish reasons naming the rule', () => {
    expect(evaluateGate(request('2026-12-06T10:00:00'), PACK).reasons).toEqual([{ rule: 'R3', message: 'Domingo: no se permite contactar (R3).' }]);
    expect(evaluateGate(request('2026-12-07T19:00:00'), PACK).reasons).toEqual([
      { rule: 'R1', message: 'Fuera del horario legal: lunes a viernes de 07:00 a 19:00 (R1).' },
    ]);
    expect(evaluateGate(request('2026-12-05T15:00:00'), PACK).reasons).toEqual([
      { rule: 'R2', message: 'Fuera del horario legal: sábados de 08:00 a 15:00 (R2).' },
    ]);
    expect(evaluateGate(request('2026-12-08T10:00:00'), PACK).reasons).toEqual([
      { rule: 'R4', message: 'Festivo (Día de la Inmaculada Concepción): no se permite contactar (R4).' },
    ]);
  });

  it('names both holidays of one Monday', () => {
    const [reason] = evaluateGate(request('2025-06-30T10:00:00'), PACK).reasons;
    expect(reason?.message).toBe('Festivo (Sagrado Corazón de Jesús y San Pedro y San Pablo): no se permite contactar (R4).');
  });

  it('skips Holy Thursday and Good Friday', () => {
    const decision = evaluateGate(request('2026-04-01T19:00:00'), PACK);
    expect(decision.nextAllowedAt).toBe('2026-04-04T08:00:00-05:00');
  });

  it('skips a Sunday followed by a holiday Monday', () => {
    const decision = evaluateGate(request('2025-06-28T15:00:00'), PACK);
    expect(decision.nextAllowedAt).toBe('2025-07-01T07:00:00-05:00');
  });

  it('crosses the new year over 1 January', () => {
    const decision = evaluateGate(request('2026-12-31T19:00:00'), PACK);
    expect(decision.nextAllowedAt).toBe('2027-01-02T08:00:00-05:00');
  });

  it('blocks extra dates of the pack as R4', () => {
    const pack: RulePack = { ...PACK, extraBlockedDates: ['2026-12-07'] };
    const decision = evaluateGate(request('2026-12-07T10:00:00'), pack);

    expect(decision.rules).toEqual(['R4']);
    expect(decision.reasons[0]?.message).toBe('Fecha bloqueada por el administrador: no se permite contactar (R4).');
    expect(decision.nextAllowedAt).toBe('2026-12-09T07:00:00-05:00');
  });

  it('follows calendar corrections of the pack', () => {
    const pack: RulePack = {
      ...PACK,
      calendarCorrections: { add: [{ date: '2026-12-09', name: 'Duelo nacional' }], remove: ['2026-12-08'] },
    };

    expect(evaluateGate(request('2026-12-08T10:00:00'), pack).allowed).toBe(true);
    const added = evaluateGate(request('2026-12-09T10:00:00'), pack);
    expect(added.rules).toEqual(['R4']);
    expect(added.reasons[0]?.message).toBe('Festivo (Duelo nacional): no se permite contactar (R4).');
  });

  it('jumps over a long run of blocked dates', () => {
    const dates = Array.from({ length: 23 }, (_, index) => `2026-12-${String(9 + index).padStart(2, '0')}`);
    const decision = evaluateGate(request('2026-12-08T10:00:00'), { ...PACK, extraBlockedDates: dates });
    expect(decision.nextAllowedAt).toBe('2027-01-02T08:00:00-05:00');
  });

  it('gives up after 400 days of blocked dates', () => {
    const start = DateTime.fromISO('2026-12-09', { zone: 'UTC' });
    const dates = Array.from({ length: 402 }, (_, index) => start.plus({ days: index }).toISODate()!);
    const decision = evaluateGate(request('2026-12-08T10:00:00'), { ...PACK, extraBlockedDates: dates });

    expect(decision.allowed).toBe(false);
    expect(decision.nextAllowedAt).toBeNull();
  });
});

describe('last-dial margin', () => {
  it.each([
    ['2026-12-07T18:49:59', []],
    ['2026-12-07T18:50:00', ['Quedan 10 min del horario legal (cierra a las 19:00): la gestión podría terminar fuera de horario (R1).']],
    ['2026-12-07T18:59:59', ['Queda 1 min del horario legal (cierra a las 19:00): la gestión podría terminar fuera de horario (R1).']],
    ['2026-12-05T14:55:00', ['Quedan 5 min del horario legal (cierra a las 15:00): la gestión podría terminar fuera de horario (R2).']],
  ])('at %s', (local, messages) => {
    const decision = evaluateGate(request(local), PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.warnings.map((warning) => warning.message)).toEqual(messages);
  });

  it('names the window rule', () => {
    expect(evaluateGate(request('2026-12-05T14:55:00'), PACK).warnings[0]?.rule).toBe('R2');
  });

  it('is off when the pack sets 0 minutes', () => {
    expect(evaluateGate(request('2026-12-07T18:59:59'), { ...PACK, lastDialMarginMinutes: 0 }).warnings).toEqual([]);
  });

  it('adds no warning to a blocked decision', () => {
    const decision = evaluateGate(request('2026-12-07T18:55:00', { history: [contact('2026-12-07T08:00:00', 'voice')] }), PACK);
    expect(decision.allowed).toBe(false);
    expect(decision.warnings).toEqual([]);
  });
});

describe('once a day (R5)', () => {
  it('blocks a second contact the same day on the same channel', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { history: [contact('2026-12-09T08:00:00', 'voice')] }), PACK);

    expect(decision.rules).toEqual(['R5']);
    expect(decision.reasons[0]?.message).toBe('Ya se contactó a esta persona hoy por llamada (R5).');
    expect(decision.nextAllowedAt).toBe('2026-12-10T07:00:00-05:00');
  });

  it('blocks across channels, with R6 as well', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { history: [contact('2026-12-09T08:00:00', 'sms')] }), PACK);
    expect(decision.rules).toEqual(['R5', 'R6']);
    expect(decision.nextAllowedAt).toBe('2026-12-16T08:00:00-05:00');
  });

  it('counts an unanswered attempt by default', () => {
    const history = [contact('2026-12-09T08:00:00', 'voice', 'attempt')];
    expect(evaluateGate(request('2026-12-09T10:00:00', { history }), PACK).rules).toEqual(['R5']);
  });

  it('ignores attempts under the two-way reading', () => {
    const history = [contact('2026-12-09T08:00:00', 'sms', 'attempt')];
    const decision = evaluateGate(request('2026-12-09T10:00:00', { history }), TWO_WAY_PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.rulePackVersion).toBe('2026.1-two-way');
  });

  it('counts two-way contacts under the two-way reading', () => {
    const history = [contact('2026-12-09T08:00:00', 'voice', 'two-way')];
    expect(evaluateGate(request('2026-12-09T10:00:00', { history }), TWO_WAY_PACK).rules).toEqual(['R5']);
  });

  it('uses the Bogotá calendar day', () => {
    // 04:30Z is 23:30 of the day before in Bogotá; 05:30Z is 00:30 of the same day.
    const yesterday: GateHistoryEntry = { at: '2026-12-09T04:30:00Z', channel: 'voice', kind: 'attempt' };
    const today: GateHistoryEntry = { at: '2026-12-09T05:30:00Z', channel: 'voice', kind: 'attempt' };

    expect(evaluateGate(request('2026-12-09T10:00:00', { history: [yesterday] }), PACK).allowed).toBe(true);
    expect(evaluateGate(request('2026-12-09T10:00:00', { history: [today] }), PACK).rules).toEqual(['R5']);
  });

  it('counts a contact recorded later the same day', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { history: [contact('2026-12-09T16:30:00', 'voice')] }), PACK);

    expect(decision.rules).toEqual(['R5']);
    expect(decision.reasons[0]?.message).toBe('Esta persona ya tiene un contacto por llamada registrado hoy a las 16:30; solo se permite uno por día (R5).');
    expect(decision.nextAllowedAt).toBe('2026-12-10T07:00:00-05:00');
  });

  it.each([
    ['voice', 'Ya se contactó a esta persona hoy por llamada (R5).'],
    ['sms', 'Ya se contactó a esta persona hoy por SMS (R5).'],
    ['email', 'Ya se contactó a esta persona hoy por correo electrónico (R5).'],
    ['whatsapp', 'Ya se contactó a esta persona hoy por WhatsApp (R5).'],
    ['letter', 'Ya se contactó a esta persona hoy por carta (R5).'],
    ['visit', 'Ya se contactó a esta persona hoy con una visita (R5).'],
  ] as const)('names the earlier %s in the reason', (channel, message) => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { history: [contact('2026-12-09T08:00:00', channel)] }), PACK);
    expect(decision.reasons[0]?.rule).toBe('R5');
    expect(decision.reasons[0]?.message).toBe(message);
  });

  it('names a letter recorded later the same day', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { history: [contact('2026-12-09T16:30:00', 'letter')] }), PACK);
    expect(decision.reasons[0]?.message).toBe('Esta persona ya tiene un contacto por carta registrado hoy a las 16:30; solo se permite uno por día (R5).');
  });

  it('moves past a weekend and a holiday', () => {
    // Saturday 2026-12-05 contacted: Sunday is closed, Monday opens.
    const saturday = evaluateGate(request('2026-12-05T09:00:00', { history: [contact('2026-12-05T08:30:00', 'voice')] }), PACK);
    expect(saturday.nextAllowedAt).toBe('2026-12-07T07:00:00-05:00');

    // Monday 2026-12-07 contacted: Tuesday is a holiday, Wednesday opens.
    const monday = evaluateGate(request('2026-12-07T09:00:00', { history: [contact('2026-12-07T08:30:00', 'voice')] }), PACK);
    expect(monday.nextAllowedAt).toBe('2026-12-09T07:00:00-05:00');
  });

  it('allows the same channel on the next day', () => {
    const history = [contact('2026-12-09T18:59:00', 'sms')];
    expect(evaluateGate(request('2026-12-10T07:00:00', { channel: 'sms', history }), PACK).allowed).toBe(true);
  });
});

describe('same channel for 7 days (R6)', () => {
  const smsMonday = [contact('2026-12-14T09:00:00', 'sms')];

  it.each([
    ['1 day later', '2026-12-15T10:00:00', false],
    ['6 days 23 h later', '2026-12-21T08:00:00', false],
    ['7 days minus 1 s', '2026-12-21T08:59:59', false],
    ['exactly 7 days later', '2026-12-21T09:00:00', true],
    ['7 days 1 h later', '2026-12-21T10:00:00', true],
  ])('voice after SMS %s', (_name, local, allowed) => {
    const decision = evaluateGate(request(local, { history: smsMonday }), PACK);

    expect(decision.allowed).toBe(allowed);
    expect(decision.rules).toEqual(allowed ? [] : ['R6']);
  });

  it('points to the end of the lock', () => {
    const decision = evaluateGate(request('2026-12-21T08:00:00', { history: smsMonday }), PACK);

    expect(decision.nextAllowedAt).toBe('2026-12-21T09:00:00-05:00');
    expect(decision.reasons[0]?.message).toBe(
      'Esta persona tiene un contacto por SMS del 14/12/2026 09:00; hasta el 21/12/2026 09:00 solo se permite contactarla por ese mismo canal (R6).',
    );
  });

  it('allows the same channel inside the 7 days', () => {
    const decision = evaluateGate(request('2026-12-16T10:00:00', { channel: 'sms', history: smsMonday }), PACK);
    expect(decision.allowed).toBe(true);
  });

  it('waits for the window when the lock ends at night', () => {
    const history = [contact('2026-12-14T18:30:00', 'email')];
    const decision = evaluateGate(request('2026-12-18T10:00:00', { channel: 'whatsapp', history }), PACK);
    // The lock ends Monday 21 December at 18:30, inside the window.
    expect(decision.nextAllowedAt).toBe('2026-12-21T18:30:00-05:00');

    const lateHistory = [contact('2026-12-11T18:59:00', 'email')];
    const late = evaluateGate(request('2026-12-15T10:00:00', { channel: 'voice', history: lateHistory }), PACK);
    // The lock ends Friday 18 December 18:59, one minute before the window closes.
    expect(late.nextAllowedAt).toBe('2026-12-18T18:59:00-05:00');
  });

  it('takes the lock that ends last', () => {
    const history = [contact('2026-12-14T09:00:00', 'sms'), contact('2026-12-15T11:00:00', 'email'), contact('2026-12-16T08:00:00', 'voice')];
    const decision = evaluateGate(request('2026-12-17T10:00:00', { channel: 'voice', history }), PACK);

    expect(decision.rules).toEqual(['R6']);
    expect(decision.nextAllowedAt).toBe('2026-12-22T11:00:00-05:00');
  });

  it('blocks before a later contact on another channel', () => {
    const history = [contact('2026-12-18T09:00:00', 'sms')];
    const decision = evaluateGate(request('2026-12-14T10:00:00', { channel: 'voice', history }), PACK);

    expect(decision.rules).toEqual(['R6']);
    // The lock ends Friday 25 December 09:00, Christmas, so the next slot is Saturday 08:00.
    expect(decision.nextAllowedAt).toBe('2026-12-26T08:00:00-05:00');
  });

  it('ignores attempts under the two-way reading', () => {
    const attempts = [contact('2026-12-14T09:00:00', 'sms', 'attempt')];
    expect(evaluateGate(request('2026-12-15T10:00:00', { history: attempts }), TWO_WAY_PACK).allowed).toBe(true);

    const twoWay = [contact('2026-12-14T09:00:00', 'sms', 'two-way')];
    expect(evaluateGate(request('2026-12-15T10:00:00', { history: twoWay }), TWO_WAY_PACK).rules).toEqual(['R6']);
  });
});

describe('authorisation and party (R7, R8)', () => {
  it('blocks an unauthorised channel for good', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { authorized: false }), PACK);

    expect(decision.rules).toEqual(['R7']);
    expect(decision.nextAllowedAt).toBeNull();
    expect(decision.reasons[0]?.message).toMatch(/\(R7\)\.$/);
  });

  it('never allows a reference', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { party: 'reference' }), PACK);

    expect(decision.rules).toEqual(['R8']);
    expect(decision.nextAllowedAt).toBeNull();
    expect(decision.reasons[0]?.message).toBe('Las referencias personales nunca se pueden contactar (R8).');
  });

  it('allows a co-obligor like a debtor', () => {
    expect(evaluateGate(request('2026-12-09T10:00:00', { party: 'co-obligor' }), PACK).allowed).toBe(true);
  });

  it('lists every rule that blocks', () => {
    const history = [contact('2026-12-06T09:00:00', 'sms')];
    const decision = evaluateGate(request('2026-12-06T20:00:00', { party: 'reference', authorized: false, history }), PACK);

    expect(decision.rules).toEqual(['R3', 'R5', 'R6', 'R7', 'R8']);
    expect(decision.reasons.map((reason) => reason.rule)).toEqual(decision.rules);
    expect(decision.nextAllowedAt).toBeNull();
  });
});

describe('decision shape', () => {
  it('matches the contract schema', () => {
    const decisions = [
      evaluateGate(request('2026-12-09T10:00:00'), PACK),
      evaluateGate(request('2026-12-06T10:00:00', { history: [contact('2026-12-05T09:00:00', 'email', 'two-way')] }), PACK),
      evaluateGate(request('2026-12-09T10:00:00', { party: 'reference' }), PACK),
    ];
    for (const decision of decisions) expect(gateDecisionSchema.parse(decision)).toEqual(decision);
  });

  it('normalises the instant to -05:00 and keeps milliseconds', () => {
    const decision = evaluateGate({ ...request('2026-12-09T10:00:00'), at: '2026-12-09T15:00:00.250Z' }, PACK);

    expect(decision.evaluatedAt).toBe('2026-12-09T10:00:00.250-05:00');
    expect(decision.nextAllowedAt).toBe('2026-12-09T10:00:00.250-05:00');
  });

  it('does not depend on the order of the history', () => {
    const history = [contact('2026-12-14T09:00:00', 'sms'), contact('2026-12-16T08:00:00', 'voice'), contact('2026-12-15T11:00:00', 'email')];
    const forward = evaluateGate(request('2026-12-17T10:00:00', { history }), PACK);
    const backward = evaluateGate(request('2026-12-17T10:00:00', { history: [...history].reverse() }), PACK);
    expect(backward).toEqual(forward);
  });
});

describe('invalid requests', () => {
  it.each([
    ['2026-12-09T10:00:00', /at is "2026-12-09T10:00:00"/],
    ['2026-02-30T10:00:00-05:00', /at is "2026-02-30T10:00:00-05:00"/],
    ['1983-12-31T10:00:00-05:00', /outside the supported range/],
    ['9998-01-01T00:00:00-05:00', /outside the supported range/],
  ])('rejects at %s', (text, message) => {
    expect(() => evaluateGate({ ...request('2026-12-09T10:00:00'), at: text }, PACK)).toThrow(message);
  });

  it('accepts the last supported year', () => {
    const decision = evaluateGate({ ...request('2026-12-09T10:00:00'), at: '9997-12-31T23:00:00-05:00' }, PACK);
    // 1 January 9998 is a Thursday holiday, so the slot is Friday the 2nd.
    expect(decision.nextAllowedAt).toBe('9998-01-02T07:00:00-05:00');
  });

  it('names the history entry', () => {
    const history: GateHistoryEntry[] = [contact('2026-12-08T10:00:00', 'sms'), { at: 'yesterday', channel: 'sms', kind: 'attempt' }];
    expect(() => evaluateGate(request('2026-12-09T10:00:00', { history }), PACK)).toThrow(/history\[1\]\.at is "yesterday"/);
  });
});
