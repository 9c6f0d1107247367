/**
 * Rule packs arrive from the central server (and from `resources/rule-pack.json` on a fresh install),
 * so they are parsed, never trusted. A bad pack is rejected whole: the caller keeps the pack it has.
 */
import type { z } from 'zod';
import { AppError } from '../result.ts';
import { rulePackSchema, type RulePack } from './types.ts';

type Issue = z.core.$ZodIssue;

/**
 * Parses and validates a rule pack. Throws an `AppError` with code `invalid-input` whose Spanish
 * message names every invalid field, e.g. `lastDialMarginMinutes debe ser como máximo 120 (valor
 * recibido: 500)`; `fields` maps each field path to its problem.
 */
export function parseRulePack(raw: unknown): RulePack {
  const result = rulePackSchema.safeParse(raw);
  if (result.success) return result.data;

  const fields: Record<string, string> = {};
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    const path = formatPath(issue.path);
    const received = valueAt(raw, issue.path);
    const problem = `${describeIssue(issue, received)}${describeReceived(received)}`;
    fields[path] ??= problem;
    problems.push(`${path} ${problem}`);
  }

  throw new AppError(
    'invalid-input',
    `Paquete de reglas inválido: ${problems.join('; ')}. Se conserva el paquete anterior; corrija el paquete en el servidor central y publíquelo de nuevo.`,
    fields,
  );
}

/** `['calendarCorrections', 'add', 0, 'date']` → `calendarCorrections.add[0].date`; the root is `paquete`. */
function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'paquete';

  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

function describeIssue(issue: Issue, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return received === undefined && issue.path.length > 0 ? 'falta (es obligatorio)' : `debe ser ${describeType(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string') return `debe tener al menos ${characters(issue.minimum)}`;
      return issue.inclusive === false ? `debe ser mayor que ${String(issue.minimum)}` : `debe ser como mínimo ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `debe tener como máximo ${characters(issue.maximum)}`;
      return issue.inclusive === false ? `debe ser menor que ${String(issue.maximum)}` : `debe ser como máximo ${String(issue.maximum)}`;
    case 'invalid_value':
      return `debe ser uno de: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'date' ? 'debe ser una fecha existente con formato AAAA-MM-DD' : `no tiene el formato esperado (${issue.format})`;
    default:
      return `no es válido (${issue.message})`;
  }
}

function characters(count: number | bigint): string {
  return `${String(count)} ${Number(count) === 1 ? 'carácter' : 'caracteres'}`;
}

/** Returns the Spanish name of the type a zod issue expected, e.g. `un número entero`. */
export function describeType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'un texto';
    case 'int':
      return 'un número entero';
    case 'number':
      return 'un número';
    case 'boolean':
      return 'true o false';
    case 'array':
      return 'una lista';
    case 'object':
      return 'un objeto';
    default:
      return expected;
  }
}

function describeReceived(value: unknown): string {
  const text = jsonText(value);
  if (text === undefined) return '';
  return ` (valor recibido: ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

/**
 * JSON text of a received value, or undefined when there is none to show. A BigInt or a cycle can
 * come only from a caller that built the pack in code, and must not turn the rejection into a crash.
 */
function jsonText(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
