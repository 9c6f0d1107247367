/**
 * The promise status of each debtor, a variable that segment rules can test. A debtor's status is
 * that of their most recent promise or agreement (by the instant it was made), because the latest
 * commitment is the one the strategy should react to; a debtor who never promised is absent from
 * the map, which callers read as 'none'.
 */
import type { PromiseStatus } from '@gestiona/core/sync';
import type { SqlConnection } from '../store/sql.ts';

export type DebtorPromiseStatus = 'none' | PromiseStatus;

/** Debtor ids per query, well under the bound-parameter limits of SQLite (32766) and PostgreSQL (65535). */
const CHUNK = 500;

export async function loadPromiseStatuses(sql: SqlConnection, debtorIds: readonly string[]): Promise<Map<string, DebtorPromiseStatus>> {
  const statuses = new Map<string, DebtorPromiseStatus>();
  const latestMadeAt = new Map<string, string>();
  const unique = [...new Set(debtorIds)];
  for (let start = 0; start < unique.length; start += CHUNK) {
    const chunk = unique.slice(start, start + CHUNK);
    const rows = await sql.all<{ debtor_id: string; status: PromiseStatus; made_at: string; id: string }>(
      `SELECT debtor_id, status, made_at, id FROM promises WHERE debtor_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY debtor_id, made_at, id`,
      chunk,
    );
    for (const row of rows) {
      // Rows come oldest first per debtor, so the last one seen is the most recent promise.
      const previous = latestMadeAt.get(row.debtor_id);
      if (previous !== undefined && previous > row.made_at) continue;
      latestMadeAt.set(row.debtor_id, row.made_at);
      statuses.set(row.debtor_id, row.status);
    }
  }
  return statuses;
}
