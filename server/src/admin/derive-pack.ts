/**
 * The command line's calendar corrections: each derives the next pack from the one in force, so an
 * administrator can block a date or fix a holiday without writing the pack by hand.
 */
import { computedHolidayNames } from '@gestiona/core/compliance/calendar';
import { parseIsoDate } from '@gestiona/core/compliance/civil-date';
import type { RulePack } from '@gestiona/core/compliance/types';
import { AppError } from '@gestiona/core/result';
import { formatDayLabel } from './pack-text.ts';

/** Parses `dd/mm/aaaa` or `AAAA-MM-DD` to `AAAA-MM-DD`; null when the text is neither or the day does not exist. */
export function parseDateArgument(text: string): string | null {
  const display = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  const iso = display ? `${display[3]}-${display[2]}-${display[1]}` : text.trim();
  return parseIsoDate(iso) === null ? null : iso;
}

/**
 * Returns the next version in the `AAAA.N` scheme: `2026.1` → `2026.2` within the same year, and
 * `2027.1` for the first pack of a later year (the year of `today`, a Bogotá date). Versions in
 * `used` are skipped, so a version is never given twice. Returns null for a version in another form.
 */
export function nextRulePackVersion(current: string, used: ReadonlySet<string>, today: string): string | null {
  const match = /^(\d{4})\.(\d+)$/.exec(current);
  if (!match) return null;

  const packYear = Number(match[1]);
  const thisYear = Number(today.slice(0, 4));
  let year = packYear;
  let number = Number(match[2]) + 1;
  if (thisYear > packYear) {
    year = thisYear;
    number = 1;
  }
  while (used.has(`${year}.${number}`)) number += 1;
  return `${year}.${number}`;
}

function sorted(dates: readonly string[]): string[] {
  return [...dates].sort();
}

/** Adds an extra blocked date; null when the pack already blocks it. */
export function blockDate(pack: RulePack, date: string): RulePack | null {
  if (pack.extraBlockedDates.includes(date)) return null;
  return { ...pack, extraBlockedDates: sorted([...pack.extraBlockedDates, date]) };
}

/**
 * Makes a date a holiday: restores a computed holiday the pack suppresses, or adds a named one.
 * Returns null when it already is one; throws `invalid-input` for a computed holiday.
 */
export function addHoliday(pack: RulePack, date: string, name: string): RulePack | null {
  const corrections = pack.calendarCorrections;
  if (corrections.add.some((holiday) => holiday.date === date)) return null;
  if (corrections.remove.includes(date)) {
    return { ...pack, calendarCorrections: { ...corrections, remove: corrections.remove.filter((removed) => removed !== date) } };
  }

  const names = computedHolidayNames(parseIsoDate(date)!);
  if (names.length > 0) {
    throw new AppError('invalid-input', `El ${formatDayLabel(date)} ya es festivo (${names.join(', ')}): no hay nada que añadir.`);
  }
  const add = [...corrections.add, { date, name: name.trim() }].sort((left, right) => left.date.localeCompare(right.date));
  return { ...pack, calendarCorrections: { ...corrections, add } };
}

/**
 * Makes a date a working day again: drops a holiday the pack added, or suppresses a computed one.
 * Returns null when the pack already suppresses it; throws `invalid-input` when it is no holiday.
 */
export function removeHoliday(pack: RulePack, date: string): RulePack | null {
  const corrections = pack.calendarCorrections;
  if (corrections.add.some((holiday) => holiday.date === date)) {
    return { ...pack, calendarCorrections: { ...corrections, add: corrections.add.filter((holiday) => holiday.date !== date) } };
  }
  if (corrections.remove.includes(date)) return null;

  if (computedHolidayNames(parseIsoDate(date)!).length === 0) {
    const blocked = pack.extraBlockedDates.includes(date)
      ? ' Es una fecha bloqueada del paquete: para desbloquearla, publique un paquete sin ella (rule-pack show --json da el paquete vigente).'
      : '';
    throw new AppError('invalid-input', `El ${formatDayLabel(date)} no es festivo: no hay nada que quitar.${blocked}`);
  }
  return { ...pack, calendarCorrections: { ...corrections, remove: sorted([...corrections.remove, date]) } };
}
