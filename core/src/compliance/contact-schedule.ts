/**
 * Hours in which a contact may start on an open Bogotá day when they are not simply the legal window
 * of R1/R2: the person's own schedule request (R9), the legal hours on the clock of a person abroad,
 * or both.
 */
import { bogotaDayStart } from './bogota-time.ts';
import { weekdayOf } from './civil-date.ts';
import type { ContactWindow } from './day-status.ts';
import { localRangesOnBogotaDay, type LocalRange, type LocalRule, type PersonZone } from './person-time.ts';

/** Rule whose limit ends an interval, as the last-dial warning names it. */
export type ClosingRule = ContactWindow['rule'] | LocalRule | 'R9';

/** A span of one Bogotá day in which a contact may start, as milliseconds after Bogotá midnight; the end is exclusive. */
export interface DayInterval {
  opensAtMs: number;
  closesAtMs: number;
  /** Rule whose limit ends the interval. */
  rule: ClosingRule;
}

export interface ContactSchedule {
  /**
   * Sorted, disjoint intervals of an open Bogotá day (R3/R4 have already been applied), given the
   * legal window of R1/R2 for that day.
   */
  intervalsOn(dayNumber: number, legalWindow: ContactWindow): readonly DayInterval[];
}

/** Intervals of a valid R9 request per ISO weekday (index 1 = Monday … 7 = Sunday; index 0 unused). */
export type WeekdayIntervals = readonly (readonly DayInterval[])[];

/** R9: the person's requested hours replace R1–R2 on every open day. */
export function requestedSchedule(weekdayIntervals: WeekdayIntervals): ContactSchedule {
  return {
    intervalsOn(dayNumber: number): readonly DayInterval[] {
      return weekdayIntervals[weekdayOf(dayNumber)] ?? [];
    },
  };
}

/**
 * Builds the schedule of a person abroad: the Bogotá intervals (the legal window, or `requested` under
 * R9) cut down to the spans that the person's local rules allow in every one of `persons`' zones.
 * Built per request and memoised per Bogotá day, because the next-slot search visits each day a few
 * times.
 */
export function abroadSchedule(persons: readonly PersonZone[], requested: ContactSchedule | null): ContactSchedule {
  const byDay = new Map<number, readonly DayInterval[]>();
  return {
    intervalsOn(dayNumber: number, legalWindow: ContactWindow): readonly DayInterval[] {
      const cached = byDay.get(dayNumber);
      if (cached) return cached;

      let intervals: readonly DayInterval[] = requested === null ? [legalWindow] : requested.intervalsOn(dayNumber, legalWindow);
      for (const person of persons) {
        if (intervals.length === 0) break;
        const local = localRangesOnBogotaDay(person, dayNumber, requested === null);
        intervals = intersect(intervals, local, bogotaDayStart(dayNumber));
      }
      byDay.set(dayNumber, intervals);
      return intervals;
    },
  };
}

/** Intersects Bogotá intervals with local ranges; each result is closed by whichever limit comes first. */
function intersect(bogotaIntervals: readonly DayInterval[], localRanges: readonly LocalRange[], dayStartMs: number): DayInterval[] {
  const result: DayInterval[] = [];
  for (const interval of bogotaIntervals) {
    for (const range of localRanges) {
      const opensAtMs = Math.max(interval.opensAtMs, range.startMs - dayStartMs);
      const localClosesAtMs = range.endMs - dayStartMs;
      const closesAtMs = Math.min(interval.closesAtMs, localClosesAtMs);
      if (opensAtMs >= closesAtMs) continue;

      result.push({ opensAtMs, closesAtMs, rule: interval.closesAtMs <= localClosesAtMs ? interval.rule : range.closingRule });
    }
  }
  return result.sort((left, right) => left.opensAtMs - right.opensAtMs);
}
