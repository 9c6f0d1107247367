/**
 * The compliance gate decides whether this person may be contacted on this channel at this instant
 * under R1–R8, and if not, why and from when. The caller stores every decision it acts on, allowed or
 * blocked, as evidence for complaints (R16).
 *
 * Everything is computed in Bogotá time from the request alone, never from the host's `TZ` or
 * clock, so the workstation and the server reach the same decision for the same request.
 */
import type { ContactKind, PartyRole } from '../domain.ts';
import { assertNever } from '../result.ts';
import { MS_PER_MINUTE, bogotaDayOf, bogotaDayStart, formatBogotaDateTime, formatBogotaInstant, formatClock, parseInstant } from './bogota-time.ts';
import { FIRST_CALENDAR_YEAR } from './calendar.ts';
import { dayNumberFromCivil } from './civil-date.ts';
import {
  SAME_CHANNEL_WINDOW_MS,
  checkWindow,
  contactOnSameDay,
  otherChannelLock,
  type CountedContact,
  type RuleContext,
  type WindowCheck,
} from './contact-rules.ts';
import { packCalendarOf } from './day-status.ts';
import { gateMessages } from './messages.ts';
import { findNextAllowed } from './next-slot.ts';
import type { GateDecision, GateFinding, GateRequest, RulePack } from './types.ts';

/** Earliest `at` the gate evaluates: the holiday calendar starts in 1984. */
const EARLIEST_AT_MS = bogotaDayStart(dayNumberFromCivil(FIRST_CALENDAR_YEAR, 1, 1));

/** End (exclusive) of the instants the gate evaluates, so that a 400-day next-slot search stays inside year 9999. */
const LATEST_AT_MS = bogotaDayStart(dayNumberFromCivil(9998, 1, 1));

/**
 * Evaluates R1–R8 for one proposed contact.
 *
 * - `rules` lists every rule that blocks, in rule order. R1 and R2 only cover days that are not
 *   holidays, so a holiday reports R4 alone, and a Sunday holiday reports both R3 and R4.
 * - `nextAllowedAt` is `at` itself (in -05:00) when allowed. Otherwise it is the earliest later
 *   instant at which the same contact would be allowed. It is null when R7 or R8 block, because
 *   waiting changes neither, and when no slot exists within 400 days.
 * - `warnings` carries the last-dial margin before a window closes, only on allowed decisions.
 *
 * Throws a RangeError naming the field when `at` or a history instant is not an ISO-8601 instant
 * with an offset, or when `at` lies outside 1984–9997.
 */
export function evaluateGate(request: GateRequest, pack: RulePack): GateDecision {
  const atMs = parseRequestInstant(request.at, 'at');
  if (atMs < EARLIEST_AT_MS || atMs >= LATEST_AT_MS) {
    throw new RangeError(`evaluateGate: at "${request.at}" is outside the supported range of years ${FIRST_CALENDAR_YEAR} to 9997`);
  }

  const context: RuleContext = {
    channel: request.channel,
    calendar: packCalendarOf(pack),
    contacts: countedContacts(request, pack),
  };
  const window = checkWindow(atMs, context.calendar);
  const reasons = blockingFindings(atMs, window, request, context);
  const allowed = reasons.length === 0;
  const neverAllowed = !request.authorized || !isContactableParty(request.party);

  let nextAllowedMs: number | null;
  if (allowed) nextAllowedMs = atMs;
  else if (neverAllowed) nextAllowedMs = null;
  else nextAllowedMs = findNextAllowed(atMs, context);

  return {
    allowed,
    rules: reasons.map((reason) => reason.rule),
    reasons,
    warnings: allowed ? closingSoonWarnings(window, pack) : [],
    nextAllowedAt: nextAllowedMs === null ? null : formatBogotaInstant(nextAllowedMs),
    rulePackVersion: pack.version,
    evaluatedAt: formatBogotaInstant(atMs),
  };
}

