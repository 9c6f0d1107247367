/**
 * Legal hours on the clock of a person who lives abroad. Under the gate's reading of Ley 2300, a
 * contact with such a person must fall inside the Bogotá window and also inside the windows of R1–R3
 * applied to the person's own wall clock and calendar day:
 *
 * - Monday to Friday on the person's local day: 07:00 up to but not including 19:00 local time.
 * - Saturday on the person's local day: 08:00 up to but not including 15:00 local time.
 * - Sunday on the person's local day: no contact.
 *
 * Colombian holidays (R4) are checked on the Bogotá date only, because the gate has no holiday
 * calendar for other countries. When a valid R9 schedule request replaces R1–R2, only the local
 * Sunday stays blocked here.
 *
 * Offsets come from luxon's `IANAZone`, which reads the platform's ICU time zone data, so daylight
 * saving time follows the IANA rules (Madrid, New York, Santiago …) without a table of our own.
 */
import { IANAZone } from 'luxon';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, bogotaDayStart } from './bogota-time.ts';
import { weekdayOf, type IsoWeekday } from './civil-date.ts';

export const BOGOTA_ZONE_NAME = 'America/Bogota';

/** Rule that closes a local range: the weekday or Saturday hours, or the start of a local Sunday. */
export type LocalRule = 'R1' | 'R2' | 'R3';

/** A span of instants (epoch milliseconds, end exclusive) in which the person's local rules allow a contact. */
export interface LocalRange {
  startMs: number;
  endMs: number;
  /** Rule whose limit ends the range. */
  closingRule: LocalRule;
}

/** The person's wall clock at one instant. */
export interface LocalClock {
  /** Local calendar day as a day number (days since 1970-01-01). */
  dayNumber: number;
  weekday: IsoWeekday;
  /** Milliseconds since local midnight on the wall clock. */
  msOfDay: number;
}

/** Local hours of R1 and R2, as wall-clock milliseconds after local midnight. */
const LOCAL_WEEKDAY_HOURS = { rule: 'R1', opensAtMs: 7 * MS_PER_HOUR, closesAtMs: 19 * MS_PER_HOUR } as const;
const LOCAL_SATURDAY_HOURS = { rule: 'R2', opensAtMs: 8 * MS_PER_HOUR, closesAtMs: 15 * MS_PER_HOUR } as const;

export function localHoursOf(weekday: IsoWeekday): typeof LOCAL_WEEKDAY_HOURS | typeof LOCAL_SATURDAY_HOURS | null {
  if (weekday === 7) return null;
  return weekday === 6 ? LOCAL_SATURDAY_HOURS : LOCAL_WEEKDAY_HOURS;
}

/** A person's time zone, resolved once per name. */
export interface PersonZone {
  /** Canonical IANA name, e.g. `Europe/Madrid` for `europe/madrid`. */
  name: string;
  zone: IANAZone;
}

const resolvedZones = new Map<string, PersonZone | null>();

/**
 * Resolves `personTimeZone` of a request. Returns null when the zone is America/Bogota, where the
 * Bogotá rules already apply. Throws a RangeError naming the value when it is not an IANA zone name.
 */
export function resolvePersonZone(name: string): PersonZone | null {
  const cached = resolvedZones.get(name);
  if (cached !== undefined) return cached;

  if (!IANAZone.isValidZone(name)) {
    throw new RangeError(`evaluateGate: personTimeZone is "${name}", not an IANA time zone name such as "Europe/Madrid"`);
  }
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  const resolved = canonical === BOGOTA_ZONE_NAME ? null : { name: canonical, zone: IANAZone.create(canonical) };
  if (resolvedZones.size >= MAX_CACHED_ZONES) resolvedZones.clear();
  resolvedZones.set(name, resolved);
  return resolved;
}

const MAX_CACHED_ZONES = 1_000;

/**
 * Resolves every zone of a request (`personTimeZone` and `personTimeZones`) once each, in the order
 * given, without America/Bogota and without repeats of one canonical zone. Throws like
 * {@link resolvePersonZone} on a name that is not an IANA zone.
 */
export function resolvePersonZones(names: readonly string[]): PersonZone[] {
  const zones: PersonZone[] = [];
  for (const name of names) {
    const zone = resolvePersonZone(name);
    if (zone !== null && !zones.some((known) => known.name === zone.name)) zones.push(zone);
  }
  return zones;
}

export function localClockAt(person: PersonZone, epochMs: number): LocalClock {
  const wallMs = wallClockOf(person.zone, epochMs);
  const dayNumber = Math.floor(wallMs / MS_PER_DAY);
  return { dayNumber, weekday: weekdayOf(dayNumber), msOfDay: wallMs - dayNumber * MS_PER_DAY };
}

/**
 * Lists, sorted and merged, the spans of one Bogotá day in which the person's local rules allow a
 * contact. `legalHours` false means a valid R9 request replaced R1–R2, so every local day but Sunday
 * is allowed whole. Memoised, because every evaluation for a person abroad reads its day.
 */
