/**
 * Evaluating a strategy set for one debtor: the segment (first rule that matches), the treatment
 * (champion/challenger by a stable hash), the priority formula, the script and the timeline.
 * Pure and synchronous: compile the set once with `compileStrategySet`, then evaluate many debtors.
 */
import { PRODUCTS, type Product } from '../domain.ts';
import { compileFormula, type CompiledFormula } from './formula.ts';
import type { Condition, RuleNode, StrategySet, TimelineActivity, Treatment } from './schema.ts';
import { dpdBucketOf, productBalanceVariable, VARIABLES_BY_NAME, type DebtorVariables, type PromiseStatus } from './variables.ts';

/** The obligation fields the variables read; origination fields are optional columns of the portfolio file. */
export interface ObligationFacts {
  product: Product;
  balanceCents: number;
  overdueCents: number;
  daysPastDue: number;
  writtenOff: boolean;
  originationChannel?: string | null;
  originationCity?: string | null;
  /** `YYYY-MM-DD`. */
  originationDate?: string | null;
  originationAmountCents?: number | null;
}

/** Facts about one debtor that the strategy reads. */
export interface DebtorFacts {
  id: string;
  city: string | null;
  score: number | null;
  obligations: readonly ObligationFacts[];
  promiseStatus: PromiseStatus;
  disputeOpen: boolean;
  deceased: boolean;
  /** `YYYY-MM-DD` of the last payment received, or null when none. */
  lastPaymentOn: string | null;
  paymentsLast90Days: number;
}

export interface StrategyAssignment {
  segmentId: string;
  segmentName: string;
  /** null when the segment has no champion/challenger split. */
  treatmentId: string | null;
  /** Higher is worked first; 0 when the formula gives no number for this debtor. */
  priority: number;
  scriptId: string;
  timeline: readonly TimelineActivity[];
  strategyVersion: string;
}

const DAY_MS = 86_400_000;

const PRODUCT_VARIABLES: readonly (readonly [Product, string])[] = PRODUCTS.map((product) => [product, productBalanceVariable(product)] as const);

function daysBetween(fromDate: string, toDate: string): number {
  return Math.round((Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / DAY_MS);
}

/**
 * Computes the variables of one debtor on a Bogotá calendar day (`today`, `YYYY-MM-DD`). Origination features
 * come from the obligation originated last, the one the debtor's most recent credit decision saw.
 */
export function debtorVariables(facts: DebtorFacts, today: string): DebtorVariables {
  let daysPastDue = Number.NEGATIVE_INFINITY;
  let writtenOff = false;
  let totalCents = 0;
  let overdueCents = 0;
  const byProduct = new Map<Product, number>();
  let latest: ObligationFacts | null = null;
  for (const obligation of facts.obligations) {
    if (obligation.daysPastDue > daysPastDue) daysPastDue = obligation.daysPastDue;
    if (obligation.writtenOff) writtenOff = true;
    totalCents += obligation.balanceCents;
    overdueCents += obligation.overdueCents;
    byProduct.set(obligation.product, (byProduct.get(obligation.product) ?? 0) + obligation.balanceCents);
    const date = obligation.originationDate ?? null;
    if (date !== null && (latest === null || (latest.originationDate ?? '') < date)) latest = obligation;
  }
  if (facts.obligations.length === 0) daysPastDue = 0;
  const origin = latest ?? facts.obligations.find((obligation) => obligation.originationChannel || obligation.originationCity || obligation.originationAmountCents != null) ?? null;

  const variables: DebtorVariables = {
    daysPastDue,
    dpdBucket: dpdBucketOf(daysPastDue),
    writtenOff,
    totalBalanceCop: totalCents / 100,
    overdueCop: overdueCents / 100,
    products: [...byProduct.keys()].sort(),
    productCount: facts.obligations.length,
    city: facts.city,
    score: facts.score,
    originationChannel: origin?.originationChannel ?? null,
    originationCity: origin?.originationCity ?? null,
    originationDate: origin?.originationDate ?? null,
    originationAmountCop: origin?.originationAmountCents == null ? null : origin.originationAmountCents / 100,
    daysSinceOrigination: origin?.originationDate == null ? null : daysBetween(origin.originationDate, today),
    daysSinceLastPayment: facts.lastPaymentOn === null ? null : daysBetween(facts.lastPaymentOn, today),
    paymentsLast90Days: facts.paymentsLast90Days,
    promiseStatus: facts.promiseStatus,
    disputeOpen: facts.disputeOpen,
    deceased: facts.deceased,
  };
  for (const [product, name] of PRODUCT_VARIABLES) variables[name] = (byProduct.get(product) ?? 0) / 100;
  return variables;
}

/** Case and accents do not count when comparing free text such as a city: "Bogotá" equals "BOGOTA". */
function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .trim()
    .toLowerCase();
}

type Scalar = number | string | boolean;

/** Printable ASCII without upper-case letters: text that folding leaves as it is. */
const FOLDED_ASCII = /^[\x20-\x40\x5b-\x7e]*$/;

function same(left: Scalar, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'string' || typeof right !== 'string') return false;
  if (FOLDED_ASCII.test(left) && FOLDED_ASCII.test(right)) return false;
  return fold(left) === fold(right);
}

