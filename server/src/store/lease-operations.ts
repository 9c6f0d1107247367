/**
 * Lease grants, releases, expiry and renewal, each writing its feed entries in the same transaction.
 * A grant or renewal sends the holder the full debtor, except a grant that follows another agent's
 * lease: that one waits for its handover instant (see `leases/handover.ts`), and the expiry sweep
 * sends it then, or earlier once the previous holder's workstations acknowledged the removal
 * (`lease-release-operation.ts`). A release, expiry or reassignment sends the holder a
 * `debtor.remove` naming the closed lease, which those acknowledgements name in turn.
 */
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { sendHoldsOnLease } from '../catalog/holds.ts';
import { handoverState } from '../leases/handover.ts';
import { planAssignments } from '../leases/plan.ts';
import { sendDebtorPromises } from '../promises/reconcile.ts';
import { confirmReleaseIfComplete } from './lease-release-operation.ts';
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

  return startLease(tables, context, debtorId, agentId, now, await tables.leases.historyOf(debtorId));
}

/**
 * Inserts a lease starting now. After another agent's lease the holder is sent the debtor only at
 * the handover instant, so the lease runs its full length from then.
 */
async function startLease(
  tables: Tables,
  context: WriteContext,
  debtorId: string,
  agentId: string,
  now: Date,
  earlier: readonly LeaseRecord[],
): Promise<LeaseRecord> {
  const state = handoverState(earlier, { agentId, grantedAt: now.toISOString() });
  let { waitsUntil } = state;
  // No workstation of the previous holder may still hold the debtor: none pulled it, or all acknowledged its removal.
  if (waitsUntil !== null && (await confirmReleaseIfComplete(tables, context, state.lastAnnounced!, now))) waitsUntil = null;
  const startsAt = waitsUntil ?? now;
  const lease = await tables.leases.insertLease(debtorId, agentId, now, new Date(startsAt.getTime() + tables.leaseDurationMs));
  if (waitsUntil === null) await sendLeasedDebtor(tables, context, lease, now);
  return lease;
}

/** Sends each waiting lease whose handover instant has come, as a fresh lease of full length. */
async function sendDueHandovers(tables: Tables, context: WriteContext, now: Date): Promise<number> {
  let sent = 0;
  for (const lease of await tables.leases.openAfterOtherHolder()) {
    const earlier = (await tables.leases.historyOf(lease.debtorId)).filter((record) => record.id < lease.id);
    if (await sendDueHandover(tables, context, lease, earlier, now)) sent += 1;
  }
  return sent;
}

/**
 * Sends the open lease `lease` to its holder when it was waiting for a handover that has come.
 * `earlier` is the debtor's lease history before it. Returns whether the lease was sent.
 */
export async function sendDueHandover(tables: Tables, context: WriteContext, lease: LeaseRecord, earlier: readonly LeaseRecord[], now: Date): Promise<boolean> {
  if (lease.expiresAt <= now.toISOString()) return false;
  const { waitsUntil } = handoverState(earlier, lease);
  if (waitsUntil === null || waitsUntil > now) return false;
  await sendWaitingLease(tables, context, lease, now);
  return true;
}

/** Sends a lease that waited for its handover to its holder, as a fresh lease of full length from `now`. */
export async function sendWaitingLease(tables: Tables, context: WriteContext, lease: LeaseRecord, now: Date): Promise<void> {
  // Replaced rather than sent as is: the replacement follows a lease of the same agent, which marks the handover as done.
  await tables.leases.closeLease(lease, now.toISOString(), 'renewed');
  const next = await tables.leases.insertLease(lease.debtorId, lease.agentId, now, new Date(now.getTime() + tables.leaseDurationMs));
  await sendLeasedDebtor(tables, context, next, now);
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
    { type: 'debtor.remove', payload: { debtorId, reason: reason === 'reassigned' ? 'reassigned' : 'lease-ended', leaseId: open.id } },
    now,
  );
  return closed;
}

/** Closes expired leases and sends the debtors whose handover has come; returns how many leases expired. */
export async function expireDueLeases(tables: Tables, context: WriteContext, now: Date): Promise<number> {
  const due = await tables.leases.dueForExpiry(now);
  for (const lease of due) await closeExpired(tables, context, lease, now);
  await sendDueHandovers(tables, context, now);
  return due.length;
}

/**
 * Renews the agent's unexpired leases with less than half their length left: the old lease closes
 * now and a new one starts now, so the history shows no gap and no overlap.
 */
export async function renewLeases(tables: Tables, context: WriteContext, agentId: string, now: Date): Promise<number> {
  const threshold = now.getTime() + tables.leaseDurationMs / 2;
  let renewed = 0;
  const due = (await tables.leases.activeOf(agentId, now)).filter((lease) => new Date(lease.expiresAt).getTime() < threshold);
  if (due.length === 0) return 0;
  // Only a lease that follows another agent's can still be waiting for its handover.
  const afterOtherHolder = new Set((await tables.leases.openAfterOtherHolder(agentId)).map((lease) => lease.id));
  for (const lease of due) {
    if (afterOtherHolder.has(lease.id)) {
      // A lease still waiting for its handover must not reach the workstation early through a renewal.
      const earlier = (await tables.leases.historyOf(lease.debtorId)).filter((record) => record.id < lease.id);
      if (handoverState(earlier, lease).waitsUntil !== null) continue;
    }
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
  // One query for the histories: a first import leases thousands of debtors in this transaction.
  const histories = new Map<string, LeaseRecord[]>();
  for (const lease of await tables.leases.historyOfUnleased()) {
    const history = histories.get(lease.debtorId) ?? [];
    history.push(lease);
    histories.set(lease.debtorId, history);
  }
  for (const { debtorId, agentId } of assignments) await startLease(tables, context, debtorId, agentId, now, histories.get(debtorId) ?? []);

  const perAgent = Object.fromEntries(agents.map((agent) => [agent.id, 0]));
  for (const [agentId, count] of await tables.leases.openCountsByAgent()) if (agentId in perAgent) perAgent[agentId] = count;
  return { granted: assignments.length, expired, perAgent };
}

/** Closes an expired lease at its expiry instant, not at the moment the sweep ran. */
async function closeExpired(tables: Tables, context: WriteContext, lease: LeaseRecord, now: Date): Promise<LeaseRecord> {
  const closed = await tables.leases.closeLease(lease, lease.expiresAt, 'expired');
  await tables.changes.append(context, lease.agentId, { type: 'debtor.remove', payload: { debtorId: lease.debtorId, reason: 'lease-ended', leaseId: lease.id } }, now);
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
  // A debtor on hold (dispute, deceased) reaches the new desk already out of the call queue.
  await sendHoldsOnLease(tables, context, lease.debtorId, lease.agentId, now);

  if (!options.includeLedger) return;
  await sendDebtorPromises(tables, context, lease.agentId, lease.debtorId, now);
  const since = new Date(now.getTime() - LEDGER_LOOKBACK_MS);
  for (const entry of await tables.events.ledgerByOthersSince(lease.debtorId, since, lease.agentId)) {
    await tables.changes.append(context, lease.agentId, { type: 'ledger.add', payload: entry }, now);
  }
}
