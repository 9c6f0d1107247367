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

export async function grantLease(tables: Tables, context: WriteContext, debtorId: string, agentId: string, now: Date): Promise<LeaseRecord> {
  const open = await tables.leases.openLease(debtorId);
  if (open && open.expiresAt <= now.toISOString()) {
    await closeExpired(tables, context, open, now);
  } else if (open && open.agentId === agentId) {
    return open;
  } else if (open) {
    throw new AppError(
      'conflict',
      `El deudor ${debtorId} ya está asignado a otro agente hasta ${formatDateTime(open.expiresAt)}. Libérelo antes de asignarlo de nuevo.`,
    );
  }

  if (!(await tables.debtors.exists(debtorId))) throw new AppError('not-found', `El deudor ${debtorId} no existe. Importe primero su cartera.`);
  if (!(await tables.users.getActiveAgent(agentId))) {
    throw new AppError('invalid-input', `El usuario ${agentId} no es un agente activo. Asigne el deudor a un agente.`);
  }

  const lease = await tables.leases.insertLease(debtorId, agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
  await sendLeasedDebtor(tables, context, lease, now);
  return lease;
}

/** Closes the debtor's open lease at `now`; returns null when there was none. */
export async function releaseLease(
  tables: Tables,
  context: WriteContext,
  debtorId: string,
  now: Date,
  reason: 'released' | 'reassigned',
): Promise<LeaseRecord | null> {
  const open = await tables.leases.openLease(debtorId);
  if (!open) return null;
  if (open.expiresAt <= now.toISOString()) return closeExpired(tables, context, open, now);

  const closed = await tables.leases.closeLease(open, now.toISOString(), reason);
  await tables.changes.append(
    context,
    open.agentId,
    { type: 'debtor.remove', payload: { debtorId, reason: reason === 'reassigned' ? 'reassigned' : 'lease-ended' } },
    now,
  );
  return closed;
}

export async function expireDueLeases(tables: Tables, context: WriteContext, now: Date): Promise<number> {
  const due = await tables.leases.dueForExpiry(now);
  for (const lease of due) await closeExpired(tables, context, lease, now);
  return due.length;
}

/**
 * Renews the agent's unexpired leases with less than half their length left: the old lease closes
 * now and a new one starts now, so the history shows no gap and no overlap.
 */
export async function renewLeases(tables: Tables, context: WriteContext, agentId: string, now: Date): Promise<number> {
  const threshold = now.getTime() + tables.leaseDurationMs / 2;
  let renewed = 0;
  for (const lease of await tables.leases.activeOf(agentId, now)) {
    if (new Date(lease.expiresAt).getTime() >= threshold) continue;
    await tables.leases.closeLease(lease, now.toISOString(), 'renewed');
    const next = await tables.leases.insertLease(lease.debtorId, agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
    await sendLeasedDebtor(tables, context, next, now, { includeLedger: false });
    renewed += 1;
  }
  return renewed;
}

export async function leaseUnassigned(tables: Tables, context: WriteContext, now: Date): Promise<LeaseRunSummary> {
  const expired = await expireDueLeases(tables, context, now);
  const agents = await tables.users.listActiveAgents();
  const counts = await tables.leases.openCountsByAgent();
  const debtorIds = (await tables.debtors.listUnleased()).map((debtor) => debtor.id);

  const assignments = planAssignments(
    debtorIds,
    agents.map((agent) => ({ agentId: agent.id, openLeases: counts.get(agent.id) ?? 0 })),
  );
  for (const { debtorId, agentId } of assignments) {
    const lease = await tables.leases.insertLease(debtorId, agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
    await sendLeasedDebtor(tables, context, lease, now);
  }

  const perAgent = Object.fromEntries(agents.map((agent) => [agent.id, 0]));
  for (const [agentId, count] of await tables.leases.openCountsByAgent()) if (agentId in perAgent) perAgent[agentId] = count;
  return { granted: assignments.length, expired, perAgent };
}

/** Closes an expired lease at its expiry instant, not at the moment the sweep ran. */
async function closeExpired(tables: Tables, context: WriteContext, lease: LeaseRecord, now: Date): Promise<LeaseRecord> {
  const closed = await tables.leases.closeLease(lease, lease.expiresAt, 'expired');
  await tables.changes.append(context, lease.agentId, { type: 'debtor.remove', payload: { debtorId: lease.debtorId, reason: 'lease-ended' } }, now);
  return closed;
}

async function sendLeasedDebtor(
  tables: Tables,
  context: WriteContext,
  lease: LeaseRecord,
  now: Date,
  options: { includeLedger: boolean } = { includeLedger: true },
): Promise<void> {
  const snapshot = await tables.debtors.snapshot(lease.debtorId, new Date(lease.expiresAt));
  if (!snapshot) throw new Error(`Lease ${lease.id} names a debtor that does not exist`);
  await tables.changes.append(context, lease.agentId, { type: 'debtor.upsert', payload: snapshot }, now);

  if (!options.includeLedger) return;
  const since = new Date(now.getTime() - LEDGER_LOOKBACK_MS);
  for (const entry of await tables.events.ledgerByOthersSince(lease.debtorId, since, lease.agentId)) {
    await tables.changes.append(context, lease.agentId, { type: 'ledger.add', payload: entry }, now);
  }
}
