import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, type GateRequest, type RulePack, type ScheduleRequest } from './types.ts';

const PACK: RulePack = {
  version: 'abroad-test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

function bogota(local: string): string {
  return DateTime.fromISO(local, { zone: 'America/Bogota' }).toISO({ suppressMilliseconds: true })!;
}

function request(bogotaLocal: string, personTimeZone: string | undefined, overrides: Partial<GateRequest> = {}): GateRequest {
  return { at: bogota(bogotaLocal), channel: 'voice', party: 'debtor', authorized: true, history: [], personTimeZone, ...overrides };
}

describe('person abroad', () => {
  // New York moves to UTC−4 on Sunday 8 March 2026 and back to UTC−5 on Sunday 1 November 2026.
  // Madrid moves to UTC+2 on Sunday 29 March 2026 and back to UTC+1 on Sunday 25 October 2026.
  it.each([
    ['New York, Friday before DST (same clock as Bogotá)', 'America/New_York', '2026-03-06T18:30:00', true, [], '2026-03-06T18:30:00-05:00'],
    ['New York, Monday after DST starts (19:30 there)', 'America/New_York', '2026-03-09T18:30:00', false, ['R1'], '2026-03-10T07:00:00-05:00'],
    ['New York, Monday after DST starts, last minute', 'America/New_York', '2026-03-09T17:59:00', true, [], '2026-03-09T17:59:00-05:00'],
    ['New York, Friday before DST ends (19:30 there)', 'America/New_York', '2026-10-30T18:30:00', false, ['R1'], '2026-10-31T08:00:00-05:00'],
    ['New York, Tuesday after DST ends', 'America/New_York', '2026-11-03T18:30:00', true, [], '2026-11-03T18:30:00-05:00'],
    ['Madrid, Friday before DST (18:30 there)', 'Europe/Madrid', '2026-03-27T12:30:00', true, [], '2026-03-27T12:30:00-05:00'],
    ['Madrid, Monday after DST starts (19:30 there)', 'Europe/Madrid', '2026-03-30T12:30:00', false, ['R1'], '2026-03-31T07:00:00-05:00'],
    ['Madrid, Friday before DST ends (19:30 there)', 'Europe/Madrid', '2026-10-23T12:30:00', false, ['R1'], '2026-10-26T07:00:00-05:00'],
    ['Madrid, Monday after DST ends (18:30 there)', 'Europe/Madrid', '2026-10-26T12:30:00', true, [], '2026-10-26T12:30:00-05:00'],
    ['Madrid, Saturday afternoon there', 'Europe/Madrid', '2026-12-05T10:00:00', false, ['R2'], '2026-12-07T07:00:00-05:00'],
    ['Madrid, Saturday morning there', 'Europe/Madrid', '2026-12-05T08:30:00', true, [], '2026-12-05T08:30:00-05:00'],
    ['Tokyo, Saturday 04:00 there', 'Asia/Tokyo', '2026-12-11T14:00:00', false, ['R2'], '2026-12-11T18:00:00-05:00'],
    ['Tokyo, Monday 21:00 there', 'Asia/Tokyo', '2026-12-14T07:00:00', false, ['R1'], '2026-12-14T17:00:00-05:00'],
    ['Auckland, Sunday morning there', 'Pacific/Auckland', '2026-12-05T12:00:00', false, ['R3'], '2026-12-07T13:00:00-05:00'],
    ['Los Angeles, Saturday 07:00 there', 'America/Los_Angeles', '2026-12-05T10:00:00', false, ['R2'], '2026-12-05T11:00:00-05:00'],
    ['Bogotá itself', 'America/Bogota', '2026-12-09T18:30:00', true, [], '2026-12-09T18:30:00-05:00'],
    ['Lima, same clock', 'America/Lima', '2026-12-09T18:30:00', true, [], '2026-12-09T18:30:00-05:00'],
  ])('%s', (_name, zone, local, allowed, rules, nextAllowedAt) => {
    const decision = evaluateGate(request(local, zone), PACK);

    expect(decision.allowed).toBe(allowed);
    expect(decision.rules).toEqual(rules);
    expect(decision.nextAllowedAt).toBe(nextAllowedAt);
  });

  it('keeps the Bogotá window', () => {
    // 06:30 in Bogotá is 12:30 in Madrid: the local rules allow it, R1 in Bogotá does not.
    const decision = evaluateGate(request('2026-12-09T06:30:00', 'Europe/Madrid'), PACK);

    expect(decision.rules).toEqual(['R1']);
    expect(decision.reasons[0]?.message).toBe('Fuera del horario legal: lunes a viernes de 07:00 a 19:00 (R1).');
    expect(decision.nextAllowedAt).toBe('2026-12-09T07:00:00-05:00');
  });

  it('names the local time in the reason', () => {
    expect(evaluateGate(request('2026-12-09T13:30:00', 'Europe/Madrid'), PACK).reasons).toEqual([
      { rule: 'R1', message: 'Fuera del horario legal en la hora local de la persona (Europe/Madrid, miércoles 19:30): lunes a viernes de 07:00 a 19:00 (R1).' },
    ]);
    expect(evaluateGate(request('2026-12-05T12:00:00', 'Pacific/Auckland'), PACK).reasons).toEqual([
      { rule: 'R3', message: 'En la hora local de la persona (Pacific/Auckland, domingo 06:00) es domingo: no se permite contactar (R3).' },
    ]);
  });

  it('reports a rule once when both clocks break it', () => {
    // 20:00 in Bogotá is 02:00 on Thursday in Madrid: R1 in both.
    const decision = evaluateGate(request('2026-12-09T20:00:00', 'Europe/Madrid'), PACK);

    expect(decision.rules).toEqual(['R1']);
    expect(decision.reasons).toHaveLength(1);
  });

  it('warns before the local window closes', () => {
    const decision = evaluateGate(request('2026-12-09T12:55:00', 'Europe/Madrid'), PACK);

    expect(decision.allowed).toBe(true);
    expect(decision.warnings).toEqual([
      { rule: 'R1', message: 'Quedan 5 min del horario legal (cierra a las 13:00): la gestión podría terminar fuera de horario (R1).' },
    ]);
  });

  it('normalises the zone name', () => {
    const decision = evaluateGate(request('2026-12-09T13:30:00', 'europe/madrid'), PACK);
    expect(decision.reasons[0]?.message).toContain('(Europe/Madrid, miércoles 19:30)');
  });

  it('rejects an unknown zone naming it', () => {
    expect(() => evaluateGate(request('2026-12-09T10:00:00', 'Mars/Olympus_Mons'), PACK)).toThrow(/personTimeZone is "Mars\/Olympus_Mons"/);
  });

  describe('with a schedule request (R9)', () => {
    const evenings: ScheduleRequest = {
      window: [{ days: [1, 2, 3, 4, 5, 6], from: '18:00', to: '22:00' }],
      requestedOn: '2026-01-20',
      contractSignedOn: '2025-08-01',
      evidence: 'SOL-77',
      consumerInitiated: true,
    };

    it('replaces the local hours too', () => {
      // 21:00 on Wednesday in Bogotá is 03:00 on Thursday in Madrid, allowed by the person's own request.
      expect(evaluateGate(request('2026-12-09T21:00:00', 'Europe/Madrid', { scheduleRequest: evenings }), PACK).allowed).toBe(true);
    });

    it('keeps the local Sunday blocked', () => {
      // 18:30 on Saturday in Bogotá is 00:30 on Sunday in Madrid.
      const decision = evaluateGate(request('2026-12-05T18:30:00', 'Europe/Madrid', { scheduleRequest: evenings }), PACK);

      expect(decision.rules).toEqual(['R3']);
      expect(decision.nextAllowedAt).toBe('2026-12-07T18:00:00-05:00');
    });

    it('warns before the local Sunday starts', () => {
      const decision = evaluateGate(request('2026-12-05T17:55:00', 'Europe/Madrid', { scheduleRequest: { ...evenings, window: [{ days: [6], from: '17:00', to: '20:00' }] } }), PACK);

      expect(decision.allowed).toBe(true);
      expect(decision.warnings).toEqual([
        {
          rule: 'R3',
          message: 'Quedan 5 min antes de que empiece el domingo en la hora local de la persona (a las 18:00 de Bogotá): la gestión podría terminar en domingo (R3).',
        },
      ]);
    });
  });
});

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Zones with and without daylight saving time, on both sides of the date line, with half- and quarter-hour offsets. */
const ZONES = [
  'Europe/Madrid',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago',
  'America/Havana',
  'America/Sao_Paulo',
  'Europe/London',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/Bogota',
] as const;

/** Days on which one of the zones changes its clocks in 2026, so that the search crosses the change. */
const DST_CHANGE_DAYS = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-10-04', '2026-10-25', '2026-11-01', '2026-03-14', '2026-11-07'].map(
  (date) => Date.parse(`${date}T00:00:00Z`) / DAY,
);