function listOf(value: Condition['value']): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Tests whether one condition holds. A variable without a value (null) satisfies only isNull, neq and notIn. */
export function conditionHolds(condition: Condition, variables: DebtorVariables): boolean {
  const actual = variables[condition.variable];
  const { op, value } = condition;
  if (op === 'isNull') return actual === null || actual === undefined;
  if (op === 'isNotNull') return actual !== null && actual !== undefined;
  if (actual === null || actual === undefined) return op === 'neq' || op === 'notIn';

  if (Array.isArray(actual)) {
    const values = listOf(value);
    const any = values.some((item) => actual.some((element) => same(element, item)));
    if (op === 'includes') return any;
    if (op === 'excludes') return !any;
    return false;
  }
  const scalar = actual as Scalar;
  switch (op) {
    case 'eq':
      return same(scalar, value);
    case 'neq':
      return !same(scalar, value);
    case 'in':
      return listOf(value).some((item) => same(scalar, item));
    case 'notIn':
      return !listOf(value).some((item) => same(scalar, item));
    case 'lt':
      return scalar < (value as number | string);
    case 'lte':
      return scalar <= (value as number | string);
    case 'gt':
      return scalar > (value as number | string);
    case 'gte':
      return scalar >= (value as number | string);
    case 'between': {
      const [from, to] = value as [number | string, number | string];
      return scalar >= from && scalar <= to;
    }
    default:
      return false;
  }
}

/** Tests whether a rule (a condition or an all/any group) holds. The empty `{ all: [] }` always holds. */
export function ruleHolds(rule: RuleNode, variables: DebtorVariables): boolean {
  if ('all' in rule) return rule.all.every((child) => ruleHolds(child, variables));
  if ('any' in rule) return rule.any.some((child) => ruleHolds(child, variables));
  return conditionHolds(rule, variables);
}

/** murmur3's 32-bit finaliser over FNV-1a: stable across runs and platforms, and well spread. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * Picks the treatment of a debtor in a segment: the hash of the segment and debtor ids picks a point in
 * 0…9,999 and the treatments take consecutive ranges by their percentages, in their listed order.
 * The same debtor always gets the same treatment while the split (ids, order, percentages) stays.
 */
export function pickTreatment<T extends Pick<Treatment, 'percent'>>(segmentId: string, debtorId: string, treatments: readonly T[]): T | null {
  if (treatments.length === 0) return null;
  const point = stableHash(`${segmentId}\u0000${debtorId}`) % 10_000;
  let upTo = 0;
  for (const treatment of treatments) {
    upTo += treatment.percent * 100;
    if (point < upTo) return treatment;
  }
  return treatments.at(-1)!;
}

interface CompiledTreatment {
  treatment: Treatment;
  percent: number;
  priority: CompiledFormula | null;
}

interface CompiledSegment {
  id: string;
  name: string;
  rule: RuleNode;
  priority: CompiledFormula;
  scriptId: string;
  timeline: readonly TimelineActivity[];
  treatments: readonly CompiledTreatment[];
}

export interface CompiledStrategySet {
  version: string;
  segments: readonly CompiledSegment[];
}

/** Compiles the formulas of a validated set once. */
export function compileStrategySet(set: StrategySet): CompiledStrategySet {
  return {
    version: set.version,
    segments: set.segments.map((segment) => ({
      id: segment.id,
      name: segment.name,
      rule: segment.rule,
      priority: compileFormula(segment.strategy.priority),
      scriptId: segment.strategy.scriptId,
      timeline: segment.strategy.timeline,
      treatments: (segment.strategy.treatments ?? []).map((treatment) => ({
        treatment,
        percent: treatment.percent,
        priority: treatment.priority === undefined ? null : compileFormula(treatment.priority),
      })),
    })),
  };
}

/** Evaluates the segment, treatment, priority, script and timeline of one debtor from its variables. */
export function evaluateVariables(compiled: CompiledStrategySet, debtorId: string, variables: DebtorVariables): StrategyAssignment {
  // A validated set ends with a catch-all, so the loop always returns; the throw guards an unvalidated one.
  for (const segment of compiled.segments) {
    if (!ruleHolds(segment.rule, variables)) continue;
    const picked = pickTreatment(segment.id, debtorId, segment.treatments);
    const formula = picked?.priority ?? segment.priority;
    const priority = formula(variables);
    return {
      segmentId: segment.id,
      segmentName: segment.name,
      treatmentId: picked?.treatment.id ?? null,
      priority: Number.isFinite(priority) ? priority : 0,
      scriptId: picked?.treatment.scriptId ?? segment.scriptId,
      timeline: picked?.treatment.timeline ?? segment.timeline,
      strategyVersion: compiled.version,
    };
  }
  throw new Error(`No segment of strategy ${compiled.version} matches debtor ${debtorId}: the set has no final catch-all`);
}

/** Evaluates the segment, treatment, priority, script and timeline of one debtor on a Bogotá day (`YYYY-MM-DD`). */
export function evaluateDebtor(compiled: CompiledStrategySet, facts: DebtorFacts, today: string): StrategyAssignment {
  return evaluateVariables(compiled, facts.id, debtorVariables(facts, today));
}

/** Lists the names that `VARIABLES` lacks, so tests keep `debtorVariables` and the editor's list in step. */
export function unknownVariableNames(variables: DebtorVariables): string[] {
  return Object.keys(variables).filter((name) => !VARIABLES_BY_NAME.has(name));
}
