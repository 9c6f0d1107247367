/**
 * R9: a person may ask, after signing the contract and in a separate instrument, to be contacted at
 * other hours. A valid request replaces R1–R2 for that person; Sundays and holidays stay blocked.
 */
import { MS_PER_HOUR, MS_PER_MINUTE } from './bogota-time.ts';
import { parseIsoDate } from './civil-date.ts';
import type { DayInterval, WeekdayIntervals } from './contact-schedule.ts';
import { scheduleMessages } from './messages.ts';
import type { ScheduleRequest } from './types.ts';

export type ScheduleRequestCheck = { valid: true; weekdayIntervals: WeekdayIntervals } | { valid: false; problems: string[] };

/**
 * Checks a schedule request for a contact on the Bogotá day `contactDayNumber`. The request is valid
 * only if the person initiated it, it is dated after the contract and not after the contact day, it
 * names its evidence, and it has at least one window whose days and hours make sense. A request dated
 * on the day the contract was signed is invalid, because nothing then shows that it is a separate
 * instrument signed afterwards. Problems are Spanish texts for the decision's warning.
 */
export function checkScheduleRequest(request: ScheduleRequest, contactDayNumber: number): ScheduleRequestCheck {
  const problems: string[] = [];

  if (!request.consumerInitiated) problems.push(scheduleMessages.notConsumerInitiated);

  const requestedOn = parseIsoDate(request.requestedOn);
  const contractSignedOn = parseIsoDate(request.contractSignedOn);
  if (requestedOn === null) problems.push(scheduleMessages.invalidDate('requestedOn', request.requestedOn));
  if (contractSignedOn === null) problems.push(scheduleMessages.invalidDate('contractSignedOn', request.contractSignedOn));
  if (requestedOn !== null && contractSignedOn !== null && requestedOn <= contractSignedOn) {
    problems.push(scheduleMessages.notAfterContract(requestedOn, contractSignedOn));
  }
  if (requestedOn !== null && requestedOn > contactDayNumber) problems.push(scheduleMessages.datedAfterContact(requestedOn));

  if (request.evidence.trim() === '') problems.push(scheduleMessages.noEvidence);

  if (request.window.length === 0) problems.push(scheduleMessages.noWindow);
  const byWeekday: DayInterval[][] = [[], [], [], [], [], [], [], []];
  request.window.forEach((window, index) => {
    const opensAtMs = parseClock(window.from);
    const closesAtMs = parseClock(window.to);
    if (opensAtMs === null || closesAtMs === null || opensAtMs >= closesAtMs) {
      problems.push(scheduleMessages.invalidHours(index + 1, window.from, window.to));
      return;
    }
    if (window.days.length === 0 || window.days.some((day) => !Number.isInteger(day) || day < 1 || day > 7)) {
      problems.push(scheduleMessages.invalidDays(index + 1));
      return;
    }
    for (const day of new Set(window.days)) byWeekday[day]!.push({ opensAtMs, closesAtMs, rule: 'R9' });
  });

  if (problems.length > 0) return { valid: false, problems };
  return { valid: true, weekdayIntervals: byWeekday.map(mergeIntervals) };
}

/** `HH:MM` (or `24:00`) to milliseconds after midnight, or null when it is not such a time. */
function parseClock(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;

  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) return null;
  return hours * MS_PER_HOUR + minutes * MS_PER_MINUTE;
}

/** Sorts intervals and merges those that overlap or touch, so that one day's windows are disjoint. */
function mergeIntervals(intervals: DayInterval[]): DayInterval[] {
  const sorted = [...intervals].sort((left, right) => left.opensAtMs - right.opensAtMs);
  const merged: DayInterval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.opensAtMs <= last.closesAtMs) {
      merged[merged.length - 1] = { ...last, closesAtMs: Math.max(last.closesAtMs, interval.closesAtMs) };
    } else {
      merged.push(interval);
    }
  }
  return merged;
}
