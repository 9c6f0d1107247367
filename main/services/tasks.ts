/**
 * Strategy timelines on the workstation: which call each leased debtor is due for today (the
 * worklist's "Tareas de hoy"), and the whole plan of one debtor for the debtor view.
 *
 * Plans are kept in `debtor_plans`, one row per debtor for one Bogotá day. A row goes stale at
 * midnight, and migration 007's triggers delete it when a contact, a wrap-up record, the debtor's
 * snapshot or the strategy set changes, so `refreshPlans` only recomputes what changed.
 */
import { bogotaDayOf } from '@gestiona/core/compliance/bogota-time';
import { formatDayNumber } from '@gestiona/core/compliance/civil-date';
import { strategySetSchema, type StrategySet, type TimelineActivity } from '@gestiona/core/strategy/schema';
import type { LocalStore } from '../store/local-store.ts';
import type { PlanFactsRow, PlanRow } from '../store/tasks.ts';
import type { Logger } from '../logger.ts';
import { dueCallTask, planTimeline, type DebtorTimelineFacts, type Occurrence, type StopEvent } from './tasks-plan.ts';

export const CHANNEL_LABELS: Readonly<Record<TimelineActivity['channel'], string>> = {
  call: 'Llamada',
  sms: 'SMS',
  email: 'Correo electrónico',
  whatsapp: 'WhatsApp',
  letter: 'Carta',
  visit: 'Visita',
};

/** Kinds of the stored events that stop timeline activities (see `PlanFactsRow.records`), and the event each one is. */
const RECORD_STOPS: Readonly<Record<string, StopEvent['kind']>> = {
  promise: 'promise-made',
  agreement: 'promise-made',
  'collection-pause': 'dispute-opened',
  'strategy-stop': 'strategy-stop',
  'hold-dispute': 'dispute-opened',
  'hold-stopped': 'strategy-stop',
  payment: 'payment-received',
};

/** Bogotá date (`YYYY-MM-DD`) of an ISO instant, without building a time-zone object: Bogotá has no daylight saving time. */
export function bogotaDateOf(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`Invalid ISO instant: ${iso}`);
  return formatDayNumber(bogotaDayOf(ms));
}

/** Returns the task's Spanish name, the activity id read as words: `llamada-bienvenida` → "Llamada bienvenida", a call `recordatorio` → "Llamada: Recordatorio". */
export function activityName(activity: Pick<TimelineActivity, 'id' | 'channel'>): string {
  const words = activity.id.replace(/-/g, ' ');
  const name = words.charAt(0).toUpperCase() + words.slice(1);
  return name.toLowerCase().startsWith(CHANNEL_LABELS[activity.channel].toLowerCase()) ? name : `${CHANNEL_LABELS[activity.channel]}: ${name}`;
}

/** The last parsed set per store, keyed by its JSON text: parsing compiles every priority formula. */
const parsedSets = new WeakMap<LocalStore, { body: string; set: StrategySet | null }>();

/** Returns the stored strategy set, or null before the first `strategy.set` or when the stored one no longer parses. */
export function currentStrategySet(store: LocalStore, logger?: Logger): StrategySet | null {
  const stored = store.strategy.strategySetJson();
  if (stored === null) return null;
  const cached = parsedSets.get(store);
  if (cached?.body === stored.body) return cached.set;

  const parsed = strategySetSchema.safeParse(JSON.parse(stored.body));
  if (!parsed.success) {
    logger?.error({ version: stored.version, issue: parsed.error.issues[0]?.message }, 'strategy plan: stored strategy set does not parse; no tasks planned');
  }
  const set = parsed.success ? parsed.data : null;
  parsedSets.set(store, { body: stored.body, set });
  return set;
}

/** Returns a debtor's timeline: its treatment's when the treatment overrides it, else its segment's, and none for an unknown segment. */
export function timelineFor(set: StrategySet | null, segmentId: string, treatmentId: string | null): readonly TimelineActivity[] {
  const segment = set?.segments.find((candidate) => candidate.id === segmentId);
  if (!segment) return [];
  const treatment = treatmentId === null ? undefined : segment.strategy.treatments?.find((candidate) => candidate.id === treatmentId);
  return treatment?.timeline ?? segment.strategy.timeline;
}

/**
 * Converts a debtor's stored facts to the planner's input. Stop events before the assignment are
 * dropped: they belong to the debtor's previous time in a segment.
 */
export function timelineFacts(row: PlanFactsRow): DebtorTimelineFacts {
  const assignedOn = row.assignedAt === null ? null : bogotaDateOf(row.assignedAt);
  const stops: StopEvent[] = [];
  for (const record of row.records) {
    const kind = RECORD_STOPS[record.kind];
    if (kind === undefined) continue;
    const date = /^\d{4}-\d{2}-\d{2}$/.test(record.createdAt) ? record.createdAt : bogotaDateOf(record.createdAt);
    if (assignedOn === null || date >= assignedOn) stops.push({ kind, date });
  }
  return { assignedOn, earliestDueDate: row.earliestDueDate, stops, callDates: row.callInstants.map(bogotaDateOf), serverSends: row.serverSends };
}

/**
 * Recomputes the plans that are missing or stale for `today`. Returns how many it wrote; the
 * strategy set is parsed only when there is one to write.
 */
export function refreshPlans(store: LocalStore, nowMs: number, logger?: Logger): number {
  const today = formatDayNumber(bogotaDayOf(nowMs));
  const stale = store.tasks.stalePlanDebtors(today, nowMs);
  if (stale.length === 0) return 0;

  const set = currentStrategySet(store, logger);
  const plans: PlanRow[] = [];
  for (const debtorId of stale) {
    const facts = store.tasks.planFacts(debtorId);
    if (facts === null) continue;
    const timeline = timelineFor(set, facts.segment, facts.treatmentId);
    const task = timeline.length === 0 ? null : dueCallTask(timeline, timelineFacts(facts), today);
    const activity = task === null ? undefined : timeline.find((candidate) => candidate.id === task.activityId);
    plans.push({
      debtorId,
      activityId: task?.activityId ?? null,
      activityName: activity ? activityName(activity) : null,
      plannedDate: task?.date ?? null,
    });
  }
  store.tasks.savePlans(today, plans);
  return plans.length;
}

/** Lists every occurrence of a debtor's timeline, for the debtor view; the list is empty without a strategy. */
export function debtorOccurrences(store: LocalStore, debtorId: string, nowMs: number, logger?: Logger): { occurrences: Occurrence[]; activities: readonly TimelineActivity[] } {
  const facts = store.tasks.planFacts(debtorId);
  if (facts === null) return { occurrences: [], activities: [] };
  const activities = timelineFor(currentStrategySet(store, logger), facts.segment, facts.treatmentId);
  const today = formatDayNumber(bogotaDayOf(nowMs));
  return { occurrences: planTimeline(activities, timelineFacts(facts), today), activities };
}
