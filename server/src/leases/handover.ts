/**
 * When a debtor may reach a new holder's workstation after another agent held it.
 *
 * The server cannot take a lease back from a workstation it cannot reach: an offline workstation
 * keeps dialing its debtors until the `leaseUntil` it was sent, by its trusted clock, and its
 * contacts reach the server only when it reconnects. So a new holder of another agent gets the
 * debtor (the `debtor.upsert` that lets it dial) only at the handover instant: the start of the
 * first Bogotá day after the previous holder's last `leaseUntil` plus a clock margin. From then on
 * the previous holder cannot dial any more, and no contact of its last day can share a Bogotá day
 * (R5) with the new holder's first contact. The lease row of the new holder is written at once,
 * so the server's records show who is responsible for the debtor from the reassignment on.
 *
 * The handover comes earlier when every workstation that may hold the debtor acknowledged its
 * removal (`lease.released`, see `store/lease-release-operation.ts`). Each workstation sends its
 * outbox in order, so its contacts with the debtor were stored before its acknowledgement, and the
 * new holder receives them as `ledger.add` entries with the debtor: R5 and R6 hold at the new desk.
 */
import { DateTime } from 'luxon';
import { BOGOTA_ZONE } from '@gestiona/core/format';
import type { LeaseRecord } from '../store/types.ts';

/**
 * Twice the workstation's default maximum clock offset (5 minutes): a workstation whose trusted
 * clock runs behind the server's by up to that offset still dials until its `leaseUntil`.
 */
export const HANDOVER_CLOCK_MARGIN_MS = 10 * 60 * 1000;

/**
 * Returns the instant from which a workstation of another agent may receive the debtor after
 * `previous`: the handover by expiry, or the instant every workstation acknowledged the removal
 * (`releaseConfirmedAt`) when that came first.
 */
export function handoverAt(previous: Pick<LeaseRecord, 'expiresAt' | 'releaseConfirmedAt'>): Date {
  const byExpiry = handoverByExpiry(previous);
  if (previous.releaseConfirmedAt !== null && Date.parse(previous.releaseConfirmedAt) < byExpiry.getTime()) return new Date(previous.releaseConfirmedAt);
  return byExpiry;
}

/** Returns the start of the first Bogotá day after the lease's expiry plus the clock margin. */
export function handoverByExpiry(previous: Pick<LeaseRecord, 'expiresAt'>): Date {
  const lastDial = new Date(previous.expiresAt).getTime() + HANDOVER_CLOCK_MARGIN_MS;
  return DateTime.fromMillis(lastDial, { zone: BOGOTA_ZONE }).startOf('day').plus({ days: 1 }).toJSDate();
}

export interface HandoverState {
  /** The lease whose holder's workstation last received the debtor; null when none did. */
  lastAnnounced: LeaseRecord | null;
  /** When the next lease may be sent to its holder; null when it may be sent at once. */
  waitsUntil: Date | null;
}

/**
 * Replays the debtor's earlier leases (in id order) to tell whether the holder of `next` may receive
 * the debtor when `next` starts. A lease that waited for its handover counts as sent once its holder
 * got a later lease of the same debtor, which is how a waiting lease is replaced when the handover
 * comes.
 */
export function handoverState(earlier: readonly LeaseRecord[], next: Pick<LeaseRecord, 'agentId' | 'grantedAt'>): HandoverState {
  let lastAnnounced: LeaseRecord | null = null;
  for (const record of earlier) {
    if (announcedAfter(lastAnnounced, record)) lastAnnounced = record;
  }
  if (announcedAfter(lastAnnounced, next)) return { lastAnnounced, waitsUntil: null };
  return { lastAnnounced, waitsUntil: handoverAt(lastAnnounced!) };
}

function announcedAfter(lastAnnounced: LeaseRecord | null, record: Pick<LeaseRecord, 'agentId' | 'grantedAt'>): boolean {
  if (lastAnnounced === null || lastAnnounced.agentId === record.agentId) return true;
  return handoverAt(lastAnnounced).getTime() <= Date.parse(record.grantedAt);
}
