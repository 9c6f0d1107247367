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

/**
 * Returns the Spanish reason for all the debtor's holds, the stopped strategy first, or null when
 * none is in force. A debtor both deceased and in dispute names both, because a supervisor who
 * lifts the dispute must still see that the holder died.
 */
export function holdsReason(holds: readonly CollectionHold[]): string | null {
  const ordered = [...holds].sort((a, b) => Number(b.kind === 'stopped') - Number(a.kind === 'stopped'));
  const [first, ...others] = ordered;
  if (first === undefined) return null;
  if (others.length === 0) return holdReason(first, formatDate);

  const parts = ordered.map((hold) =>
    hold.kind === 'stopped'
      ? `titular fallecido (${hold.code}, ${formatDate(hold.since)})`
      : `en disputa, cobro en pausa por reclamación (${hold.code}, ${formatDate(hold.since)})`,
  );
  return `Estrategia detenida: ${parts.join('; ')}. No se puede contactar.`;
}

/** Returns the worklist's status for a held debtor (out of the call queue, with the reason of every hold), or null when none is in force. */
export function heldStatus(holds: readonly CollectionHold[]): { legalStatus: 'blocked'; statusText: string; nextAllowedAt: null } | null {
  const reason = holdsReason(holds);
  return reason === null ? null : { legalStatus: 'blocked', statusText: reason, nextAllowedAt: null };
}

/** Returns the reason collection of the debtor is held, naming every hold, or null when it is not held. */
export function holdReasonOf(store: LocalStore, debtorId: string): string | null {
  return holdsReason(store.holds.of(debtorId));
}

/** Throws `conflict` with the Spanish reason when the debtor's collection is held. */
export function assertNotHeld(store: LocalStore, debtorId: string): void {
  const reason = holdReasonOf(store, debtorId);
  if (reason !== null) throw new AppError('conflict', reason);
}
