/**
 * The one path that stores a gate decision (R16): the decision row, its link in the hash chain and
 * the `decision.recorded` outbox event that carries the link to the server.
 */
import { decisionRecordedSchema, type DecisionRecorded } from '@gestiona/core/sync';
import type { DecisionChainContent } from '../store/decision-chain.ts';
import type { DecisionRecord } from '../store/decisions.ts';
import type { LocalStore } from '../store/local-store.ts';

/**
 * Stores the decision, chains it and queues its event. Runs inside the caller's transaction, so the
 * decision, its link and its event commit together with whatever else the caller writes.
 */
export function recordDecision(store: LocalStore, record: DecisionRecord, agentId: string): DecisionRecorded {
  if (!store.db.inTransaction) throw new Error(`record decision ${record.id}: must run inside a transaction`);
  const content = chainContentOf(record);
  store.decisions.add(record);
  const chain = store.decisionChain.append(record.id, content);
  const payload: DecisionRecorded = { ...content, chain };
  store.outbox.enqueue({ type: 'decision.recorded', payload, agentId, occurredAt: record.trustedAt });
  return payload;
}

/**
 * Returns the payload the chain hashes, shaped as the server will parse it: the outbox sends each
 * event after parsing it with the same schema, which drops keys the schema does not name. A payload
 * that fails the schema is hashed as it is. The outbox sets such an event aside before sending, so
 * the server finds a gap at that index.
 */
function chainContentOf(record: DecisionRecord): DecisionChainContent {
  const content: DecisionChainContent = {
    decisionId: record.id,
    debtorId: record.debtorId,
    personId: record.personId,
    contactPointId: record.contactPointId,
    channel: record.channel,
    decision: record.decision,
    historySize: record.historySize,
    trustedAt: record.trustedAt,
    localAt: record.localAt,
    clockOffsetMs: record.clockOffsetMs,
    clockSyncedAt: record.clockSyncedAt,
    ...(record.workstationRule === null ? {} : { workstationRule: record.workstationRule }),
  };
  const parsed = decisionRecordedSchema.omit({ chain: true }).safeParse(content);
  return parsed.success ? parsed.data : content;
}
