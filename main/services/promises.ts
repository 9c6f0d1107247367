/**
 * Follow-ups for the worklist: promises from the server and the ones typified here but not yet
 * sent, and callbacks scheduled here. Debtors with a follow-up due come first in the worklist.
 */
import { bogotaDayStart } from '@gestiona/core/compliance/bogota-time';
import { parseIsoDate } from '@gestiona/core/compliance/civil-date';
import { bogotaDate, formatDateTime, formatSlot } from '@gestiona/core/format';
import type { WorklistItem } from '@gestiona/core/ipc';
import type { PromiseSnapshot } from '@gestiona/core/sync';
import type { LocalCallbackRecord, LocalPromiseRecord } from '../store/promises.ts';
import type { LocalStore } from '../store/local-store.ts';

export type PromiseFollowUp = NonNullable<WorklistItem['followUp']>;

/** A follow-up with the instant it fell due, which orders the worklist's follow-ups (oldest first). */
export interface DatedFollowUp {
  followUp: PromiseFollowUp;
  /**
   * Null for a broken promise: the row is tagged but keeps its place. No contact settles a broken
   * promise, so moving it up would keep it above the day's calls until a new promise replaces it.
   */
  dueMs: number | null;
}

export const DUE_TODAY_TEXT = 'Seguimiento: promesa vence hoy';
export const BROKEN_TEXT = 'Promesa incumplida';

/**
 * Returns the debtor's promise follow-up on `today` (`YYYY-MM-DD`, Bogotá). A broken promise comes
 * first, but only while it is the debtor's latest: a newer promise replaces the follow-up. Next
 * comes any pending instalment due today, of a promise or an agreement.
 */
export function promiseFollowUp(store: LocalStore, debtorId: string, today: string): PromiseFollowUp | null {
  return datedPromiseFollowUp(store.promises.forDebtor(debtorId), store.promises.localOnly(debtorId), today)?.followUp ?? null;
}

/**
 * Returns the follow-up of each debtor in `debtorIds` that has one at `nowIso`, reading each table
 * once for all of them. An instalment due today wins over a callback, and a callback over a broken
 * promise, because the callback is an appointment the debtor agreed to. A callback is due from its
 * day on until the debtor is contacted again after it was scheduled.
 */
export function followUpsOf(store: LocalStore, debtorIds: readonly string[], nowIso: string): Map<string, DatedFollowUp> {
  const today = bogotaDate(nowIso);
  const server = store.promises.forDebtors(debtorIds);
  const local = store.promises.localOnlyFor(debtorIds);
  const callbacks = store.promises.callbacksFor(debtorIds);
  const lastContacts = store.ledger.latestForDebtors([...callbacks.keys()]);

  const followUps = new Map<string, DatedFollowUp>();
  for (const debtorId of debtorIds) {
    const promise = datedPromiseFollowUp(server.get(debtorId) ?? [], local.get(debtorId) ?? [], today);
    const promiseDue = promise !== null && promise.dueMs !== null;
    const found = promiseDue ? promise : (callbackFollowUp(callbacks.get(debtorId) ?? [], lastContacts.get(debtorId)?.at ?? null, today, nowIso) ?? promise);
    if (found !== null) followUps.set(debtorId, found);
  }
  return followUps;
}

/** Returns the debtors with a follow-up due at `nowIso` and the instant it fell due, for the worklist to list first. */
export function dueFollowUps(store: LocalStore, nowIso: string): Array<{ debtorId: string; dueMs: number }> {
  const followUps = followUpsOf(store, store.promises.followUpCandidates(bogotaDate(nowIso)), nowIso);
  return [...followUps].flatMap(([debtorId, { dueMs }]) => (dueMs === null ? [] : [{ debtorId, dueMs }]));
}

function datedPromiseFollowUp(server: readonly PromiseSnapshot[], local: readonly LocalPromiseRecord[], today: string): DatedFollowUp | null {
  const latestServer = server.at(-1);
  const newerLocal = latestServer !== undefined && local.some((record) => record.createdAt > latestServer.madeAt);
  if (latestServer?.status === 'broken' && !newerLocal) {
    const text = latestServer.kind === 'agreement' ? `${BROKEN_TEXT}: acuerdo de pago` : BROKEN_TEXT;
    return { followUp: { kind: 'broken', text }, dueMs: null };
  }

  for (const promise of server) {
    const due = promise.instalments.find((instalment) => instalment.dueOn === today && instalment.status === 'pending');
    if (due) return { followUp: dueToday(promise.kind, due.number), dueMs: dayStartMs(today) };
  }
  for (const record of local) {
    const due = localDueNumber(record.kind, record.fields, today);
    if (due !== null) return { followUp: dueToday(record.kind, due), dueMs: dayStartMs(today) };
  }
  return null;
}

/**
 * Returns the oldest callback due on or before `today` that no contact has followed. A contact
 * after the callback was scheduled (from this desk or another) settles it, even if it came early,
 * because that contact's own typification can schedule a new one.
 */
function callbackFollowUp(callbacks: readonly LocalCallbackRecord[], lastContactAt: string | null, today: string, nowIso: string): DatedFollowUp | null {
  const lastContactMs = lastContactAt === null ? Number.NEGATIVE_INFINITY : Date.parse(lastContactAt);
  let oldest: LocalCallbackRecord | null = null;
  for (const callback of callbacks) {
    const dueMs = Date.parse(callback.dueAt);
    if (Number.isNaN(dueMs) || bogotaDate(callback.dueAt) > today || lastContactMs > Date.parse(callback.createdAt)) continue;
    if (oldest === null || dueMs < Date.parse(oldest.dueAt)) oldest = callback;
  }
  if (oldest === null) return null;

  const text =
    bogotaDate(oldest.dueAt) === today
      ? `Seguimiento: volver a llamar ${formatSlot(oldest.dueAt, nowIso)}`
      : `Seguimiento: volver a llamar (pactado para el ${formatDateTime(oldest.dueAt)})`;
  return { followUp: { kind: 'callback', text }, dueMs: Date.parse(oldest.dueAt) };
}

function dueToday(kind: 'promise' | 'agreement', instalment: number): PromiseFollowUp {
  return { kind: 'due-today', text: kind === 'agreement' ? `Seguimiento: cuota ${instalment} del acuerdo vence hoy` : DUE_TODAY_TEXT };
}

/** Returns the start of a Bogotá calendar day (`YYYY-MM-DD`) in epoch milliseconds. */
function dayStartMs(date: string): number {
  const day = parseIsoDate(date);
  if (day === null) throw new Error(`Invalid follow-up date ${JSON.stringify(date)}: expected YYYY-MM-DD`);
  return bogotaDayStart(day);
}

/** Returns the number of the local record's instalment due today, or null; a promise is instalment 1. */
function localDueNumber(kind: 'promise' | 'agreement', fields: Record<string, unknown>, today: string): number | null {
  for (const value of Object.values(fields)) {
    if (kind === 'promise' && value === today) return 1;
    if (kind === 'agreement' && Array.isArray(value)) {
      const index = value.findIndex((entry: unknown) => typeof entry === 'object' && entry !== null && (entry as { dueDate?: unknown }).dueDate === today);
      if (index >= 0) return index + 1;
    }
  }
  return null;
}
