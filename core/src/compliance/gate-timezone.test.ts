import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { holidaysOf } from './calendar.ts';
import { evaluateGate } from './gate.ts';
import { MONTHLY_MINIMUM_WAGE_2026_CENTS, type GateRequest, type RulePack } from './types.ts';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GATE_MODULE = new URL('./gate.ts', import.meta.url).href;
const CALENDAR_MODULE = new URL('./calendar.ts', import.meta.url).href;

const PACK: RulePack = {
  version: 'tz-test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: MONTHLY_MINIMUM_WAGE_2026_CENTS,
};

/** Instants close to Bogotá and UTC midnights, window edges and holidays, where a host-zone bug would show. */
const REQUESTS: GateRequest[] = [
  '2026-12-07T06:59:59-05:00',
  '2026-12-07T12:00:00Z',
  '2026-12-08T00:00:00Z',
  '2026-12-07T23:59:59+09:00',
  '2026-12-05T14:59:59-05:00',
  '2026-12-06T04:59:59Z',
  '2026-12-06T05:00:00Z',
  '2027-05-01T13:00:00Z',
  '2026-12-31T23:30:00-05:00',
].map((at) => ({
  at,
  channel: 'voice',
  party: 'debtor',
  authorized: true,
  history: [
    { at: '2026-12-03T04:30:00Z', channel: 'sms', kind: 'attempt' },
    { at: '2026-12-07T05:30:00Z', channel: 'voice', kind: 'two-way' },
  ],
}));

/** People abroad and schedule requests, where the person's zone must come from the request and never from the host. */
const ABROAD_REQUESTS: GateRequest[] = [
  ['2026-03-09T18:30:00-05:00', 'America/New_York'],
  ['2026-03-27T12:30:00-05:00', 'Europe/Madrid'],
  ['2026-03-30T12:30:00-05:00', 'Europe/Madrid'],
  ['2026-12-05T12:00:00-05:00', 'Pacific/Auckland'],
  ['2026-12-11T14:00:00-05:00', 'Asia/Tokyo'],
].map(([at, personTimeZone]) => ({
  at: at!,
  channel: 'voice',
  party: 'debtor',
  authorized: true,
  history: [],
  personTimeZone,
  scheduleRequest:
    personTimeZone === 'Asia/Tokyo'
      ? { window: [{ days: [5], from: '17:00', to: '24:00' }], requestedOn: '2026-01-10', contractSignedOn: '2025-01-10', evidence: 'SOL-9', consumerInitiated: true }
      : undefined,
}));

/** Evaluates every request in a fresh Node process whose TZ is `zone`, and reports what zone it really ran in. */
async function evaluateInZone(zone: string) {
  const script = `
    const { evaluateGate } = await import(${JSON.stringify(GATE_MODULE)});
    const { holidaysOf } = await import(${JSON.stringify(CALENDAR_MODULE)});
    const input = JSON.parse(process.env.GATE_INPUT);
    process.stdout.write(JSON.stringify({
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      offsetMinutes: new Date('2026-12-07T12:00:00Z').getTimezoneOffset(),
      localHour: new Date('2026-12-07T12:00:00Z').getHours(),
      decisions: input.requests.map((request) => evaluateGate(request, input.pack)),
      abroad: input.abroad.map((request) => evaluateGate(request, input.pack)),
      holidays: holidaysOf(2026),
    }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, TZ: zone, GATE_INPUT: JSON.stringify({ requests: REQUESTS, abroad: ABROAD_REQUESTS, pack: PACK }) },
  });
  return JSON.parse(stdout) as { zone: string; offsetMinutes: number; localHour: number; decisions: unknown[]; abroad: unknown[]; holidays: unknown[] };
}

describe('host time zone', () => {
  it.each([
    ['UTC', 0, 12],
    ['Asia/Tokyo', -540, 21],
    ['America/Bogota', 300, 7],
    ['Pacific/Kiritimati', -840, 2],
  ])('gives the same decisions under TZ=%s', async (zone, offsetMinutes, localHour) => {
    const result = await evaluateInZone(zone);

    // The child really ran in that zone…
    expect(result.zone).toBe(zone);
    expect(result.offsetMinutes).toBe(offsetMinutes);
    expect(result.localHour).toBe(localHour);

    // …and decided exactly as this process does.
    expect(result.decisions).toEqual(REQUESTS.map((request) => evaluateGate(request, PACK)));
    expect(result.abroad).toEqual(ABROAD_REQUESTS.map((request) => evaluateGate(request, PACK)));
    expect(result.holidays).toEqual(holidaysOf(2026));
  });

  it('decides the edge cases as expected', () => {
    const summary = REQUESTS.map((request) => {
      const decision = evaluateGate(request, PACK);
      return [decision.evaluatedAt, decision.rules.join(','), decision.nextAllowedAt];
    });

    // The SMS at 23:30 on 2 December (Bogotá) locks other channels until 9 December 23:30; the voice
    // contact at 00:30 on 7 December uses up that day, and 8 December is a holiday.
    expect(summary).toEqual([
      ['2026-12-07T06:59:59-05:00', 'R1,R5,R6', '2026-12-10T07:00:00-05:00'],
      ['2026-12-07T07:00:00-05:00', 'R5,R6', '2026-12-10T07:00:00-05:00'],
      ['2026-12-07T19:00:00-05:00', 'R1,R5,R6', '2026-12-10T07:00:00-05:00'],
      ['2026-12-07T09:59:59-05:00', 'R5,R6', '2026-12-10T07:00:00-05:00'],
      ['2026-12-05T14:59:59-05:00', 'R6', '2026-12-10T07:00:00-05:00'],
      ['2026-12-05T23:59:59-05:00', 'R2,R6', '2026-12-10T07:00:00-05:00'],
      ['2026-12-06T00:00:00-05:00', 'R3,R6', '2026-12-10T07:00:00-05:00'],
      ['2027-05-01T08:00:00-05:00', 'R4', '2027-05-03T07:00:00-05:00'],
      ['2026-12-31T23:30:00-05:00', 'R1', '2027-01-02T08:00:00-05:00'],
    ]);
  });

  it('decides the abroad cases as expected', () => {
    const summary = ABROAD_REQUESTS.map((request) => {
      const decision = evaluateGate(request, PACK);
      return [decision.rules.join(','), decision.nextAllowedAt];
    });

    // Tokyo's request allows Friday 17:00–24:00 in Bogotá, a Saturday in Tokyo and not a Sunday, so the
    // slot is the opening of that window.
    expect(summary).toEqual([
      ['R1', '2026-03-10T07:00:00-05:00'],
      ['', '2026-03-27T12:30:00-05:00'],
      ['R1', '2026-03-31T07:00:00-05:00'],
      ['R3', '2026-12-07T13:00:00-05:00'],
      ['R9', '2026-12-11T17:00:00-05:00'],
    ]);
  });
});
