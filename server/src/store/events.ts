/** Ingested events, their projections (decisions, interactions), the fleet-wide ledger and rejected events. */
import { toBogotaIso } from '@gestiona/core/format';
import type { Channel, ContactKind, LedgerEntry } from '@gestiona/core/domain';
import type { DecisionRecorded, InteractionRecorded, SyncEvent } from '@gestiona/core/sync';
import { interactionRecordedSchema, syncEventSchema } from '@gestiona/core/sync';
import type { SqlConnection, SqlValue } from './sql.ts';
import type { RejectedEventInput, RejectedEventRecord, RejectionCode, StoredDecision, StoredInteraction } from './types.ts';

interface LedgerRow {
  id: string;
  debtor_id: string;
  person_id: string;
  channel: Channel;
  kind: ContactKind;
  at: string;
}

export const toLedgerEntry = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  debtorId: row.debtor_id,
  personId: row.person_id,
  channel: row.channel,
  kind: row.kind,
  at: toBogotaIso(row.at),
});

// The insert statements and row values of ingest, exported so that the sync benchmark's direct-insert
// baseline writes exactly the rows the protocol path writes.
export const INSERT_EVENT_SQL = `INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT_DECISION_SQL = `INSERT INTO decisions (id, event_id, debtor_id, person_id, contact_point_id, channel, allowed, rules, rule_pack_version,
                              trusted_at, local_at, clock_offset_ms, agent_id, workstation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT_INTERACTION_SQL = `INSERT INTO interactions (id, event_id, attempt_id, decision_id, debtor_id, person_id, contact_point_id, channel, adapter,
                                 code, compliance_class, kind, fields, note, catalog_version, dialed_at, typified_at,
                                 local_typified_at, agent_id, workstation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const utcIso = (instant: string): string => new Date(instant).toISOString();

export function eventRowValues(event: SyncEvent, receivedAt: Date): SqlValue[] {
  return [
    event.id,
    event.type,
    event.workstationId,
    event.seq,
    event.agentId,
    event.payload.debtorId,
    utcIso(event.occurredAt),
    receivedAt.toISOString(),
    JSON.stringify(event),
  ];
}

export function decisionRowValues(event: SyncEvent, decision: DecisionRecorded): SqlValue[] {
  return [
    decision.decisionId,
    event.id,
    decision.debtorId,
    decision.personId,
    decision.contactPointId,
    decision.channel,
    decision.decision.allowed ? 1 : 0,
    JSON.stringify(decision.decision.rules),
    decision.decision.rulePackVersion,
    utcIso(decision.trustedAt),
    utcIso(decision.localAt),
    decision.clockOffsetMs,
    event.agentId,
    event.workstationId,
  ];
}

export function interactionRowValues(event: SyncEvent, interaction: InteractionRecorded): SqlValue[] {
  return [
    interaction.interactionId,
    event.id,
    interaction.attemptId,
    interaction.decisionId,
    interaction.debtorId,
    interaction.personId,
    interaction.contactPointId,
    interaction.channel,
    interaction.adapter,
    interaction.code,
    interaction.complianceClass,
    interaction.kind,
    JSON.stringify(interaction.fields),
    interaction.note,
    interaction.catalogVersion,
    utcIso(interaction.dialedAt),
    utcIso(interaction.typifiedAt),
    utcIso(interaction.localTypifiedAt),
    event.agentId,
    event.workstationId,
  ];
}

interface RejectedRow {
  id: number;
  event_id: string | null;
  agent_id: string;
  workstation_id: string;
  code: RejectionCode;
  reason: string;
  raw: string;
  received_at: string;
}

export class EventsTable {
  constructor(private readonly sql: SqlConnection) {}

  async hasEvent(eventId: string): Promise<boolean> {
    return (await this.sql.get('SELECT id FROM events WHERE id = ?', [eventId])) !== undefined;
  }

  /** Returns whether the event's decision or interaction id is already stored under another event. */
  async projectionIdTaken(event: SyncEvent): Promise<boolean> {
    switch (event.type) {
      case 'decision.recorded':
        return (await this.sql.get('SELECT id FROM decisions WHERE id = ?', [event.payload.decisionId])) !== undefined;
      case 'interaction.recorded':
        return (
          (await this.sql.get('SELECT id FROM interactions WHERE id = ?', [event.payload.interactionId])) !== undefined ||
          (await this.sql.get('SELECT id FROM ledger WHERE id = ?', [event.payload.interactionId])) !== undefined
        );
    }
  }

  /**
   * Stores the event row unless its id is already stored. Returns false when it was: with several
   * server nodes, another node may have stored the same event after this transaction checked.
   */
  async insert(event: SyncEvent, receivedAt: Date): Promise<boolean> {
    const changed = await this.sql.run(`${INSERT_EVENT_SQL}
       ON CONFLICT (id) DO NOTHING`, eventRowValues(event, receivedAt));
    return changed === 1;
  }

  async insertDecisionProjection(event: SyncEvent, decision: DecisionRecorded): Promise<void> {
    await this.sql.run(INSERT_DECISION_SQL, decisionRowValues(event, decision));
  }

  /** Stores the interaction and its ledger entry, whose instant is the dial: the legal limits count from there. */
  async insertInteractionProjection(event: SyncEvent, interaction: InteractionRecorded): Promise<LedgerEntry> {
    await this.sql.run(INSERT_INTERACTION_SQL, interactionRowValues(event, interaction));
    const row: LedgerRow = {
      id: interaction.interactionId,
      debtor_id: interaction.debtorId,
      person_id: interaction.personId,
      channel: interaction.channel,
      kind: interaction.kind,
      at: new Date(interaction.dialedAt).toISOString(),
    };
    await this.sql.run('INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, agent_id, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      row.id,
      row.debtor_id,
      row.person_id,
      row.channel,
      row.kind,
      row.at,
      event.agentId,
      event.id,
    ]);
    return toLedgerEntry(row);
  }

  /**
   * Keeps a rejected event aside. U+0000 in its text columns becomes U+FFFD, because PostgreSQL
   * text cannot store it, and a failed insert here would fail the whole pushed batch on every retry.
   * `raw` keeps the exact value, escaped as JSON.
   */
  async reject(input: RejectedEventInput): Promise<void> {
    await this.sql.run(
      'INSERT INTO rejected_events (event_id, workstation_id, agent_id, code, reason, raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        input.eventId === null ? null : withoutNul(input.eventId),
        withoutNul(input.workstationId),
        withoutNul(input.agentId),
        input.code,
        withoutNul(input.reason),
        safeJson(input.raw),
        input.receivedAt.toISOString(),
      ],
    );
  }

  async total(): Promise<number> {
    return (await this.sql.get<{ count: number }>('SELECT COUNT(*) AS count FROM events'))!.count;
  }

  async totalRejected(): Promise<number> {
    return (await this.sql.get<{ count: number }>('SELECT COUNT(*) AS count FROM rejected_events'))!.count;
  }

  async listRejected(): Promise<RejectedEventRecord[]> {
    const rows = await this.sql.all<RejectedRow>('SELECT * FROM rejected_events ORDER BY id');
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      agentId: row.agent_id,
      workstationId: row.workstation_id,
      code: row.code,
      reason: row.reason,
      raw: row.raw,
      receivedAt: row.received_at,
    }));
  }

  async interactions(debtorId: string): Promise<InteractionRecorded[]> {
    const rows = await this.sql.all<{ payload: string }>(
      `SELECT events.payload FROM interactions JOIN events ON events.id = interactions.event_id
       WHERE interactions.debtor_id = ? ORDER BY interactions.dialed_at, interactions.id`,
      [debtorId],
    );
    return rows.map((row) => {
      const event: unknown = JSON.parse(row.payload);
      const payload = typeof event === 'object' && event !== null && 'payload' in event ? event.payload : null;
      return interactionRecordedSchema.parse(payload);
    });
  }

  async decisions(debtorId: string): Promise<StoredDecision[]> {
    const rows = await this.sql.all<{ payload: string }>(
      `SELECT events.payload FROM decisions JOIN events ON events.id = decisions.event_id
       WHERE decisions.debtor_id = ? ORDER BY decisions.trusted_at, events.workstation_id, events.workstation_seq`,
      [debtorId],
    );
    return rows.map((row) => parseStoredDecision(row.payload));
  }

  /** Returns every decision a workstation sent, about any debtor, in the order it sent them. */
  async decisionsOfWorkstation(workstationId: string): Promise<StoredDecision[]> {
    const rows = await this.sql.all<{ payload: string }>(
      `SELECT events.payload FROM decisions JOIN events ON events.id = decisions.event_id
       WHERE events.workstation_id = ? ORDER BY events.workstation_seq, events.id`,
      [workstationId],
    );
    return rows.map((row) => parseStoredDecision(row.payload));
  }

  /** Interactions of a debtor with the event that carried each. */
  async interactionEvents(debtorId: string): Promise<StoredInteraction[]> {
    const rows = await this.sql.all<{ payload: string }>(
      `SELECT events.payload FROM interactions JOIN events ON events.id = interactions.event_id
       WHERE interactions.debtor_id = ? ORDER BY interactions.dialed_at, interactions.id`,
      [debtorId],
    );
    return rows.map((row) => {
      const event = syncEventSchema.parse(JSON.parse(row.payload));
      if (event.type !== 'interaction.recorded') throw new Error(`Event ${event.id} in the interactions projection is a ${event.type}`);
      return { eventId: event.id, workstationId: event.workstationId, agentId: event.agentId, payload: event.payload };
    });
  }

  async ledger(debtorId: string): Promise<LedgerEntry[]> {
    return (await this.sql.all<LedgerRow>('SELECT * FROM ledger WHERE debtor_id = ? ORDER BY at, id', [debtorId])).map(toLedgerEntry);
  }

  /** Ledger entries of a debtor since an instant, made by anyone but the given agent. */
  async ledgerByOthersSince(debtorId: string, since: Date, agentId: string): Promise<LedgerEntry[]> {
    const rows = await this.sql.all<LedgerRow>(
      'SELECT * FROM ledger WHERE debtor_id = ? AND at >= ? AND (agent_id IS NULL OR agent_id <> ?) ORDER BY at, id',
      [debtorId, since.toISOString(), agentId],
    );
    return rows.map(toLedgerEntry);
  }
}

function parseStoredDecision(payload: string): StoredDecision {
  const event = syncEventSchema.parse(JSON.parse(payload));
  if (event.type !== 'decision.recorded') throw new Error(`Event ${event.id} in the decisions projection is a ${event.type}`);
  return { eventId: event.id, workstationId: event.workstationId, agentId: event.agentId, payload: event.payload };
}

const withoutNul = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

/** Encodes a rejected payload as JSON text, or as its string form when JSON cannot encode it. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? withoutNul(String(value));
  } catch {
    return withoutNul(String(value));
  }
}