function blockingFindings(atMs: number, window: WindowCheck, request: GateRequest, context: RuleContext): GateFinding[] {
  const findings: GateFinding[] = [];
  const status = window.status;

  if (status.kind === 'open' && !window.open) {
    const message = status.window.rule === 'R1' ? gateMessages.outsideWeekdayWindow : gateMessages.outsideSaturdayWindow;
    findings.push({ rule: status.window.rule, message });
  }
  if (status.kind === 'closed' && status.sunday) findings.push({ rule: 'R3', message: gateMessages.sunday });
  if (status.kind === 'closed' && status.holidayNames.length > 0) findings.push({ rule: 'R4', message: gateMessages.holiday(status.holidayNames) });
  else if (status.kind === 'closed' && status.extraBlocked) findings.push({ rule: 'R4', message: gateMessages.blockedDate });

  const sameDay = contactOnSameDay(atMs, window.dayNumber, context.contacts);
  if (sameDay !== null) {
    const message = sameDay.atMs <= atMs ? gateMessages.contactedToday : gateMessages.contactLaterToday(formatClock(sameDay.atMs - bogotaDayStart(sameDay.dayNumber)));
    findings.push({ rule: 'R5', message });
  }

  const lock = otherChannelLock(atMs, context);
  if (lock !== null) {
    const message = gateMessages.otherChannel(lock.channel, formatBogotaDateTime(lock.atMs), formatBogotaDateTime(lock.atMs + SAME_CHANNEL_WINDOW_MS));
    findings.push({ rule: 'R6', message });
  }

  if (!request.authorized) findings.push({ rule: 'R7', message: gateMessages.notAuthorized });
  if (!isContactableParty(request.party)) findings.push({ rule: 'R8', message: gateMessages.reference });

  return findings;
}

function closingSoonWarnings(window: WindowCheck, pack: RulePack): GateFinding[] {
  if (window.status.kind !== 'open' || pack.lastDialMarginMinutes === 0) return [];

  const { rule, closesAtMs } = window.status.window;
  const msLeft = closesAtMs - window.msOfDay;
  if (msLeft > pack.lastDialMarginMinutes * MS_PER_MINUTE) return [];

  const minutesLeft = Math.ceil(msLeft / MS_PER_MINUTE);
  return [{ rule, message: gateMessages.closingSoon(rule, minutesLeft, formatClock(closesAtMs)) }];
}

/** History entries that count toward R5/R6 under the pack's reading of "contact". */
function countedContacts(request: GateRequest, pack: RulePack): CountedContact[] {
  const contacts: CountedContact[] = [];
  for (let index = 0; index < request.history.length; index += 1) {
    const entry = request.history[index]!;
    const atMs = parseRequestInstant(entry.at, `history[${index}].at`);
    if (!countsAsContact(entry.kind, pack)) continue;

    contacts.push({ atMs, dayNumber: bogotaDayOf(atMs), channel: entry.channel });
  }
  return contacts;
}

function countsAsContact(kind: ContactKind, pack: RulePack): boolean {
  switch (pack.countsAsContact) {
    case 'every-attempt':
      return true;
    case 'two-way-only':
      return kind === 'two-way';
    default:
      return assertNever(pack.countsAsContact, 'countsAsContact setting');
  }
}

/** R8: only the debtor and recorded co-obligors may be contacted; references never. */
function isContactableParty(party: PartyRole): boolean {
  switch (party) {
    case 'debtor':
    case 'co-obligor':
      return true;
    case 'reference':
      return false;
    default:
      return assertNever(party, 'party role');
  }
}

function parseRequestInstant(text: string, field: string): number {
  const epochMs = parseInstant(text);
  if (Number.isNaN(epochMs)) {
    throw new RangeError(`evaluateGate: ${field} is "${text}", not an ISO-8601 instant with an offset such as 2026-12-07T07:00:00-05:00`);
  }
  return epochMs;
}
