/**
 * The compliance side of timeline tasks: the legal slot of a task (now, or the next instant the
 * gate allows), the legal state of every planned activity in the debtor view, and the cached legal
 * status the worklist filters on.
 */
import { MS_PER_MINUTE, bogotaDayOf, bogotaDayStart } from '@gestiona/core/compliance/bogota-time';
import { parseIsoDate } from '@gestiona/core/compliance/civil-date';
import { evaluateGate } from '@gestiona/core/compliance/gate';
import type { GateDecision, RulePack, VisitCreditType } from '@gestiona/core/compliance/types';
import type { Channel, ContactPoint, DebtorSnapshot } from '@gestiona/core/domain';
import { formatSlot, toBogotaIso } from '@gestiona/core/format';
import type { LEGAL_STATUSES } from '@gestiona/core/ipc';
import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import type { HolderPoints } from '../store/debtors.ts';
import type { LedgerStore } from '../store/ledger.ts';
import type { LocalStore } from '../store/local-store.ts';
import type { CachedLegalStatus } from '../store/tasks.ts';
import { checkContact, gateRequestFor, HISTORY_WINDOW_MS, isAuthorized } from './gate-check.ts';
import { summarizeLegalStatus } from './legal-status.ts';

export type LegalStatusName = (typeof LEGAL_STATUSES)[number];

/** A task's or a planned activity's standing with the gate. */
export interface LegalSlot {
  /** The instant the activity can be done: the requested one when allowed, else the gate's next allowed instant; null when never. */
  slotAt: string | null;
  /** True when the slot is the requested instant itself. */
  allowedNow: boolean;
  /** Spanish reason of the first blocking rule; null when allowed. */
  reason: string | null;
}

/** Returns the instant a task dated `plannedDate` is checked at: now, or the start of that Bogotá day when it is still ahead. */
export function checkInstant(plannedDate: string, nowMs: number): number {
  const day = parseIsoDate(plannedDate);
  if (day === null) throw new Error(`Invalid planned date ${JSON.stringify(plannedDate)}: expected YYYY-MM-DD`);
  return Math.max(nowMs, bogotaDayStart(day));
}

/**
 * Picks the legal slot from the gate's decisions over the points that could carry the activity:
 * allowed when one point allows it, else the earliest next allowed instant of any point.
 */
export function legalSlotOf(decisions: readonly GateDecision[], atIso: string, noPointReason: string): LegalSlot {
  if (decisions.length === 0) return { slotAt: null, allowedNow: false, reason: noPointReason };
  if (decisions.some((decision) => decision.allowed)) return { slotAt: atIso, allowedNow: true, reason: null };

  let best: GateDecision | null = null;
  for (const decision of decisions) {
    if (decision.nextAllowedAt === null) continue;
    if (best === null || Date.parse(decision.nextAllowedAt) < Date.parse(best.nextAllowedAt!)) best = decision;
  }
  const explaining = best ?? decisions[0]!;
  return { slotAt: best?.nextAllowedAt ?? null, allowedNow: false, reason: explaining.reasons[0]?.message ?? 'Contacto bloqueado' };
}

/** Spanish line for a task or an activity: when it can be done, or why it cannot. */
export function slotText(slot: LegalSlot, nowIso: string): string {
  if (slot.allowedNow) return Date.parse(slot.slotAt!) <= Date.parse(nowIso) ? 'Se puede hacer ahora' : `Permitido: ${formatSlot(slot.slotAt!, nowIso)}`;
  if (slot.slotAt === null) return `No se puede hacer: ${slot.reason ?? 'contacto bloqueado'}`;
  return `Pasa a ${formatSlot(slot.slotAt, nowIso)} (${slot.reason ?? 'contacto bloqueado'})`;
}

const GATE_CHANNELS: Readonly<Record<'call' | 'sms' | 'email' | 'whatsapp', Channel>> = { call: 'voice', sms: 'sms', email: 'email', whatsapp: 'whatsapp' };

/** Obligation products whose credit type lets R13 allow a field visit (with the creditor's flag). */
const VISIT_CREDIT_TYPES: Readonly<Partial<Record<string, VisitCreditType>>> = { microcredit: 'microcredit' };

/**
 * The legal slot of one activity for the debtor's holder at `atMs`. Calls and messages need an
 * authorised point of their channel; a letter has no address to authorise; a visit is checked under
 * R13 with the credit type of the debtor's products. The creditor's explicit visit flag is not in
 * the snapshot, so a visit reads as not allowed.
 */
