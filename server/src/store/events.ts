/** Ingested events, their projections (decisions, interactions), the fleet-wide ledger and rejected events. */
import { toBogotaIso, toUtcIso } from '@gestiona/core/format';
import type { Channel, ContactKind, LedgerEntry } from '@gestiona/core/domain';
import type { ContactEvent, DecisionRecorded, InteractionRecorded, SyncEvent } from '@gestiona/core/sync';
import { interactionRecordedSchema, syncEventSchema } from '@gestiona/core/sync';
import { isAfterReceipt } from '../compliance/contact-clock.ts';
import { LEASE_COVER_END_SQL } from './leases.ts';
import type { SqlConnection, SqlValue } from './sql.ts';
import type { RejectedEventInput, RejectedEventRecord, RejectionCode, StoredDecision, StoredInteraction } from './types.ts';

export interface LedgerRow {
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

export const INSERT_LEDGER_SQL = 'INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, agent_id, event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * Rewrites `INSERT INTO t (…) VALUES (…)` to insert only when the `stored_event` step of the same
 * statement inserted the event. PostgreSQL types the untyped parameters of `INSERT … SELECT` from
 * the target columns, as it does for `VALUES`.
 */
function afterStoredEvent(insertSql: string): string {
  const rewritten = insertSql.replace(/VALUES\s*\(([^)]*)\)\s*$/, 'SELECT $1 WHERE EXISTS (SELECT 1 FROM stored_event)');
  if (rewritten === insertSql) throw new Error(`Expected an INSERT … VALUES (…) statement, got: ${insertSql}`);
  return rewritten;
}

// One statement per stored event on PostgreSQL, where each statement is a round trip: the event
// row, then its projection and ledger entry only when the event row was new. `inserted` is 0
// when another node stored the event first. Placeholders follow the order of the row functions.
const STORED_EVENT_STEP = `stored_event AS (${INSERT_EVENT_SQL} ON CONFLICT (id) DO NOTHING RETURNING id)`;
const INSERTED_COUNT = 'SELECT CAST((SELECT COUNT(*) FROM stored_event) AS integer) AS inserted';

const STORE_DECISION_EVENT_SQL = `WITH ${STORED_EVENT_STEP},
  decision_row AS (${afterStoredEvent(INSERT_DECISION_SQL)} RETURNING id)
${INSERTED_COUNT}`;

const STORE_INTERACTION_EVENT_SQL = `WITH ${STORED_EVENT_STEP},
  interaction_row AS (${afterStoredEvent(INSERT_INTERACTION_SQL)} RETURNING id),
  ledger_row AS (${afterStoredEvent(INSERT_LEDGER_SQL)} RETURNING id)
${INSERTED_COUNT}`;

/**
 * Returns the ledger instant of a contact (UTC ISO): the dial, or the receipt when the dial lies
 * more than `FUTURE_TOLERANCE_MS` after it. The contact happened by the time the server received
 * it, and a row dated days ahead would block lawful contacts on that day while leaving today's
 * count short. The re-evaluation raises a `clock` alarm for such a contact. Without `receivedAt`
 * the dial is taken as it is, for callers that build rows of plausible events (the sync benchmark).
 */
export function ledgerInstantOf(interaction: InteractionRecorded, receivedAt?: Date): string {
  if (receivedAt !== undefined && isAfterReceipt(interaction.dialedAt, receivedAt)) return receivedAt.toISOString();
  return toUtcIso(interaction.dialedAt);
}

/** Builds the ledger entry of a contact, whose instant is the dial (see `ledgerInstantOf`). */
export function ledgerEntryOf(interaction: InteractionRecorded, receivedAt?: Date): LedgerEntry {
  return toLedgerEntry({
    id: interaction.interactionId,
    debtor_id: interaction.debtorId,
    person_id: interaction.personId,
    channel: interaction.channel,
    kind: interaction.kind,
    at: ledgerInstantOf(interaction, receivedAt),
  });
}

export function ledgerRowValues(event: SyncEvent, interaction: InteractionRecorded, receivedAt?: Date): SqlValue[] {
  return [
    interaction.interactionId,
    interaction.debtorId,
    interaction.personId,
    interaction.channel,
    interaction.kind,
    ledgerInstantOf(interaction, receivedAt),
    event.agentId,
    event.id,
  ];
}

