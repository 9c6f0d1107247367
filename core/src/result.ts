/**
 * Results that cross a process boundary (IPC, the browser-mode bridge, socket acknowledgements)
 * travel as envelopes, so that no handler throws across processes and the receiver can tell an
 * expected refusal from a bug.
 */
import { z } from 'zod';

/**
 * Expected errors the agent sees, apart from `internal`, which is a bug: its message is generic and
 * the detail stays in the main-process log.
 */
export const ERROR_CODES = [
  'invalid-input',
  'not-authenticated',
  'forbidden',
  'not-found',
  'wrap-up-pending',
  'blocked-by-law',
  'offline',
  'conflict',
  'internal',
] as const;
export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const appErrorSchema = z.object({
  code: errorCodeSchema,
  /** Spanish (es-CO) text fit for the agent's screen. */
  message: z.string(),
  /** Field-level problems for forms, keyed by field name. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type AppErrorShape = z.infer<typeof appErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape };

/** An expected failure with a message for the agent; thrown inside a process, sent as an envelope across it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fields = fields;
  }

  toShape(): AppErrorShape {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

export const INTERNAL_ERROR_MESSAGE = 'Ocurrió un error inesperado. Intente de nuevo; si persiste, avise a soporte.';

/** Turns anything thrown into a safe envelope: AppErrors keep their message, bugs get a generic one. */
export function toErrorShape(error: unknown): AppErrorShape {
  if (error instanceof AppError) return error.toShape();
  return { code: 'internal', message: INTERNAL_ERROR_MESSAGE };
}

/** Compile-time guard for exhaustive switches: a new union member without a case fails the type check. */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
