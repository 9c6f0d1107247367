/**
 * Colombian public holidays (festivos), computed by rule for any year from 1984 on.
 *
 * - Ley 51 de 1983 ("Ley Emiliani", in force from 1984) keeps 1 Jan, 1 May, 20 Jul, 7 Aug, 8 Dec,
 *   25 Dec, Holy Thursday and Good Friday on their day.
 * - The same law moves 6 Jan, 19 Mar, 29 Jun, 15 Aug, 12 Oct, 1 Nov, 11 Nov, Ascension, Corpus Christi
 *   and Sacred Heart to the following Monday when they do not fall on a Monday.
 * - Ley 2578 de 2026 (1 June 2026), art. 6, adds 9 July, Día de Nuestra Señora del Rosario de
 *   Chiquinquirá, from 2026 on. It moves to Monday under Ley 51 de 1983 (13 July in 2026).
 *
 * Laws change, so a rule pack can correct the computed list (`calendarCorrections`) and block extra
 * dates (`extraBlockedDates`) without a new release.
 */
import type { RulePack } from './types.ts';
import {
  MAX_SUPPORTED_YEAR,
  dayNumberFromCivil,
  formatDayNumber,
  mondayOnOrAfter,
  parseIsoDate,
  civilFromDayNumber,
} from './civil-date.ts';

/** First year the Ley Emiliani rules apply; earlier years had other holidays and no Monday moves. */
export const FIRST_CALENDAR_YEAR = 1984;

const FIRST_GREGORIAN_YEAR = 1583;

export interface Holiday {
  /** `YYYY-MM-DD`, the day the holiday is observed (after any move to Monday). */
  date: string;
  /** Spanish name, e.g. "Día de la Independencia". */
  name: string;
}

export type CalendarCorrections = RulePack['calendarCorrections'];

type HolidayRule =
  | { kind: 'fixed'; month: number; day: number; name: string }
  | { kind: 'moved-to-monday'; month: number; day: number; name: string; fromYear?: number }
  | { kind: 'easter'; daysAfterEaster: number; name: string };

/**
 * In calendar order within a year, so that two holidays on one Monday keep a stable order. Easter
 * offsets are those of the observed day: Ascension (Thursday, Easter + 39), Corpus Christi (Thursday,
 * + 60) and Sacred Heart (Friday, + 68) always land on the Monday 4 or 3 days later.
 */
const HOLIDAY_RULES: readonly HolidayRule[] = [
  { kind: 'fixed', month: 1, day: 1, name: 'Año Nuevo' },
  { kind: 'moved-to-monday', month: 1, day: 6, name: 'Día de los Reyes Magos' },
  { kind: 'moved-to-monday', month: 3, day: 19, name: 'Día de San José' },
  { kind: 'easter', daysAfterEaster: -3, name: 'Jueves Santo' },
  { kind: 'easter', daysAfterEaster: -2, name: 'Viernes Santo' },
  { kind: 'fixed', month: 5, day: 1, name: 'Día del Trabajo' },
  { kind: 'easter', daysAfterEaster: 43, name: 'Ascensión del Señor' },
  { kind: 'easter', daysAfterEaster: 64, name: 'Corpus Christi' },
  { kind: 'easter', daysAfterEaster: 71, name: 'Sagrado Corazón de Jesús' },
  { kind: 'moved-to-monday', month: 6, day: 29, name: 'San Pedro y San Pablo' },
  { kind: 'moved-to-monday', month: 7, day: 9, name: 'Día de Nuestra Señora del Rosario de Chiquinquirá', fromYear: 2026 },
  { kind: 'fixed', month: 7, day: 20, name: 'Día de la Independencia' },
  { kind: 'fixed', month: 8, day: 7, name: 'Batalla de Boyacá' },
  { kind: 'moved-to-monday', month: 8, day: 15, name: 'Asunción de la Virgen' },
  { kind: 'moved-to-monday', month: 10, day: 12, name: 'Día de la Raza' },
  { kind: 'moved-to-monday', month: 11, day: 1, name: 'Día de Todos los Santos' },
  { kind: 'moved-to-monday', month: 11, day: 11, name: 'Independencia de Cartagena' },
  { kind: 'fixed', month: 12, day: 8, name: 'Día de la Inmaculada Concepción' },
  { kind: 'fixed', month: 12, day: 25, name: 'Navidad' },
];

interface ComputedYear {
  /** Sorted by date; frozen because every caller shares it. */
  holidays: readonly Holiday[];
  /** Names of the holidays observed on each day number. */
  namesByDay: ReadonlyMap<number, readonly string[]>;
}

const computedYears = new Map<number, ComputedYear>();

