/**
 * Spanish sentences for the validation problems of a request read by the compliance command line.
 * Zod's Spanish locale puts the adjective first ("Inválido fecha y hora ISO") and names neither the
 * value nor an example, so every issue code is worded here: the field, what it must be, an example
 * where the form is not obvious, and the value received.
 */
import type { z } from 'zod';
import { describeType } from './rule-pack.ts';

/** The example instant shown for every date-time field: Bogotá keeps UTC-05:00 all year. */
export const INSTANT_EXAMPLE = '2026-12-06T10:00:00-05:00';
const DATE_EXAMPLE = '2026-12-07';
const MAX_RECEIVED_LENGTH = 60;

/** Formats every issue as one sentence naming its field and the value received, in the order zod reports them. */
export function describeRequestIssues(raw: unknown, issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => describeRequestIssue(raw, issue)).join(' ');
}

/** One sentence, e.g. `El campo "at" debe ser un instante ISO 8601 con zona horaria, p. ej. … (recibido "…").` */
export function describeRequestIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'La solicitud' : `El campo "${issue.path.map(String).join('.')}"`;
  const received = valueAt(raw, issue.path);
  return `${field} ${requirement(issue, received)}${describeReceived(issue, received)}.`;
}

function requirement(issue: z.core.$ZodIssue, received: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (received === undefined && issue.path.length > 0) return 'falta y es obligatorio';
      return `debe ser ${describeType(issue.expected)}`;
    case 'invalid_format':
      return formatRequirement(issue);
    case 'invalid_value': {
      const allowed = issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `uno de: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
      // Zod reports a missing enum field as an invalid value, not as a missing one.
      return received === undefined && issue.path.length > 0 ? `falta y es obligatorio; debe ser ${allowed}` : `debe ser ${allowed}`;
    }
    case 'too_small':
      return sizeRequirement('al menos', issue.origin, issue.minimum, issue.inclusive !== false, 'mayor que');
    case 'too_big':
      return sizeRequirement('como máximo', issue.origin, issue.maximum, issue.inclusive !== false, 'menor que');
    case 'not_multiple_of':
      return `debe ser múltiplo de ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `tiene ${issue.keys.length === 1 ? 'un campo que no se reconoce' : 'campos que no se reconocen'}: ${issue.keys.map((key) => `"${key}"`).join(', ')}; quítelos o revise cómo se escriben en la ayuda (--help)`;
    case 'invalid_union':
      return 'no tiene ninguna de las formas que describe la ayuda (--help)';
    case 'invalid_key':
    case 'invalid_element':
      return 'contiene un valor no válido; revise su forma en la ayuda (--help)';
    case 'custom':
      return schemaMessage(issue.message);
  }
}

function formatRequirement(issue: z.core.$ZodIssueInvalidStringFormat): string {
  switch (issue.format) {
    case 'datetime':
      return `debe ser un instante ISO 8601 con zona horaria, p. ej. ${INSTANT_EXAMPLE}`;
    case 'date':
      return `debe ser una fecha existente con la forma AAAA-MM-DD, p. ej. ${DATE_EXAMPLE}`;
    case 'time':
      return 'debe ser una hora con la forma HH:MM';
    default:
      // Patterns in the request schemas carry their own Spanish wording ("debe ser una hora HH:MM …").
      return schemaMessage(issue.message);
  }
}

/** A message written by the schema is a predicate ("debe ser …"); a message from zod's locale is not. */
function schemaMessage(message: string): string {
  return /^debe /.test(message) ? message : `no es válido (${message})`;
}

function sizeRequirement(bound: string, origin: string, limit: number | bigint, inclusive: boolean, strictWord: string): string {
  const count = String(limit);
  switch (origin) {
    case 'string':
      return `debe tener ${bound} ${count} ${count === '1' ? 'carácter' : 'caracteres'}`;
    case 'array':
    case 'set':
      return `debe tener ${bound} ${count} ${count === '1' ? 'elemento' : 'elementos'}`;
    default:
      return inclusive ? `debe ser ${bound} ${count}` : `debe ser ${strictWord} ${count}`;
  }
}

function describeReceived(issue: z.core.$ZodIssue, value: unknown): string {
  // A missing field has no value to show; an unknown key names itself already.
  if (value === undefined || issue.code === 'unrecognized_keys') return '';
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return '';
  return ` (recibido ${text.length > MAX_RECEIVED_LENGTH ? `${text.slice(0, MAX_RECEIVED_LENGTH - 3)}...` : text})`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
