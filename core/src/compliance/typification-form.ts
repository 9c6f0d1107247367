/**
 * R11 for typification forms: the wrap-up form must not ask the agent to record why the person did
 * not pay ("Motivo de no pago", "Causal de mora"), because the agent would have to ask. A hardship
 * the person mentions unprompted may still be recorded in a free-text note.
 */
import type { Catalog } from '../catalog.ts';
import { findWhyNotPaidQuestion } from './why-not-paid.ts';

export interface TypificationFormProblem {
  /** Catalog code, e.g. `RN`. */
  code: string;
  /** Field name within the code, or null when the code's own label is the problem. */
  field: string | null;
  rule: 'R11';
  /** Spanish text for the administrator who edits the catalog. */
  message: string;
}

/**
 * Checks every code label and field label of a catalog, and the field names read as words
 * (`motivoNoPago` → "motivo no pago"), for a request to record why the person did not pay. Retired
 * codes are checked too, because a stored typification may still show them.
 */
export function checkTypificationForm(catalog: Catalog): TypificationFormProblem[] {
  const problems: TypificationFormProblem[] = [];
  for (const entry of catalog.codes) {
    const codeQuestion = findWhyNotPaidQuestion(entry.label, 'label');
    if (codeQuestion !== null) {
      problems.push({
        code: entry.code,
        field: null,
        rule: 'R11',
        message: `Código ${entry.code} ("${entry.label}"): la tipificación no puede registrar por qué la persona no pagó (R11).`,
      });
    }

    for (const field of entry.fields) {
      const question = findWhyNotPaidQuestion(field.label, 'label') ?? findWhyNotPaidQuestion(wordsOfName(field.name), 'label');
      if (question === null) continue;

      problems.push({
        code: entry.code,
        field: field.name,
        rule: 'R11',
        message: `Código ${entry.code}, campo "${field.label}": el formulario no puede pedir por qué la persona no pagó; si la persona menciona una dificultad por iniciativa propia, anótela en una observación (R11).`,
      });
    }
  }
  return problems;
}

/** `motivoNoPago` → `motivo no pago`. */
function wordsOfName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
