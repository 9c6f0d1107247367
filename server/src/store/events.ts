/** Ingested events, their projections (decisions, interactions), the fleet-wide ledger and rejected events. */
import { toBogotaIso } from '@gestiona/core/format';
import type { Channel, ContactKind, LedgerEntry } from '@gestiona/core/domain';
import type { DecisionRecorded, InteractionRecorded, SyncEvent } from '@gestiona/core/sync';
import { interactionRecordedSchema } from '@gestiona/core/sync';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { RejectedEventInput, RejectedEventRecord, RejectionCode } from './types.ts';

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

export class EventsTable {
  private readonly eventExists: Statement<[string], { id: string }>;
  private readonly decisionExists: Statement<[string], { id: string }>;
  private readonly interactionExists: Statement<[string], { id: string }>;
  private readonly ledgerExists: Statement<[string], { id: string }>;
  private readonly insertEvent: Statement<[string, string, string, number, string, string, string, string, string]>;
  private readonly insertDecision: Statement<
    [string, string, string, string, string, string, number, string, string, string, string, number, string, string]
  >;
  private readonly insertInteraction: Statement<
    [string, string, string, string, string, string, string, string, string, string, string, string, string, string | null, string, string, string, string, string, string]
  >;
  private readonly insertLedger: Statement<[string, string, string, string, string, string, string | null, string | null]>;
  private readonly insertRejected: Statement<[string | null, string, string, RejectionCode, string, string, string]>;
  private readonly countEvents: Statement<[], { count: number }>;
  private readonly countRejected: Statement<[], { count: number }>;
  private readonly rejected: Statement<[], { id: number; event_id: string | null; agent_id: string; workstation_id: string; code: RejectionCode; reason: string; raw: string; received_at: string }>;
  private readonly interactionsOf: Statement<[string], { payload: string }>;
  private readonly ledgerOf: Statement<[string], LedgerRow>;
  private readonly recentLedger: Statement<[string, string, string], LedgerRow>;

