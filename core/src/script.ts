/**
 * Guided call scripts: an ordered list of steps chosen by the debtor's segment, with `{{variables}}`
 * filled from the debtor and the obligations. The identity check comes before any debt detail,
 * because a debt must never be disclosed to a third party.
 */
import { z } from 'zod';
import type { RuleId } from './compliance/types.ts';
import { findCreditReportMention } from './compliance/credit-report-text.ts';
import { findWhyNotPaidQuestion } from './compliance/why-not-paid.ts';
import { segmentSchema } from './domain.ts';

export const STEP_KINDS = ['greeting', 'identity-check', 'reason', 'negotiation', 'objection', 'closing'] as const;

/** What a step may announce that a rule holds back until the debtor's facts allow it. */
export const STEP_ANNOUNCEMENTS = ['credit-report'] as const;
export type StepAnnouncement = (typeof STEP_ANNOUNCEMENTS)[number];

/** Variables a script may use; only `saludo`, `nombre`, `primer_nombre` and `agente` are allowed before the identity check. */
export const SCRIPT_VARIABLES = {
  saludo: 'Saludo según la hora de Bogotá (Buenos días, Buenas tardes, Buenas noches)',
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
  /**
   * `credit-report`: the step announces a negative report to the credit bureaus, so the workstation
   * shows it locked until R14 allows the report for the debtor. A step that mentions the bureaus
   * must carry this mark.
   */
  announces: z.enum(STEP_ANNOUNCEMENTS).optional(),
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
  /**
   * The contact rule the problem breaks: R11 (a question about why the person did not pay), R12
   * (debt shown before the identity check) or R14 (a credit-bureau report in a step not marked for it).
   */
  rule?: RuleId;
}

const VARIABLE_PATTERN = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Checks a script as it is loaded or saved: the identity check must come before any debt detail,
 * variables must be known, no step may ask why the debtor did not pay, and only a step marked
 * `announces: "credit-report"` may mention a credit-bureau report.
 */
export function checkScript(script: Script): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  const identityIndex = script.steps.findIndex((step) => step.kind === 'identity-check');
  if (identityIndex === -1) {
    problems.push({ stepId: script.steps[0]!.id, message: 'El guion no tiene paso de verificación de identidad (R12).', rule: 'R12' });
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
          message: `Paso "${step.title}": {{${name}}} revela la deuda antes de verificar la identidad (R12).`,
          rule: 'R12',
        });
      }
    }

    // Asking about payment alternatives is allowed; asking for the reason of the non-payment is not.
    const why = findWhyNotPaidQuestion(step.text, 'script');
    if (why !== null) {
      problems.push({
        stepId: step.id,
        message: `Paso "${step.title}": no se puede preguntar por qué no pagó ("${why}"); pregunte por alternativas de pago (R11).`,
        rule: 'R11',
      });
    }

    // A marked step is locked on the workstation until R14 allows the report; an unmarked one would be read at once.
    if (step.announces === 'credit-report' && (identityIndex === -1 || index <= identityIndex)) {
      problems.push({
        stepId: step.id,
        message: `Paso "${step.title}": anuncia un reporte a las centrales de riesgo antes de verificar la identidad (R12). Muévalo después del paso de verificación.`,
        rule: 'R12',
      });
    }
    const report = findCreditReportMention(step.text);
    if (report !== null && step.announces !== 'credit-report') {
      problems.push({
        stepId: step.id,
        message: `Paso "${step.title}": menciona un reporte a las centrales de riesgo ("${report}") sin estar marcado con "announces": "credit-report". Pase esa frase a un paso propio con esa marca (R14).`,
        rule: 'R14',
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

/** Returns the greeting for a Bogotá hour (0–23): mornings until noon, afternoons until 19:00. */
export function greetingForHour(hour: number): string {
  if (hour < 12) return 'Buenos días';
  if (hour < 19) return 'Buenas tardes';
  return 'Buenas noches';
}

/** Joins names as Spanish prose: "A", "A y B", "A, B y C". */
export function joinSpanishList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} y ${items[items.length - 1]}`;
}
