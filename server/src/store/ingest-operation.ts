/**
 * Stores one workstation event exactly once with its projections, or keeps it aside as rejected.
 * Runs inside one transaction, so the duplicate check, the lease check and the writes see one state.
 */
import { formatDateTime } from '@gestiona/core/format';
import { assertNever } from '@gestiona/core/result';
import type { SyncEvent } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import { recordHoldsOfInteraction } from '../catalog/holds.ts';
import { catalogInForce, unknownCodeReason } from '../catalog/ingest-checks.ts';
import { recordPromiseOfInteraction } from '../promises/from-interaction.ts';
import { checkDecisionChain } from './chain-check.ts';
import { ingestDebtorView } from './debtor-views-operation.ts';
import { ingestLeaseRelease } from './lease-release-operation.ts';
import { groupIngest } from './pg/group-reads.ts';
import { reevaluateEvent } from './reevaluate-operation.ts';
import type { Tables } from './tables.ts';
import type { IngestContext, IngestItem, IngestOutcome, RejectionCode } from './types.ts';
import type { WriteContext } from './write-context.ts';

/**
 * Stores the event, then checks a decision against its workstation's hash chain and re-runs the
 * gate on the contact. Their alarms are written in the same transaction, and the event is stored
 * and acknowledged `stored` whatever they find.
 */
export async function ingestEvent(tables: Tables, context: WriteContext, event: SyncEvent, ingest: IngestContext, logger?: Logger): Promise<IngestOutcome> {
  const reject = async (code: RejectionCode, reason: string): Promise<IngestOutcome> => {
    await tables.events.reject({
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

  if (containsNulCharacter(event)) {
    return reject('invalid-event', 'Evento inválido (invalid event): contiene el carácter nulo U+0000, que no se puede guardar.');
  }
  if (event.agentId !== ingest.agentId) {
    return reject('wrong-agent', 'El evento es de otro agente: cada estación solo envía eventos de su agente (wrong agent).');
  }
  if (event.workstationId !== ingest.workstationId) {
    return reject('wrong-workstation', 'El evento es de otra estación de trabajo: se envía solo desde la estación que lo creó (wrong workstation).');
  }
  // A release acknowledgement names a lease, not a person, and arrives after the lease ended.
  if (event.type === 'lease.released') return ingestLeaseRelease(tables, context, event, ingest, reject, logger);
  // A view names no person, and a view outside the lease is stored as evidence, not rejected.
  if (event.type === 'debtor.viewed') return ingestDebtorView(tables, event, ingest, reject, logger);
  const facts = await tables.events.ingestFacts(event);
  if (facts.stored) return { status: 'duplicate' };

  const { debtorId, personId } = event.payload;
  if (!facts.debtorKnown) {
    return reject('unknown-debtor', `El deudor ${debtorId} no existe en el servidor (unknown debtor).`);
  }
  if (!facts.personKnown) {
    return reject('unknown-person', `La persona ${personId} no pertenece al deudor ${debtorId} (unknown person).`);
  }
  if (!facts.leaseHeld) {
    return reject(
      'not-leased',
      `El deudor ${debtorId} no estaba asignado a este agente el ${formatDateTime(event.occurredAt)} (not leased).`,
    );
  }
  if (facts.projectionIdTaken) {
    return reject('id-conflict', 'Otro evento ya registró esta decisión o gestión con el mismo identificador (id conflict).');
  }
  const catalog = event.type === 'interaction.recorded' ? await catalogInForce(tables) : null;
  const codeProblem = event.type === 'interaction.recorded' ? unknownCodeReason(catalog, event.payload) : null;
  if (codeProblem !== null) return reject('unknown-code', codeProblem);

  // Another server node may have stored the same event since `ingestFacts`; the insert decides.
  switch (event.type) {
    case 'decision.recorded':
      if (!(await tables.events.insertDecisionEvent(event, event.payload, ingest.receivedAt))) return { status: 'duplicate' };
      await checkDecisionChain(tables, event, ingest.receivedAt, logger);
      break;
    case 'interaction.recorded': {
      const entry = await tables.events.insertInteractionEvent(event, event.payload, ingest.receivedAt);
      if (entry === null) return { status: 'duplicate' };
      // The contact counts toward the person's limits wherever the debtor is now worked.
      const { holder } = facts;
      if (holder && holder.agentId !== event.agentId && holder.expiresAt > ingest.receivedAt.toISOString()) {
        await tables.changes.append(context, holder.agentId, { type: 'ledger.add', payload: entry }, ingest.receivedAt);
      }
      // A dispute or a deceased debtor holds collection; the holder's desk learns it through the feed.
      await recordHoldsOfInteraction(tables, context, { interaction: event.payload, agentId: event.agentId, catalog, holder, receivedAt: ingest.receivedAt });
      // A promise or agreement typified here is tracked from now on; a duplicate event never gets this far.
      await recordPromiseOfInteraction(tables, context, event, ingest.receivedAt, logger);
      break;
    }
    default:
      assertNever(event, 'sync event type');
  }
  await reevaluateEvent(tables, event, ingest.receivedAt, logger);
  return { status: 'stored' };
}

/**
 * Ingests a group of events in order inside the caller's one transaction (group commit). Each
 * event sees the ones before it, so a duplicate inside the group is acknowledged `duplicate` and a
 * workstation's decisions are checked against its chain in seq order, as when each event had its
 * own transaction. A thrown error leaves the group to the transaction's rollback.
 */
export async function ingestEventGroup(plainTables: Tables, context: WriteContext, items: readonly IngestItem[], logger?: Logger): Promise<IngestOutcome[]> {
  // On PostgreSQL the group's reads are done once, up front; the events then run exactly as below.
  const { tables, finish } = await groupIngest(plainTables, items);
  const outcomes: IngestOutcome[] = [];
  for (const item of items) {
    if ('invalid' in item) {
      await tables.events.reject(item.invalid);
      outcomes.push({ status: 'rejected', code: item.invalid.code, reason: item.invalid.reason });
    } else {
      outcomes.push(await ingestEvent(tables, context, item.event, item.context, logger));
    }
  }
  await finish();
  // The group's tables record the alarms they raise on their own objects, while the store sends the
  // alarm hints from the tables it passed in, so the raised alarms move over.
  if (tables.alarms !== plainTables.alarms) plainTables.alarms.raised.push(...tables.alarms.raised);
  return outcomes;
}

/**
 * Returns whether any string or key in the value contains U+0000. PostgreSQL text cannot store
 * that character, so both stores reject such an event instead of storing it in only one of them.
 */
function containsNulCharacter(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(containsNulCharacter);
  // A plain loop: this runs on every pushed event, and `Object.entries` allocated a pair per key.
  for (const key in value) {
    if (key.includes('\u0000') || containsNulCharacter((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}