/**
 * Lists the holidays of a year, sorted by date; two holidays on one Monday are both listed
 * (30 Jun 2025). `corrections.remove` drops every computed holiday on a date, then
 * `corrections.add` adds its entries that fall in the year. Throws a RangeError for years the rules do
 * not cover.
 */
export function holidaysOf(year: number, corrections?: CalendarCorrections): Holiday[] {
  const computed = computedYear(year);
  if (!corrections || (corrections.add.length === 0 && corrections.remove.length === 0)) {
    return computed.holidays.map((holiday) => ({ ...holiday }));
  }

  const removed = new Set(corrections.remove);
  const prefix = `${String(year).padStart(4, '0')}-`;
  const corrected = computed.holidays.filter((holiday) => !removed.has(holiday.date)).map((holiday) => ({ ...holiday }));
  for (const added of corrections.add) {
    if (added.date.startsWith(prefix)) corrected.push({ date: added.date, name: added.name });
  }

  // A stable sort keeps computed holidays before added ones on the same date.
  return corrected.sort((left, right) => left.date.localeCompare(right.date));
}

/**
 * Tells whether contacts are blocked on a `YYYY-MM-DD` date as a holiday: a computed holiday not
 * removed by the pack, a holiday the pack adds, or one of the pack's extra blocked dates.
 */
export function isHoliday(date: string, pack?: RulePack): boolean {
  const dayNumber = parseIsoDate(date);
  if (dayNumber === null) throw new RangeError(`isHoliday: invalid date "${date}"; expected an existing date as YYYY-MM-DD`);
  if (!pack) return computedHolidayNames(dayNumber).length > 0;

  if (pack.extraBlockedDates.includes(date)) return true;
  if (pack.calendarCorrections.add.some((added) => added.date === date)) return true;
  return computedHolidayNames(dayNumber).length > 0 && !pack.calendarCorrections.remove.includes(date);
}

/** Gregorian Easter Sunday of a year from 1583 (the first full Gregorian year) to 9999, as `YYYY-MM-DD`. */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < FIRST_GREGORIAN_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw new RangeError(`easterSunday: year ${year} is not supported; use a whole year from ${FIRST_GREGORIAN_YEAR} to ${MAX_SUPPORTED_YEAR}`);
  }
  return formatDayNumber(easterDayNumber(year));
}

/** Names of the computed holidays observed on a day number, without any pack corrections. */
export function computedHolidayNames(dayNumber: number): readonly string[] {
  const { year } = civilFromDayNumber(dayNumber);
  return computedYear(year).namesByDay.get(dayNumber) ?? NO_NAMES;
}

const NO_NAMES: readonly string[] = Object.freeze([]);

function computedYear(year: number): ComputedYear {
  const cached = computedYears.get(year);
  if (cached) return cached;

  assertCalendarYear(year);
  const easter = easterDayNumber(year);
  const observed: { dayNumber: number; name: string }[] = [];
  for (const rule of HOLIDAY_RULES) {
    const dayNumber = observedDayNumber(rule, year, easter);
    if (dayNumber !== null) observed.push({ dayNumber, name: rule.name });
  }
  observed.sort((left, right) => left.dayNumber - right.dayNumber);

  const namesByDay = new Map<number, string[]>();
  for (const { dayNumber, name } of observed) {
    const names = namesByDay.get(dayNumber);
    if (names) names.push(name);
    else namesByDay.set(dayNumber, [name]);
  }

  const holidays = Object.freeze(observed.map(({ dayNumber, name }) => Object.freeze({ date: formatDayNumber(dayNumber), name })));
  const result: ComputedYear = { holidays, namesByDay };
  computedYears.set(year, result);
  return result;
}

function observedDayNumber(rule: HolidayRule, year: number, easter: number): number | null {
  switch (rule.kind) {
    case 'fixed':
      return dayNumberFromCivil(year, rule.month, rule.day);
    case 'moved-to-monday':
      if (rule.fromYear !== undefined && year < rule.fromYear) return null;
      return mondayOnOrAfter(dayNumberFromCivil(year, rule.month, rule.day));
    case 'easter':
      return easter + rule.daysAfterEaster;
  }
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterDayNumber(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberFromCivil(year, month, day);
}

function assertCalendarYear(year: number): void {
  if (!Number.isInteger(year) || year < FIRST_CALENDAR_YEAR || year > MAX_SUPPORTED_YEAR) {
    throw new RangeError(
      `holidaysOf: year ${year} is not supported; use a whole year from ${FIRST_CALENDAR_YEAR} (the first under Ley 51 de 1983) to ${MAX_SUPPORTED_YEAR}`,
    );
  }
}