  constructor(db: SqliteDatabase) {
    this.eventExists = db.prepare('SELECT id FROM events WHERE id = ?');
    this.decisionExists = db.prepare('SELECT id FROM decisions WHERE id = ?');
    this.interactionExists = db.prepare('SELECT id FROM interactions WHERE id = ?');
    this.ledgerExists = db.prepare('SELECT id FROM ledger WHERE id = ?');

    this.insertEvent = db.prepare(
      `INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertDecision = db.prepare(
      `INSERT INTO decisions (id, event_id, debtor_id, person_id, contact_point_id, channel, allowed, rules, rule_pack_version,
                              trusted_at, local_at, clock_offset_ms, agent_id, workstation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertInteraction = db.prepare(
      `INSERT INTO interactions (id, event_id, attempt_id, decision_id, debtor_id, person_id, contact_point_id, channel, adapter,
                                 code, compliance_class, kind, fields, note, catalog_version, dialed_at, typified_at,
                                 local_typified_at, agent_id, workstation_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertLedger = db.prepare(
      'INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, agent_id, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );

    this.insertRejected = db.prepare(
      'INSERT INTO rejected_events (event_id, workstation_id, agent_id, code, reason, raw, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );

    this.countEvents = db.prepare('SELECT COUNT(*) AS count FROM events');
    this.countRejected = db.prepare('SELECT COUNT(*) AS count FROM rejected_events');
    this.rejected = db.prepare('SELECT * FROM rejected_events ORDER BY id');
    this.interactionsOf = db.prepare(
      `SELECT events.payload FROM interactions JOIN events ON events.id = interactions.event_id
       WHERE interactions.debtor_id = ? ORDER BY interactions.dialed_at, interactions.id`,
    );
    this.ledgerOf = db.prepare('SELECT * FROM ledger WHERE debtor_id = ? ORDER BY at, id');
    this.recentLedger = db.prepare(
      'SELECT * FROM ledger WHERE debtor_id = ? AND at >= ? AND (agent_id IS NULL OR agent_id <> ?) ORDER BY at, id',
    );
  }

  hasEvent(eventId: string): boolean {
    return this.eventExists.get(eventId) !== undefined;
  }

  /** Returns whether the event's decision or interaction id is already stored under another event. */
  projectionIdTaken(event: SyncEvent): boolean {
    switch (event.type) {
      case 'decision.recorded':
        return this.decisionExists.get(event.payload.decisionId) !== undefined;
      case 'interaction.recorded':
        return (
          this.interactionExists.get(event.payload.interactionId) !== undefined ||
          this.ledgerExists.get(event.payload.interactionId) !== undefined
        );
    }
  }

  insert(event: SyncEvent, receivedAt: Date): void {
    this.insertEvent.run(
      event.id,
      event.type,
      event.workstationId,
      event.seq,
      event.agentId,
      event.payload.debtorId,
      new Date(event.occurredAt).toISOString(),
      receivedAt.toISOString(),
      JSON.stringify(event),
    );
  }

  insertDecisionProjection(event: SyncEvent, decision: DecisionRecorded): void {
    this.insertDecision.run(
      decision.decisionId,
      event.id,
      decision.debtorId,
      decision.personId,
      decision.contactPointId,
      decision.channel,
      decision.decision.allowed ? 1 : 0,
      JSON.stringify(decision.decision.rules),
      decision.decision.rulePackVersion,
      new Date(decision.trustedAt).toISOString(),
      new Date(decision.localAt).toISOString(),
      decision.clockOffsetMs,
      event.agentId,
      event.workstationId,
    );
  }

  /** Stores the interaction and its ledger entry, whose instant is the dial: the legal limits count from there. */
  insertInteractionProjection(event: SyncEvent, interaction: InteractionRecorded): LedgerEntry {
    this.insertInteraction.run(
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
      new Date(interaction.dialedAt).toISOString(),
      new Date(interaction.typifiedAt).toISOString(),
      new Date(interaction.localTypifiedAt).toISOString(),
      event.agentId,
      event.workstationId,
    );
    const row: LedgerRow = {
      id: interaction.interactionId,
      debtor_id: interaction.debtorId,
      person_id: interaction.personId,
      channel: interaction.channel,
      kind: interaction.kind,
      at: new Date(interaction.dialedAt).toISOString(),
    };
    this.insertLedger.run(row.id, row.debtor_id, row.person_id, row.channel, row.kind, row.at, event.agentId, event.id);
    return toLedgerEntry(row);
  }

  reject(input: RejectedEventInput): void {
    this.insertRejected.run(
      input.eventId,
      input.workstationId,
      input.agentId,
      input.code,
      input.reason,
      safeJson(input.raw),
      input.receivedAt.toISOString(),
    );
  }

  total(): number {
    return this.countEvents.get()!.count;
  }

  totalRejected(): number {
    return this.countRejected.get()!.count;
  }

  listRejected(): RejectedEventRecord[] {
    return this.rejected.all().map((row) => ({
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

  interactions(debtorId: string): InteractionRecorded[] {
    return this.interactionsOf.all(debtorId).map((row) => {
      const event: unknown = JSON.parse(row.payload);
      const payload = typeof event === 'object' && event !== null && 'payload' in event ? event.payload : null;
      return interactionRecordedSchema.parse(payload);
    });
  }

  ledger(debtorId: string): LedgerEntry[] {
    return this.ledgerOf.all(debtorId).map(toLedgerEntry);
  }

  /** Ledger entries of a debtor since an instant, made by anyone but the given agent. */
  ledgerByOthersSince(debtorId: string, since: Date, agentId: string): LedgerEntry[] {
    return this.recentLedger.all(debtorId, since.toISOString(), agentId).map(toLedgerEntry);
  }
}

/** Encodes a rejected payload as JSON text, or as its string form when JSON cannot encode it. */
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
