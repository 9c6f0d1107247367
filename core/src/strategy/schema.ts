/**
 * The strategy set: ordered segments, each with its rule and its strategy (priority formula, script,
 * timeline of activities, optional champion/challenger treatments). Published centrally, versioned,
 * and carried to the workstations by the `strategy.set` feed entry.
 *
 * Every debtor lands in exactly one segment. Segments are tried in order and the first whose rule
 * matches wins, so a debtor never gets two. The LAST segment must be a catch-all (its rule is
 * `{ "all": [] }`, which every debtor matches), so a debtor never gets none. A set without a final
 * catch-all is rejected at save rather than proved complete, because completeness of arbitrary
 * conditions over free variables (score, city) cannot be checked, and a debtor without a segment
 * would silently fall out of every worklist. A catch-all before the last segment is rejected too,
 * because the segments after it could never match.
 */
import { z } from 'zod';
import { AppError } from '../result.ts';
import { compileFormula, FormulaError } from './formula.ts';
import { CONDITION_OPS, OPS_BY_TYPE, CONDITION_OP_LABELS, VARIABLES_BY_NAME, type ConditionOp, type VariableDefinition } from './variables.ts';

export { CONDITION_OPS, DPD_BUCKETS, PROMISE_STATUSES, VARIABLES, type ConditionOp, type DebtorVariables } from './variables.ts';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const slugSchema = z.string().min(1).max(60).regex(SLUG_PATTERN, 'debe ser un identificador en minúsculas, con letras, números y guiones (por ejemplo "mora-temprana")');

export const ACTIVITY_CHANNELS = ['call', 'sms', 'email', 'whatsapp', 'letter', 'visit'] as const;
export const ACTIVITY_ANCHORS = ['assignment', 'due-date'] as const;
export const STOP_EVENTS = ['promise-made', 'dispute-opened', 'payment-received'] as const;

export const timelineActivitySchema = z.object({
  id: slugSchema,
  channel: z.enum(ACTIVITY_CHANNELS),
  /** Day 0 is the assignment of the debtor to the segment, or the due date of the debtor's oldest unpaid instalment. */
  anchor: z.enum(ACTIVITY_ANCHORS),
  dayOffset: z.number().int().min(-60).max(365),
  /** Repeat every `everyDays` days, at most `times` more times; null or absent: once. */
  repeat: z
    .object({ everyDays: z.number().int().min(1).max(90), times: z.number().int().min(1).max(30) })
    .nullable()
    .optional(),
  /** The activity (and its repetitions) stops after any of these events. */
  stopOn: z.array(z.enum(STOP_EVENTS)).max(STOP_EVENTS.length),
});
export type TimelineActivity = z.infer<typeof timelineActivitySchema>;

export const conditionValueSchema = z.union([
  z.number(),
  z.string().max(200),
  z.boolean(),
  z.null(),
  z.array(z.union([z.number(), z.string().max(200)])).max(100),
]);
export type ConditionValue = z.infer<typeof conditionValueSchema>;

