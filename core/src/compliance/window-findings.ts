/**
 * Reasons for the hour and day rules at one instant: R1–R4 on the Bogotá calendar, the person's own
 * hours under R9, and R1–R3 on the clock of a person abroad. `checkWindow` decides whether the
 * instant is open, and this module gives the reasons when it is not. Both read the same intervals and
 * local ranges, so that a blocked instant always has a reason.
 */
import type { WindowCheck } from './contact-rules.ts';
import { weekdayOf } from './civil-date.ts';
import type { WeekdayIntervals } from './contact-schedule.ts';
import { gateMessages } from './messages.ts';
import { localClockAt, localRangesOnBogotaDay, type PersonZone } from './person-time.ts';
import type { GateFinding } from './types.ts';

export interface WindowRules {
  /** Hours of a valid R9 request, which replace R1–R2; null when the legal windows apply. */
  requested: WeekdayIntervals | null;
  /** Time zones of a person abroad, each of which must allow the contact; empty for a person in Colombia. */
  persons: readonly PersonZone[];
}

/** One finding per rule: when two zones block under the same rule, the first zone's message explains it. */
export function windowFindings(atMs: number, window: WindowCheck, rules: WindowRules): GateFinding[] {
  const findings = bogotaFindings(window, rules.requested);
  for (const person of rules.persons) {
    const local = localFinding(atMs, window.dayNumber, person, rules.requested === null);
    if (local !== null && !findings.some((finding) => finding.rule === local.rule)) findings.push(local);
  }
  return findings;
}

function bogotaFindings(window: WindowCheck, requested: WeekdayIntervals | null): GateFinding[] {
  const findings: GateFinding[] = [];
  const status = window.status;

  if (status.kind === 'closed') {
    if (status.sunday) findings.push({ rule: 'R3', message: gateMessages.sunday });
    if (status.holidayNames.length > 0) findings.push({ rule: 'R4', message: gateMessages.holiday(status.holidayNames) });
    else if (status.extraBlocked) findings.push({ rule: 'R4', message: gateMessages.blockedDate });
    return findings;
  }

  if (requested !== null) {
    const weekday = weekdayOf(window.dayNumber);
    const intervals = requested[weekday] ?? [];
    const inside = intervals.some((interval) => window.msOfDay >= interval.opensAtMs && window.msOfDay < interval.closesAtMs);
    if (!inside) findings.push({ rule: 'R9', message: gateMessages.outsideRequestedHours(weekday, intervals) });
    return findings;
  }

  const legal = status.window;
  if (window.msOfDay < legal.opensAtMs || window.msOfDay >= legal.closesAtMs) {
    findings.push({ rule: legal.rule, message: legal.rule === 'R1' ? gateMessages.outsideWeekdayWindow : gateMessages.outsideSaturdayWindow });
  }
  return findings;
}

/**
 * Returns the finding of the person's local rules at `atMs`, or null when they allow a contact.
 * Membership comes from the same local ranges that bound the next-slot search, and the local clock
 * only picks the message.
 */
function localFinding(atMs: number, bogotaDayNumber: number, person: PersonZone, legalHours: boolean): GateFinding | null {
  const ranges = localRangesOnBogotaDay(person, bogotaDayNumber, legalHours);
  if (ranges.some((range) => atMs >= range.startMs && atMs < range.endMs)) return null;

  const clock = localClockAt(person, atMs);
  if (clock.weekday === 7 || !legalHours) {
    return { rule: 'R3', message: gateMessages.localSunday(person.name, clock.weekday, clock.msOfDay) };
  }
  if (clock.weekday === 6) {
    return { rule: 'R2', message: gateMessages.outsideLocalSaturdayWindow(person.name, clock.weekday, clock.msOfDay) };
  }
  return { rule: 'R1', message: gateMessages.outsideLocalWeekdayWindow(person.name, clock.weekday, clock.msOfDay) };
}
