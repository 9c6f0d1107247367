/** Promise follow-ups for the worklist, from the server's promises and the ones typified here but not yet sent. */
import type { WorklistItem } from '@gestiona/core/ipc';
import type { LocalStore } from '../store/local-store.ts';

export type PromiseFollowUp = NonNullable<WorklistItem['followUp']>;

export const DUE_TODAY_TEXT = 'Seguimiento: promesa vence hoy';
export const BROKEN_TEXT = 'Promesa incumplida';

/**
 * Returns the debtor's promise follow-up on `today` (`YYYY-MM-DD`, Bogotá). A broken promise comes
 * first, but only while it is the debtor's latest: a newer promise replaces the follow-up. Next
 * comes any pending instalment due today, of a promise or an agreement.
 */
export function promiseFollowUp(store: LocalStore, debtorId: string, today: string): PromiseFollowUp | null {
  const server = store.promises.forDebtor(debtorId);
  const local = store.promises.localOnly(debtorId);

  const latestServer = server.at(-1);
  const newerLocal = latestServer !== undefined && local.some((record) => record.createdAt > latestServer.madeAt);
  if (latestServer?.status === 'broken' && !newerLocal) {
    return { kind: 'broken', text: latestServer.kind === 'agreement' ? `${BROKEN_TEXT}: acuerdo de pago` : BROKEN_TEXT };
  }

  for (const promise of server) {
    const due = promise.instalments.find((instalment) => instalment.dueOn === today && instalment.status === 'pending');
    if (due) return dueToday(promise.kind, due.number);
  }
  for (const record of local) {
    const due = localDueNumber(record.kind, record.fields, today);
    if (due !== null) return dueToday(record.kind, due);
  }
  return null;
}

function dueToday(kind: 'promise' | 'agreement', instalment: number): PromiseFollowUp {
  return { kind: 'due-today', text: kind === 'agreement' ? `Seguimiento: cuota ${instalment} del acuerdo vence hoy` : DUE_TODAY_TEXT };
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
