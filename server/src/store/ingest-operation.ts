/**
 * Stores one workstation event exactly once with its projections, or keeps it aside as rejected.
 * Runs inside one transaction, so the duplicate check, the lease check and the writes see one state.
 */
import { formatDateTime } from '@gestiona/core/format';
import { assertNever } from '@gestiona/core/result';
import type { SyncEvent } from '@gestiona/core/sync';
import type { Tables } from './tables.ts';
import type { IngestContext, IngestOutcome, RejectionCode } from './types.ts';
import type { WriteContext } from './write-context.ts';

export function ingestEvent(tables: Tables, context: WriteContext, event: SyncEvent, ingest: IngestContext): IngestOutcome {
  const reject = (code: RejectionCode, reason: string): IngestOutcome => {
    tables.events.reject({
      eventId: event.id,
      agentId: ingest.agentId,
      workstationId: ingest.workstationId,
      code,
      reason,
      raw: event,
      receivedAt: ingest.receivedAt,
    });
    return { status: 'rejected', code, reason };
  };

  if (event.agentId !== ingest.agentId) {
    return reject('wrong-agent', 'El evento es de otro agente: cada estación solo envía eventos de su agente (wrong agent).');
  }
  if (event.workstationId !== ingest.workstationId) {
    return reject('wrong-workstation', 'El evento es de otra estación de trabajo: se envía solo desde la estación que lo creó (wrong workstation).');
  }
  if (tables.events.hasEvent(event.id)) return { status: 'duplicate' };

  const { debtorId, personId } = event.payload;
  if (!tables.debtors.exists(debtorId)) {
    return reject('unknown-debtor', `El deudor ${debtorId} no existe en el servidor (unknown debtor).`);
  }
  if (!tables.debtors.hasPerson(debtorId, personId)) {
    return reject('unknown-person', `La persona ${personId} no pertenece al deudor ${debtorId} (unknown person).`);
  }
  const occurredAt = new Date(event.occurredAt);
  if (!tables.leases.wasHeld(debtorId, event.agentId, occurredAt)) {
    return reject(
      'not-leased',
      `El deudor ${debtorId} no estaba asignado a este agente el ${formatDateTime(event.occurredAt)} (not leased).`,
    );
  }
  if (tables.events.projectionIdTaken(event)) {
    return reject('id-conflict', 'Otro evento ya registró esta decisión o gestión con el mismo identificador (id conflict).');
  }

  tables.events.insert(event, ingest.receivedAt);
  switch (event.type) {
    case 'decision.recorded':
      tables.events.insertDecisionProjection(event, event.payload);
      break;
    case 'interaction.recorded': {
      const entry = tables.events.insertInteractionProjection(event, event.payload);
      // The contact counts toward the person's limits wherever the debtor is now worked.
      const holder = tables.leases.openLease(debtorId);
      if (holder && holder.agentId !== event.agentId && holder.expiresAt > ingest.receivedAt.toISOString()) {
        tables.changes.append(context, holder.agentId, { type: 'ledger.add', payload: entry }, ingest.receivedAt);
      }
      break;
    }
    default:
      assertNever(event, 'sync event type');
  }
  return { status: 'stored' };
}
