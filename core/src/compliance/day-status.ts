/**
 * The calendar rules R1–R4 applied to one Bogotá day under one rule pack. A day is open with its
 * contact window, or closed because it is a Sunday, a holiday or a date the pack blocks.
 */
import { computedHolidayNames } from './calendar.ts';
import { parseIsoDate, weekdayOf } from './civil-date.ts';
import { MS_PER_HOUR } from './bogota-time.ts';
import type { RulePack } from './types.ts';

/** Hours in which a contact may start, as milliseconds after Bogotá midnight; the end is exclusive. */
export interface ContactWindow {
  rule: 'R1' | 'R2';
  opensAtMs: number;
  closesAtMs: number;
}

/** R1: Monday to Friday, not a holiday, 07:00:00 up to but not including 19:00:00. */
export const WEEKDAY_WINDOW: ContactWindow = Object.freeze({ rule: 'R1', opensAtMs: 7 * MS_PER_HOUR, closesAtMs: 19 * MS_PER_HOUR });

/** R2: Saturday, not a holiday, 08:00:00 up to but not including 15:00:00. */
export const SATURDAY_WINDOW: ContactWindow = Object.freeze({ rule: 'R2', opensAtMs: 8 * MS_PER_HOUR, closesAtMs: 15 * MS_PER_HOUR });

export type DayStatus =
  | { kind: 'open'; window: ContactWindow }
  | {
      kind: 'closed';
      /** R3 applies. */
      sunday: boolean;
      /** R4 applies when this is not empty or `extraBlocked` is set. */
      holidayNames: readonly string[];
      extraBlocked: boolean;
    };

export interface PackCalendar {
  dayStatus(dayNumber: number): DayStatus;
}

const packCalendars = new WeakMap<RulePack, PackCalendar>();

/**
 * Returns the calendar of a rule pack, built once per pack object: the gate calls this on every
 * evaluation, so the pack's dates are parsed once and day statuses are memoised per day.
 *
 * NOTE: the cache is keyed by object identity, so a pack must not be changed in place once used. A new
 * pack from the server arrives as a new object from `parseRulePack`, which is what keeps this safe.
 */
export function packCalendarOf(pack: RulePack): PackCalendar {
  const cached = packCalendars.get(pack);
  if (cached) return cached;

  const calendar = buildPackCalendar(pack);
  packCalendars.set(pack, calendar);
  return calendar;
}

function buildPackCalendar(pack: RulePack): PackCalendar {
  const extraBlocked = new Set(pack.extraBlockedDates.map((date, index) => packDay(date, `extraBlockedDates[${index}]`)));
  const removed = new Set(pack.calendarCorrections.remove.map((date, index) => packDay(date, `calendarCorrections.remove[${index}]`)));
  const added = new Map<number, string[]>();
  pack.calendarCorrections.add.forEach((holiday, index) => {
    const dayNumber = packDay(holiday.date, `calendarCorrections.add[${index}].date`);
    const names = added.get(dayNumber);
    if (names) names.push(holiday.name);
    else added.set(dayNumber, [holiday.name]);
  });

  const statuses = new Map<number, DayStatus>();
  return {
    dayStatus(dayNumber: number): DayStatus {
      const cached = statuses.get(dayNumber);
      if (cached) return cached;

      const computed = removed.has(dayNumber) ? [] : computedHolidayNames(dayNumber);
      const holidayNames = [...computed, ...(added.get(dayNumber) ?? [])];
      const status = statusOf(dayNumber, holidayNames, extraBlocked.has(dayNumber));
      statuses.set(dayNumber, status);
      return status;
    },
  };
}

function statusOf(dayNumber: number, holidayNames: readonly string[], extraBlocked: boolean): DayStatus {
  const weekday = weekdayOf(dayNumber);
  const sunday = weekday === 7;
  if (sunday || holidayNames.length > 0 || extraBlocked) return Object.freeze({ kind: 'closed', sunday, holidayNames, extraBlocked });
  return Object.freeze({ kind: 'open', window: weekday === 6 ? SATURDAY_WINDOW : WEEKDAY_WINDOW });
}

function packDay(date: string, field: string): number {
  const dayNumber = parseIsoDate(date);
  if (dayNumber === null) throw new RangeError(`rule pack: ${field} is "${date}", not an existing date as YYYY-MM-DD; parse the pack with parseRulePack first`);
  return dayNumber;
}
