/**
 * The zod-free half of call scripts: the step graph, the save-time checks, the variables and the
 * rendering. The renderer's script editor and panel import this module; `script.ts` adds the zod
 * schemas and re-exports everything here.
 *
 * A script is a graph over its steps, starting at the first one:
 * - a step with `answers` goes where the agent's answer leads (each answer names a step id);
 * - a step without answers goes to `next` when set, otherwise to the following step of the list,
 *   so an old linear script walks as before;
 * - a closing step without answers ends the call.
 * Passing the identity check is an edge, not a place in the list: leaving an identity-check step
 * without answers confirms the right party (as the linear scripts always did), and with answers
 * only an answer marked `confirmsIdentity` does. Debt details are checked on every path from the
 * first step, not by list order.
 *
 * Cycles are allowed (an objection may lead back to the offer, the offer to the objection), as long
 * as a closing stays reachable from every step of the cycle: a step from which no closing can be
 * reached, by a loop or by a dead end, is a problem.
 */
import type { RuleId } from './compliance/types.ts';
import { findCreditReportMention } from './compliance/credit-report-text.ts';
import { findWhyNotPaidQuestion } from './compliance/why-not-paid.ts';
import { formatCop, formatDate } from './format.ts';

export const STEP_KINDS = ['greeting', 'identity-check', 'reason', 'negotiation', 'objection', 'closing'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Spanish names of the step kinds, for the editor and the check messages. */
export const STEP_KIND_LABELS: Record<StepKind, string> = {
  greeting: 'Saludo',
  'identity-check': 'Verificación de identidad',
  reason: 'Motivo de la llamada',
  negotiation: 'Negociación',
  objection: 'Objeción',
  closing: 'Cierre',
};

/** What a step may announce that a rule holds back until the debtor's facts allow it. */
export const STEP_ANNOUNCEMENTS = ['credit-report'] as const;
export type StepAnnouncement = (typeof STEP_ANNOUNCEMENTS)[number];

/**
 * The notices a closing must read out. A closing declares the ones it carries in `disclosures`, and
 * the check looks for each one's key phrase in the text, so a declaration without the words fails.
 * `debtorOnly` notices speak of the debt: the creditor's channels, the contact rules of a collection.
 * A closing that a third party may reach, with no confirming edge on its path, needs only the other
 * notices and must not carry the debtor-only ones.
 */
export const SCRIPT_DISCLOSURES = {
  'canales-oficiales': {
    label: 'Pagar solo por los canales oficiales de la entidad',
    phrase: /canales\s+oficiales/iu,
    phraseText: 'canales oficiales',
    debtorOnly: true,
  },
  'datos-personales': {
    label: 'Tratamiento de datos personales (Ley 1581 de 2012)',
    phrase: /ley\s+1581/iu,
    phraseText: 'Ley 1581',
    debtorOnly: false,
  },
  'horarios-contacto': {
    label: 'Horarios y canales de contacto permitidos (Ley 2300 de 2023)',
    phrase: /ley\s+2300/iu,
    phraseText: 'Ley 2300',
    debtorOnly: true,
  },
} as const;
export type DisclosureId = keyof typeof SCRIPT_DISCLOSURES;
export const DISCLOSURE_IDS = Object.keys(SCRIPT_DISCLOSURES) as DisclosureId[];

/**
 * Variables a script may use. Only `saludo`, `nombre`, `primer_nombre`, `agente` and `fecha_hoy`
 * carry no debt detail, so only they may appear on a step a third party may hear.
 */
export const SCRIPT_VARIABLES = {
  saludo: 'Saludo según la hora de Bogotá (Buenos días, Buenas tardes, Buenas noches)',
  nombre: 'Nombre completo del titular',
  primer_nombre: 'Primer nombre del titular',
  agente: 'Nombre del agente',
  fecha_hoy: 'Fecha de hoy en Bogotá (dd/mm/aaaa)',
  entidad: 'Entidades acreedoras',
  saldo_total: 'Saldo total consolidado (COP)',
  valor_vencido: 'Valor vencido consolidado (COP)',
  dias_mora: 'Días de mora de la obligación más antigua',
  numero_obligaciones: 'Cantidad de obligaciones',
  productos: 'Lista de obligaciones: producto, entidad, número terminado en y saldo (COP)',
  proxima_fecha_pago: 'Próxima fecha de pago pendiente (dd/mm/aaaa), o "sin fecha registrada"',
  fecha_vencimiento_mas_antigua: 'Fecha de vencimiento más antigua (dd/mm/aaaa), o "sin fecha registrada"',
} as const;
export type ScriptVariable = keyof typeof SCRIPT_VARIABLES;

export const DEBT_VARIABLES: ReadonlySet<ScriptVariable> = new Set<ScriptVariable>([
  'entidad',
  'saldo_total',
  'valor_vencido',
  'dias_mora',
  'numero_obligaciones',
  'productos',
  'proxima_fecha_pago',
  'fecha_vencimiento_mas_antigua',
]);

/** Step kinds that speak of the debt by their nature; they may only follow the identity check. */
export const DEBT_STEP_KINDS: ReadonlySet<StepKind> = new Set<StepKind>(['reason', 'negotiation', 'objection']);

export interface ScriptAnswerDef {
  /** Slug stored in the chosen path. */
  id: string;
  /** What the agent clicks: the debtor's answer in a few words. */
  label: string;
  /** The step this answer leads to. */
  next: string;
  /** Only on an identity-check step: this answer confirms the right party. */
  confirmsIdentity?: boolean | undefined;
}

export interface ScriptStepDef {
  id: string;
  kind: StepKind;
  title: string;
  text: string;
  announces?: StepAnnouncement | undefined;
  answers?: ScriptAnswerDef[] | undefined;
  /** Without answers: the step that follows, instead of the next one in the list. */
  next?: string | undefined;
  /** On a closing: the notices it reads out. */
  disclosures?: DisclosureId[] | undefined;
}

export interface ScriptDef {
  id: string;
  version: string;
  name: string;
  /** Informative only: the strategy picks the script by id. */
  segment?: string | undefined;
  steps: ScriptStepDef[];
}

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

/** One move out of a step. `answer` is null for the plain "next" of a step without answers. */
export interface ScriptEdge {
  answer: string | null;
  label: string;
  to: string;
  confirms: boolean;
}

/** One entry of the path the agent walked: the step and the answer chosen there (null: "Siguiente"). */
export interface ScriptPathEntry {
  stepId: string;
  answer: string | null;
}

const VARIABLE_PATTERN = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Lists the moves out of a step. Unknown targets are kept, so the check can name them. */
export function edgesOf(script: ScriptDef, stepId: string): ScriptEdge[] {
  const index = script.steps.findIndex((step) => step.id === stepId);
  const step = script.steps[index];
  if (step === undefined) return [];
  if (step.answers !== undefined && step.answers.length > 0) {
    return step.answers.map((answer) => ({
      answer: answer.id,
      label: answer.label,
      to: answer.next,
      confirms: step.kind === 'identity-check' && answer.confirmsIdentity === true,
    }));
  }
  const confirms = step.kind === 'identity-check';
  const label = confirms ? 'Identidad confirmada' : 'Siguiente';
  if (step.next !== undefined) return [{ answer: null, label, to: step.next, confirms }];
  if (step.kind === 'closing') return [];
  const following = script.steps[index + 1];
  return following === undefined ? [] : [{ answer: null, label, to: following.id, confirms }];
}

/** Returns the steps reachable from the first step. */
export function reachableSteps(script: ScriptDef): Set<string> {
  const first = script.steps[0];
  return first === undefined ? new Set() : walk(script, [first.id], () => true);
}

/**
 * Returns the steps a third party may hear: those reachable from the first step without taking an
 * edge that confirms the right party.
 */
export function stepsBeforeIdentity(script: ScriptDef): Set<string> {
  const first = script.steps[0];
  return first === undefined ? new Set() : walk(script, [first.id], (edge) => !edge.confirms);
}

function walk(script: ScriptDef, start: readonly string[], follow: (edge: ScriptEdge) => boolean): Set<string> {
  const known = new Set(script.steps.map((step) => step.id));
  const seen = new Set<string>();
  const queue = start.filter((id) => known.has(id));
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of edgesOf(script, id)) if (follow(edge) && known.has(edge.to) && !seen.has(edge.to)) queue.push(edge.to);
  }
  return seen;
}

