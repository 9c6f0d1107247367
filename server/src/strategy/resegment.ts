/**
 * Re-segmentation: evaluates the strategy in force for debtors, stores their new segment, treatment,
 * priority and script, and sends the lease holder of each debtor that changed a fresh snapshot.
 * Used by a publication (every debtor), an import (the file's debtors) and the promises helper
 * after a promise changes status (`resegmentDebtors(sql, tables, context, [debtorId], now)`).
 * Everything runs in the caller's transaction, so a failure leaves every debtor as it was.
 */
import { bogotaDate } from '@gestiona/core/format';
import { compileStrategySet, evaluateDebtor, type CompiledStrategySet, type StrategyAssignment } from '@gestiona/core/strategy/evaluate';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { SqlConnection, SqlValue } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { defaultStrategySet } from './default-strategy.ts';
import { loadStrategyFacts, type DebtorStrategyFacts, type StoredAssignment } from './debtor-facts.ts';
import { StrategyVersionsTable } from './strategy-versions.ts';
import type { SegmentMove, StrategyPreview } from './types.ts';

export interface DebtorPlan {
  id: string;
  stored: StoredAssignment;
  next: StrategyAssignment;
  /** Segment, treatment, priority or script differ from what is stored. */
  changed: boolean;
  /** The segment differs. */
  moved: boolean;
}

export interface ResegmentOutcome extends StrategyPreview {
  /** Debtors per segment after the re-segmentation, among those re-segmented. */
  bySegment: Map<string, number>;
  /** Ids of the debtors whose segment, treatment, priority or script changed. */
  changedIds: string[];
}

const compiledCache = new WeakMap<StrategySet, CompiledStrategySet>();

function compiledOf(set: StrategySet): CompiledStrategySet {
  let compiled = compiledCache.get(set);
  if (compiled === undefined) compiledCache.set(set, (compiled = compileStrategySet(set)));
  return compiled;
}

/** Returns the set in force: the last published, or the factory default before the first publication. */
export async function strategySetInForce(sql: SqlConnection): Promise<StrategySet> {
  return (await new StrategyVersionsTable(sql).current())?.strategy ?? defaultStrategySet();
}

/** Evaluates a set for already loaded debtors; pure apart from the clock given. */
export function planDebtors(set: StrategySet, debtors: readonly DebtorStrategyFacts[], now: Date): DebtorPlan[] {
  const compiled = compiledOf(set);
  const today = bogotaDate(now.toISOString());
  return debtors.map(({ facts, stored }) => {
    const next = evaluateDebtor(compiled, facts, today);
    const moved = stored.segmentId !== next.segmentId;
    const changed = moved || stored.treatmentId !== next.treatmentId || stored.priority !== next.priority || stored.scriptId !== next.scriptId;
    return { id: facts.id, stored, next, changed, moved };
  });
}

