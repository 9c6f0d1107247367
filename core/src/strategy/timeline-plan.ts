/**
 * Turns a strategy timeline into dated activities for one debtor. Pure: the callers read the
 * debtor's facts from the local store and pass them in.
 *
 * Dates are Bogotá calendar dates (`YYYY-MM-DD`). An activity's first date is its anchor (the day
 * the debtor was assigned to the segment, or the earliest due date of its obligations) plus its day
 * offset, and each of the `times` repetitions adds `everyDays` more. A stop event on or before
 * an occurrence's date cancels that occurrence when the activity lists the event's kind in
 * `stopOn`; a strategy stop (deceased debtor) cancels every activity.
 */
import { formatDayNumber, parseIsoDate } from '../compliance/civil-date.ts';
import type { TimelineActivity } from './schema.ts';

export type StopKind = TimelineActivity['stopOn'][number];

/** Something that happened to the debtor and may stop activities. `strategy-stop` stops them all. */
export interface StopEvent {
  kind: StopKind | 'strategy-stop';
  /** Bogotá date of the event. */
  date: string;
}

export interface DebtorTimelineFacts {
  /** Bogotá date the debtor entered its current segment; null when the server sent none. */
  assignedOn: string | null;
  /** Earliest due date among the debtor's obligations; null when none has one. */
  earliestDueDate: string | null;
  /** Events on or after `assignedOn`: earlier ones belong to an earlier assignment. */
  stops: readonly StopEvent[];
  /** Bogotá dates of the debtor's voice contacts (attempts count), any order. */
  callDates: readonly string[];
  /** Occurrences of digital and field activities that the server's channel dispatcher carried out, any order. */
  serverSends: readonly ServerSend[];
}

/** A message the server sent, or a letter or visit it cleared for its batch, for one activity occurrence. */
export interface ServerSend {
  activityId: string;
  /** The occurrence's date, as the plan computes it (`Occurrence.date`). */
  occurrenceDate: string;
  /** ISO instant the server sent it or cleared it. */
  at: string;
}

export type OccurrenceState = 'planned' | 'due' | 'done' | 'missed' | 'stopped';

export interface Occurrence {
  activityId: string;
  channel: TimelineActivity['channel'];
  /** 1 for the first occurrence of the activity. */
  number: number;
  date: string;
  state: OccurrenceState;
  /** The event that stopped it, when `state` is `stopped`. */
  stoppedBy: StopEvent['kind'] | null;
  /** When the server sent it (or cleared a letter or visit for its batch); null for calls and for occurrences it has not sent. */
  sentAt: string | null;
}

/** Upper bound on occurrences per activity, so that a corrupt repetition cannot make a huge plan. */
export const MAX_OCCURRENCES = 366;

/**
 * Lists every occurrence of every activity, sorted by date then activity order. A call occurrence is
 * `done` once a voice contact happened on or after its date and before the next occurrence of the
 * same activity. One without such a contact stays `due` until the next occurrence's date, and is
 * `missed` from then on, because the later call replaces it. Other channels are `done` once the
 * server reports that it sent that very occurrence, even when a stop came later the same day, and
 * `due` on and after their date until then: the server's channel dispatcher sends them.
 */
export function planTimeline(activities: readonly TimelineActivity[], facts: DebtorTimelineFacts, today: string): Occurrence[] {
  const todayNumber = dayNumber(today, 'today');
  const callDays = facts.callDates.map((date) => dayNumber(date, 'call date')).sort((a, b) => a - b);
  const sentAt = new Map(facts.serverSends.map((send) => [sendKey(send.activityId, send.occurrenceDate), send.at]));
  const occurrences: Occurrence[] = [];

  activities.forEach((activity) => {
    const dates = occurrenceDays(activity, facts);
    dates.forEach((day, index) => {
      const date = formatDayNumber(day);
      const sent = activity.channel === 'call' ? null : (sentAt.get(sendKey(activity.id, date)) ?? null);
      const stop = sent === null ? stopFor(activity, day, facts.stops) : null;
      const nextDay = dates[index + 1] ?? Number.POSITIVE_INFINITY;
      let state: OccurrenceState;
      if (sent !== null) state = 'done';
      else if (stop !== null) state = 'stopped';
      else if (day > todayNumber) state = 'planned';
      else if (activity.channel !== 'call') state = 'due';
      else if (callDays.some((call) => call >= day && call < nextDay)) state = 'done';
      else if (nextDay <= todayNumber) state = 'missed';
      else state = 'due';
      occurrences.push({ activityId: activity.id, channel: activity.channel, number: index + 1, date, state, stoppedBy: stop?.kind ?? null, sentAt: sent });
    });
  });

  const order = new Map(activities.map((activity, index) => [activity.id, index]));
  return occurrences.sort((a, b) => a.date.localeCompare(b.date) || order.get(a.activityId)! - order.get(b.activityId)! || a.number - b.number);
}

/** Returns the call task of the day, the earliest call occurrence still due on `today`, or null. */
export function dueCallTask(activities: readonly TimelineActivity[], facts: DebtorTimelineFacts, today: string): Occurrence | null {
  return planTimeline(activities, facts, today).find((occurrence) => occurrence.channel === 'call' && occurrence.state === 'due') ?? null;
}

const sendKey = (activityId: string, occurrenceDate: string): string => `${occurrenceDate} ${activityId}`;

function occurrenceDays(activity: TimelineActivity, facts: DebtorTimelineFacts): number[] {
  const anchorDate = activity.anchor === 'assignment' ? facts.assignedOn : facts.earliestDueDate;
  if (anchorDate === null) return [];

  const first = dayNumber(anchorDate, 'anchor') + activity.dayOffset;
  const repeat = activity.repeat ?? null;
  if (repeat === null || repeat.everyDays <= 0) return [first];
  const count = Math.min(1 + Math.max(repeat.times, 0), MAX_OCCURRENCES);
  return Array.from({ length: count }, (_unused, index) => first + index * repeat.everyDays);
}

function stopFor(activity: TimelineActivity, day: number, stops: readonly StopEvent[]): StopEvent | null {
  let found: StopEvent | null = null;
  for (const stop of stops) {
    const applies = stop.kind === 'strategy-stop' || activity.stopOn.includes(stop.kind);
    if (!applies || dayNumber(stop.date, 'stop date') > day) continue;
    if (found === null || stop.date < found.date) found = stop;
  }
  return found;
}

function dayNumber(date: string, what: string): number {
  const day = parseIsoDate(date);
  if (day === null) throw new Error(`Invalid ${what} ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  return day;
}
