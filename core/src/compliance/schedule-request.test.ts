import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, type GateRequest, type RulePack, type ScheduleRequest } from './types.ts';

const PACK: RulePack = {
  version: 'r9-test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

/** Weekday evenings and Saturday mornings, as a person who works days might ask. */
const EVENINGS: ScheduleRequest = {
  window: [
    { days: [1, 2, 3, 4, 5], from: '19:00', to: '21:30' },
    { days: [6], from: '06:00', to: '08:00' },
  ],
  requestedOn: '2026-02-10',
  contractSignedOn: '2025-11-03',
  evidence: 'SOL-2026-0042 (formulario firmado)',
  consumerInitiated: true,
};

function request(bogotaLocal: string, overrides: Partial<GateRequest> = {}): GateRequest {
  const at = DateTime.fromISO(bogotaLocal, { zone: 'America/Bogota' }).toISO({ suppressMilliseconds: true })!;
  return { at, channel: 'voice', party: 'debtor', authorized: true, history: [], scheduleRequest: EVENINGS, ...overrides };
}

describe('schedule request hours (R9)', () => {
  // 2026-12-05 is a Saturday, 12-06 a Sunday, 12-07 a Monday, 12-08 (Tuesday) a holiday and 12-09 a Wednesday.
  it.each([
    ['weekday morning, legal but not requested', '2026-12-09T10:00:00', false, ['R9'], '2026-12-09T19:00:00-05:00'],
    ['weekday just before the window', '2026-12-09T18:59:59', false, ['R9'], '2026-12-09T19:00:00-05:00'],
    ['weekday at the window opening', '2026-12-09T19:00:00', true, [], '2026-12-09T19:00:00-05:00'],
    ['weekday last second', '2026-12-09T21:29:59', true, [], '2026-12-09T21:29:59-05:00'],
    ['weekday at the window end', '2026-12-09T21:30:00', false, ['R9'], '2026-12-10T19:00:00-05:00'],
    ['Saturday before the legal opening', '2026-12-05T06:00:00', true, [], '2026-12-05T06:00:00-05:00'],
    ['Saturday inside the legal window', '2026-12-05T09:00:00', false, ['R9'], '2026-12-07T19:00:00-05:00'],
    ['Sunday inside a requested day', '2026-12-06T06:30:00', false, ['R3'], '2026-12-07T19:00:00-05:00'],
    ['holiday evening', '2026-12-08T20:00:00', false, ['R4'], '2026-12-09T19:00:00-05:00'],
  ])('%s', (_name, local, allowed, rules, nextAllowedAt) => {
    const decision = evaluateGate(request(local), PACK);

    expect(decision.allowed).toBe(allowed);
    expect(decision.rules).toEqual(rules);
    expect(decision.nextAllowedAt).toBe(nextAllowedAt);
    expect(decision.warnings.filter((warning) => warning.message.startsWith('Se ignora'))).toEqual([]);
  });

  it('keeps Sundays blocked when the request names them', () => {
    const sundays: ScheduleRequest = { ...EVENINGS, window: [{ days: [7], from: '09:00', to: '12:00' }] };
    const decision = evaluateGate(request('2026-12-06T10:00:00', { scheduleRequest: sundays }), PACK);

    expect(decision.rules).toEqual(['R3']);
    expect(decision.nextAllowedAt).toBeNull();
  });

  it('explains the requested hours in Spanish', () => {
    expect(evaluateGate(request('2026-12-09T10:00:00'), PACK).reasons).toEqual([
      { rule: 'R9', message: 'Fuera del horario que la persona solicitó para los miércoles: de 19:00 a 21:30 (R9).' },
    ]);
    expect(evaluateGate(request('2026-12-05T09:00:00', { scheduleRequest: { ...EVENINGS, window: [EVENINGS.window[0]!] } }), PACK).reasons).toEqual([
      { rule: 'R9', message: 'La solicitud de horario de la persona no incluye los sábados: no se permite contactarla ese día (R9).' },
    ]);
  });

  it('merges overlapping windows of one day', () => {
    const overlapping: ScheduleRequest = {
      ...EVENINGS,
      window: [
        { days: [3], from: '06:00', to: '07:30' },
        { days: [3], from: '07:00', to: '08:00' },
        { days: [3], from: '20:00', to: '24:00' },
      ],
    };
    const decision = evaluateGate(request('2026-12-09T10:00:00', { scheduleRequest: overlapping }), PACK);

    expect(decision.reasons[0]?.message).toBe('Fuera del horario que la persona solicitó para los miércoles: de 06:00 a 08:00 y de 20:00 a 24:00 (R9).');
    expect(decision.nextAllowedAt).toBe('2026-12-09T20:00:00-05:00');
    expect(evaluateGate(request('2026-12-09T23:59:59', { scheduleRequest: overlapping }), PACK).allowed).toBe(true);
    expect(evaluateGate(request('2026-12-09T07:45:00', { scheduleRequest: overlapping }), PACK).allowed).toBe(true);
  });

  it('warns near the end of the requested hours', () => {
    const decision = evaluateGate(request('2026-12-09T21:25:00'), PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.warnings).toEqual([
      { rule: 'R9', message: 'Quedan 5 min del horario que la persona solicitó (cierra a las 21:30): la gestión podría terminar fuera de ese horario (R9).' },
    ]);
  });

  it('still applies R5 and R6 inside the requested hours', () => {
    const history = [{ at: '2026-12-09T19:10:00-05:00', channel: 'sms' as const, kind: 'attempt' as const }];
    const decision = evaluateGate(request('2026-12-09T20:00:00', { history }), PACK);

    expect(decision.rules).toEqual(['R5', 'R6']);
    // The SMS lock ends Wednesday 16 December 19:10, inside the requested hours.
    expect(decision.nextAllowedAt).toBe('2026-12-16T19:10:00-05:00');
  });
});

describe('invalid schedule requests (R9)', () => {
  it.each<[string, Partial<ScheduleRequest>, string]>([
    ['not consumer-initiated', { consumerInitiated: false }, 'no fue iniciada por la persona'],
    ['dated on the contract day', { requestedOn: '2025-11-03' }, 'su fecha (03/11/2025) no es posterior a la firma del contrato (03/11/2025)'],
    ['dated before the contract', { requestedOn: '2025-10-01' }, 'su fecha (01/10/2025) no es posterior a la firma del contrato (03/11/2025)'],
    ['dated after the contact', { requestedOn: '2026-12-10' }, 'su fecha (10/12/2026) es posterior a la del contacto'],
    ['without evidence', { evidence: '   ' }, 'no tiene evidencia registrada'],
    ['with no window', { window: [] }, 'no indica ninguna franja horaria'],
    ['with a window that ends before it starts', { window: [{ days: [3], from: '21:00', to: '19:00' }] }, 'la franja 1 no es un horario válido ("21:00" a "19:00")'],
    ['with an empty window', { window: [{ days: [3], from: '19:00', to: '19:00' }] }, 'la franja 1 no es un horario válido ("19:00" a "19:00")'],
    ['with a window without days', { window: [{ days: [], from: '19:00', to: '21:00' }] }, 'la franja 1 no indica días de la semana válidos (1 = lunes … 7 = domingo)'],
    ['with an impossible date', { requestedOn: '2026-02-30' }, 'la fecha de la solicitud "2026-02-30" no es una fecha válida AAAA-MM-DD'],
  ])('is ignored when %s', (_name, change, problem) => {
    const decision = evaluateGate(request('2026-12-09T20:00:00', { scheduleRequest: { ...EVENINGS, ...change } }), PACK);

    // The legal hours apply instead: 20:00 on a weekday is outside R1.
    expect(decision.rules).toEqual(['R1']);
    expect(decision.nextAllowedAt).toBe('2026-12-10T07:00:00-05:00');
    expect(decision.warnings).toEqual([
      { rule: 'R9', message: `Se ignora la solicitud de horario de la persona porque ${problem}. Se aplica el horario legal (R9).` },
    ]);
  });

  it('lists every problem', () => {
    const decision = evaluateGate(request('2026-12-09T10:00:00', { scheduleRequest: { ...EVENINGS, consumerInitiated: false, evidence: '' } }), PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.warnings.map((warning) => warning.message)).toEqual([
      'Se ignora la solicitud de horario de la persona porque no fue iniciada por la persona; no tiene evidencia registrada. Se aplica el horario legal (R9).',
    ]);
  });

  it('accepts a request dated on the contact day', () => {
    const decision = evaluateGate(request('2026-12-09T20:00:00', { scheduleRequest: { ...EVENINGS, requestedOn: '2026-12-09' } }), PACK);
    expect(decision.allowed).toBe(true);
  });
});

const MINUTE = 60_000;
const DAY = 86_400_000;

const clockArbitrary = fc.integer({ min: 0, max: 24 * 4 }).map((quarter) => quarter * 15);

function clockText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const windowArbitrary = fc
  .record({
    days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    bounds: fc.tuple(clockArbitrary, clockArbitrary).filter(([from, to]) => from < to && from < 24 * 60),
  })
  .map(({ days, bounds: [from, to] }) => ({ days, from: clockText(from), to: clockText(to) }));

const scheduleRequestArbitrary = fc.array(windowArbitrary, { minLength: 1, maxLength: 3 }).map(
  (window): ScheduleRequest => ({ window, requestedOn: '2024-06-01', contractSignedOn: '2024-01-15', evidence: 'SOL-1', consumerInitiated: true }),
);

/** Instants from 2025 to 2027, half of them on a quarter hour where the requested windows open and close. */
const instantArbitrary = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }),
  fc.tuple(fc.integer({ min: Date.UTC(2025, 0, 1) / DAY, max: Date.UTC(2027, 11, 31) / DAY }), fc.integer({ min: 0, max: 95 })).map(
    ([day, quarter]) => day * DAY + quarter * 15 * MINUTE,
  ),
);

