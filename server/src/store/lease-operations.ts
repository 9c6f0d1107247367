/**
 * Lease grants, releases, expiry and renewal, each writing its feed entries in the same transaction.
 * A grant or renewal sends the holder the full debtor. A release, expiry or reassignment sends the
 * holder a `debtor.remove`.
 */
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { planAssignments } from '../leases/plan.ts';
import type { Tables } from './tables.ts';
import type { LeaseRecord, LeaseRunSummary } from './types.ts';
import type { WriteContext } from './write-context.ts';

/**
 * Contacts by others that a new holder must know about: the rolling 7-day same-channel rule looks
 * back 7 days, plus one day so a contact late on the eighth day back is not missed at a day edge.
 */
const LEDGER_LOOKBACK_MS = 8 * 24 * 60 * 60 * 1000;

export function grantLease(tables: Tables, context: WriteContext, debtorId: string, agentId: string, now: Date): LeaseRecord {
  const open = tables.leases.openLease(debtorId);
  if (open && open.expiresAt <= now.toISOString()) {
    closeExpired(tables, context, open, now);
  } else if (open && open.agentId === agentId) {
    return open;
  } else if (open) {
    throw new AppError(
      'conflict',
      `El deudor ${debtorId} ya está asignado a otro agente hasta ${formatDateTime(open.expiresAt)}. Libérelo antes de asignarlo de nuevo.`,
    );
  }

  if (!tables.debtors.exists(debtorId)) throw new AppError('not-found', `El deudor ${debtorId} no existe. Importe primero su cartera.`);
  if (!tables.users.getActiveAgent(agentId)) {
    throw new AppError('invalid-input', `El usuario ${agentId} no es un agente activo. Asigne el deudor a un agente.`);
  }

  const lease = tables.leases.insertLease(debtorId, agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
  sendLeasedDebtor(tables, context, lease, now);
  return lease;
}

/** Closes the debtor's open lease at `now`; returns null when there was none. */
export function releaseLease(
  tables: Tables,
  context: WriteContext,
  debtorId: string,
  now: Date,
  reason: 'released' | 'reassigned',
): LeaseRecord | null {
  const open = tables.leases.openLease(debtorId);
  if (!open) return null;
  if (open.expiresAt <= now.toISOString()) return closeExpired(tables, context, open, now);

  const closed = tables.leases.closeLease(open, now.toISOString(), reason);
  tables.changes.append(
    context,
    open.agentId,
    { type: 'debtor.remove', payload: { debtorId, reason: reason === 'reassigned' ? 'reassigned' : 'lease-ended' } },
    now,
  );
  return closed;
}

export function expireDueLeases(tables: Tables, context: WriteContext, now: Date): number {
  const due = tables.leases.dueForExpiry(now);
  for (const lease of due) closeExpired(tables, context, lease, now);
  return due.length;
}

/**
 * Renews the agent's unexpired leases with less than half their length left: the old lease closes
 * now and a new one starts now, so the history shows no gap and no overlap.
 */
export function renewLeases(tables: Tables, context: WriteContext, agentId: string, now: Date): number {
  const threshold = now.getTime() + tables.leaseDurationMs / 2;
  let renewed = 0;
  for (const lease of tables.leases.activeOf(agentId, now)) {
    if (new Date(lease.expiresAt).getTime() >= threshold) continue;
    tables.leases.closeLease(lease, now.toISOString(), 'renewed');
    const next = tables.leases.insertLease(lease.debtorId, agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
    sendLeasedDebtor(tables, context, next, now, { includeLedger: false });
    renewed += 1;
  }
  return renewed;
}

export function leaseUnassigned(tables: Tables, context: WriteContext, now: Date): LeaseRunSummary {
  const expired = expireDueLeases(tables, context, now);
  const agents = tables.users.listActiveAgents();
  const counts = tables.leases.openCountsByAgent();
  const debtorIds = tables.debtors.listUnleased().map((debtor) => debtor.id);

  const assignments = planAssignments(
    debtorIds,
    agents.map((agent) => ({ agentId: agent.id, openLeases: counts.get(agent.id) ?? 0 })),
  );
  for (const { debtorId, agentId } of assignments) {
    const lease = tables.leases.insertLease(debtorId, agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
    sendLeasedDebtor(tables, context, lease, now);
  }

  const perAgent = Object.fromEntries(agents.map((agent) => [agent.id, 0]));
  for (const [agentId, count] of tables.leases.openCountsByAgent()) if (agentId in perAgent) perAgent[agentId] = count;
  return { granted: assignments.length, expired, perAgent };
}

/** Closes an expired lease at its expiry instant, not at the moment the sweep ran. */
function closeExpired(tables: Tables, context: WriteContext, lease: LeaseRecord, now: Date): LeaseRecord {
  const closed = tables.leases.closeLease(lease, lease.expiresAt, 'expired');
  tables.changes.append(context, lease.agentId, { type: 'debtor.remove', payload: { debtorId: lease.debtorId, reason: 'lease-ended' } }, now);
  return closed;
}

function sendLeasedDebtor(
  tables: Tables,
  context: WriteContext,
  lease: LeaseRecord,
  now: Date,
  options: { includeLedger: boolean } = { includeLedger: true },
): void {
  const snapshot = tables.debtors.snapshot(lease.debtorId, new Date(lease.expiresAt));
  if (!snapshot) throw new Error(`Lease ${lease.id} names a debtor that does not exist`);
  tables.changes.append(context, lease.agentId, { type: 'debtor.upsert', payload: snapshot }, now);

  if (!options.includeLedger) return;
  const since = new Date(now.getTime() - LEDGER_LOOKBACK_MS);
  for (const entry of tables.events.ledgerByOthersSince(lease.debtorId, since, lease.agentId)) {
    tables.changes.append(context, lease.agentId, { type: 'ledger.add', payload: entry }, now);
  }
}