const instantArbitrary = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }),
  fc
    .tuple(fc.constantFrom(...DST_CHANGE_DAYS), fc.integer({ min: -3, max: 1 }), fc.integer({ min: 0, max: 24 * 60 - 1 }))
    .map(([day, shift, minute]) => (day + shift) * DAY + minute * MINUTE),
);

const scheduleRequestArbitrary = fc.option(
  fc.constantFrom<ScheduleRequest['window']>(
    [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }],
    [{ days: [1, 2, 3, 4, 5], from: '19:00', to: '23:00' }],
    [{ days: [6], from: '00:00', to: '21:00' }],
  ).map((window): ScheduleRequest => ({ window, requestedOn: '2024-06-01', contractSignedOn: '2024-01-15', evidence: 'SOL-1', consumerInitiated: true })),
  { nil: undefined },
);

/** Zones of countries that span several, as an import resolves them, besides any mix of the zones above. */
const COUNTRY_ZONES = [
  ['Europe/Madrid', 'Atlantic/Canary', 'Africa/Ceuta'],
  ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'],
  ['America/Mexico_City', 'America/Cancun', 'America/Tijuana', 'America/Hermosillo'],
] as const;

const scenarioArbitrary = fc.record({
  atMs: instantArbitrary,
  zones: fc.oneof(
    fc.constantFrom(...ZONES).map((zone) => [zone]),
    fc.uniqueArray(fc.constantFrom(...ZONES), { minLength: 2, maxLength: 3 }),
    fc.constantFrom(...COUNTRY_ZONES).map((zones) => [...zones]),
  ).map((zones): string[] => [...zones]),
  /** Whether the first zone travels in `personTimeZone`, the older single field, rather than in the list. */
  firstAsSingle: fc.boolean(),
  scheduleRequest: scheduleRequestArbitrary,
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

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

function hoursOf(dateTime: DateTime): number {
  return dateTime.hour + dateTime.minute / 60 + dateTime.second / 3600 + dateTime.millisecond / 3_600_000;
}

/**
 * Decides the rules for a person abroad independently, instant by instant, with luxon for both clocks
 * and date-holidays for the festivos. The legal hours (or the requested windows) must hold in Bogotá.
 * The weekday or Saturday hours must hold on the person's clock, which R9 reduces to "not a Sunday".
 */
function oracleAllows(epochMs: number, scenario: Scenario): boolean {
  const here = DateTime.fromMillis(epochMs, { zone: 'America/Bogota' });
  if (here.weekday === 7 || isLibraryHoliday(here.toISODate()!, here.year)) return false;

  const hereHours = hoursOf(here);
  if (scenario.scheduleRequest === undefined) {
    const [opens, closes] = here.weekday === 6 ? [8, 15] : [7, 19];
    if (hereHours < opens || hereHours >= closes) return false;
  } else {
    const inside = scenario.scheduleRequest.window.some((window) => {
      const from = Number(window.from.slice(0, 2)) + Number(window.from.slice(3)) / 60;
      const to = Number(window.to.slice(0, 2)) + Number(window.to.slice(3)) / 60;
      return window.days.includes(here.weekday) && hereHours >= from && hereHours < to;
    });
    if (!inside) return false;
  }

  return scenario.zones.every((zone) => {
    const there = DateTime.fromMillis(epochMs, { zone });
    if (there.weekday === 7) return false;
    if (scenario.scheduleRequest !== undefined) return true;

    const [opens, closes] = there.weekday === 6 ? [8, 15] : [7, 19];
    const thereHours = hoursOf(there);
    return thereHours >= opens && thereHours < closes;
  });
}

function requestOf(scenario: Scenario, atMs = scenario.atMs): GateRequest {
  return {
    at: new Date(atMs).toISOString(),
    channel: 'voice',
    party: 'debtor',
    authorized: true,
    history: [],
    ...(scenario.firstAsSingle ? { personTimeZone: scenario.zones[0], personTimeZones: scenario.zones.slice(1) } : { personTimeZones: scenario.zones }),
    scheduleRequest: scenario.scheduleRequest,
  };
}

describe('person abroad properties', () => {
  it('agrees with an independent reading of both clocks', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        expect(evaluateGate(requestOf(scenario), PACK).allowed).toBe(oracleAllows(scenario.atMs, scenario));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a next slot that is allowed, with every minute before it blocked', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const decision = evaluateGate(requestOf(scenario), PACK);
        if (decision.nextAllowedAt === null) {
          // Zones whose legal hours never meet on an open Bogotá day: no minute of the next 14 days may be allowed either.
          expect(scenario.zones.length).toBeGreaterThan(1);
          for (let minuteMs = scenario.atMs; minuteMs < scenario.atMs + 14 * DAY; minuteMs += MINUTE) {
            expect(oracleAllows(minuteMs, scenario)).toBe(false);
          }
          return;
        }

        const nextMs = Date.parse(decision.nextAllowedAt);
        expect(evaluateGate(requestOf(scenario, nextMs), PACK).allowed).toBe(true);
        expect(oracleAllows(nextMs, scenario)).toBe(true);
        if (decision.allowed) {
          expect(nextMs).toBe(scenario.atMs);
          return;
        }

        expect(evaluateGate(requestOf(scenario, nextMs - 1), PACK).allowed).toBe(false);
        const checkUntil = Math.min(nextMs, scenario.atMs + 14 * DAY);
        for (let minuteMs = scenario.atMs; minuteMs < checkUntil; minuteMs += MINUTE) {
          expect(evaluateGate(requestOf(scenario, minuteMs), PACK).allowed).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('decides the same whatever offset the instant is written in', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.constantFrom('UTC', 'UTC+9', 'UTC-3', 'UTC+5:30'), (scenario, writtenIn) => {
        const written = DateTime.fromMillis(scenario.atMs, { zone: writtenIn }).toISO()!;
        expect(evaluateGate({ ...requestOf(scenario), at: written }, PACK)).toEqual(evaluateGate(requestOf(scenario), PACK));
      }),
      { numRuns: 500 },
    );
  });
});
