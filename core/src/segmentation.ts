/**
 * The factory segmentation: days-past-due bands and the priority they had before strategies were
 * published centrally. `resources/strategy.json` reproduces these rules as the default strategy
 * (`core/src/strategy/evaluate.test.ts` checks that both agree), and the server stores each
 * debtor's band from here in `debtors.segment`. A debtor, not an obligation, is the unit of work, so
 * the band comes from the worst of the debtor's obligations and the priority from the sum of their
 * balances.
 */
import type { DefaultSegment as Segment, Obligation } from './domain.ts';

/** The obligation fields segmentation reads. */
export type SegmentationInput = Pick<Obligation, 'daysPastDue' | 'writtenOff' | 'balanceCents'>;

export interface SegmentRule {
  segment: Segment;
  /** Spanish text of the rule, as a team lead reads it. */
  description: string;
  matches(maxDaysPastDue: number, writtenOff: boolean): boolean;
}

/**
 * Rules in the order they are tried; the first match wins. They are also mutually exclusive, so
 * the order only documents intent: a written-off obligation is castigada whatever its days past due.
 */
export const SEGMENT_RULES: readonly SegmentRule[] = [
  {
    segment: 'castigada',
    description: 'Más de 180 días de mora o alguna obligación castigada',
    matches: (maxDaysPastDue, writtenOff) => writtenOff || maxDaysPastDue > 180,
  },
  {
    segment: 'preventiva',
    description: 'Sin mora (0 días o cuota por vencer)',
    matches: (maxDaysPastDue, writtenOff) => !writtenOff && maxDaysPastDue <= 0,
  },
  {
    segment: 'temprana',
    description: 'De 1 a 30 días de mora',
    matches: (maxDaysPastDue, writtenOff) => !writtenOff && maxDaysPastDue >= 1 && maxDaysPastDue <= 30,
  },
  {
    segment: 'media',
    description: 'De 31 a 90 días de mora',
    matches: (maxDaysPastDue, writtenOff) => !writtenOff && maxDaysPastDue >= 31 && maxDaysPastDue <= 90,
  },
  {
    segment: 'tardia',
    description: 'De 91 a 180 días de mora',
    matches: (maxDaysPastDue, writtenOff) => !writtenOff && maxDaysPastDue >= 91 && maxDaysPastDue <= 180,
  },
];

export const SCRIPT_IDS: Readonly<Record<Segment, string>> = {
  preventiva: 'guion-preventiva',
  temprana: 'guion-temprana',
  media: 'guion-media',
  tardia: 'guion-tardia',
  castigada: 'guion-castigada',
};

/**
 * Weight of each segment in the priority. Media comes first because those debtors are about to
 * roll into late collection and still respond to agreements; Temprana next, then Tardía and
 * Castigada, whose recovery odds fall with age. Preventiva is last for the phone queue because
 * its strategy is digital first.
 */
export const SEGMENT_WEIGHTS: Readonly<Record<Segment, number>> = {
  media: 4,
  temprana: 3,
  tardia: 2,
  castigada: 1,
  preventiva: 0,
};

/** Upper bound of the balance part of the priority, so it never outweighs one segment step. */
const MAX_BALANCE_SCORE = 999;

export interface DebtorSegmentation {
  segment: Segment;
  /** Higher is worked first. */
  priority: number;
  scriptId: string;
  maxDaysPastDue: number;
  totalBalanceCents: number;
  writtenOff: boolean;
}

/** Segment of a debtor from the maximum days past due over their obligations and any written-off flag. */
export function segmentFor(maxDaysPastDue: number, writtenOff: boolean): Segment {
  const rule = SEGMENT_RULES.find((candidate) => candidate.matches(maxDaysPastDue, writtenOff));
  if (!rule) throw new Error(`No segment rule matches maxDaysPastDue=${maxDaysPastDue} writtenOff=${writtenOff}`);
  return rule.segment;
}

/**
 * Priority = segment weight × 1000 + balance score, where the balance score is
 * `round(100 × log10(1 + total balance in pesos))`, capped at 999. The logarithm keeps one very
 * large balance from burying the rest of its segment. The cap keeps segments in order, so any
 * Media debtor comes before any Temprana debtor.
 */
export function priorityFor(segment: Segment, totalBalanceCents: number): number {
  const pesos = Math.max(0, totalBalanceCents) / 100;
  const balanceScore = Math.min(MAX_BALANCE_SCORE, Math.round(100 * Math.log10(1 + pesos)));
  return SEGMENT_WEIGHTS[segment] * 1000 + balanceScore;
}

/** Segment, priority and script of one debtor from all their obligations. */
export function segmentDebtor(obligations: readonly SegmentationInput[]): DebtorSegmentation {
  if (obligations.length === 0) throw new Error('segmentDebtor needs at least one obligation');

  const maxDaysPastDue = Math.max(...obligations.map((obligation) => obligation.daysPastDue));
  const writtenOff = obligations.some((obligation) => obligation.writtenOff);
  const totalBalanceCents = obligations.reduce((sum, obligation) => sum + obligation.balanceCents, 0);

  const segment = segmentFor(maxDaysPastDue, writtenOff);
  return {
    segment,
    priority: priorityFor(segment, totalBalanceCents),
    scriptId: SCRIPT_IDS[segment],
    maxDaysPastDue,
    totalBalanceCents,
    writtenOff,
  };
}