const holidayLibrary = new Holidays('CO');
const holidayDatesByYear = new Map<number, Set<string>>();

function isLibraryHoliday(date: string, year: number): boolean {
  let dates = holidayDatesByYear.get(year);
  if (!dates) {
    dates = new Set(holidayLibrary.getHolidays(year).filter((holiday) => holiday.type === 'public').map((holiday) => holiday.date.slice(0, 10)));
    holidayDatesByYear.set(year, dates);
  }
  return dates.has(date);
}

/** Decides R3–R4 and the requested windows independently, with luxon for Bogotá time and date-holidays for the festivos. */
function oracleAllows(epochMs: number, scheduleRequest: ScheduleRequest): boolean {
  const local = DateTime.fromMillis(epochMs, { zone: 'America/Bogota' });
  if (local.weekday === 7 || isLibraryHoliday(local.toISODate()!, local.year)) return false;

  const minutes = local.hour * 60 + local.minute + local.second / 60 + local.millisecond / 60_000;
  return scheduleRequest.window.some((window) => {
    const [fromHours, fromMinutes] = window.from.split(':').map(Number) as [number, number];
    const [toHours, toMinutes] = window.to.split(':').map(Number) as [number, number];
    return window.days.includes(local.weekday) && minutes >= fromHours * 60 + fromMinutes && minutes < toHours * 60 + toMinutes;
  });
}

