/**
 * The compliance gate decides whether this person may be contacted on this channel at this instant
 * under the contact rules (R1–R10, R13 and the hours of a person abroad), and if not, why and from
 * when. The caller stores every decision it acts on, allowed or blocked, as evidence for complaints
 * (R16).
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
import { abroadSchedule, requestedSchedule, type ContactSchedule, type WeekdayIntervals } from './contact-schedule.ts';
import { packCalendarOf } from './day-status.ts';
import { gateMessages } from './messages.ts';
import { findNextAllowed } from './next-slot.ts';
import { resolvePersonZones, type PersonZone } from './person-time.ts';
import { checkScheduleRequest } from './schedule-request.ts';
import { RULE_IDS, VISIT_CREDIT_TYPES, type GateDecision, type GateFinding, type GateRequest, type RuleId, type RulePack } from './types.ts';
import { windowFindings } from './window-findings.ts';

/** Earliest `at` the gate evaluates: the holiday calendar starts in 1984. */
const EARLIEST_AT_MS = bogotaDayStart(dayNumberFromCivil(FIRST_CALENDAR_YEAR, 1, 1));

/** End (exclusive) of the instants the gate evaluates, so that a 400-day next-slot search stays inside year 9999. */
const LATEST_AT_MS = bogotaDayStart(dayNumberFromCivil(9998, 1, 1));

/** Rules that waiting cannot lift: the request itself has to change (authorisation, party, channel, content). */
const NEVER_LIFTED_BY_TIME: ReadonlySet<RuleId> = new Set(['R7', 'R8', 'R10', 'R13']);

const RULE_ORDER: ReadonlyMap<RuleId, number> = new Map(RULE_IDS.map((rule, index) => [rule, index]));

/**
 * Evaluates the contact rules for one proposed contact.
 *
 * - `rules` lists every rule that blocks, in rule order. R1 and R2 only cover days that are not
 *   holidays, so a holiday reports R4 alone, and a Sunday holiday reports both R3 and R4.
 * - A valid R9 `scheduleRequest` replaces R1–R2 with the person's hours. An invalid one is ignored,
 *   and a warning gives the reason.
 * - An R10 `exemption` without collection content skips R1–R6 (and R9 and the hours abroad); with
 *   collection content the exemption is refused and R10 blocks.
 * - `personTimeZone` and each of `personTimeZones` other than America/Bogota add R1–R3 on the
 *   person's clock and local day in that zone, so the contact must be lawful in every one of them.
 * - `nextAllowedAt` is `at` itself (in -05:00) when allowed. Otherwise it is the earliest later
 *   instant at which the same contact would be allowed. It is null when R7, R8, R10 or R13 block,
 *   because waiting changes none of them, and when no slot exists within 400 days.
 * - `warnings` carries the last-dial margin before the hours close (only on allowed decisions), an
 *   ignored schedule request and an accepted exemption.
 *
 * Throws a RangeError naming the field when `at` or a history instant is not an ISO-8601 instant
 * with an offset, when `at` lies outside 1984–9997, or when a person's zone is not an IANA zone.
 */
export function evaluateGate(request: GateRequest, pack: RulePack): GateDecision {
  const atMs = parseRequestInstant(request.at, 'at');
  if (atMs < EARLIEST_AT_MS || atMs >= LATEST_AT_MS) {
    throw new RangeError(`evaluateGate: at "${request.at}" is outside the supported range of years ${FIRST_CALENDAR_YEAR} to 9997`);
  }
  const contacts = countedContacts(request, pack);
  const persons = resolvePersonZones([...(request.personTimeZone === undefined ? [] : [request.personTimeZone]), ...(request.personTimeZones ?? [])]);

  const reasons: GateFinding[] = [];
  const warnings: GateFinding[] = [];
  const exemption = request.exemption;
  let context: RuleContext | null = null;
  let window: WindowCheck | null = null;

  // An exempt message is outside R1–R6, so only the rules about who and how (R7, R8, R13) remain.
  if (exemption !== undefined && !exemption.hasCollectionContent) {
    warnings.push({ rule: 'R10', message: gateMessages.exempt(exemption.reason) });
  } else {
    const requested = requestedHours(request, bogotaDayOf(atMs), warnings);
    context = { channel: request.channel, calendar: packCalendarOf(pack), contacts, schedule: scheduleOf(requested, persons) };
    window = checkWindow(atMs, context.calendar, context.schedule);
    reasons.push(...windowFindings(atMs, window, { requested, persons }));
    pushContactLimitFindings(reasons, atMs, window.dayNumber, context);
    if (exemption !== undefined) reasons.push({ rule: 'R10', message: gateMessages.exemptionRefused(exemption.reason) });
  }
  pushPartyFindings(reasons, request);
  if (reasons.length > 1) reasons.sort((left, right) => RULE_ORDER.get(left.rule)! - RULE_ORDER.get(right.rule)!);

  const allowed = reasons.length === 0;
  let nextAllowedMs: number | null;
  if (allowed) nextAllowedMs = atMs;
  else if (context === null || reasons.some((reason) => NEVER_LIFTED_BY_TIME.has(reason.rule))) nextAllowedMs = null;
  else nextAllowedMs = findNextAllowed(atMs, context);

  if (allowed && window !== null) warnings.push(...closingSoonWarnings(window, pack));

  return {
    allowed,
    rules: reasons.map((reason) => reason.rule),
    reasons,
    warnings,
    nextAllowedAt: nextAllowedMs === null ? null : formatBogotaInstant(nextAllowedMs),
    rulePackVersion: pack.version,
    evaluatedAt: formatBogotaInstant(atMs),
  };
}

