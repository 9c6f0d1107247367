import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate.ts';
import { gateRequestSchema, type GateRequest, type RulePack, type ScheduleRequest } from './types.ts';

const PACK: RulePack = {
  version: 'test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 0,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: 175_090_500,
};

const SPAIN = ['Europe/Madrid', 'Atlantic/Canary', 'Africa/Ceuta'];
const UNITED_STATES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu'];

const EVENINGS: ScheduleRequest = {
  window: [{ days: [1, 2, 3, 4, 5], from: '19:00', to: '21:00' }],
  requestedOn: '2026-02-03',
  contractSignedOn: '2025-06-10',
  evidence: 'SOL-2026-0042',
  consumerInitiated: true,
};

const EVERY_HOUR: ScheduleRequest = { ...EVENINGS, window: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '00:00', to: '24:00' }] };

function request(at: string, zones: readonly string[], scheduleRequest?: ScheduleRequest): GateRequest {
  return { at, channel: 'voice', party: 'debtor', authorized: true, history: [], personTimeZones: [...zones], scheduleRequest };
}

interface Case {
  name: string;
  at: string;
  zones: readonly string[];
  scheduleRequest?: ScheduleRequest;
  rules: string[];
  nextAllowedAt: string;
}

const CASES: Case[] = [
  { name: 'Madrid in winter, 07:30 Bogotá is 13:30 there', at: '2026-12-09T07:30:00-05:00', zones: ['Europe/Madrid'], rules: [], nextAllowedAt: '2026-12-09T07:30:00-05:00' },
  { name: 'Madrid in winter, 16:00 Bogotá is 22:00 there', at: '2026-12-09T16:00:00-05:00', zones: ['Europe/Madrid'], rules: ['R1'], nextAllowedAt: '2026-12-10T07:00:00-05:00' },
  { name: 'Madrid before its spring change, 12:30 Bogotá is 18:30 there', at: '2026-03-27T12:30:00-05:00', zones: ['Europe/Madrid'], rules: [], nextAllowedAt: '2026-03-27T12:30:00-05:00' },
  { name: 'Madrid after its spring change, 12:30 Bogotá is 19:30 there', at: '2026-03-30T12:30:00-05:00', zones: ['Europe/Madrid'], rules: ['R1'], nextAllowedAt: '2026-03-31T07:00:00-05:00' },
  { name: 'Madrid in summer closes at 12:00 Bogotá', at: '2026-07-08T12:00:00-05:00', zones: ['Europe/Madrid'], rules: ['R1'], nextAllowedAt: '2026-07-09T07:00:00-05:00' },
  { name: 'New York before its spring change, 18:30 Bogotá is 18:30 there', at: '2026-03-06T18:30:00-05:00', zones: ['America/New_York'], rules: [], nextAllowedAt: '2026-03-06T18:30:00-05:00' },
  { name: 'New York after its spring change, 18:30 Bogotá is 19:30 there', at: '2026-03-09T18:30:00-05:00', zones: ['America/New_York'], rules: ['R1'], nextAllowedAt: '2026-03-10T07:00:00-05:00' },
  { name: 'New York after its autumn change, 18:30 Bogotá is 18:30 there again', at: '2026-11-04T18:30:00-05:00', zones: ['America/New_York'], rules: [], nextAllowedAt: '2026-11-04T18:30:00-05:00' },
  { name: 'Spain: Madrid closes before the Canary Islands', at: '2026-12-09T13:30:00-05:00', zones: SPAIN, rules: ['R1'], nextAllowedAt: '2026-12-10T07:00:00-05:00' },
  { name: 'Spain: 07:30 Bogotá is inside every zone', at: '2026-12-09T07:30:00-05:00', zones: SPAIN, rules: [], nextAllowedAt: '2026-12-09T07:30:00-05:00' },
  { name: 'United States: 09:00 Bogotá is 04:00 in Honolulu', at: '2026-12-09T09:00:00-05:00', zones: UNITED_STATES, rules: ['R1'], nextAllowedAt: '2026-12-09T12:00:00-05:00' },
  { name: 'United States: 12:00 Bogotá opens in Honolulu, 08:00 in Anchorage', at: '2026-12-09T12:00:00-05:00', zones: UNITED_STATES, rules: [], nextAllowedAt: '2026-12-09T12:00:00-05:00' },
  { name: 'R9 evenings: 20:00 Bogotá in Colombia', at: '2026-12-09T20:00:00-05:00', zones: [], scheduleRequest: EVENINGS, rules: [], nextAllowedAt: '2026-12-09T20:00:00-05:00' },
  { name: 'R9 evenings: 10:00 Bogotá is outside the requested hours', at: '2026-12-09T10:00:00-05:00', zones: [], scheduleRequest: EVENINGS, rules: ['R9'], nextAllowedAt: '2026-12-09T19:00:00-05:00' },
  { name: 'R9 covering Sundays: a Sunday stays blocked', at: '2026-12-13T10:00:00-05:00', zones: [], scheduleRequest: EVERY_HOUR, rules: ['R3'], nextAllowedAt: '2026-12-14T00:00:00-05:00' },
  { name: 'R9 covering every day: a holiday stays blocked', at: '2026-12-08T10:00:00-05:00', zones: [], scheduleRequest: EVERY_HOUR, rules: ['R4'], nextAllowedAt: '2026-12-09T00:00:00-05:00' },
  { name: 'R9 in Madrid: Saturday 20:00 Bogotá is Sunday 02:00 there', at: '2026-12-12T20:00:00-05:00', zones: ['Europe/Madrid'], scheduleRequest: EVERY_HOUR, rules: ['R3'], nextAllowedAt: '2026-12-14T00:00:00-05:00' },
];

