import { getCountry } from 'countries-and-timezones';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '@gestiona/core/compliance/gate';
import type { RulePack } from '@gestiona/core/compliance/types';
import { mainZoneOfCountry, personZones, zonesOfCountry } from './time-zones.ts';

const PACK: RulePack = {
  version: 'test',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 0,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: 175_090_500,
};

describe('zonesOfCountry', () => {
  it.each([
    { country: 'ES', main: 'Europe/Madrid', also: ['Atlantic/Canary', 'Africa/Ceuta'] },
    { country: 'US', main: 'America/New_York', also: ['America/Adak', 'America/Los_Angeles', 'Pacific/Honolulu'] },
    { country: 'MX', main: 'America/Mexico_City', also: ['America/Bahia_Banderas', 'America/Cancun', 'America/Tijuana'] },
  ])('puts $main first for $country', ({ country, main, also }) => {
    const zones = zonesOfCountry(country);
    expect(zones[0]).toBe(main);
    expect(mainZoneOfCountry(country)).toBe(main);
    for (const zone of also) expect(zones).toContain(zone);
  });

  it.each(['ES', 'US', 'MX', 'CA', 'BR', 'AU', 'RU', 'PT', 'CL'])('keeps every zone of %s once', (country) => {
    const zones = zonesOfCountry(country);
    expect(new Set(zones).size).toBe(zones.length);
    expect([...zones].sort()).toEqual([...getCountry(country)!.timezones].sort());
  });

  it('keeps the library order where it has no entry', () => {
    expect(zonesOfCountry('EC')).toEqual(['America/Guayaquil', 'Pacific/Galapagos']);
  });

  it('gives no zone for Colombia or an unknown code', () => {
    expect(zonesOfCountry('CO')).toEqual([]);
    expect(zonesOfCountry('XX')).toEqual([]);
    expect(mainZoneOfCountry('CO')).toBeNull();
  });

  it('lets an explicit zone win over the country', () => {
    expect(personZones('Atlantic/Canary', 'ES')).toEqual(['Atlantic/Canary']);
    expect(personZones(null, 'ES')[0]).toBe('Europe/Madrid');
  });
});

describe('block message for a country of residence', () => {
  const evaluate = (at: string, country: string) =>
    evaluateGate({ at, channel: 'voice', party: 'debtor', authorized: true, history: [], personTimeZones: personZones(null, country) }, PACK);

  it.each([
    // Monday 7 December 2026, 13:30 in Bogotá: 19:30 in Madrid and Ceuta, 18:30 in the Canary Islands.
    { country: 'ES', at: '2026-12-07T13:30:00-05:00', zone: 'Europe/Madrid', other: 'Africa/Ceuta' },
    // Wednesday 8 July 2026, 18:30 in Bogotá: 19:30 in New York and Detroit (daylight saving time), earlier further west.
    { country: 'US', at: '2026-07-08T18:30:00-05:00', zone: 'America/New_York', other: 'America/Detroit' },
    // 07:30 in Bogotá: 06:30 in Mexico City, Bahía de Banderas and Tijuana, 07:30 in Cancún.
    { country: 'MX', at: '2026-12-07T07:30:00-05:00', zone: 'America/Mexico_City', other: 'America/Bahia_Banderas' },
  ])('names $zone for $country', ({ country, at, zone, other }) => {
    const decision = evaluate(at, country);
    expect(decision.allowed).toBe(false);
    const reason = decision.reasons.find((candidate) => candidate.message.includes('hora local'));
    expect(reason?.message).toContain(zone);
    expect(reason?.message).not.toContain(other);
  });

  it('still checks the other zones of the country', () => {
    // Wednesday 8 July 2026, 11:30 in Bogotá: 12:30 in New York, 07:30 in Adak, but 06:30 in Honolulu.
    const decision = evaluate('2026-07-08T11:30:00-05:00', 'US');
    expect(decision.allowed).toBe(false);
    expect(decision.rules).toEqual(['R1']);
    expect(decision.reasons[0]?.message).toContain('Pacific/Honolulu');
  });
});