export const conditionSchema = z.object({
  variable: z.string().min(1).max(60),
  op: z.enum(CONDITION_OPS),
  /** Absent for isNull/isNotNull; a [from, to] pair for between; a list for in/notIn/includes/excludes. */
  value: conditionValueSchema.optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export type RuleNode = Condition | { all: RuleNode[] } | { any: RuleNode[] };
export type RuleGroup = { all: RuleNode[] } | { any: RuleNode[] };

export const ruleNodeSchema: z.ZodType<RuleNode> = z.lazy(() =>
  z.union([conditionSchema.strict(), z.object({ all: z.array(ruleNodeSchema).max(50) }).strict(), z.object({ any: z.array(ruleNodeSchema).max(50) }).strict()]),
);
export const ruleGroupSchema: z.ZodType<RuleGroup> = z.union([
  z.object({ all: z.array(ruleNodeSchema).max(50) }).strict(),
  z.object({ any: z.array(ruleNodeSchema).max(50) }).strict(),
]);

export const treatmentSchema = z.object({
  id: slugSchema,
  name: z.string().trim().min(1).max(100),
  role: z.enum(['champion', 'challenger']),
  /** Whole percent of the segment's debtors; the treatments of a segment sum to 100. */
  percent: z.number().int().min(1).max(99),
  /** Overrides of the segment's strategy for the debtors in this treatment. */
  priority: z.string().max(500).optional(),
  scriptId: z.string().min(1).max(100).optional(),
  timeline: z.array(timelineActivitySchema).max(30).optional(),
});
export type Treatment = z.infer<typeof treatmentSchema>;

export const strategySchema = z.object({
  /** Priority formula over the variables; higher is worked first. */
  priority: z.string().max(500),
  scriptId: z.string().min(1).max(100),
  timeline: z.array(timelineActivitySchema).max(30),
  /** Champion/challenger split; absent or empty: every debtor of the segment gets the strategy above. */
  treatments: z.array(treatmentSchema).max(5).optional(),
});
export type Strategy = z.infer<typeof strategySchema>;

export const segmentDefinitionSchema = z.object({
  id: slugSchema,
  name: z.string().trim().min(1).max(60),
  description: z.string().max(300).optional(),
  rule: ruleGroupSchema,
  strategy: strategySchema,
});
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

const strategySetShape = z.object({
  version: z.string().trim().min(1).max(40),
  segments: z.array(segmentDefinitionSchema).min(1).max(50),
});

export const strategySetSchema = strategySetShape.superRefine((set, context) => {
  for (const problem of strategySetProblems(set)) context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
});
export type StrategySet = z.infer<typeof strategySetSchema>;

interface Problem {
  path: (string | number)[];
  message: string;
}

/** Tests whether a rule is the catch-all `{ "all": [] }`. */
export function isCatchAll(rule: RuleNode): boolean {
  return 'all' in rule && rule.all.length === 0;
}

/** Checks that need the whole set: unique ids and names, the final catch-all, conditions, formulas, treatments. */
function strategySetProblems(set: z.infer<typeof strategySetShape>): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  const names = new Set<string>();
  const last = set.segments.length - 1;

  set.segments.forEach((segment, index) => {
    const at = (...rest: (string | number)[]) => ['segments', index, ...rest];
    const who = `segmento "${segment.name}"`;
    if (ids.has(segment.id)) problems.push({ path: at('id'), message: `${who}: el identificador "${segment.id}" se repite` });
    ids.add(segment.id);
    const folded = segment.name.toLocaleLowerCase('es-CO');
    if (names.has(folded)) problems.push({ path: at('name'), message: `${who}: el nombre se repite` });
    names.add(folded);

    if (index === last && !isCatchAll(segment.rule)) {
      problems.push({
        path: at('rule'),
        message: `${who}: el último segmento debe recoger a todos los deudores restantes (regla {"all": []}), para que ningún deudor quede sin segmento`,
      });
    }
    if (index < last && isCatchAll(segment.rule)) {
      problems.push({ path: at('rule'), message: `${who}: recoge a todos los deudores, así que los segmentos que siguen nunca aplicarían; muévalo al final` });
    }
    checkRule(segment.rule, at('rule'), who, problems, 0);

    checkFormula(segment.strategy.priority, at('strategy', 'priority'), who, problems);
    checkTimeline(segment.strategy.timeline, at('strategy', 'timeline'), who, problems);

    const treatments = segment.strategy.treatments ?? [];
    if (treatments.length > 0) {
      if (treatments.length < 2) problems.push({ path: at('strategy', 'treatments'), message: `${who}: un campeón/retador necesita al menos dos tratamientos` });
      const sum = treatments.reduce((total, treatment) => total + treatment.percent, 0);
      if (sum !== 100) problems.push({ path: at('strategy', 'treatments'), message: `${who}: los porcentajes de los tratamientos suman ${sum}; deben sumar 100` });
      const champions = treatments.filter((treatment) => treatment.role === 'champion').length;
      if (champions !== 1) problems.push({ path: at('strategy', 'treatments'), message: `${who}: debe haber exactamente un tratamiento campeón (hay ${champions})` });
      const treatmentIds = new Set<string>();
      treatments.forEach((treatment, position) => {
        const tat = (...rest: (string | number)[]) => at('strategy', 'treatments', position, ...rest);
        if (treatmentIds.has(treatment.id)) problems.push({ path: tat('id'), message: `${who}: el tratamiento "${treatment.id}" se repite` });
        treatmentIds.add(treatment.id);
        if (treatment.priority !== undefined) checkFormula(treatment.priority, tat('priority'), `${who}, tratamiento "${treatment.name}"`, problems);
        if (treatment.timeline !== undefined) checkTimeline(treatment.timeline, tat('timeline'), `${who}, tratamiento "${treatment.name}"`, problems);
      });
    }
  });
  return problems;
}

function checkFormula(text: string, path: (string | number)[], who: string, problems: Problem[]): void {
  try {
    compileFormula(text);
  } catch (error) {
    if (!(error instanceof FormulaError)) throw error;
    problems.push({ path, message: `${who}: ${error.message}` });
  }
}

function checkTimeline(timeline: readonly { id: string }[], path: (string | number)[], who: string, problems: Problem[]): void {
  const seen = new Set<string>();
  timeline.forEach((activity, index) => {
    if (seen.has(activity.id)) problems.push({ path: [...path, index, 'id'], message: `${who}: la actividad "${activity.id}" se repite` });
    seen.add(activity.id);
  });
}

const MAX_RULE_DEPTH = 5;

function checkRule(node: RuleNode, path: (string | number)[], who: string, problems: Problem[], depth: number): void {
  if (depth > MAX_RULE_DEPTH) {
    problems.push({ path, message: `${who}: la regla anida más de ${MAX_RULE_DEPTH} grupos` });
    return;
  }
  if ('all' in node) node.all.forEach((child, index) => checkRule(child, [...path, 'all', index], who, problems, depth + 1));
  else if ('any' in node) {
    if (node.any.length === 0) problems.push({ path: [...path, 'any'], message: `${who}: un grupo "cualquiera" vacío no recoge a nadie` });
    node.any.forEach((child, index) => checkRule(child, [...path, 'any', index], who, problems, depth + 1));
  } else {
    const message = conditionProblem(node);
    if (message !== null) problems.push({ path, message: `${who}: ${message}` });
  }
}

function describeValue(value: unknown): string {
  return value === undefined ? 'ninguno' : JSON.stringify(value);
}

/** Spanish problem of one condition, or null when it is valid for its variable's type. */
export function conditionProblem(condition: Condition): string | null {
  const variable = VARIABLES_BY_NAME.get(condition.variable);
  if (variable === undefined) return `la condición usa la variable desconocida "${condition.variable}"`;
  const label = `"${variable.label}" (${variable.name})`;
  const op: ConditionOp = condition.op;
  if (!OPS_BY_TYPE[variable.type].includes(op)) return `la variable ${label} no admite el operador "${CONDITION_OP_LABELS[op]}" (${op})`;
  const value = condition.value;

  if (op === 'isNull' || op === 'isNotNull') {
    if (!variable.nullable) return `la variable ${label} siempre tiene valor; "${op}" no aplica`;
    return value === undefined || value === null ? null : `"${op}" no lleva valor (recibido: ${describeValue(value)})`;
  }
  if (op === 'between') {
    if (!Array.isArray(value) || value.length !== 2) return `"entre" de ${label} necesita dos valores [desde, hasta] (recibido: ${describeValue(value)})`;
    const bad = value.find((item) => !scalarFits(variable, item));
    if (bad !== undefined) return `valor ${describeValue(bad)} no válido para ${label}`;
    return value[0]! <= value[1]! ? null : `"entre" de ${label}: el primer valor debe ser menor o igual al segundo`;
  }
  if (op === 'in' || op === 'notIn' || op === 'includes' || op === 'excludes') {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || list.some((item) => item === undefined || item === null)) return `"${CONDITION_OP_LABELS[op]}" de ${label} necesita al menos un valor`;
    const bad = list.find((item) => !scalarFits(variable, item));
    return bad === undefined ? null : `valor ${describeValue(bad)} no válido para ${label}${variable.values ? ` (valores posibles: ${variable.values.join(', ')})` : ''}`;
  }
  if (!scalarFits(variable, value)) {
    return `valor ${describeValue(value)} no válido para ${label}${variable.values ? ` (valores posibles: ${variable.values.join(', ')})` : ''}`;
  }
  return null;
}

