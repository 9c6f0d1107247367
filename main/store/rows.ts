/** Helpers for reading what we stored as JSON text without trusting it blindly. */
import type { z } from 'zod';

/** Parses a JSON column with its schema; a mismatch means the store is damaged, which is a bug. */
export function parseJsonColumn<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`Stored ${what} does not match its schema: ${parsed.error.message}`);
  return parsed.data;
}

export function epochMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Invalid ISO instant: ${iso}`);
  return ms;
}
