/**
 * Calendar dates as day numbers: whole days since 1970-01-01 in the proleptic Gregorian calendar.
 * The gate compares and steps dates millions of times a second, so it works on these integers and
 * converts to `YYYY-MM-DD` only at the edges. The conversions are Howard Hinnant's
 * `days_from_civil` / `civil_from_days` algorithms.
 */

export const MIN_SUPPORTED_YEAR = 1;
export const MAX_SUPPORTED_YEAR = 9999;

/** Day of the week as ISO numbers it: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface CivilDate {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}

/** Converts a Gregorian year, month (1–12) and day (1–31) to a day number. Does not validate. */
export function dayNumberFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function civilFromDayNumber(dayNumber: number): CivilDate {
  const shifted = dayNumber + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function weekdayOf(dayNumber: number): IsoWeekday {
  // 1970-01-01 (day 0) was a Thursday, ISO weekday 4.
  const zeroBased = (((dayNumber + 3) % 7) + 7) % 7;
  return (zeroBased + 1) as IsoWeekday;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

export function isValidCivilDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= MIN_SUPPORTED_YEAR &&
    year <= MAX_SUPPORTED_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Returns the first Monday on or after `dayNumber`, which is the day itself when it is a Monday. */
export function mondayOnOrAfter(dayNumber: number): number {
  return dayNumber + ((8 - weekdayOf(dayNumber)) % 7);
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDayNumber(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Parses a `YYYY-MM-DD` date to its day number, or returns null when the text is not a real date. */
export function parseIsoDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;

  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (!isValidCivilDate(year, month, day)) return null;

  return dayNumberFromCivil(year, month, day);
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Formats a day number as the agent reads a date: `dd/mm/aaaa`. */
export function formatDisplayDate(dayNumber: number): string {
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)}`;
}
