/** Shapes of the strategy store operations, for the admin API, the command line and tests. */
import type { StrategySet } from '@gestiona/core/strategy/schema';

export type StrategySource = 'resources' | 'admin';

export interface StrategyRecord {
  id: number;
  version: string;
  strategy: StrategySet;
  sha256: string;
  source: StrategySource;
  publishedBy: { id: string; username: string; fullName: string } | null;
  publishedAt: string;
  reason: string | null;
  changeSeq: number;
  /** Debtors re-segmented by the publication, and how many of them changed segment. */
  debtors: number;
  moved: number;
}

/** Debtors going from one segment to another (the same segment when they stay). */
export interface SegmentMove {
  from: string;
  fromName: string;
  to: string;
  toName: string;
  debtors: number;
}

export interface StrategyPreview {
  version: string;
  debtors: number;
  /** Debtors whose segment would change. */
  moved: number;
  /** Debtors whose segment, treatment, priority or script would change. */
  changed: number;
  moves: SegmentMove[];
}

export interface StrategyPublication {
  /** false when the same set was already in force: nothing was written. */
  published: boolean;
  current: StrategyRecord;
  previous: StrategyRecord | null;
  preview: StrategyPreview | null;
}

export interface StrategyPublishInput {
  strategy: unknown;
  reason?: string | null;
  publishedBy: string;
  now: Date;
}

/** Results of one treatment of one segment, from the events already stored. */
export interface StrategyResultRow {
  segmentId: string;
  segmentName: string;
  /** null: the segment has no champion/challenger split. */
  treatmentId: string | null;
  debtors: number;
  /** Contacts and attempts typified (interactions). */
  contacts: number;
  /** Interactions that reached the debtor or a co-obligor (right-party contacts). */
  rightPartyContacts: number;
  promises: number;
  promisedCents: number;
}
