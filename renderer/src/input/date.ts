/**
 * Parses the `dd/mm/aaaa` dates and `dd/mm/aaaa HH:mm` date-times agents type. Dates become
 * `YYYY-MM-DD`; date-times become ISO-8601 instants in Bogotá time, which has been UTC−5 all year
 * since 1993, so the offset is always `-05:00`.
 */
import type { ParseResult } from './amount.ts';

const DATE_PATTERN = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const DATE_TIME_PATTERN = /^(\d{1,2}\/\d{1,2}\/\d{4})\s+(\d{1,2}):(\d{2})$/;

export function parseDateInput(input: string): ParseResult<string> {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Escriba una fecha.' };

  const match = DATE_PATTERN.exec(text);
  if (!match) return { ok: false, message: `"${text}" no es una fecha válida. Escríbala como dd/mm/aaaa, por ejemplo 05/12/2026.` };

  const day = Number(match[1]);
  const month = Number(match[2]);
  const year = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: `La fecha ${text} no existe en el calendario.` };
  }

  return { ok: true, value: `${year}-${pad(month)}-${pad(day)}` };
}

export function parseDateTimeInput(input: string): ParseResult<string> {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Escriba una fecha y hora.' };

  const match = DATE_TIME_PATTERN.exec(text);
  if (!match) {
    return { ok: false, message: `"${text}" no es una fecha y hora válida. Escríbala como dd/mm/aaaa HH:mm, por ejemplo 05/12/2026 15:30.` };
  }

  const date = parseDateInput(match[1]!);
  if (!date.ok) return date;

  const hour = Number(match[2]);
  const minute = Number(match[3]);
  if (hour > 23 || minute > 59) return { ok: false, message: `La hora ${match[2]}:${match[3]} no existe. Use de 00:00 a 23:59.` };

  return { ok: true, value: `${date.value}T${pad(hour)}:${pad(minute)}:00-05:00` };
}

/** `2026-12-05` → `05/12/2026`, without time-zone conversion, for echoing a parsed date. */
export function formatDateInput(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function pad(value: number): string {
  return value.toString().padStart(2, '0');
}
