/**
 * Reads what the strategy needs about debtors in bulk: obligations (with origination features),
 * score, promise status, collection holds and payment history. It also reads each debtor's current
 * assignment, so that a re-segmentation can tell which debtors changed.
 */
import { bogotaDate } from '@gestiona/core/format';
import type { DebtorFacts, ObligationFacts } from '@gestiona/core/strategy/evaluate';
import { loadCollectionHolds } from '../catalog/holds.ts';
import { loadPromiseStatuses } from '../promises/debtor-promise-status.ts';
import type { SqlConnection, SqlValue } from '../store/sql.ts';

/** Assignment stored on the debtor row now. */
export interface StoredAssignment {
  segmentId: string | null;
  segmentName: string | null;
  treatmentId: string | null;
  priority: number;
  scriptId: string;
  strategyVersion: string | null;
}

export interface DebtorStrategyFacts {
  facts: DebtorFacts;
  stored: StoredAssignment;
}

interface DebtorRow {
  id: string;
  city: string | null;
  score: number | null;
  segment_id: string | null;
  segment_name: string | null;
  treatment_id: string | null;
  priority: number;
  script_id: string;
  strategy_version: string | null;
}

/** An obligation row, selected under the field names of `ObligationFacts` so the row is used as it comes. */
type ObligationRow = ObligationFacts & { debtorId: string };

/** Debtor ids per query, well under the bound-parameter limits of both databases. */
const CHUNK = 500;

const DAY_MS = 86_400_000;

/** Runs `query` over all rows (ids 'all') or over the ids in chunks, as `WHERE column IN (…)`. */
async function chunked<Row>(sql: SqlConnection, ids: readonly string[] | 'all', build: (where: string) => string, params: readonly SqlValue[], column: string): Promise<Row[]> {
  if (ids === 'all') return sql.all<Row>(build(''), params);
  const rows: Row[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    rows.push(...(await sql.all<Row>(build(`${column} IN (${chunk.map(() => '?').join(', ')})`), [...params, ...chunk])));
  }
  return rows;
}

function and(where: string, extra = ''): string {
  const parts = [where, extra].filter((part) => part !== '');
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
}

/** Facts of the given debtors (or every debtor), ordered by id; unknown ids are skipped. */
export async function loadStrategyFacts(sql: SqlConnection, debtorIds: readonly string[] | 'all', now: Date): Promise<DebtorStrategyFacts[]> {
  const ids = debtorIds === 'all' ? 'all' : [...new Set(debtorIds)];
  const debtorRows = await chunked<DebtorRow>(
    sql,
    ids,
    (where) => `SELECT id, city, score, segment_id, segment_name, treatment_id, priority, script_id, strategy_version FROM debtors ${and(where)} ORDER BY id`,
    [],
    'id',
  );
  if (debtorRows.length === 0) return [];
  const allIds = debtorRows.map((row) => row.id);

  const obligations = new Map<string, ObligationFacts[]>();
  // Amounts come back as floating point, which holds centavos exactly up to 2^53, so that PostgreSQL
  // returns numbers rather than the strings it uses for bigint. written_off = 1 gives a boolean in
  // PostgreSQL and 0 or 1 in SQLite; the evaluation only tests it for truth.
  const obligationRows = await chunked<ObligationRow>(
    sql,
    ids,
    (where) =>
      `SELECT debtor_id AS "debtorId", product, CAST(balance_cents AS double precision) AS "balanceCents",
              CAST(overdue_cents AS double precision) AS "overdueCents", days_past_due AS "daysPastDue", written_off = 1 AS "writtenOff",
              origination_channel AS "originationChannel", origination_city AS "originationCity", origination_date AS "originationDate",
              CAST(origination_amount_cents AS double precision) AS "originationAmountCents"
       FROM obligations ${and(where)}`,
    [],
    'debtor_id',
  );
  for (const row of obligationRows) {
    let list = obligations.get(row.debtorId);
    if (list === undefined) obligations.set(row.debtorId, (list = []));
    list.push(row);
  }

  const since = bogotaDate(new Date(now.getTime() - 90 * DAY_MS).toISOString());
  const payments = new Map<string, { last: string | null; recent: number }>();
  const paymentRows = await chunked<{ debtor_id: string; last_paid: string | null; recent: number | string }>(
    sql,
    ids,
    (where) =>
      `SELECT debtor_id, MAX(paid_on) AS last_paid, SUM(CASE WHEN paid_on >= ? THEN 1 ELSE 0 END) AS recent
       FROM payments ${and(where)} GROUP BY debtor_id`,
    [since],
    'debtor_id',
  );
  for (const row of paymentRows) payments.set(row.debtor_id, { last: row.last_paid, recent: Number(row.recent) });

  const promiseStatuses = await loadPromiseStatuses(sql, allIds);
  const holds = await loadCollectionHolds(sql, allIds);

  return debtorRows.map((row) => {
    const hold = holds.get(row.id);
    const payment = payments.get(row.id);
    return {
      facts: {
        id: row.id,
        city: row.city,
        score: row.score === null ? null : Number(row.score),
        obligations: obligations.get(row.id) ?? [],
        promiseStatus: promiseStatuses.get(row.id) ?? 'none',
        disputeOpen: hold?.kind === 'dispute',
        deceased: hold?.kind === 'stopped',
        lastPaymentOn: payment?.last ?? null,
        paymentsLast90Days: payment?.recent ?? 0,
      },
      stored: {
        segmentId: row.segment_id,
        segmentName: row.segment_name,
        treatmentId: row.treatment_id,
        priority: Number(row.priority),
        scriptId: row.script_id,
        strategyVersion: row.strategy_version,
      },
    };
  });
}
