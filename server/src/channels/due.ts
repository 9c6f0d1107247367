/**
 * Finds the digital and field activities due for each debtor, with the planner the workstations
 * use for calls (`core/src/strategy/timeline-plan.ts`) fed from the server's own facts: segment and
 * treatment, assignment date, earliest due date, and the stop events (promises made, holds in force,
 * payments received).
 */
import { bogotaDate } from '@gestiona/core/format';
import type { StrategySet, TimelineActivity } from '@gestiona/core/strategy/schema';
import { planTimeline, type StopEvent } from '@gestiona/core/strategy/timeline-plan';
import { parseIsoDate, formatDayNumber } from '@gestiona/core/compliance/civil-date';
import type { SqlConnection } from '../store/sql.ts';
import { DISPATCHED_CHANNELS, type DispatchedChannel, type DueActivity } from './types.ts';

/**
 * Days back that a due occurrence is still sent, so that a server that was down for a weekend
 * catches up. An occurrence older than that is left alone, because its message would be stale.
 */
export const CATCH_UP_DAYS = 3;

interface DebtorPlanRow {
  id: string;
  segment_id: string | null;
  treatment_id: string | null;
  segment_assigned_at: string | null;
  earliest_due_date: string | null;
  person_id: string | null;
}

const DEBTOR_PLAN_SQL = `SELECT debtors.id, debtors.segment_id, debtors.treatment_id, debtors.segment_assigned_at,
    (SELECT MIN(obligations.due_date) FROM obligations WHERE obligations.debtor_id = debtors.id AND obligations.due_date IS NOT NULL) AS earliest_due_date,
    (SELECT persons.id FROM persons WHERE persons.debtor_id = debtors.id AND persons.role = 'debtor' ORDER BY persons.position, persons.id LIMIT 1) AS person_id
  FROM debtors`;

/** Narrows a planning read to one debtor (the re-check of a claimed send); null reads every debtor. */
type DebtorFilter = string | null;

const whereDebtor = (column: string, debtorId: DebtorFilter, joiner: 'WHERE' | 'AND'): { sql: string; params: string[] } =>
  debtorId === null ? { sql: '', params: [] } : { sql: ` ${joiner} ${column} = ?`, params: [debtorId] };

/** Returns the debtor's timeline: its treatment's when the treatment overrides it, else its segment's; none for an unknown segment. */
export function timelineOf(set: StrategySet, segmentId: string | null, treatmentId: string | null): readonly TimelineActivity[] {
  const segment = set.segments.find((candidate) => candidate.id === segmentId);
  if (!segment) return [];
  const treatment = treatmentId === null ? undefined : segment.strategy.treatments?.find((candidate) => candidate.id === treatmentId);
  return treatment?.timeline ?? segment.strategy.timeline;
}

/** Reads the stop events of every debtor: promises made, holds in force (dispute, deceased) and payments received. */
async function stopEvents(sql: SqlConnection, debtorId: DebtorFilter): Promise<Map<string, StopEvent[]>> {
  const stops = new Map<string, StopEvent[]>();
  const add = (debtorId: string, stop: StopEvent): void => {
    const list = stops.get(debtorId);
    if (list) list.push(stop);
    else stops.set(debtorId, [stop]);
  };
  const promises = whereDebtor('debtor_id', debtorId, 'WHERE');
  for (const row of await sql.all<{ debtor_id: string; made_on: string }>(`SELECT debtor_id, made_on FROM promises${promises.sql}`, promises.params)) {
    add(row.debtor_id, { kind: 'promise-made', date: row.made_on });
  }
  const holds = whereDebtor('debtor_id', debtorId, 'AND');
  for (const row of await sql.all<{ debtor_id: string; kind: string; since: string }>(`SELECT debtor_id, kind, since FROM collection_holds WHERE lifted_at IS NULL${holds.sql}`, holds.params)) {
    add(row.debtor_id, { kind: row.kind === 'dispute' ? 'dispute-opened' : 'strategy-stop', date: bogotaDate(row.since) });
  }
  const payments = whereDebtor('debtor_id', debtorId, 'WHERE');
  for (const row of await sql.all<{ debtor_id: string; paid_on: string }>(`SELECT debtor_id, paid_on FROM payments${payments.sql}`, payments.params)) {
    add(row.debtor_id, { kind: 'payment-received', date: row.paid_on });
  }
  return stops;
}

const isDispatched = (channel: TimelineActivity['channel']): channel is DispatchedChannel => (DISPATCHED_CHANNELS as readonly string[]).includes(channel);

export interface DueQuery {
  /** One debtor only; default every debtor. */
  debtorId?: string;
  /** Earliest occurrence date listed; default {@link CATCH_UP_DAYS} days before `today`. */
  earliest?: string;
}

/**
 * Lists the occurrences on `enabled` channels that are due on `today` or since `query.earliest`,
 * for every debtor with a debtor person. Stop events before the assignment are dropped, because
 * they belong to the debtor's previous segment.
 *
 * NOTE: each pass reads every debtor with three subqueries each; a portfolio of hundreds of
 * thousands of debtors may need a longer `intervalMs`.
 */
export async function dueActivities(
  sql: SqlConnection,
  set: StrategySet,
  strategyVersion: string | null,
  today: string,
  enabled: ReadonlySet<DispatchedChannel>,
  query: DueQuery = {},
): Promise<DueActivity[]> {
  const todayNumber = parseIsoDate(today);
  if (todayNumber === null) throw new Error(`Invalid date ${JSON.stringify(today)}: expected YYYY-MM-DD`);
  const earliest = query.earliest ?? formatDayNumber(todayNumber - CATCH_UP_DAYS);
  const debtorId = query.debtorId ?? null;
  const stops = await stopEvents(sql, debtorId);
  const due: DueActivity[] = [];
  const debtors = whereDebtor('debtors.id', debtorId, 'WHERE');

  for (const row of await sql.all<DebtorPlanRow>(`${DEBTOR_PLAN_SQL}${debtors.sql} ORDER BY debtors.id`, debtors.params)) {
    if (row.person_id === null) continue;
    const activities = timelineOf(set, row.segment_id, row.treatment_id).filter((activity) => isDispatched(activity.channel) && enabled.has(activity.channel));
    if (activities.length === 0) continue;

    const assignedOn = row.segment_assigned_at === null ? null : bogotaDate(row.segment_assigned_at);
    const debtorStops = (stops.get(row.id) ?? []).filter((stop) => assignedOn === null || stop.date >= assignedOn);
    // The send table's unique key already keeps a sent occurrence from being planned again.
    const facts = { assignedOn, earliestDueDate: row.earliest_due_date, stops: debtorStops, callDates: [], serverSends: [] };
    for (const occurrence of planTimeline(activities, facts, today)) {
      if (occurrence.state !== 'due' || occurrence.date < earliest || !isDispatched(occurrence.channel)) continue;
      due.push({ debtorId: row.id, personId: row.person_id, activityId: occurrence.activityId, occurrenceDate: occurrence.date, channel: occurrence.channel, strategyVersion });
    }
  }
  return due;
}
