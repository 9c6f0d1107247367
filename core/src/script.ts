/**
 * Guided call scripts: an ordered list of steps chosen by the debtor's segment, with `{{variables}}`
 * filled from the debtor and the obligations. The identity check comes before any debt detail,
 * because a debt must never be disclosed to a third party.
 */
import { z } from 'zod';
import { segmentSchema } from './domain.ts';

export const STEP_KINDS = ['greeting', 'identity-check', 'reason', 'negotiation', 'objection', 'closing'] as const;

/** Variables a script may use; `nombre` and `agente` are the only ones allowed before the identity check. */
export const SCRIPT_VARIABLES = {
  nombre: 'Nombre completo del titular',
  primer_nombre: 'Primer nombre del titular',
  agente: 'Nombre del agente',
  entidad: 'Entidades acreedoras',
  saldo_total: 'Saldo total consolidado (COP)',
  valor_vencido: 'Valor vencido consolidado (COP)',
  dias_mora: 'Días de mora de la obligación más antigua',
  numero_obligaciones: 'Cantidad de obligaciones',
} as const;
export type ScriptVariable = keyof typeof SCRIPT_VARIABLES;

const DEBT_VARIABLES = new Set<ScriptVariable>(['entidad', 'saldo_total', 'valor_vencido', 'dias_mora', 'numero_obligaciones']);

export const scriptStepSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.enum(STEP_KINDS),
  title: z.string().min(1).max(100),
  text: z.string().min(1).max(4000),
});
export type ScriptStep = z.infer<typeof scriptStepSchema>;

export const scriptSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string().min(1).max(50),
  name: z.string().min(1).max(200),
  segment: segmentSchema,
  steps: z.array(scriptStepSchema).min(2),
});
export type Script = z.infer<typeof scriptSchema>;

export interface ScriptProblem {
  stepId: string;
  /** Spanish text naming what is wrong and where. */
  message: string;
}

const VARIABLE_PATTERN = /\{\{\s*([a-z_]+)\s*\}\}/g;

// Questions about why the debtor did not pay are forbidden (Ley 2300 de 2023, art. 7); asking
// about payment alternatives is allowed, so only "why" forms are matched.
const WHY_NOT_PAID = /(por\s*qu[eé]|cu[aá]l\s+(es|fue)\s+(el\s+)?(motivo|raz[oó]n)|motivo\s+(del|de\s+su|por\s+el\s+cual)\s+(no\s+pago|impago|incumplimiento|mora)|raz[oó]n\s+(del|de\s+su)\s+(no\s+pago|impago|incumplimiento))[^.?!]*\b(no\s+(ha\s+)?pag|impago|incumpl|mora|atras)/i;

/**
 * Checks a script as it is loaded or saved: the identity check must come before any debt detail,
 * variables must be known, and no step may ask why the debtor did not pay.
 */
export function checkScript(script: Script): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  const identityIndex = script.steps.findIndex((step) => step.kind === 'identity-check');
  if (identityIndex === -1) {
    problems.push({ stepId: script.steps[0]!.id, message: 'El guion no tiene paso de verificación de identidad.' });
  }

  const ids = new Set<string>();
  script.steps.forEach((step, index) => {
    if (ids.has(step.id)) problems.push({ stepId: step.id, message: `Paso repetido "${step.id}".` });
    ids.add(step.id);

    for (const match of step.text.matchAll(VARIABLE_PATTERN)) {
      const name = match[1]!;
      if (!(name in SCRIPT_VARIABLES)) {
        problems.push({ stepId: step.id, message: `Paso "${step.title}": variable desconocida {{${name}}}.` });
      } else if (DEBT_VARIABLES.has(name as ScriptVariable) && (identityIndex === -1 || index <= identityIndex)) {
        problems.push({
          stepId: step.id,
          message: `Paso "${step.title}": {{${name}}} revela la deuda antes de verificar la identidad.`,
        });
      }
    }

    const why = WHY_NOT_PAID.exec(step.text);
    if (why) {
      problems.push({
        stepId: step.id,
        message: `Paso "${step.title}": no se puede preguntar por qué no pagó ("${why[0]}").`,
      });
    }
  });
  return problems;
}

/** Replaces each `{{variable}}` with its value; unknown or missing variables are left visible as `[variable]`. */
export function renderScriptText(text: string, values: Partial<Record<ScriptVariable, string>>): string {
  return text.replace(VARIABLE_PATTERN, (_whole, name: string) => values[name as ScriptVariable] ?? `[${name}]`);
}

/** Index of the last step that may be shown before the agent confirms the right party. */
export function lastStepBeforeIdentity(script: Script): number {
  const identityIndex = script.steps.findIndex((step) => step.kind === 'identity-check');
  return identityIndex === -1 ? script.steps.length - 1 : identityIndex;
}