export function eventRowValues(event: SyncEvent, receivedAt: Date): SqlValue[] {
  return [
    event.id,
    event.type,
    event.workstationId,
    event.seq,
    event.agentId,
    event.payload.debtorId,
    toUtcIso(event.occurredAt),
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
    toUtcIso(decision.trustedAt),
    toUtcIso(decision.localAt),
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
    toUtcIso(interaction.dialedAt),
    toUtcIso(interaction.typifiedAt),
    toUtcIso(interaction.localTypifiedAt),
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

/** Facts that ingest checks before storing an event, read in one statement (`EventsTable.ingestFacts`). */
export interface IngestFacts {
  /** An event with this id is already stored. */
  stored: boolean;
  debtorKnown: boolean;
  /** The person belongs to the debtor. */
  personKnown: boolean;
  /** The agent held the debtor's lease at the event's instant. */
  leaseHeld: boolean;
  /** The decision or interaction id is already stored, under another event or as a ledger entry. */
  projectionIdTaken: boolean;
  /** The debtor's open lease, read for interactions only, because only they notify the current holder. */
  holder: { agentId: string; expiresAt: string } | null;
}

export interface IngestFactsRow {
  stored: number;
  debtor_known: number;
  person_known: number;
  lease_held: number;
  projection_id_taken: number;
  holder_agent_id: string | null;
  holder_expires_at: string | null;
}

export function toIngestFacts(row: IngestFactsRow): IngestFacts {
  return {
    stored: row.stored === 1,
    debtorKnown: row.debtor_known === 1,
    personKnown: row.person_known === 1,
    leaseHeld: row.lease_held === 1,
    projectionIdTaken: row.projection_id_taken === 1,
    holder: row.holder_agent_id === null || row.holder_expires_at === null ? null : { agentId: row.holder_agent_id, expiresAt: row.holder_expires_at },
  };
}

// Every check of ingest in one statement, because on PostgreSQL each statement is a round trip
// inside a serializable transaction, and these reads used to take six of them. The lease condition
// is the one of `LeasesTable.wasHeld` (see `LEASE_COVER_END_SQL`). A null parameter matches no row,
// which skips the decision or the interaction lookups and the holder for decisions.
const INGEST_FACTS_SQL = `SELECT
    CASE WHEN EXISTS (SELECT 1 FROM events WHERE id = ?) THEN 1 ELSE 0 END AS stored,
    CASE WHEN EXISTS (SELECT 1 FROM debtors WHERE id = ?) THEN 1 ELSE 0 END AS debtor_known,
    CASE WHEN EXISTS (SELECT 1 FROM persons WHERE id = ? AND debtor_id = ?) THEN 1 ELSE 0 END AS person_known,
    CASE WHEN EXISTS (
      SELECT 1 FROM leases
      WHERE debtor_id = ? AND agent_id = ? AND granted_at <= ? AND ? < ${LEASE_COVER_END_SQL}
    ) THEN 1 ELSE 0 END AS lease_held,
    CASE WHEN EXISTS (SELECT 1 FROM decisions WHERE id = ?)
           OR EXISTS (SELECT 1 FROM interactions WHERE id = ?)
           OR EXISTS (SELECT 1 FROM ledger WHERE id = ?) THEN 1 ELSE 0 END AS projection_id_taken,
    (SELECT agent_id FROM leases WHERE debtor_id = ? AND released_at IS NULL) AS holder_agent_id,
    (SELECT expires_at FROM leases WHERE debtor_id = ? AND released_at IS NULL) AS holder_expires_at`;

export class EventsTable {
  /** Public so that the PostgreSQL group ingest (`pg/group-reads.ts`) can read a whole group on the same connection. */
  constructor(readonly sql: SqlConnection) {}

  /** Reads, in one statement, everything ingest checks about `event` before storing it. */
  async ingestFacts(event: ContactEvent): Promise<IngestFacts> {
    const { debtorId, personId } = event.payload;
    const occurredAt = toUtcIso(event.occurredAt);
    const decisionId = event.type === 'decision.recorded' ? event.payload.decisionId : null;
    const interactionId = event.type === 'interaction.recorded' ? event.payload.interactionId : null;
    const holderDebtorId = interactionId === null ? null : debtorId;
    const row = (await this.sql.get<IngestFactsRow>(INGEST_FACTS_SQL, [
      event.id,
      debtorId,
      personId,
      debtorId,
      debtorId,
      event.agentId,
      occurredAt,
      occurredAt,
      decisionId,
      interactionId,
      interactionId,
      holderDebtorId,
      holderDebtorId,
    ]))!;
    return toIngestFacts(row);
  }

  /**
   * Stores the event row and its decision unless the event id is already stored. Returns false
   * when it was: with several server nodes, another node may have stored the same event after this
   * transaction read `ingestFacts`.
   */
  async insertDecisionEvent(event: SyncEvent, decision: DecisionRecorded, receivedAt: Date): Promise<boolean> {
    const eventRow = eventRowValues(event, receivedAt);
    const decisionRow = decisionRowValues(event, decision);
    if (this.sql.writableCte) {
      const row = await this.sql.get<{ inserted: number }>(STORE_DECISION_EVENT_SQL, [...eventRow, ...decisionRow]);
      return row!.inserted === 1;
    }
    if (!(await this.insertEventRow(eventRow))) return false;
    await this.sql.run(INSERT_DECISION_SQL, decisionRow);
    return true;
  }

  /**
   * Stores the event row, its interaction and the ledger entry unless the event id is already
   * stored, and returns the entry, or null when the event was stored before (see `insertDecisionEvent`).
   * The entry's instant is the dial, because the legal limits count from there.
   */
  async insertInteractionEvent(event: SyncEvent, interaction: InteractionRecorded, receivedAt: Date): Promise<LedgerEntry | null> {
    const eventRow = eventRowValues(event, receivedAt);
    const interactionRow = interactionRowValues(event, interaction);
    const ledgerRow = ledgerRowValues(event, interaction, receivedAt);
    if (this.sql.writableCte) {
      const row = await this.sql.get<{ inserted: number }>(STORE_INTERACTION_EVENT_SQL, [...eventRow, ...interactionRow, ...ledgerRow]);
      if (row!.inserted !== 1) return null;
    } else {
      if (!(await this.insertEventRow(eventRow))) return null;
      await this.sql.run(INSERT_INTERACTION_SQL, interactionRow);
      await this.sql.run(INSERT_LEDGER_SQL, ledgerRow);
    }
    return ledgerEntryOf(interaction, receivedAt);
  }

  private async insertEventRow(eventRow: SqlValue[]): Promise<boolean> {
    return (await this.sql.run(`${INSERT_EVENT_SQL} ON CONFLICT (id) DO NOTHING`, eventRow)) === 1;
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
