import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CHANNELS, CONTACT_KINDS } from '../domain.ts';
import { evaluateGate } from './gate.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, type GateHistoryEntry, type GateRequest, type RulePack } from './types.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2028, 11, 31);

/**
 * An independent reading of R1–R8, written the slow and obvious way: luxon for Bogotá wall-clock time
 * and the date-holidays package for the festivos. The gate must agree with it on every instant.
 */
const holidayLibrary = new Holidays('CO');
const holidayDatesByYear = new Map<number, Set<string>>();

function libraryHolidays(year: number): Set<string> {
  let dates = holidayDatesByYear.get(year);
  if (!dates) {
    // date-holidays also lists Easter Sunday, which R3 blocks anyway, so it changes nothing here.
    dates = new Set(
      holidayLibrary
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    holidayDatesByYear.set(year, dates);
  }
  return dates;
}

function oracleAllows(epochMs: number, gateRequest: GateRequest, pack: RulePack): boolean {
  if (!gateRequest.authorized || gateRequest.party === 'reference') return false;

  const local = DateTime.fromMillis(epochMs, { zone: 'America/Bogota' });
  const date = local.toISODate()!;
  const closedDay = local.weekday === 7 || libraryHolidays(local.year).has(date) || pack.extraBlockedDates.includes(date);
  if (closedDay) return false;

  const hours = local.hour + local.minute / 60 + local.second / 3600 + local.millisecond / 3_600_000;
  const [opens, closes] = local.weekday === 6 ? [8, 15] : [7, 19];
  if (hours < opens || hours >= closes) return false;

  for (const entry of gateRequest.history) {
    if (entry.exempt === true) continue;
    if (pack.countsAsContact === 'two-way-only' && entry.kind !== 'two-way') continue;

    const entryMs = Date.parse(entry.at);
    const entryDate = DateTime.fromMillis(entryMs, { zone: 'America/Bogota' }).toISODate();
    if (entryDate === date) return false;
    if (entry.channel !== gateRequest.channel && Math.abs(entryMs - epochMs) < 7 * DAY) return false;
  }
  return true;
}

/** Times near the edges of the rules matter most, so half the instants sit on an hour or a window edge. */
const instantArbitrary = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc
    .tuple(
      fc.integer({ min: FROM / DAY, max: TO / DAY }),
      fc.constantFrom(0, 7, 8, 12, 14, 15, 18, 19, 23),
      fc.constantFrom(0, -1000, -1, 1, 1000, 59 * MINUTE),
    )
    .map(([day, bogotaHour, shiftMs]) => day * DAY + (bogotaHour + 5) * 3_600_000 + shiftMs),
);

const offsetArbitrary = fc.constantFrom('Z', '-05:00', '+09:00', '+05:30', '-03:00');

function isoIn(epochMs: number, offset: string): string {
  const zone = offset === 'Z' ? 'UTC' : `UTC${offset.slice(0, 3).replace(/^([+-])0/, '$1')}${offset.endsWith(':30') ? ':30' : ''}`;
  const text = DateTime.fromMillis(epochMs, { zone }).toISO({ suppressMilliseconds: true })!;
  return offset === 'Z' ? text.replace(/\+00:00$/, 'Z') : text;
}

const historyArbitrary = (atMs: number) =>
  fc.array(
    fc.record({
      shiftMs: fc.oneof(fc.integer({ min: -10 * DAY, max: 2 * DAY }), fc.constantFrom(-7 * DAY, -7 * DAY + 1, -7 * DAY - 1, 7 * DAY - 1)),
      channel: fc.constantFrom(...CHANNELS),
      kind: fc.constantFrom(...CONTACT_KINDS),
      // Mostly counted contacts, some marked as exempt messages (R10) and some with the flag set to false.
      exempt: fc.constantFrom(undefined, undefined, undefined, false, true),
    }),
    { maxLength: 8 },
  ).map((entries): GateHistoryEntry[] =>
    entries.map(({ shiftMs, channel, kind, exempt }) => ({ at: isoIn(atMs + shiftMs, '-05:00'), channel, kind, ...(exempt === undefined ? {} : { exempt }) })),
  );

