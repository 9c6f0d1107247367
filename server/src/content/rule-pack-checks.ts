/**
 * Checks of a rule pack's calendar dates beyond its schema. A pack that removes a day that is no
 * holiday, or adds one that already is, was most likely written for another date, and publishing it
 * would leave the intended day open to contacts.
 */
import { computedHolidayNames, FIRST_CALENDAR_YEAR } from '@gestiona/core/compliance/calendar';
import { civilFromDayNumber, formatDisplayDate, parseIsoDate } from '@gestiona/core/compliance/civil-date';
import type { RulePack } from '@gestiona/core/compliance/types';

/** Last year the gate evaluates (see `evaluateGate`), so a later date could never block anything. */
export const LAST_CALENDAR_YEAR = 9997;

/** Returns one Spanish problem per bad date, each starting with the field path; empty when every date is right. */
export function checkRulePackDates(pack: RulePack): string[] {
  const problems: string[] = [];
  const removed = new Set(pack.calendarCorrections.remove);

  checkUnique(pack.extraBlockedDates, (index) => `extraBlockedDates[${index}]`, problems);
  pack.extraBlockedDates.forEach((date, index) => checkYear(date, `extraBlockedDates[${index}]`, problems));

  checkUnique(pack.calendarCorrections.remove, (index) => `calendarCorrections.remove[${index}]`, problems);
  pack.calendarCorrections.remove.forEach((date, index) => {
    const field = `calendarCorrections.remove[${index}]`;
    const dayNumber = checkYear(date, field, problems);
    if (dayNumber !== null && computedHolidayNames(dayNumber).length === 0) {
      problems.push(`${field}: el ${formatDisplayDate(dayNumber)} no es un festivo del calendario calculado, así que no hay nada que quitar. Revise la fecha.`);
    }
  });

  checkUnique(
    pack.calendarCorrections.add.map((holiday) => holiday.date),
    (index) => `calendarCorrections.add[${index}].date`,
    problems,
  );
  pack.calendarCorrections.add.forEach((holiday, index) => {
    const field = `calendarCorrections.add[${index}]`;
    if (holiday.name.trim() === '') problems.push(`${field}.name: el nombre del festivo está vacío. Escriba el nombre, p. ej. "Día de duelo nacional".`);
    const dayNumber = checkYear(holiday.date, `${field}.date`, problems);
    if (dayNumber === null || removed.has(holiday.date)) return;
    const names = computedHolidayNames(dayNumber);
    if (names.length > 0) {
      problems.push(`${field}.date: el ${formatDisplayDate(dayNumber)} ya es festivo (${names.join(', ')}). Quite la entrada o corrija la fecha.`);
    }
  });
  return problems;
}

/** Returns the day number, or null after recording why the date is outside the years the gate evaluates. */
function checkYear(date: string, field: string, problems: string[]): number | null {
  const dayNumber = parseIsoDate(date);
  // The schema already rejected dates that do not exist; this only guards the call below.
  if (dayNumber === null) return null;
  const { year } = civilFromDayNumber(dayNumber);
  if (year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
    problems.push(`${field}: el ${formatDisplayDate(dayNumber)} está fuera de los años que evalúa el control (${FIRST_CALENDAR_YEAR} a ${LAST_CALENDAR_YEAR}).`);
    return null;
  }
  return dayNumber;
}

function checkUnique(dates: readonly string[], fieldOf: (index: number) => string, problems: string[]): void {
  const seen = new Map<string, number>();
  dates.forEach((date, index) => {
    const first = seen.get(date);
    if (first === undefined) seen.set(date, index);
    else problems.push(`${fieldOf(index)}: la fecha ${date} ya está en ${fieldOf(first)}. Quite la repetida.`);
  });
}
