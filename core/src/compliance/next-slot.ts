/**
 * The next legal slot: the earliest instant at or after a start at which R1–R6 (with R9 and the hours
 * of a person abroad) allow the same contact.
 */
import { MS_PER_DAY } from './bogota-time.ts';
import { nextCandidateAfter, type RuleContext } from './contact-rules.ts';

/**
 * How far ahead the search looks. With a lawful history and the legal calendar the next slot is days
 * away at most (a holiday week plus an R6 lock). The limit only ends searches for packs that block
 * more than a year of dates, histories full of future-dated contacts, or schedule requests whose
 * hours never meet an open day, which then get no slot.
 */
export const NEXT_SLOT_SEARCH_DAYS = 400;

/**
 * Returns the earliest instant ≥ `fromMs` allowed by the time-dependent rules, or null when there is
 * none within {@link NEXT_SLOT_SEARCH_DAYS} days. It jumps from one boundary to the next (window opening, next
 * day, end of an R6 lock), so it takes a few steps per day searched, not one per minute.
 */
export function findNextAllowed(fromMs: number, context: RuleContext): number | null {
  const limitMs = fromMs + NEXT_SLOT_SEARCH_DAYS * MS_PER_DAY;
  let candidate = fromMs;

  // Each step moves strictly forward, and a day causes only a few of them (one per opening of its
  // intervals, its end, an R5 contact) besides one per R6 lock, so the loop ends well before the limit.
  while (candidate <= limitMs) {
    const next = nextCandidateAfter(candidate, context);
    if (next === null) return candidate;
    candidate = next;
  }
  return null;
}
