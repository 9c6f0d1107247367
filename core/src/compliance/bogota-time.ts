/**
 * Instants for the gate: epoch milliseconds in, Bogotá calendar days and `-05:00` text out,
 * whatever the machine's `TZ`. Nothing here reads the host's time zone or uses `Date`'s local
 * getters, so the same request gives the same decision on every workstation and on the server.
 */
import { dayNumberFromCivil, daysInMonth, formatDayNumber, civilFromDayNumber, pad } from './civil-date.ts';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/**
 * America/Bogota is UTC−5 all year, because Colombia has kept no daylight saving time since the
 * 1992–1993 "hora Gaviria" ended. This constant is the only place the offset is written down. A test
 * checks it against the IANA zone for every month from 1994 to 2100. Instants before April 1993 would
 * map to the wrong Bogotá hour, which is harmless because contacts under Ley 2300 start in 2023.
 */
export const BOGOTA_UTC_OFFSET_MINUTES = -300;

const BOGOTA_OFFSET_MS = BOGOTA_UTC_OFFSET_MINUTES * MS_PER_MINUTE;
const BOGOTA_OFFSET_SUFFIX = formatOffset(BOGOTA_UTC_OFFSET_MINUTES);

/** Bogotá calendar day (day number) that contains the instant. */
export function bogotaDayOf(epochMs: number): number {
  return Math.floor((epochMs + BOGOTA_OFFSET_MS) / MS_PER_DAY);
}

/** Instant at which a Bogotá calendar day starts (00:00:00.000 local). */
export function bogotaDayStart(dayNumber: number): number {
  return dayNumber * MS_PER_DAY - BOGOTA_OFFSET_MS;
}

/**
 * Parses an ISO-8601 instant in the form the contracts accept (`YYYY-MM-DDTHH:MM:SS`, optional
 * fraction, then `Z` or `±HH:MM`) to epoch milliseconds. Returns NaN for anything else, including
 * dates that do not exist (`2026-02-30`), which `Date.parse` would silently roll over. Digits past the
 * millisecond are truncated.
 */
export function parseInstant(text: string): number {
  // Shortest valid form: 2026-01-01T00:00:00Z (20 characters).
  if (text.length < 20) return Number.NaN;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84) return Number.NaN;
  if (text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Number.NaN;

  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  const hour = readDigits(text, 11, 2);
  const minute = readDigits(text, 14, 2);
  const second = readDigits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;

  let position = 19;
  let millisecond = 0;
  if (text.charCodeAt(position) === 46) {
    position += 1;
    const fractionStart = position;
    let scale = 100;
    while (position < text.length && isDigit(text.charCodeAt(position))) {
      millisecond += (text.charCodeAt(position) - 48) * scale;
      scale /= 10;
      position += 1;
    }
    if (position === fractionStart) return Number.NaN;
    millisecond = Math.floor(millisecond);
  }

  const offsetMinutes = readOffset(text, position);
  if (Number.isNaN(offsetMinutes)) return Number.NaN;

  const dayNumber = dayNumberFromCivil(year, month, day);
  return dayNumber * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000 + millisecond - offsetMinutes * MS_PER_MINUTE;
}

/** Formats an instant as ISO-8601 in Bogotá time, e.g. `2026-12-07T07:00:00-05:00`; milliseconds only when not zero. */
export function formatBogotaInstant(epochMs: number): string {
  const local = epochMs + BOGOTA_OFFSET_MS;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - dayNumber * MS_PER_DAY;
  const millisecond = msOfDay % 1000;
  const fraction = millisecond === 0 ? '' : `.${pad(millisecond, 3)}`;
  return `${formatDayNumber(dayNumber)}T${formatTimeOfDay(msOfDay)}${fraction}${BOGOTA_OFFSET_SUFFIX}`;
}

/** Formats an instant as the agent reads it: `07/12/2026 07:00` in Bogotá. */
export function formatBogotaDateTime(epochMs: number): string {
  const local = epochMs + BOGOTA_OFFSET_MS;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - dayNumber * MS_PER_DAY;
  const { year, month, day } = civilFromDayNumber(dayNumber);
  return `${pad(day, 2)}/${pad(month, 2)}/${pad(year, 4)} ${formatTimeOfDay(msOfDay).slice(0, 5)}`;
}

/** Formats a Bogotá time of day given in milliseconds since midnight as `HH:MM`. */
export function formatClock(msOfDay: number): string {
  return formatTimeOfDay(msOfDay).slice(0, 5);
}

function formatTimeOfDay(msOfDay: number): string {
  const totalSeconds = Math.floor(msOfDay / 1000);
  const hour = Math.floor(totalSeconds / 3600);
  const minute = Math.floor((totalSeconds % 3600) / 60);
  const second = totalSeconds % 60;
  return `${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}`;
}

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`;
}

/** Reads `Z` or `±HH:MM` ending the text at `position`; returns the offset in minutes east of UTC, or NaN. */
function readOffset(text: string, position: number): number {
  const remaining = text.length - position;
  const first = text.charCodeAt(position);
  if (remaining === 1 && first === 90) return 0;
  if (remaining !== 6 || (first !== 43 && first !== 45) || text.charCodeAt(position + 3) !== 58) return Number.NaN;

  const hours = readDigits(text, position + 1, 2);
  const minutes = readDigits(text, position + 4, 2);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Number.NaN;

  const magnitude = hours * 60 + minutes;
  return first === 45 ? -magnitude : magnitude;
}

/** Reads `count` ASCII digits at `start` as a number, or returns -1 when any of them is not a digit. */
function readDigits(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const code = text.charCodeAt(index);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
