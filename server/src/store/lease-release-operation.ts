/**
 * Ingest of `lease.released`, and the early handover it allows. A workstation sends the event when
 * it removed a debtor named by a feed `debtor.remove`. Its outbox goes in order, so its contacts
 * with the debtor are stored by then. The lease's release counts as confirmed once every
 * workstation of the old holder that may have pulled the debtor during its lease acknowledged the
 * removal. A waiting new holder then receives the debtor at once, not at the handover by expiry.
 */
import type { Logger } from '../logger.ts';
import { handoverState } from '../leases/handover.ts';
import { sendWaitingLease } from './lease-operations.ts';
import type { LeaseReleasedEvent } from './lease-releases.ts';
import type { Tables } from './tables.ts';
import type { IngestContext, IngestOutcome, LeaseRecord, RejectionCode } from './types.ts';
import type { WriteContext } from './write-context.ts';

type Reject = (code: RejectionCode, reason: string) => Promise<IngestOutcome>;

export async function ingestLeaseRelease(
  tables: Tables,
  context: WriteContext,
  event: LeaseReleasedEvent,
  ingest: IngestContext,
  reject: Reject,
  logger?: Logger,
): Promise<IngestOutcome> {
  if (await tables.leaseReleases.isStored(event.id)) return { status: 'duplicate' };

  const { debtorId, leaseId } = event.payload;
  const lease = await tables.leases.byId(leaseId);
  if (!lease || lease.debtorId !== debtorId || lease.agentId !== event.agentId) {
    return reject('not-leased', `La asignación ${leaseId} no es del deudor ${debtorId} con este agente: no se registra su liberación (not leased).`);
  }
  if (!(await tables.leaseReleases.insert(event, ingest.receivedAt))) return { status: 'duplicate' };

  const confirmed = await confirmReleaseIfComplete(tables, context, lease, ingest.receivedAt);
  logger?.info({ eventId: event.id, leaseId, debtorId, workstationId: event.workstationId, confirmed }, 'ingest lease release: stored');
  return { status: 'stored' };
}

/**
 * Marks the lease's release confirmed when every workstation that may hold the debtor acknowledged
 * it, then sends the debtor to a holder waiting for that. Returns whether the release is confirmed.
 */
export async function confirmReleaseIfComplete(tables: Tables, context: WriteContext, lease: LeaseRecord, now: Date): Promise<boolean> {
  if (lease.releaseConfirmedAt !== null) return lease.releaseConfirmedAt <= now.toISOString();
  // A renewal is no removal: the same agent goes on with the debtor.
  if (lease.releasedAt === null || lease.releaseReason === 'renewed') return false;

  const history = await tables.leases.historyOf(lease.debtorId);
  const waiting = await releaseWaitsFor(tables, lease, history);
  if (waiting.length > 0) return false;

  await tables.leases.confirmRelease(lease.id, now.toISOString());
  const open = history.find((record) => record.releasedAt === null);
  if (open && open.expiresAt > now.toISOString()) {
    // Judged on the history before this confirmation: a lease granted at this very instant counts as
    // sent in the replay once the release is confirmed, but it was not.
    const earlier = history.filter((record) => record.id < open.id);
    const wasWaiting = handoverState(earlier, open).waitsUntil !== null;
    const confirmed = earlier.map((record) => (record.id === lease.id ? { ...record, releaseConfirmedAt: now.toISOString() } : record));
    const due = handoverState(confirmed, { agentId: open.agentId, grantedAt: now.toISOString() }).waitsUntil === null;
    if (wasWaiting && due) await sendWaitingLease(tables, context, open, now);
  }
  return true;
}

/** Returns the workstations that may hold the debtor under `lease` and have not acknowledged its removal. */
export async function releaseWaitsFor(tables: Tables, lease: LeaseRecord, history: readonly LeaseRecord[]): Promise<string[]> {
  const since = holdingStart(lease, history);
  const mayHold = new Set([
    ...(await tables.leaseReleases.mayHoldSince(lease.agentId, since)),
    ...(await tables.leaseReleases.contactedSince(lease.debtorId, lease.agentId, since)),
  ]);
  const confirmed = await tables.leaseReleases.confirmedBy(lease.id);
  return [...mayHold].filter((workstationId) => !confirmed.has(workstationId)).sort();
}

/**
 * Returns when the agent's uninterrupted holding that ends with `lease` began: renewals and
 * back-to-back grants to the same agent keep the debtor on its workstations. A lease of another
 * agent that never reached that agent's desk (it waited for a handover and ended first) does not
 * interrupt the holding either, because the old desk may still have the debtor from before it.
 */
function holdingStart(lease: LeaseRecord, history: readonly LeaseRecord[]): string {
  let start = lease.grantedAt;
  const earlier = history.filter((record) => record.id < lease.id);
  for (let index = earlier.length - 1; index >= 0; index -= 1) {
    const record = earlier[index]!;
    if (record.agentId === lease.agentId) {
      start = record.grantedAt;
      continue;
    }
    if (reachedItsDesk(earlier.slice(0, index), record)) break;
  }
  return start;
}

/** Returns whether the lease was sent to its holder's workstation: at its grant, or at a handover before it ended. */
function reachedItsDesk(before: readonly LeaseRecord[], record: LeaseRecord): boolean {
  const { waitsUntil } = handoverState(before, record);
  if (waitsUntil === null) return true;
  return waitsUntil.getTime() < Date.parse(record.releasedAt ?? record.expiresAt);
}