/** Returns the steps from which some closing can be reached, closings included. */
function stepsReachingClosing(script: ScriptDef): Set<string> {
  const reaching = new Set(script.steps.filter((step) => step.kind === 'closing').map((step) => step.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of script.steps) {
      if (reaching.has(step.id)) continue;
      if (edgesOf(script, step.id).some((edge) => reaching.has(edge.to))) {
        reaching.add(step.id);
        grew = true;
      }
    }
  }
  return reaching;
}

/** Tells whether a step speaks of the debt, by its kind, its variables or a credit-report announcement. */
export function isDebtStep(step: ScriptStepDef): boolean {
  return DEBT_STEP_KINDS.has(step.kind) || step.announces === 'credit-report' || debtVariablesOf(step.text).length > 0;
}

function debtVariablesOf(text: string): ScriptVariable[] {
  return [...text.matchAll(VARIABLE_PATTERN)].map((match) => match[1] as ScriptVariable).filter((name) => DEBT_VARIABLES.has(name));
}

/** Shortens a text for a message: the offending words, not the whole step. */
function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * Checks a script as it is loaded, edited or published. Each problem names the step and the
 * offending text: unknown variables, duplicate or unknown step ids, unreachable steps, a debt detail
 * on a path that skips the identity check (R12), a question about why the debtor did not pay (R11),
 * a credit-bureau mention outside a marked step (R14), a closing without its notices, and steps from
 * which no closing can be reached.
 */
