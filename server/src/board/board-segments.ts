/**
 * The board's queues are the segments of the strategy in force, named and ordered as in it. A
 * debtor counts in the queue of its stored `segment_id`; one without a segment of that strategy
 * (none stored yet, or a slug the strategy no longer has) counts in «Sin segmento».
 */
import { strategySetSchema, type StrategySet } from '@gestiona/core/strategy/schema';
import type { SqlConnection } from '../store/sql.ts';
import { defaultStrategySet } from '../strategy/default-strategy.ts';

/** The key of the «Sin segmento» queue: a slug has no underscore, so it cannot clash with a segment. */
export const NO_SEGMENT_KEY = '_none';
export const NO_SEGMENT_LABEL = 'Sin segmento';

/** A queue of the board: a segment of the strategy in force. */
export interface QueueSegment {
  id: string;
  name: string;
}

/**
 * The segments of the last publication, by the SHA-256 of its feed entry. The board is read several
 * times a second, so it reads and validates the strategy's text only when another publication is in
 * force. The hash, not the row id, names the content, because tests open several databases in one process.
 */
let cached: { sha256: string; segments: QueueSegment[] } | null = null;

function segmentsOf(set: StrategySet): QueueSegment[] {
  return set.segments.map((segment) => ({ id: segment.id, name: segment.name }));
}

/** Reads the segments of the strategy in force: the last published, or the factory default before the first publication. */
export async function readQueueSegments(sql: SqlConnection): Promise<QueueSegment[]> {
  const latest = await sql.get<{ id: number | string; sha256: string }>('SELECT id, sha256 FROM strategy_versions ORDER BY id DESC LIMIT 1');
  if (latest === undefined) return segmentsOf(defaultStrategySet());
  if (cached?.sha256 === latest.sha256) return cached.segments;

  const row = await sql.get<{ strategy: string }>('SELECT strategy FROM strategy_versions WHERE id = ?', [latest.id]);
  const segments = segmentsOf(strategySetSchema.parse(JSON.parse(row!.strategy)));
  cached = { sha256: latest.sha256, segments };
  return segments;
}

/** Returns the queue key of a stored `segment_id`: the segment itself, or `NO_SEGMENT_KEY`. */
export function queueKeyOf(segments: readonly QueueSegment[], segmentId: string | null): string {
  return segmentId !== null && segments.some((segment) => segment.id === segmentId) ? segmentId : NO_SEGMENT_KEY;
}

/** Returns the Spanish label of a queue key; null for a key that is no queue of the strategy. */
export function queueLabelOf(segments: readonly QueueSegment[], key: string): string | null {
  if (key === NO_SEGMENT_KEY) return NO_SEGMENT_LABEL;
  return segments.find((segment) => segment.id === key)?.name ?? null;
}

/**
 * The SQL condition that keeps the debtors of a queue, on a `segment_id` column, with its
 * parameters. «Sin segmento» needs a debtor row: `debtorIdColumn` is null for a debtor not joined.
 */
export function queueConditionSql(
  segments: readonly QueueSegment[],
  key: string,
  segmentColumn: string,
  debtorIdColumn: string,
): { sql: string; params: string[] } {
  if (key !== NO_SEGMENT_KEY) return { sql: `${segmentColumn} = ?`, params: [key] };
  const ids = segments.map((segment) => segment.id);
  const notIn = ids.length === 0 ? '' : ` OR ${segmentColumn} NOT IN (${ids.map(() => '?').join(', ')})`;
  return { sql: `(${debtorIdColumn} IS NOT NULL AND (${segmentColumn} IS NULL${notIn}))`, params: ids };
}
