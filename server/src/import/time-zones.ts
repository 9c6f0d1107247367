/**
 * Where a person or a phone number is, as IANA time zones: from an explicit zone, a country of
 * residence, or the country code of a foreign number. Country data comes from
 * `countries-and-timezones` and number data from `libphonenumber-js`, both maintained from the IANA
 * and ITU sources, so no table of our own goes stale.
 *
 * A country that spans several zones gives all of them (the United States, Mexico, Spain with the
 * Canary Islands). The file does not tell in which of them the person is, so the gate then requires
 * the legal hours in every one. The country's main zone comes first, because a block message names
 * the first zone that blocks.
 */
import { getAllCountries, getCountry } from 'countries-and-timezones';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { IANAZone } from 'luxon';
import { foldText } from './text.ts';

export const COLOMBIA = 'CO';
const BOGOTA = 'America/Bogota';

/**
 * The zone most of the country's people live in (the capital's, for all of these), for countries whose
 * first zone in `countries-and-timezones` is another one. That list is alphabetical, so it puts Ceuta
 * before Madrid and Adak (Aleutian Islands) before New York, and a block message for a debtor in Madrid
 * would name Ceuta. Countries missing here keep the library's first zone, which is already the main one
 * for most of them (Ecuador, Argentina, China, Indonesia, Germany, New Zealand…).
 */
const MAIN_ZONES: Readonly<Record<string, string>> = {
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CL: 'America/Santiago',
  CY: 'Asia/Nicosia',
  ES: 'Europe/Madrid',
  GL: 'America/Nuuk',
  KI: 'Pacific/Tarawa',
  MX: 'America/Mexico_City',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
};

/**
 * Returns the zones of a country (ISO alpha-2) other than Bogotá, the main zone first (see
 * {@link mainZoneOfCountry}), so none for Colombia or an unknown code.
 */
export function zonesOfCountry(country: string): string[] {
  if (country === COLOMBIA) return [];
  const zones: string[] = (getCountry(country)?.timezones ?? []).filter((zone) => zone !== BOGOTA && IANAZone.isValidZone(zone));
  const main = MAIN_ZONES[country];
  if (main === undefined || !zones.includes(main)) return zones;
  return [main, ...zones.filter((zone) => zone !== main)];
}

/** Returns the zone most of a country's people live in, or null for Colombia or an unknown code. */
export function mainZoneOfCountry(country: string): string | null {
  return zonesOfCountry(country)[0] ?? null;
}

/**
 * Returns the canonical IANA name of a zone as written in a file (`europe/madrid` → `Europe/Madrid`),
 * or null when the platform's ICU data does not contain it.
 */
export function canonicalZone(name: string): string | null {
  const text = name.trim();
  if (text === '' || !IANAZone.isValidZone(text)) return null;
  return new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone;
}

/** Returns the country of an E.164 number other than a Colombian one, or null. */
export function foreignPhoneCountry(e164: string): string | null {
  if (!e164.startsWith('+') || e164.startsWith('+57')) return null;
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/**
 * Returns a person's zones: the explicit zone when the file gives one, otherwise every zone of the
 * country of residence. The list is empty for a person in Colombia.
 */
export function personZones(timeZone: string | null, residenceCountry: string | null): string[] {
  if (timeZone !== null) return timeZone === BOGOTA ? [] : [timeZone];
  return residenceCountry === null ? [] : zonesOfCountry(residenceCountry);
}

let countryNames: Map<string, string> | null = null;

/** Country code from a cell: the ISO alpha-2 code, or the country's name in Spanish or English, without regard to case or accents. */
export function countryFromText(text: string): string | null {
  const folded = foldText(text).replace(/\./g, '').trim();
  if (/^[a-z]{2}$/.test(folded)) {
    const code = folded.toUpperCase();
    return getCountry(code) === null ? null : code;
  }
  countryNames ??= buildCountryNames();
  return countryNames.get(folded) ?? null;
}

function buildCountryNames(): Map<string, string> {
  const spanish = new Intl.DisplayNames(['es'], { type: 'region' });
  const names = new Map<string, string>();
  for (const country of Object.values(getAllCountries())) {
    names.set(foldText(country.name), country.id);
    const inSpanish = spanish.of(country.id);
    if (inSpanish !== undefined) names.set(foldText(inSpanish), country.id);
  }
  // Names people write that differ from the library's and from ICU's.
  for (const [name, code] of [
    ['estados unidos de america', 'US'],
    ['eeuu', 'US'],
    ['ee uu', 'US'],
    ['usa', 'US'],
    ['mejico', 'MX'],
    ['reino unido de gran bretana', 'GB'],
  ] as const) {
    names.set(name, code);
  }
  return names;
}

/** Returns the country's name in Spanish (`España`), or the code itself when ICU has no name for it. */
export function countryName(code: string): string {
  return new Intl.DisplayNames(['es'], { type: 'region' }).of(code) ?? code;
}