export function checkScript(script: ScriptDef): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  const first = script.steps[0];
  if (first === undefined) return [{ stepId: '(guion)', message: 'El guion no tiene pasos.' }];

  if (!script.steps.some((step) => step.kind === 'identity-check')) {
    problems.push({ stepId: first.id, message: 'El guion no tiene paso de verificación de identidad (R12).', rule: 'R12' });
  }
  if (!script.steps.some((step) => step.kind === 'closing')) {
    problems.push({ stepId: first.id, message: 'El guion no tiene paso de cierre con los avisos obligatorios.' });
  }

  const ids = new Set<string>();
  const known = new Set(script.steps.map((step) => step.id));
  const reachable = reachableSteps(script);
  const beforeIdentity = stepsBeforeIdentity(script);
  const reachingClosing = stepsReachingClosing(script);

  for (const step of script.steps) {
    const where = `Paso "${step.title}"`;
    if (ids.has(step.id)) problems.push({ stepId: step.id, message: `Paso repetido "${step.id}".` });
    ids.add(step.id);

    // Variables.
    for (const match of step.text.matchAll(VARIABLE_PATTERN)) {
      const name = match[1]!;
      // Own keys only: `in` would also accept `constructor`, `toString` and the other inherited names.
      if (!isScriptVariable(name)) problems.push({ stepId: step.id, message: `${where}: variable desconocida {{${name}}}.` });
    }
    for (const brace of step.text.matchAll(/\{\{[^}]*\}\}/g)) {
      if (!new RegExp(VARIABLE_PATTERN.source).test(brace[0])) problems.push({ stepId: step.id, message: `${where}: variable mal escrita "${brace[0]}"; use {{nombre_de_variable}}.` });
    }

    // The graph.
    const answerIds = new Set<string>();
    for (const answer of step.answers ?? []) {
      if (answerIds.has(answer.id)) problems.push({ stepId: step.id, message: `${where}: la respuesta "${answer.label}" repite el identificador "${answer.id}".` });
      answerIds.add(answer.id);
      if (!known.has(answer.next)) {
        problems.push({ stepId: step.id, message: `${where}: la respuesta "${answer.label}" lleva al paso "${answer.next}", que no existe.` });
      } else if (answer.next === step.id) {
        problems.push({ stepId: step.id, message: `${where}: la respuesta "${answer.label}" lleva al mismo paso.` });
      }
      if (answer.confirmsIdentity === true && step.kind !== 'identity-check') {
        problems.push({ stepId: step.id, message: `${where}: la respuesta "${answer.label}" confirma la identidad, pero solo un paso de verificación de identidad puede hacerlo.` });
      }
    }
    if (step.kind === 'identity-check' && (step.answers?.length ?? 0) > 0 && !(step.answers ?? []).some((answer) => answer.confirmsIdentity === true)) {
      problems.push({ stepId: step.id, message: `${where}: ninguna respuesta confirma la identidad; marque la respuesta del titular confirmado.` });
    }
    if (step.next !== undefined && (step.answers?.length ?? 0) === 0) {
      if (!known.has(step.next)) problems.push({ stepId: step.id, message: `${where}: el paso siguiente "${step.next}" no existe.` });
      else if (step.next === step.id) problems.push({ stepId: step.id, message: `${where}: el paso siguiente es el mismo paso.` });
    }
    if (!reachable.has(step.id)) {
      problems.push({ stepId: step.id, message: `${where}: no se llega a este paso desde el primero ("${first.title}"); conéctelo con una respuesta o bórrelo.` });
    } else if (!reachingClosing.has(step.id)) {
      const ends = edgesOf(script, step.id).length === 0;
      problems.push({
        stepId: step.id,
        message: ends
          ? `${where}: la llamada termina aquí sin pasar por un cierre con los avisos obligatorios; agregue una respuesta que lleve a un cierre.`
          : `${where}: desde aquí ningún camino llega a un cierre (las respuestas dan vueltas sin salida); agregue una respuesta que lleve a un cierre.`,
      });
    }

    // R12: no debt detail on a step a third party may hear, whatever the path.
    const heardBeforeIdentity = beforeIdentity.has(step.id);
    if (heardBeforeIdentity) {
      for (const name of debtVariablesOf(step.text)) {
        problems.push({ stepId: step.id, message: `${where}: {{${name}}} revela la deuda antes de verificar la identidad (R12).`, rule: 'R12' });
      }
      if (DEBT_STEP_KINDS.has(step.kind)) {
        problems.push({
          stepId: step.id,
          message: `${where}: un paso de ${STEP_KIND_LABELS[step.kind].toLowerCase()} se puede leer sin haber confirmado la identidad (R12) ("${excerpt(step.text)}"). Llegue a él solo por la respuesta que confirma la identidad.`,
          rule: 'R12',
        });
      }
      // A marked step is locked on the workstation until R14 allows the report, but it is still a debt detail.
      if (step.announces === 'credit-report') {
        problems.push({
          stepId: step.id,
          message: `${where}: anuncia un reporte a las centrales de riesgo antes de verificar la identidad (R12). Muévalo después del paso de verificación.`,
          rule: 'R12',
        });
      }
    }

    // R11: asking about payment alternatives is allowed; asking for the reason of the non-payment is not.
    for (const text of [step.text, ...(step.answers ?? []).map((answer) => answer.label)]) {
      const why = findWhyNotPaidQuestion(text, 'script');
      if (why !== null) {
        problems.push({ stepId: step.id, message: `${where}: no se puede preguntar por qué no pagó ("${why}"); pregunte por alternativas de pago (R11).`, rule: 'R11' });
      }
    }

    // R14: only a marked step may mention the bureaus.
    const report = findCreditReportMention(step.text);
    if (report !== null && step.announces !== 'credit-report') {
      problems.push({
        stepId: step.id,
        message: `${where}: menciona un reporte a las centrales de riesgo ("${report}") sin estar marcado con "announces": "credit-report". Pase esa frase a un paso propio con esa marca (R14).`,
        rule: 'R14',
      });
    }

    // Closing notices.
    if (step.kind === 'closing') problems.push(...checkDisclosures(step, heardBeforeIdentity));
    else if ((step.disclosures?.length ?? 0) > 0) problems.push({ stepId: step.id, message: `${where}: solo un paso de cierre lleva avisos obligatorios.` });
  }
  return problems;
}

