/**
 * Typification catalog: the coded results an agent must choose from after every contact, with the
 * compliance class that decides how the contact counts under the legal limits.
 */
import { z } from 'zod';
import { checkCatalogStructure, DEFAULT_MAX_INSTALMENTS, DEFAULT_TEXT_MAX_LENGTH } from './catalog-rules.ts';
import { channelSchema, type ContactKind } from './domain.ts';
import { formatCop } from './format.ts';

/** `two-way` is a right-party contact, `third-party` a call taken by someone else, and `attempt` a call with no one on the line. */
export const COMPLIANCE_CLASSES = ['two-way', 'third-party', 'attempt'] as const;
export const complianceClassSchema = z.enum(COMPLIANCE_CLASSES);
export type ComplianceClass = z.infer<typeof complianceClassSchema>;

export const FIELD_TYPES = ['amount', 'date', 'datetime', 'text', 'channel', 'instalments'] as const;

export const catalogFieldSchema = z.object({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  label: z.string().min(1).max(100),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  /** For `date` fields: whether the date must be today or later (a promise) or today or earlier (a payment made). */
  when: z.enum(['today-or-later', 'today-or-earlier']).optional(),
  /** For `date` fields that look ahead: the latest allowed date, in days from today (the policy's maximum). */
  maxDaysAhead: z.number().int().positive().max(3660).optional(),
  /** For `text` fields: minimum and maximum length, in characters (default 1 and 2000). */
  minLength: z.number().int().min(1).max(2000).optional(),
  maxLength: z.number().int().min(1).max(2000).optional(),
  /** For `instalments` fields: the maximum number of instalments of an agreement (default 24). The minimum is always 2. */
  maxInstalments: z.number().int().min(2).max(60).optional(),
  /** For `amount` fields: the maximum value, in centavos. */
  maxCents: z.number().int().positive().optional(),
});
export type CatalogField = z.infer<typeof catalogFieldSchema>;

export const EFFECTS = [
  'create-promise',
  'create-agreement',
  'verify-payment',
  'schedule-callback',
  'pause-collection',
  'revoke-authorization',
  'flag-number',
  'stop-strategy',
] as const;
export const effectSchema = z.enum(EFFECTS);
export type Effect = z.infer<typeof effectSchema>;

/** A group of results (Contacto directo, Contacto con tercero, Sin contacto), shown in `order`. */
export const catalogGroupSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/).max(50),
  /** Spanish name shown to the agent. */
  name: z.string().min(1).max(100),
  order: z.number().int().min(1).max(1000),
});
export type CatalogGroup = z.infer<typeof catalogGroupSchema>;

export const catalogCodeSchema = z.object({
  code: z.string().regex(/^[A-Z]{2,4}$/),
  label: z.string().min(1).max(100),
  /** The group's id. In a catalog without `groups` (older versions), it is the group's name itself. */
  group: z.string().min(1).max(100),
  class: complianceClassSchema,
  fields: z.array(catalogFieldSchema),
  effects: z.array(effectSchema),
  /** Single key (letter or digit) that selects this code in the wrap-up form; unique among active codes. */
  shortcut: z.string().regex(/^[A-Za-z0-9]$/).nullable(),
  retired: z.boolean(),
});
export type CatalogCode = z.infer<typeof catalogCodeSchema>;

/**
 * Optional field of a promise or agreement: the part of the committed amount that is collection
 * fees. The workstation checks it against the obligations' fee terms (R15) before saving.
 */
export const COLLECTION_FEE_FIELD = 'collectionFee';

export const catalogSchema = z
  .object({
    version: z.string().min(1).max(50),
    /** The groups in their order. Required for a publication; absent only in catalogs published before groups had ids. */
    groups: z.array(catalogGroupSchema).min(1).max(50).optional(),
    codes: z.array(catalogCodeSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    for (const [index, entry] of catalog.codes.entries()) checkCollectionFeeField(entry, index, ctx);
    for (const problem of checkCatalogStructure(catalog)) {
      ctx.addIssue({ code: 'custom', path: problem.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), message: problem.message });
    }
  });
export type Catalog = z.infer<typeof catalogSchema>;

/**
 * Checks the collection-fee field of a code. The fee is a share of a payment, so the field must be
 * an amount, on a code that creates a promise or an agreement, next to the amount committed.
 */