function scalarFits(variable: VariableDefinition, value: unknown): boolean {
  switch (variable.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    case 'string':
    case 'string-list':
      return typeof value === 'string' && (variable.values === undefined || variable.values.includes(value));
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? 'estrategia' : text;
}

function zodIssueText(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'custom') return issue.message;
  const received = issue.path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
  const segments = (raw as { segments?: unknown } | null)?.segments;
  const segmentIndex = issue.path[0] === 'segments' && typeof issue.path[1] === 'number' ? issue.path[1] : null;
  const segmentName =
    segmentIndex !== null && Array.isArray(segments) ? (segments[segmentIndex] as { name?: unknown } | undefined)?.name : undefined;
  const who = typeof segmentName === 'string' ? `segmento "${segmentName}": ` : '';
  let what: string;
  switch (issue.code) {
    case 'invalid_type':
      what = received === undefined ? 'falta (es obligatorio)' : `debe ser de tipo ${issue.expected}`;
      break;
    case 'too_small':
      what = `es demasiado corto o pequeño (mínimo ${String(issue.minimum)})`;
      break;
    case 'too_big':
      what = `es demasiado largo o grande (máximo ${String(issue.maximum)})`;
      break;
    case 'invalid_value':
      what = `debe ser uno de: ${issue.values.map(String).join(', ')}`;
      break;
    case 'unrecognized_keys':
      what = `tiene campos desconocidos: ${issue.keys.join(', ')}`;
      break;
    case 'invalid_format':
      what = issue.message;
      break;
    case 'invalid_union':
      what = 'no es una condición {variable, op, value} ni un grupo {"all": [...]} o {"any": [...]}';
      break;
    default:
      what = 'no es válido';
  }
  return `${who}${formatPath(issue.path)} ${what}${received === undefined || typeof received === 'object' ? '' : ` (valor recibido: ${JSON.stringify(received)})`}`;
}

/**
 * Parses and validates a strategy set. Throws an `AppError` (`invalid-input`) whose Spanish message
 * names each problem with its segment and field, and whose `fields` map each field path to it.
 */
export function parseStrategySet(raw: unknown): StrategySet {
  const result = strategySetSchema.safeParse(raw);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    const text = zodIssueText(issue, raw);
    fields[formatPath(issue.path)] ??= text;
    problems.push(text);
  }
  throw new AppError('invalid-input', `Estrategia inválida: ${problems.join('; ')}. No se publicó nada; corrija la estrategia y publíquela de nuevo.`, fields);
}