function checkDisclosures(step: ScriptStepDef, thirdPartyMayHear: boolean): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  const where = `Paso "${step.title}"`;
  const declared = new Set(step.disclosures ?? []);
  for (const id of DISCLOSURE_IDS) {
    const disclosure = SCRIPT_DISCLOSURES[id];
    const required = !thirdPartyMayHear || !disclosure.debtorOnly;
    if (declared.has(id)) {
      if (!disclosure.phrase.test(step.text)) {
        problems.push({ stepId: step.id, message: `${where}: declara el aviso "${disclosure.label}", pero su texto no lo dice (falta "${disclosure.phraseText}").` });
      }
      if (thirdPartyMayHear && disclosure.debtorOnly) {
        problems.push({
          stepId: step.id,
          message: `${where}: un tercero puede llegar a este cierre, y el aviso "${disclosure.label}" habla de la deuda (R12); use un cierre aparte para el titular confirmado.`,
          rule: 'R12',
        });
      }
    } else if (required) {
      problems.push({ stepId: step.id, message: `${where}: al cierre le falta el aviso obligatorio "${disclosure.label}" (debe decir "${disclosure.phraseText}" y declararlo).` });
    }
  }
  return problems;
}

/**
 * Follows a path from the first step and returns where it ends and whether the right party was
 * confirmed on the way, or the Spanish reason the path does not fit the script's graph.
 */