function checkCollectionFeeField(entry: CatalogCode, index: number, ctx: z.RefinementCtx): void {
  const position = entry.fields.findIndex((field) => field.name === COLLECTION_FEE_FIELD);
  if (position === -1) return;
  const path = ['codes', index, 'fields', position];
  const field = entry.fields[position]!;
  if (field.type !== 'amount') {
    ctx.addIssue({ code: 'custom', path: [...path, 'type'], message: `${entry.code}: el campo ${COLLECTION_FEE_FIELD} debe ser de tipo amount` });
  }
  if (!entry.effects.includes('create-promise') && !entry.effects.includes('create-agreement')) {
    ctx.addIssue({ code: 'custom', path, message: `${entry.code}: ${COLLECTION_FEE_FIELD} solo aplica a códigos que crean una promesa o un acuerdo de pago` });
  }
  const committed = entry.fields.some((other) => other.type === 'instalments' || (other.type === 'amount' && other.name !== COLLECTION_FEE_FIELD));
  if (!committed) {
    ctx.addIssue({ code: 'custom', path, message: `${entry.code}: ${COLLECTION_FEE_FIELD} necesita otro campo con el valor pactado (amount o instalments)` });
  }
}

/** Maps a compliance class to its ledger kind: a call taken by a third party (or a wrong party) counts as an attempt. */
export function contactKindOf(complianceClass: ComplianceClass): ContactKind {
  return complianceClass === 'two-way' ? 'two-way' : 'attempt';
}

export const instalmentSchema = z.object({
  dueDate: z.iso.date(),
  amountCents: z.number().int().positive(),
});

/** Values an agent entered, already parsed: amounts in centavos, dates `YYYY-MM-DD`, date-times ISO. */
export const typificationFieldsSchema = z.record(
  z.string(),
  z.union([z.string().max(2000), z.number().int(), z.array(instalmentSchema).max(60)]),
);
export type TypificationFields = z.infer<typeof typificationFieldsSchema>;

export interface FieldProblem {
  field: string;
  /** Spanish text for the agent. */
  message: string;
}

/**
 * Checks the fields an agent entered against one catalog code. `today` is the Bogotá date of the
 * save, used for date limits. Returns every problem found so the form can mark them all at once.
 */
export function validateTypificationFields(
  code: CatalogCode,
  fields: TypificationFields,
  today: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const known = new Set(code.fields.map((field) => field.name));

  for (const name of Object.keys(fields)) {
    if (!known.has(name)) problems.push({ field: name, message: `El campo "${name}" no aplica al código ${code.code}.` });
  }

  for (const field of code.fields) {
    const value = fields[field.name];
    const missing = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
    if (missing) {
      if (field.required) problems.push({ field: field.name, message: `${field.label}: campo obligatorio.` });
      continue;
    }
    const problem = checkFieldValue(field, value, today);
    if (problem) problems.push({ field: field.name, message: `${field.label}: ${problem}` });
  }
  return problems;
}

function checkFieldValue(field: CatalogField, value: TypificationFields[string], today: string): string | null {
  switch (field.type) {
    case 'amount':
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return 'debe ser un valor mayor que cero.';
      if (field.maxCents !== undefined && value > field.maxCents) return `no puede pasar de ${formatCop(field.maxCents)}.`;
      return null;
    case 'date': {
      if (typeof value !== 'string' || !z.iso.date().safeParse(value).success) return 'fecha inválida.';
      if (field.when === 'today-or-later' && value < today) return 'la fecha no puede estar en el pasado.';
      if (field.when === 'today-or-earlier' && value > today) return 'la fecha no puede estar en el futuro.';
      if (field.maxDaysAhead !== undefined && value > addDays(today, field.maxDaysAhead)) {
        return `la fecha no puede pasar de ${field.maxDaysAhead} días desde hoy.`;
      }
      return null;
    }
    case 'datetime':
      return typeof value === 'string' && z.iso.datetime({ offset: true }).safeParse(value).success ? null : 'fecha y hora inválidas.';
    case 'text': {
      const length = typeof value === 'string' ? value.trim().length : 0;
      if (length === 0) return 'escriba un texto.';
      const min = field.minLength ?? 1;
      const max = field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH;
      if (length < min) return `escriba al menos ${min} caracteres.`;
      if (length > max) return `use como máximo ${max} caracteres.`;
      return null;
    }
    case 'channel':
      return typeof value === 'string' && channelSchema.safeParse(value).success ? null : 'canal desconocido.';
    case 'instalments': {
      if (!Array.isArray(value)) return 'plan de cuotas inválido.';
      const most = field.maxInstalments ?? DEFAULT_MAX_INSTALMENTS;
      if (value.length < 2) return 'un acuerdo necesita al menos 2 cuotas; para un solo pago registre una promesa.';
      if (value.length > most) return `el plan admite como máximo ${most} cuotas.`;
      const dates = value.map((instalment) => instalment.dueDate);
      if (dates.some((date) => date < today)) return 'ninguna cuota puede vencer en el pasado.';
      if (dates.some((date, index) => index > 0 && date <= dates[index - 1]!)) return 'las cuotas deben ir en fechas crecientes.';
      return null;
    }
  }
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