function requestAt(epochMs: number, overrides: Partial<GateRequest>): GateRequest {
  return { at: new Date(epochMs).toISOString(), channel: 'voice', party: 'debtor', authorized: true, history: [], ...overrides };
}

describe('schedule request properties (R9)', () => {
  it('agrees with an independent reading of the requested hours', () => {
    fc.assert(
      fc.property(instantArbitrary, scheduleRequestArbitrary, (atMs, scheduleRequest) => {
        expect(evaluateGate(requestAt(atMs, { scheduleRequest }), PACK).allowed).toBe(oracleAllows(atMs, scheduleRequest));
      }),
      { numRuns: 1500 },
    );
  });

  it('returns a next slot that is allowed, with every minute before it blocked', () => {
    fc.assert(
      fc.property(instantArbitrary, scheduleRequestArbitrary, (atMs, scheduleRequest) => {
        const gateRequest = requestAt(atMs, { scheduleRequest });
        const decision = evaluateGate(gateRequest, PACK);
        if (decision.nextAllowedAt === null) {
          // Only windows that never meet an open day give no slot.
          expect(scheduleRequest.window.every((window) => window.days.every((day) => day === 7))).toBe(true);
          return;
        }

        const nextMs = Date.parse(decision.nextAllowedAt);
        expect(evaluateGate({ ...gateRequest, at: decision.nextAllowedAt }, PACK).allowed).toBe(true);
        expect(oracleAllows(nextMs, scheduleRequest)).toBe(true);
        if (decision.allowed) return;

        expect(evaluateGate({ ...gateRequest, at: new Date(nextMs - 1).toISOString() }, PACK).allowed).toBe(false);
        const checkUntil = Math.min(nextMs, atMs + 14 * DAY);
        for (let minuteMs = atMs; minuteMs < checkUntil; minuteMs += MINUTE) {
          expect(evaluateGate({ ...gateRequest, at: new Date(minuteMs).toISOString() }, PACK).allowed).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });
});
