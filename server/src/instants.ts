/**
 * Instants inside the server's database are UTC ISO strings with milliseconds
 * (`2026-12-04T20:03:00.000Z`), so that text comparison in SQL is time order. Instants that leave
 * the server (feed payloads, acknowledgements) are Bogotá ISO strings from `toBogotaIso`.
 */
import { AppError } from '@gestiona/core/result';

export function storedInstant(value: Date | string | number): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError('invalid-input', `Fecha y hora inválidas: "${String(value)}".`);
  return date.toISOString();
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * 24 * 60 * 60 * 1000);
}

export function addMilliseconds(instant: Date, milliseconds: number): Date {
  return new Date(instant.getTime() + milliseconds);
}