const scenarioArbitrary = instantArbitrary.chain((atMs) =>
  fc.record({
    atMs: fc.constant(atMs),
    offset: offsetArbitrary,
    channel: fc.constantFrom(...CHANNELS),
    party: fc.constantFrom('debtor', 'debtor', 'debtor', 'co-obligor', 'reference' as const),
    authorized: fc.constantFrom(true, true, true, true, false),
    history: historyArbitrary(atMs),
    extraHistory: historyArbitrary(atMs),
    countsAsContact: fc.constantFrom('every-attempt' as const, 'two-way-only' as const),
    blockedDayOffsets: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 3 }),
  }),
);

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

function packOf(scenario: Scenario): RulePack {
  const extraBlockedDates = scenario.blockedDayOffsets.map((days) => DateTime.fromMillis(scenario.atMs + days * DAY, { zone: 'America/Bogota' }).toISODate()!);
  return {
    version: 'property',
    countsAsContact: scenario.countsAsContact,
    lastDialMarginMinutes: 10,
    extraBlockedDates,
    calendarCorrections: { add: [], remove: [] },
    monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
  };
}

function requestOf(scenario: Scenario, offset = scenario.offset): GateRequest {
  return {
    at: isoIn(scenario.atMs, offset),
    channel: scenario.channel,
    party: scenario.party,
    authorized: scenario.authorized,
    history: scenario.history,
  };
}

describe('gate properties', () => {
  it('agrees with an independent reading of the rules', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const pack = packOf(scenario);
        const gateRequest = requestOf(scenario);
        expect(evaluateGate(gateRequest, pack).allowed).toBe(oracleAllows(scenario.atMs, gateRequest, pack));
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a next slot that is allowed, with every minute before it blocked', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const pack = packOf(scenario);
        const gateRequest = requestOf(scenario);
        const decision = evaluateGate(gateRequest, pack);
        if (decision.nextAllowedAt === null) {
          expect(decision.allowed).toBe(false);
          return;
        }

        const nextMs = Date.parse(decision.nextAllowedAt);
        expect(nextMs).toBeGreaterThanOrEqual(scenario.atMs);
        expect(decision.nextAllowedAt.endsWith('-05:00')).toBe(true);
        expect(evaluateGate({ ...gateRequest, at: decision.nextAllowedAt }, pack).allowed).toBe(true);
        expect(oracleAllows(nextMs, gateRequest, pack)).toBe(true);
        if (decision.allowed) {
          expect(nextMs).toBe(scenario.atMs);
          return;
        }

        // The slot is the earliest: one millisecond before it, and every minute from `at` on, is blocked.
        expect(evaluateGate({ ...gateRequest, at: isoIn(nextMs - 1, '-05:00') }, pack).allowed).toBe(false);
        const checkUntil = Math.min(nextMs, scenario.atMs + 14 * DAY);
        for (let minuteMs = scenario.atMs; minuteMs < checkUntil; minuteMs += MINUTE) {
          expect(evaluateGate({ ...gateRequest, at: isoIn(minuteMs, '-05:00') }, pack).allowed).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('decides the same whatever offset the instant is written in', () => {
    fc.assert(
      fc.property(scenarioArbitrary, offsetArbitrary, (scenario, otherOffset) => {
        const pack = packOf(scenario);
        const decision = evaluateGate(requestOf(scenario), pack);
        expect(evaluateGate(requestOf(scenario, otherOffset), pack)).toEqual(decision);
      }),
      { numRuns: 1000 },
    );
  });

  it('never unblocks a contact when history is added', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const pack = packOf(scenario);
        const gateRequest = requestOf(scenario);
        const before = evaluateGate(gateRequest, pack);
        const after = evaluateGate({ ...gateRequest, history: [...scenario.history, ...scenario.extraHistory] }, pack);

        if (!before.allowed) expect(after.allowed).toBe(false);
        for (const rule of before.rules) expect(after.rules).toContain(rule);
        if (before.nextAllowedAt === null) expect(after.nextAllowedAt).toBeNull();
        else if (after.nextAllowedAt !== null) expect(Date.parse(after.nextAllowedAt)).toBeGreaterThanOrEqual(Date.parse(before.nextAllowedAt));
      }),
      { numRuns: 1000 },
    );
  });

  it('never gives a slot when R7 or R8 block', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const decision = evaluateGate(requestOf(scenario), packOf(scenario));
        if (decision.rules.includes('R7') || decision.rules.includes('R8')) expect(decision.nextAllowedAt).toBeNull();
        else if (decision.nextAllowedAt === null) expect(decision.allowed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
