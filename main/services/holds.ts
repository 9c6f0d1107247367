/**
 * Collection holds on the workstation: the Spanish reason a held debtor shows instead of its legal
 * status, and the refusal of a dial while the hold lasts. The hold check runs before the gate,
 * like a pause: it is the collection agency's own stop, not a legal decision, so no decision is
 * recorded for it.
 */
import { holdReason, type CollectionHold } from '@gestiona/core/catalog-holds';
import { formatDate } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import type { LocalStore } from '../store/local-store.ts';

/** The worklist's status for a held debtor: out of the call queue, with the reason. */
export function heldStatus(hold: CollectionHold): { legalStatus: 'blocked'; statusText: string; nextAllowedAt: null } {
  return { legalStatus: 'blocked', statusText: holdReason(hold, formatDate), nextAllowedAt: null };
}

/** Throws `conflict` with the Spanish reason when the debtor's collection is held. */
export function assertNotHeld(store: LocalStore, debtorId: string): void {
  const hold = store.holds.current(debtorId);
  if (hold !== null) throw new AppError('conflict', holdReason(hold, formatDate));
}
