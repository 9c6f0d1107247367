/**
 * Turns what the agent typed in the wrap-up form into the typed values the typification carries:
 * amounts in centavos, dates `YYYY-MM-DD`, date-times ISO in -05:00. Main validates the result again
 * against the catalog; this step only catches what cannot even be read, next to the field.
 */
import type { CatalogCode, CatalogField, TypificationFields } from '@gestiona/core/catalog';
import { parseCopAmount, type ParseResult } from '../input/amount.ts';
import { parseDateInput, parseDateTimeInput } from '../input/date.ts';

export interface InstalmentDraft {
  dueDate: string;
  amount: string;
}

/** Raw input of one field: text for every type except the instalment plan. */
export type FieldDraft = string | InstalmentDraft[];
export type FieldDrafts = Record<string, FieldDraft>;

export interface BuiltFields {
  fields: TypificationFields;
  /** Spanish problems keyed by field name; empty when every field could be read. */
  errors: Record<string, string>;
}

const REQUIRED_MESSAGE = 'Campo obligatorio.';

export function buildTypificationFields(code: CatalogCode, drafts: FieldDrafts): BuiltFields {
  const fields: TypificationFields = {};
  const errors: Record<string, string> = {};

  for (const field of code.fields) {
    const draft = drafts[field.name];
    if (draft === undefined || isBlank(draft)) {
      if (field.required) errors[field.name] = REQUIRED_MESSAGE;
      continue;
    }

    const parsed = parseField(field, draft);
    if (parsed.ok) fields[field.name] = parsed.value;
    else errors[field.name] = parsed.message;
  }

  return { fields, errors };
}

function parseField(field: CatalogField, draft: FieldDraft): ParseResult<TypificationFields[string]> {
  if (field.type === 'instalments') {
    return Array.isArray(draft) ? parseInstalments(draft) : { ok: false, message: 'Plan de cuotas inválido.' };
  }
  if (typeof draft !== 'string') return { ok: false, message: 'Valor inválido.' };

  switch (field.type) {
    case 'amount':
      return parseCopAmount(draft);
    case 'date':
      return parseDateInput(draft);
    case 'datetime':
      return parseDateTimeInput(draft);
    case 'text':
    case 'channel':
      return { ok: true, value: draft.trim() };
  }
}

function parseInstalments(rows: InstalmentDraft[]): ParseResult<{ dueDate: string; amountCents: number }[]> {
  const instalments: { dueDate: string; amountCents: number }[] = [];

  for (const [index, row] of rows.entries()) {
    if (row.dueDate.trim() === '' && row.amount.trim() === '') continue;

    const dueDate = parseDateInput(row.dueDate);
    if (!dueDate.ok) return { ok: false, message: `Cuota ${index + 1}: ${dueDate.message}` };
    const amount = parseCopAmount(row.amount);
    if (!amount.ok) return { ok: false, message: `Cuota ${index + 1}: ${amount.message}` };
    if (amount.value === 0) return { ok: false, message: `Cuota ${index + 1}: el valor debe ser mayor que cero.` };

    instalments.push({ dueDate: dueDate.value, amountCents: amount.value });
  }

  if (instalments.length === 0) return { ok: false, message: 'Agregue al menos una cuota con fecha y valor.' };
  return { ok: true, value: instalments };
}

function isBlank(draft: FieldDraft): boolean {
  if (typeof draft === 'string') return draft.trim() === '';
  return draft.every((row) => row.dueDate.trim() === '' && row.amount.trim() === '');
}

/** Sum of the instalment rows that can be read, in centavos, for the running total under the editor. */
export function instalmentsTotalCents(rows: InstalmentDraft[]): number {
  let total = 0;
  for (const row of rows) {
    const amount = parseCopAmount(row.amount);
    if (amount.ok) total += amount.value;
  }
  return total;
}