/** Counts of debtors from each segment to each segment, for a preview or a publication's summary. */
export function summarizePlans(version: string, plans: readonly DebtorPlan[]): StrategyPreview {
  const moves = new Map<string, SegmentMove>();
  let moved = 0;
  let changed = 0;
  for (const plan of plans) {
    if (plan.moved) moved += 1;
    if (plan.changed) changed += 1;
    const from = plan.stored.segmentId ?? '';
    const key = `${from}\u0000${plan.next.segmentId}`;
    const entry = moves.get(key);
    if (entry) entry.debtors += 1;
    else moves.set(key, { from, fromName: plan.stored.segmentName ?? from, to: plan.next.segmentId, toName: plan.next.segmentName, debtors: 1 });
  }
  const sorted = [...moves.values()].sort((a, b) => b.debtors - a.debtors || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return { version, debtors: plans.length, moved, changed, moves: sorted };
}

/** Writes the plans and sends fresh snapshots to lease holders of changed debtors when `emit`. */
export async function applyPlans(
  sql: SqlConnection,
  tables: Tables,
  context: WriteContext,
  plans: readonly DebtorPlan[],
  now: Date,
  options: { emit: boolean; allDebtors: boolean; version: string },
): Promise<void> {
  const at = now.toISOString();
  if (options.allDebtors) {
    // One statement for the version of the debtors that keep everything else.
    await sql.run('UPDATE debtors SET strategy_version = ? WHERE strategy_version IS NULL OR strategy_version <> ?', [options.version, options.version]);
  }
  const writes = plans.filter(
    (plan) => plan.changed || plan.stored.segmentName !== plan.next.segmentName || (!options.allDebtors && plan.stored.strategyVersion !== plan.next.strategyVersion),
  );
  if (sql.writableCte) await updateInBatches(sql, writes, at);
  else {
    // SQLite runs in the process, so one statement per debtor costs no round trip.
    for (const plan of writes) {
      const { next } = plan;
      await sql.run(
        `UPDATE debtors SET segment_id = ?, segment_name = ?, treatment_id = ?, priority = ?, script_id = ?, strategy_version = ?,
           segment_assigned_at = CASE WHEN segment_id = ? AND segment_assigned_at IS NOT NULL THEN segment_assigned_at ELSE ? END
         WHERE id = ?`,
        [next.segmentId, next.segmentName, next.treatmentId, next.priority, next.scriptId, next.strategyVersion, next.segmentId, at, plan.id],
      );
    }
  }
  if (!options.emit) return;

  const changedIds = new Set(plans.filter((plan) => plan.changed).map((plan) => plan.id));
  if (changedIds.size === 0) return;
  const leases = await sql.all<{ debtor_id: string; agent_id: string; expires_at: string }>(
    'SELECT debtor_id, agent_id, expires_at FROM leases WHERE released_at IS NULL AND expires_at > ? ORDER BY debtor_id',
    [at],
  );
  for (const lease of leases) {
    if (!changedIds.has(lease.debtor_id)) continue;
    const snapshot = await tables.debtors.snapshot(lease.debtor_id, new Date(lease.expires_at));
    if (snapshot) await tables.changes.append(context, lease.agent_id, { type: 'debtor.upsert', payload: snapshot }, now);
  }
}

/** Debtors per PostgreSQL statement: 9 parameters each, well under its limit of 65,535. */
const UPDATE_BATCH = 500;

/** Writes the plans with one `UPDATE … FROM (VALUES …)` per batch, to save PostgreSQL round trips. */
async function updateInBatches(sql: SqlConnection, plans: readonly DebtorPlan[], at: string): Promise<void> {
  for (let start = 0; start < plans.length; start += UPDATE_BATCH) {
    const batch = plans.slice(start, start + UPDATE_BATCH);
    const params: SqlValue[] = [];
    for (const { id, next } of batch) params.push(id, next.segmentId, next.segmentName, next.treatmentId, next.priority, next.scriptId, next.strategyVersion, at);
    await sql.run(
      `UPDATE debtors SET segment_id = v.segment_id, segment_name = v.segment_name, treatment_id = v.treatment_id,
         priority = CAST(v.priority AS double precision), script_id = v.script_id, strategy_version = v.strategy_version,
         segment_assigned_at = CASE WHEN debtors.segment_id = v.segment_id AND debtors.segment_assigned_at IS NOT NULL
                                    THEN debtors.segment_assigned_at ELSE v.assigned_at END
       FROM (VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')})
         AS v(id, segment_id, segment_name, treatment_id, priority, script_id, strategy_version, assigned_at)
       WHERE debtors.id = v.id`,
      params,
    );
  }
}

/**
 * Re-segments the given debtors (or every debtor) under the set in force, or under `options.set`.
 * With `emit` (the default), the lease holder of each debtor whose segment, treatment, priority or
 * script changed gets a `debtor.upsert` in the same transaction.
 */
export async function resegmentDebtors(
  sql: SqlConnection,
  tables: Tables,
  context: WriteContext,
  debtorIds: readonly string[] | 'all',
  now: Date,
  options: { set?: StrategySet; emit?: boolean } = {},
): Promise<ResegmentOutcome> {
  const set = options.set ?? (await strategySetInForce(sql));
  const debtors = await loadStrategyFacts(sql, debtorIds, now);
  const plans = planDebtors(set, debtors, now);
  await applyPlans(sql, tables, context, plans, now, { emit: options.emit ?? true, allDebtors: debtorIds === 'all', version: set.version });
  const bySegment = new Map<string, number>();
  for (const plan of plans) bySegment.set(plan.next.segmentId, (bySegment.get(plan.next.segmentId) ?? 0) + 1);
  return { ...summarizePlans(set.version, plans), bySegment, changedIds: plans.filter((plan) => plan.changed).map((plan) => plan.id) };
}