export function localRangesOnBogotaDay(person: PersonZone, bogotaDayNumber: number, legalHours: boolean): readonly LocalRange[] {
  const key = `${person.name}|${legalHours ? 'legal' : 'requested'}|${bogotaDayNumber}`;
  const cached = bogotaDayRanges.get(key);
  if (cached !== undefined) return cached;

  const dayStartMs = bogotaDayStart(bogotaDayNumber);
  const ranges = Object.freeze(localRangesBetween(person, dayStartMs, dayStartMs + MS_PER_DAY, legalHours));
  if (bogotaDayRanges.size >= MAX_CACHED_RANGES) bogotaDayRanges.clear();
  bogotaDayRanges.set(key, ranges);
  return ranges;
}

const bogotaDayRanges = new Map<string, readonly LocalRange[]>();

/** Lists, sorted and merged, the spans of [fromMs, toMs) in which the person's local rules allow a contact. */
function localRangesBetween(person: PersonZone, fromMs: number, toMs: number, legalHours: boolean): LocalRange[] {
  // One local day before and after covers every offset a zone can have against the instants given.
  const firstDay = Math.floor(wallClockOf(person.zone, fromMs) / MS_PER_DAY) - 1;
  const lastDay = Math.floor(wallClockOf(person.zone, toMs) / MS_PER_DAY) + 1;

  const ranges: LocalRange[] = [];
  for (let dayNumber = firstDay; dayNumber <= lastDay; dayNumber += 1) {
    const range = localRangeOf(person, dayNumber, legalHours);
    if (range === null || range.endMs <= fromMs || range.startMs >= toMs) continue;

    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.endMs >= range.startMs) {
      ranges[ranges.length - 1] = { startMs: last.startMs, endMs: range.endMs, closingRule: range.closingRule };
    } else {
      ranges.push(range);
    }
  }
  return ranges;
}

const localRanges = new Map<string, LocalRange | null>();

/** Bounds each memo on a long-running server; refilling it costs a few offset look-ups per day. */
const MAX_CACHED_RANGES = 50_000;

/** Returns the allowed span of one local day, memoised because the next-slot search reads the same days repeatedly. */
function localRangeOf(person: PersonZone, dayNumber: number, legalHours: boolean): LocalRange | null {
  const key = `${person.name}|${legalHours ? 'legal' : 'requested'}|${dayNumber}`;
  const cached = localRanges.get(key);
  if (cached !== undefined) return cached;

  const range = computeLocalRange(person, dayNumber, legalHours);
  if (localRanges.size >= MAX_CACHED_RANGES) localRanges.clear();
  localRanges.set(key, range);
  return range;
}

function computeLocalRange(person: PersonZone, dayNumber: number, legalHours: boolean): LocalRange | null {
  const weekday = weekdayOf(dayNumber);
  const hours = localHoursOf(weekday);
  if (hours === null) return null;

  const dayStartWall = dayNumber * MS_PER_DAY;
  if (!legalHours) {
    return {
      startMs: firstInstantAtOrAfterWall(person.zone, dayStartWall),
      endMs: firstInstantAtOrAfterWall(person.zone, dayStartWall + MS_PER_DAY),
      closingRule: 'R3',
    };
  }
  return {
    startMs: firstInstantAtOrAfterWall(person.zone, dayStartWall + hours.opensAtMs),
    endMs: firstInstantAtOrAfterWall(person.zone, dayStartWall + hours.closesAtMs),
    closingRule: hours.rule,
  };
}

/** Wall-clock time of the zone at an instant, as milliseconds since 1970-01-01T00:00 on that wall clock. */
function wallClockOf(zone: IANAZone, epochMs: number): number {
  return epochMs + zone.offset(epochMs) * MS_PER_MINUTE;
}

/** Distance on each side of a wall time at which the offset is probed. Real transitions are months apart, so at most one falls inside. */
const OFFSET_PROBE_MS = 3 * MS_PER_HOUR;

/**
 * Returns the earliest instant at which the zone's wall clock reads `wallMs` or later. A wall time
 * that occurs twice (when clocks go back) gives its first occurrence, and a wall time skipped when
 * clocks go forward gives the instant of the change.
 */
function firstInstantAtOrAfterWall(zone: IANAZone, wallMs: number): number {
  const guessOffset = zone.offset(wallMs) * MS_PER_MINUTE;
  const earlierOffset = zone.offset(wallMs - guessOffset - OFFSET_PROBE_MS) * MS_PER_MINUTE;
  const laterOffset = zone.offset(wallMs - guessOffset + OFFSET_PROBE_MS) * MS_PER_MINUTE;

  // An instant `wallMs - offset` reads `wallMs` exactly when the zone has that offset at that instant.
  const candidates = [wallMs - earlierOffset, wallMs - laterOffset].filter((epochMs) => wallClockOf(zone, epochMs) === wallMs);
  if (candidates.length > 0) return Math.min(...candidates);

  // The wall time falls in a gap: find the instant of the change between the two offsets.
  let before = wallMs - laterOffset;
  let after = wallMs - earlierOffset;
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClockOf(zone, middle) >= wallMs) after = middle;
    else before = middle;
  }
  return after;
}
