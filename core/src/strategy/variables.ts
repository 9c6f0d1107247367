/**
 * The debtor variables that segment rules and priority formulas read. Zod-free, so the admin
 * editor in the renderer can list them with their Spanish labels.
 *
 * Amounts are in pesos (COP, not centavos) because administrators write formulas in pesos.
 */
import type { Product } from '../domain.ts';

/** The products of `domain.ts`, repeated so that this module imports no zod (a test keeps both equal). */
export const PRODUCT_IDS = ['credit-card', 'consumer-loan', 'payroll-loan', 'vehicle', 'mortgage', 'microcredit'] as const satisfies readonly Product[];

export const PROMISE_STATUSES = ['none', 'pending', 'kept', 'partly-kept', 'broken'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/** Days-past-due buckets, from the maximum days past due over the debtor's obligations. */
export const DPD_BUCKETS = ['0', '1-30', '31-60', '61-90', '91-120', '121-180', '181-360', '361+'] as const;
export type DpdBucket = (typeof DPD_BUCKETS)[number];

export function dpdBucketOf(daysPastDue: number): DpdBucket {
  if (daysPastDue <= 0) return '0';
  if (daysPastDue <= 30) return '1-30';
  if (daysPastDue <= 60) return '31-60';
  if (daysPastDue <= 90) return '61-90';
  if (daysPastDue <= 120) return '91-120';
  if (daysPastDue <= 180) return '121-180';
  if (daysPastDue <= 360) return '181-360';
  return '361+';
}

export type VariableType = 'number' | 'string' | 'boolean' | 'string-list' | 'date';

export interface VariableDefinition {
  name: string;
  /** Spanish label for the editor and for error messages. */
  label: string;
  type: VariableType;
  /** May be null (no score on file, no payment ever). */
  nullable: boolean;
  /** Allowed values of an enumerated string or list. */
  values?: readonly string[];
}

/** `credit-card` → `creditCardBalanceCop`. */
export function productBalanceVariable(product: Product): string {
  const camel = product.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  return `${camel}BalanceCop`;
}

const PRODUCT_LABELS: Readonly<Record<Product, string>> = {
  'credit-card': 'tarjeta de crédito',
  'consumer-loan': 'crédito de consumo',
  'payroll-loan': 'libranza',
  vehicle: 'vehículo',
  mortgage: 'hipotecario',
  microcredit: 'microcrédito',
};

export const VARIABLES: readonly VariableDefinition[] = [
  { name: 'daysPastDue', label: 'Días de mora (máximo entre obligaciones)', type: 'number', nullable: false },
  { name: 'dpdBucket', label: 'Tramo de mora', type: 'string', nullable: false, values: DPD_BUCKETS },
  { name: 'writtenOff', label: 'Alguna obligación castigada', type: 'boolean', nullable: false },
  { name: 'totalBalanceCop', label: 'Saldo total (pesos)', type: 'number', nullable: false },
  { name: 'overdueCop', label: 'Valor vencido total (pesos)', type: 'number', nullable: false },
  ...PRODUCT_IDS.map((product): VariableDefinition => ({
    name: productBalanceVariable(product),
    label: `Saldo en ${PRODUCT_LABELS[product]} (pesos)`,
    type: 'number',
    nullable: false,
  })),
  { name: 'products', label: 'Productos', type: 'string-list', nullable: false, values: PRODUCT_IDS },
  { name: 'productCount', label: 'Número de obligaciones', type: 'number', nullable: false },
  { name: 'city', label: 'Ciudad del deudor', type: 'string', nullable: true },
  { name: 'score', label: 'Puntaje', type: 'number', nullable: true },
  { name: 'originationChannel', label: 'Canal de originación', type: 'string', nullable: true },
  { name: 'originationCity', label: 'Ciudad de originación', type: 'string', nullable: true },
  { name: 'originationDate', label: 'Fecha de originación (AAAA-MM-DD)', type: 'date', nullable: true },
  { name: 'originationAmountCop', label: 'Monto de originación (pesos)', type: 'number', nullable: true },
  { name: 'daysSinceOrigination', label: 'Días desde la originación', type: 'number', nullable: true },
  { name: 'daysSinceLastPayment', label: 'Días desde el último pago', type: 'number', nullable: true },
  { name: 'paymentsLast90Days', label: 'Pagos en los últimos 90 días', type: 'number', nullable: false },
  { name: 'promiseStatus', label: 'Estado de la promesa de pago', type: 'string', nullable: false, values: PROMISE_STATUSES },
  { name: 'disputeOpen', label: 'Reclamación abierta (cobro en pausa)', type: 'boolean', nullable: false },
  { name: 'deceased', label: 'Deudor fallecido', type: 'boolean', nullable: false },
];

export const VARIABLES_BY_NAME: ReadonlyMap<string, VariableDefinition> = new Map(VARIABLES.map((variable) => [variable.name, variable]));

/** Values of the variables of one debtor, by variable name. */
export type DebtorVariables = Record<string, number | string | boolean | readonly string[] | null>;

export const CONDITION_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'notIn', 'includes', 'excludes', 'isNull', 'isNotNull'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** Spanish reading of each operator, for the editor. */
export const CONDITION_OP_LABELS: Readonly<Record<ConditionOp, string>> = {
  eq: 'es igual a',
  neq: 'es distinto de',
  lt: 'es menor que',
  lte: 'es menor o igual a',
  gt: 'es mayor que',
  gte: 'es mayor o igual a',
  between: 'está entre (inclusive)',
  in: 'es uno de',
  notIn: 'no es ninguno de',
  includes: 'incluye alguno de',
  excludes: 'no incluye ninguno de',
  isNull: 'no tiene valor',
  isNotNull: 'tiene valor',
};

/** Operators each variable type accepts; isNull/isNotNull only for nullable variables. */
export const OPS_BY_TYPE: Readonly<Record<VariableType, readonly ConditionOp[]>> = {
  number: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'notIn', 'isNull', 'isNotNull'],
  date: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'isNull', 'isNotNull'],
  string: ['eq', 'neq', 'in', 'notIn', 'isNull', 'isNotNull'],
  boolean: ['eq', 'neq'],
  'string-list': ['includes', 'excludes'],
};
