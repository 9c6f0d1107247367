/**
 * The time-dependent rules R1–R6, with R9 and the hours of a person abroad, as checks on one instant.
 * The decision for the requested instant and the search for the next legal slot share them, so that
 * both read the rules the same way.
 */
import { MS_PER_DAY, bogotaDayOf, bogotaDayStart } from './bogota-time.ts';
import type { ContactSchedule, DayInterval } from './contact-schedule.ts';
import type { ContactWindow, DayStatus, PackCalendar } from './day-status.ts';
import type { ComplianceChannel } from './types.ts';

/**
 * R6 window: contacts on two different channels must lie at least 7 × 24 h apart. Rolling hours are
 * stricter than a calendar week, and they satisfy both readings of "semana".
 */
export const SAME_CHANNEL_WINDOW_MS = 7 * MS_PER_DAY;

/** A history entry that counts toward R5/R6 under the pack's `countsAsContact` setting. */
export interface CountedContact {
  atMs: number;
  /** Bogotá day of `atMs`. */
  dayNumber: number;
  channel: ComplianceChannel;
}

export interface RuleContext {
  /** Channel of the proposed contact. */
  channel: ComplianceChannel;
  calendar: PackCalendar;
  contacts: readonly CountedContact[];
  /** Contact hours when they are not the legal windows of R1/R2 (R9, a person abroad); null for the legal windows. */
  schedule: ContactSchedule | null;
}

export interface WindowCheck {
  dayNumber: number;
  status: DayStatus;
  /** Milliseconds since Bogotá midnight. */
  msOfDay: number;
  /** The interval that contains the instant; null when the instant is outside every interval of its day. */
  interval: DayInterval | null;
}

/** R1–R4 at one instant, with the hours of the schedule when there is one. */
export function checkWindow(atMs: number, calendar: PackCalendar, schedule: ContactSchedule | null): WindowCheck {
  const dayNumber = bogotaDayOf(atMs);
  const status = calendar.dayStatus(dayNumber);
  const msOfDay = atMs - bogotaDayStart(dayNumber);
  return { dayNumber, status, msOfDay, interval: status.kind === 'open' ? intervalAt(msOfDay, status.window, dayNumber, schedule) : null };
}

function intervalAt(msOfDay: number, legalWindow: ContactWindow, dayNumber: number, schedule: ContactSchedule | null): DayInterval | null {
  if (schedule === null) return msOfDay >= legalWindow.opensAtMs && msOfDay < legalWindow.closesAtMs ? legalWindow : null;

  for (const interval of schedule.intervalsOn(dayNumber, legalWindow)) {
    if (msOfDay >= interval.opensAtMs && msOfDay < interval.closesAtMs) return interval;
  }
  return null;
}

/** Opening (ms after Bogotá midnight) of the first interval of the day that opens after `msOfDay`, or null. */
function nextOpening(msOfDay: number, legalWindow: ContactWindow, dayNumber: number, schedule: ContactSchedule | null): number | null {
  if (schedule === null) return msOfDay < legalWindow.opensAtMs ? legalWindow.opensAtMs : null;

  for (const interval of schedule.intervalsOn(dayNumber, legalWindow)) {
    if (interval.opensAtMs > msOfDay) return interval.opensAtMs;
  }
  return null;
}

/**
 * R5: a counted contact on the same Bogotá day, on any channel. Entries later that day count too
 * (another workstation's clock may run ahead, or a message may be scheduled), because either way the
 * day would end with two contacts. Prefers an entry at or before `atMs`, so that the reason reads "ya se contactó hoy".
 */
export function contactOnSameDay(atMs: number, dayNumber: number, contacts: readonly CountedContact[]): CountedContact | null {
  let later: CountedContact | null = null;
  for (const contact of contacts) {
    if (contact.dayNumber !== dayNumber) continue;
    if (contact.atMs <= atMs) return contact;
    later ??= contact;
  }
  return later;
}

/**
 * R6: among counted contacts on another channel less than 7 × 24 h away from `atMs`, the one whose lock
 * ends last. "Away" works both ways: a contact recorded after `atMs` also blocks, because contacting
 * now would put two channels inside one 7-day window.
 */
export function otherChannelLock(atMs: number, context: RuleContext): CountedContact | null {
  let latest: CountedContact | null = null;
  for (const contact of context.contacts) {
    if (contact.channel === context.channel) continue;
    if (Math.abs(atMs - contact.atMs) >= SAME_CHANNEL_WINDOW_MS) continue;
    if (latest === null || contact.atMs > latest.atMs) latest = contact;
  }
  return latest;
}

/**
 * Returns null when R1–R6 allow a contact at `atMs`, or else the earliest instant after `atMs` at which
 * the rules blocking it could all have stopped blocking. Every instant in between is blocked, which is
 * what lets the next-slot search jump instead of stepping minute by minute.
 */
export function nextCandidateAfter(atMs: number, context: RuleContext): number | null {
  const window = checkWindow(atMs, context.calendar, context.schedule);
  let candidate = atMs;

  if (window.interval === null) {
    const dayStart = bogotaDayStart(window.dayNumber);
    candidate = dayStart + MS_PER_DAY;
    if (window.status.kind === 'open') {
      const opensAtMs = nextOpening(window.msOfDay, window.status.window, window.dayNumber, context.schedule);
      if (opensAtMs !== null) candidate = dayStart + opensAtMs;
    }
  }

  if (contactOnSameDay(atMs, window.dayNumber, context.contacts) !== null) {
    candidate = Math.max(candidate, bogotaDayStart(window.dayNumber + 1));
  }

  const lock = otherChannelLock(atMs, context);
  if (lock !== null) candidate = Math.max(candidate, lock.atMs + SAME_CHANNEL_WINDOW_MS);

  return candidate === atMs ? null : candidate;
}
