/**
 * Compile-time guard for exhaustive switches. Core has the same helper in `result.ts`, but that
 * module also defines zod schemas, and importing a value from it would bundle zod, whose
 * `new Function` probe a strict CSP reports as a violation. The renderer imports only types from
 * modules that use zod.
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
