/**
 * The one path that records a view of a debtor's file: a `debtor.viewed` outbox event, which the
 * server keeps for Ley 1581 accountability (who opened which file, when, from which workstation).
 */
import type { DebtorViewed } from '@gestiona/core/sync';
import type { LocalStore } from './local-store.ts';

/**
 * Reopening the same file within this span records no new view. The renderer opens the debtor
 * again whenever it refreshes the screen (a feed change, a saved typification, a contact window
 * that opens), and one view per minute is enough to tell who saw the file and when.
 */
export const VIEW_RECORD_WINDOW_MS = 60_000;

/** The reason a view carries when the file was open only because its wrap-up is pending (lease ended). */
export const WRAP_UP_VIEW_REASON = 'wrap-up';

// Trusted instant of the last recorded view, by agent and debtor, for each open store. Kept in
// memory: after a restart the first open records again, which errs on the side of one more row.
const lastRecorded = new WeakMap<LocalStore, Map<string, number>>();

export interface DebtorViewInput {
  agentId: string;
  debtorId: string;
  /** Trusted time of the open, epoch ms and ISO. */
  atMs: number;
  atIso: string;
  localIso: string;
  offsetMs: number;
  reason?: string;
}

/**
 * Queues the view unless the same agent's view of the same debtor was recorded less than
 * `VIEW_RECORD_WINDOW_MS` earlier. Returns whether an event was queued. A trusted clock that moved
 * back past the last view records again, so a correction never hides a view.
 */
export function recordDebtorView(store: LocalStore, view: DebtorViewInput): boolean {
  let seen = lastRecorded.get(store);
  if (!seen) {
    seen = new Map();
    lastRecorded.set(store, seen);
  }
  const key = `${view.agentId}\u0000${view.debtorId}`;
  const previous = seen.get(key);
  if (previous !== undefined && view.atMs >= previous && view.atMs - previous < VIEW_RECORD_WINDOW_MS) return false;

  const payload: DebtorViewed = {
    debtorId: view.debtorId,
    viewedAt: view.atIso,
    localAt: view.localIso,
    clockOffsetMs: view.offsetMs,
    ...(view.reason === undefined ? {} : { reason: view.reason }),
  };
  store.transaction(() => store.outbox.enqueue({ type: 'debtor.viewed', payload, agentId: view.agentId, occurredAt: view.atIso }));
  seen.set(key, view.atMs);
  return true;
}