/** R9: the hours of a valid schedule request, or null; an invalid request adds a warning and is ignored. */
function requestedHours(request: GateRequest, contactDayNumber: number, warnings: GateFinding[]): WeekdayIntervals | null {
  if (request.scheduleRequest === undefined) return null;

  const check = checkScheduleRequest(request.scheduleRequest, contactDayNumber);
  if (check.valid) return check.weekdayIntervals;

  warnings.push({ rule: 'R9', message: gateMessages.scheduleRequestIgnored(check.problems) });
  return null;
}

function scheduleOf(requested: WeekdayIntervals | null, persons: readonly PersonZone[]): ContactSchedule | null {
  const requestedHoursSchedule = requested === null ? null : requestedSchedule(requested);
  return persons.length === 0 ? requestedHoursSchedule : abroadSchedule(persons, requestedHoursSchedule);
}

/** R5 and R6. */
function pushContactLimitFindings(findings: GateFinding[], atMs: number, dayNumber: number, context: RuleContext): void {
  const sameDay = contactOnSameDay(atMs, dayNumber, context.contacts);
  if (sameDay !== null) {
    const message =
      sameDay.atMs <= atMs
        ? gateMessages.contactedToday(sameDay.channel)
        : gateMessages.contactLaterToday(sameDay.channel, formatClock(sameDay.atMs - bogotaDayStart(sameDay.dayNumber)));
    findings.push({ rule: 'R5', message });
  }

  const lock = otherChannelLock(atMs, context);
  if (lock !== null) {
    const message = gateMessages.otherChannel(lock.channel, formatBogotaDateTime(lock.atMs), formatBogotaDateTime(lock.atMs + SAME_CHANNEL_WINDOW_MS));
    findings.push({ rule: 'R6', message });
  }
}

/** R7, R8 and R13: who may be contacted, on what, and whether a visit is allowed at all. */
function pushPartyFindings(findings: GateFinding[], request: GateRequest): void {
  if (!request.authorized) findings.push({ rule: 'R7', message: gateMessages.notAuthorized });
  if (!isContactableParty(request.party)) findings.push({ rule: 'R8', message: gateMessages.reference });
  if (request.channel === 'visit' && !isVisitAllowed(request)) findings.push({ rule: 'R13', message: gateMessages.visitNotAllowed });
}

/** R13: field visits only for microcredit, development and agricultural credit, with the creditor's explicit flag. */
function isVisitAllowed(request: GateRequest): boolean {
  return request.creditType !== undefined && VISIT_CREDIT_TYPES.includes(request.creditType) && request.visitAllowedFlag === true;
}

function closingSoonWarnings(window: WindowCheck, pack: RulePack): GateFinding[] {
  if (window.interval === null || pack.lastDialMarginMinutes === 0) return [];

  const { rule, closesAtMs } = window.interval;
  const msLeft = closesAtMs - window.msOfDay;
  if (msLeft > pack.lastDialMarginMinutes * MS_PER_MINUTE) return [];

  const minutesLeft = Math.ceil(msLeft / MS_PER_MINUTE);
  const closesAt = formatClock(closesAtMs);
  switch (rule) {
    case 'R1':
    case 'R2':
      return [{ rule, message: gateMessages.closingSoon(rule, minutesLeft, closesAt) }];
    case 'R3':
      return [{ rule, message: gateMessages.closingSoonLocalSunday(minutesLeft, closesAt) }];
    case 'R9':
      return [{ rule, message: gateMessages.closingSoonRequested(minutesLeft, closesAt) }];
    default:
      return assertNever(rule, 'closing rule');
  }
}

/** History entries that count toward R5/R6 under the pack's reading of "contact"; exempt messages (R10) never count. */
function countedContacts(request: GateRequest, pack: RulePack): CountedContact[] {
  const contacts: CountedContact[] = [];
  for (let index = 0; index < request.history.length; index += 1) {
    const entry = request.history[index]!;
    const atMs = parseRequestInstant(entry.at, `history[${index}].at`);
    if (entry.exempt === true || !countsAsContact(entry.kind, pack)) continue;

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