export function followPath(script: ScriptDef, path: readonly ScriptPathEntry[]): { ok: true; at: string; identityConfirmed: boolean } | { ok: false; message: string } {
  const first = script.steps[0];
  if (first === undefined) return { ok: false, message: 'El guion no tiene pasos.' };
  let at = first.id;
  let identityConfirmed = false;
  for (const entry of path) {
    if (entry.stepId !== at) return { ok: false, message: `El recorrido no sigue el guion: se esperaba el paso "${at}" y llegó "${entry.stepId}".` };
    const edge = edgesOf(script, at).find((candidate) => candidate.answer === entry.answer);
    if (edge === undefined || !script.steps.some((step) => step.id === edge.to)) {
      return { ok: false, message: `El paso "${at}" no tiene la respuesta "${entry.answer ?? 'Siguiente'}".` };
    }
    identityConfirmed ||= edge.confirms;
    at = edge.to;
  }
  return { ok: true, at, identityConfirmed };
}

/** Replaces each `{{variable}}` with its value; unknown or missing variables are left visible as `[variable]`. */
export function renderScriptText(text: string, values: Partial<Record<ScriptVariable, string>>): string {
  return text.replace(VARIABLE_PATTERN, (_whole, name: string) => (isScriptVariable(name) && Object.hasOwn(values, name) ? values[name] : undefined) ?? `[${name}]`);
}

/** Returns whether `name` is one of the script variables (own keys only, never an inherited name). */
export function isScriptVariable(name: string): name is ScriptVariable {
  return Object.hasOwn(SCRIPT_VARIABLES, name);
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

/** Spanish product names, as the scripts read them. */
export const PRODUCT_NAMES: Record<string, string> = {
  'credit-card': 'tarjeta de crédito',
  'consumer-loan': 'crédito de consumo',
  'payroll-loan': 'libranza',
  vehicle: 'crédito de vehículo',
  mortgage: 'crédito hipotecario',
  microcredit: 'microcrédito',
};

/** The obligation facts the variables use; a structural subset of the domain's obligation. */
export interface ScriptObligationFacts {
  creditor: string;
  number: string;
  product: string;
  balanceCents: number;
  overdueCents: number;
  daysPastDue: number;
  /** `aaaa-mm-dd` or null. */
  dueDate: string | null;
}

const NO_DATE = 'sin fecha registrada';

/**
 * Fills every variable for a debtor: COP amounts as `$ 1.234.567`, dates as `dd/mm/aaaa`. `todayIso`
 * is today's Bogotá date (`aaaa-mm-dd`): the next payment date is the first due date from today on.
 */
export function scriptValues(input: {
  fullName: string;
  agentName: string;
  bogotaHour: number;
  todayIso: string;
  obligations: readonly ScriptObligationFacts[];
}): Record<ScriptVariable, string> {
  const { obligations } = input;
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const dueDates = obligations.map((obligation) => obligation.dueDate).filter((date): date is string => date !== null).sort();
  const upcoming = dueDates.find((date) => date >= input.todayIso);
  const products = obligations.map((obligation) => {
    const product = PRODUCT_NAMES[obligation.product] ?? obligation.product;
    return `${product} de ${obligation.creditor} (número terminado en ${obligation.number.slice(-4)}), saldo ${formatCop(obligation.balanceCents)}`;
  });
  return {
    saludo: greetingForHour(input.bogotaHour),
    nombre: input.fullName,
    primer_nombre: input.fullName.trim().split(/\s+/)[0] ?? input.fullName,
    agente: input.agentName,
    fecha_hoy: formatDate(input.todayIso),
    entidad: joinSpanishList([...new Set(obligations.map((obligation) => obligation.creditor))]),
    saldo_total: formatCop(sum(obligations.map((obligation) => obligation.balanceCents))),
    valor_vencido: formatCop(sum(obligations.map((obligation) => obligation.overdueCents))),
    dias_mora: String(obligations.length === 0 ? 0 : Math.max(0, ...obligations.map((obligation) => obligation.daysPastDue))),
    numero_obligaciones: String(obligations.length),
    productos: joinSpanishList(products),
    proxima_fecha_pago: upcoming === undefined ? NO_DATE : formatDate(upcoming),
    fecha_vencimiento_mas_antigua: dueDates[0] === undefined ? NO_DATE : formatDate(dueDates[0]),
  };
}