describe('person time zones and schedule requests', () => {
  it.each(CASES)('$name', ({ at, zones, scheduleRequest, rules, nextAllowedAt }) => {
    const decision = evaluateGate(request(at, zones, scheduleRequest), PACK);
    expect(decision.rules).toEqual(rules);
    expect(decision.allowed).toBe(rules.length === 0);
    expect(decision.nextAllowedAt).toBe(nextAllowedAt);
  });

  it('decides the same for a zone given in either field', () => {
    for (const { at, zones } of CASES.filter((candidate) => candidate.zones.length === 1)) {
      const single = evaluateGate({ ...request(at, []), personTimeZone: zones[0] }, PACK);
      expect(evaluateGate(request(at, zones), PACK)).toEqual(single);
    }
  });

  it('ignores America/Bogota and repeated zones', () => {
    const at = '2026-12-09T16:00:00-05:00';
    const plain = evaluateGate(request(at, ['Europe/Madrid']), PACK);
    expect(evaluateGate(request(at, ['America/Bogota', 'Europe/Madrid', 'europe/madrid']), PACK)).toEqual(plain);
  });

  it('names the first listed zone that blocks', () => {
    const decision = evaluateGate(request('2026-12-09T09:00:00-05:00', UNITED_STATES), PACK);
    expect(decision.reasons.map((reason) => reason.message)).toEqual([expect.stringContaining('America/Los_Angeles, miércoles 06:00')]);
  });

  it('still parses requests written before the list of zones existed', () => {
    expect(gateRequestSchema.parse({ at: '2026-12-09T16:00:00-05:00', channel: 'voice', party: 'debtor', authorized: true, history: [], personTimeZone: 'Europe/Madrid' })).not.toHaveProperty(
      'personTimeZones',
    );
    expect(gateRequestSchema.safeParse({ ...request('2026-12-09T16:00:00-05:00', ['Mars/Olympus_Mons']) }).success).toBe(false);
  });

  it('throws a RangeError naming an unknown zone in the list', () => {
    expect(() => evaluateGate(request('2026-12-09T10:00:00-05:00', ['Europe/Madrid', 'Mars/Olympus_Mons']), PACK)).toThrow(/"Mars\/Olympus_Mons"/);
  });
});