export function activitySlot(ledger: LedgerStore, pack: RulePack, debtor: DebtorSnapshot, channel: TimelineActivity['channel'], atMs: number): LegalSlot {
  const atIso = toBogotaIso(atMs);
  const holder = debtor.persons.find((person) => person.role === 'debtor');
  if (!holder) return { slotAt: null, allowedNow: false, reason: 'El deudor no tiene titular registrado' };

  if (channel === 'letter' || channel === 'visit') {
    const creditType = debtor.obligations.map((obligation) => VISIT_CREDIT_TYPES[obligation.product]).find((type) => type !== undefined);
    const anyPoint: ContactPoint = { id: 'letter', personId: holder.id, channel: 'voice', address: '-', authorization: null, flagged: null };
    const base = gateRequestFor(ledger, { atIso, point: anyPoint, party: 'debtor', person: holder });
    const decision = evaluateGate({ ...base, channel, authorized: true, ...(channel === 'visit' && creditType ? { creditType } : {}) }, pack);
    return legalSlotOf([decision], atIso, '');
  }

  const gateChannel = GATE_CHANNELS[channel];
  const points = debtor.contactPoints.filter((point) => point.personId === holder.id && point.channel === gateChannel && isAuthorized(point) && !point.flagged);
  const decisions = points.map((point) => checkContact(ledger, pack, { atIso, point, party: 'debtor', person: holder }).decision);
  return legalSlotOf(decisions, atIso, 'Sin canal autorizado para esta actividad');
}

/** Debtors read per query while the legal-status cache is refreshed: a few hundred keep each query's JSON id list small. */
const LEGAL_REFRESH_CHUNK = 500;

/** How long a "contactable" entry of the cache is trusted: the legal windows open and close on whole quarter hours. */
const CONTACTABLE_VALIDITY_MS = 15 * MS_PER_MINUTE;

/**
 * Recomputes the cached legal status of every leased debtor whose entry is missing or expired, with
 * the same gate decisions and collection holds as the worklist row. A blocked status stays valid
 * until its next allowed instant, and a contactable one until the next quarter hour. Triggers of
 * migration 007 delete an entry when a contact, a flag, a revocation, a wrap-up record or the rule
 * pack changes, and the feed deletes it when a hold starts or ends. Returns how many it wrote.
 *
 * NOTE: a window that closes between quarter hours (an R9 request such as 09:00–11:50, or a zone
 * with a 45-minute offset) can keep a debtor under "Contactable" in the filter for up to 15
 * minutes. The row's own status and the dial are checked by the gate at that moment, not from here.
 */
export function refreshLegalStatuses(store: LocalStore, pack: RulePack, nowMs: number): number {
  const stale = store.tasks.staleLegalDebtors(nowMs);
  if (stale.length === 0) return 0;

  const nowIso = toBogotaIso(nowMs);
  const statuses: CachedLegalStatus[] = [];
  // Every contactable entry expires at the same quarter hour, so a refresh may cover every leased
  // debtor. Each chunk reads its holders, holds and ledger histories with one query per table.
  for (let start = 0; start < stale.length; start += LEGAL_REFRESH_CHUNK) {
    const chunk = stale.slice(start, start + LEGAL_REFRESH_CHUNK);
    const holders = store.debtors.holderPoints(chunk, 'voice');
    const holds = store.holds.ofMany(chunk);
    const holderIds = [...holders.values()].map((entry) => entry.holder.id);
    store.ledger.withHistoryOf(holderIds, nowMs - HISTORY_WINDOW_MS, () => {
      for (const debtorId of chunk) {
        // A collection hold blocks the debtor until it is lifted, as on the worklist row.
        const held = holds.has(debtorId);
        const status = held ? { legalStatus: 'blocked' as const, nextAllowedAt: null } : summarizeLegalStatus(holderVoiceDecisions(store.ledger, pack, holders.get(debtorId) ?? null, nowIso), nowIso);
        const nextAllowedMs = status.nextAllowedAt === null ? null : Date.parse(status.nextAllowedAt);
        let validUntilMs: number;
        if (status.legalStatus === 'contactable') validUntilMs = nextQuarterHour(nowMs);
        else validUntilMs = nextAllowedMs !== null && nextAllowedMs > nowMs ? nextAllowedMs : Number.MAX_SAFE_INTEGER;
        statuses.push({ debtorId, legalStatus: status.legalStatus, nextAllowedMs, validUntilMs });
      }
    });
  }
  store.tasks.saveLegalStatuses(statuses);
  return statuses.length;
}

/**
 * Evaluates the gate now for each authorised phone of the debtor's holder, as the worklist row does;
 * no decision when the debtor has no holder.
 */
export function holderVoiceDecisions(ledger: LedgerStore, pack: RulePack, holderPoints: HolderPoints | null, nowIso: string): GateDecision[] {
  if (holderPoints === null) return [];
  const { holder, points } = holderPoints;
  return points
    .filter((point) => point.personId === holder.id && point.channel === 'voice' && isAuthorized(point))
    .map((point) => checkContact(ledger, pack, { atIso: nowIso, point, party: 'debtor', person: holder }).decision);
}

function nextQuarterHour(nowMs: number): number {
  const dayStart = bogotaDayStart(bogotaDayOf(nowMs));
  return dayStart + (Math.floor((nowMs - dayStart) / CONTACTABLE_VALIDITY_MS) + 1) * CONTACTABLE_VALIDITY_MS;
}
