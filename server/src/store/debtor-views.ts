/** Views of a debtor's file (`debtor.viewed` events) and the lease check that judges each one. */
import { toUtcIso } from '@gestiona/core/format';
import type { SyncEvent } from '@gestiona/core/sync';
import { eventRowValues, INSERT_EVENT_SQL } from './events.ts';
import { LEASE_COVER_END_SQL } from './leases.ts';
import type { SqlConnection, SqlValue } from './sql.ts';

export type DebtorViewedEvent = Extract<SyncEvent, { type: 'debtor.viewed' }>;

/** One stored view, with the agent's names for the admin's reports. Instants are ISO UTC. */
export interface StoredDebtorView {
  eventId: string;
  debtorId: string;
  agentId: string;
  /** Null when the user row no longer exists. */
  agentUsername: string | null;
  agentFullName: string | null;
  workstationId: string;
  viewedAt: string;
  localAt: string;
  clockOffsetMs: number;
  reason: string | null;
  /** Whether the agent held the debtor's lease at `viewedAt`. */
  leased: boolean;
  receivedAt: string;
}

export interface DebtorViewQuery {
  debtorId: string;
  /** Only views at or after this instant. */
  since?: Date;
}

interface DebtorViewRow {
  event_id: string;
  debtor_id: string;
  agent_id: string;
  username: string | null;
  full_name: string | null;
  workstation_id: string;
  viewed_at: string;
  local_at: string;
  clock_offset_ms: number;
  reason: string | null;
  leased: number;
  received_at: string;
}

// The lease condition is the one of `LeasesTable.wasHeld`, so a view counts as leased exactly when a
// contact at the same instant would have been accepted.
const VIEW_FACTS_SQL = `SELECT
    CASE WHEN EXISTS (SELECT 1 FROM events WHERE id = ?) THEN 1 ELSE 0 END AS stored,
    CASE WHEN EXISTS (SELECT 1 FROM debtors WHERE id = ?) THEN 1 ELSE 0 END AS debtor_known,
    CASE WHEN EXISTS (
      SELECT 1 FROM leases
      WHERE debtor_id = ? AND agent_id = ? AND granted_at <= ? AND ? < ${LEASE_COVER_END_SQL}
    ) THEN 1 ELSE 0 END AS leased`;

const INSERT_VIEW_SQL = `INSERT INTO debtor_views (event_id, debtor_id, agent_id, workstation_id, viewed_at, local_at, clock_offset_ms, reason, leased, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Returns the Spanish text of a view's reason. The workstation sends `wrap-up` for a file open only to finish a typification. */
export function viewReasonText(reason: string): string {
  return reason === 'wrap-up' ? 'gestión pendiente de tipificar (asignación vencida)' : reason;
}

export class DebtorViewsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Reads, in one statement, whether the event is stored, the debtor exists and the agent held its lease at the view. */
  async facts(event: DebtorViewedEvent): Promise<{ stored: boolean; debtorKnown: boolean; leased: boolean }> {
    const viewedAt = toUtcIso(event.payload.viewedAt);
    const { debtorId } = event.payload;
    const row = (await this.sql.get<{ stored: number; debtor_known: number; leased: number }>(VIEW_FACTS_SQL, [
      event.id,
      debtorId,
      debtorId,
      event.agentId,
      viewedAt,
      viewedAt,
    ]))!;
    return { stored: row.stored === 1, debtorKnown: row.debtor_known === 1, leased: row.leased === 1 };
  }

  /**
   * Returns whether this workstation placed an allowed contact with the debtor, under the agent's
   * lease, in the `windowMs` before the view. A file reopened only to typify such a contact after the
   * lease ended is the wrap-up the law requires, not an unjustified access. The outbox sends events
   * in order, so the contact's decision is stored before the view that follows it.
   */
  async hasRecentAllowedContact(event: DebtorViewedEvent, windowMs: number): Promise<boolean> {
    const viewedAtMs = Date.parse(event.payload.viewedAt);
    const row = await this.sql.get<{ found: number }>(
      `SELECT 1 AS found FROM decisions
       WHERE debtor_id = ? AND agent_id = ? AND workstation_id = ? AND allowed = 1 AND trusted_at >= ? AND trusted_at <= ?
       LIMIT 1`,
      [event.payload.debtorId, event.agentId, event.workstationId, new Date(viewedAtMs - windowMs).toISOString(), new Date(viewedAtMs).toISOString()],
    );
    return row !== undefined;
  }

  /**
   * Stores the event row and its view. Returns false when the event id was stored before, by
   * another server node since this transaction's first read.
   */
  async insert(event: DebtorViewedEvent, leased: boolean, receivedAt: Date): Promise<boolean> {
    const inserted = await this.sql.run(`${INSERT_EVENT_SQL} ON CONFLICT (id) DO NOTHING`, eventRowValues(event, receivedAt));
    if (inserted !== 1) return false;
    const { payload } = event;
    await this.sql.run(INSERT_VIEW_SQL, [
      event.id,
      payload.debtorId,
      event.agentId,
      event.workstationId,
      toUtcIso(payload.viewedAt),
      toUtcIso(payload.localAt),
      payload.clockOffsetMs,
      payload.reason ?? null,
      leased ? 1 : 0,
      receivedAt.toISOString(),
    ]);
    return true;
  }

  /** Returns the debtor's views, oldest first. */
  async list(query: DebtorViewQuery): Promise<StoredDebtorView[]> {
    const params: SqlValue[] = [query.debtorId];
    let since = '';
    if (query.since !== undefined) {
      since = 'AND v.viewed_at >= ?';
      params.push(query.since.toISOString());
    }
    const rows = await this.sql.all<DebtorViewRow>(
      `SELECT v.*, u.username, u.full_name FROM debtor_views v LEFT JOIN users u ON u.id = v.agent_id
       WHERE v.debtor_id = ? ${since} ORDER BY v.viewed_at, v.event_id`,
      params,
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      debtorId: row.debtor_id,
      agentId: row.agent_id,
      agentUsername: row.username,
      agentFullName: row.full_name,
      workstationId: row.workstation_id,
      viewedAt: row.viewed_at,
      localAt: row.local_at,
      clockOffsetMs: Number(row.clock_offset_ms),
      reason: row.reason,
      leased: Number(row.leased) === 1,
      receivedAt: row.received_at,
    }));
  }
}
