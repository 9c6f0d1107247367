/** Rows of `reassignments`: the history of the reassignments requested from the board. */
import type { SqlConnection, SqlValue } from '../store/sql.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';

/** One stored reassignment with the names the board shows. Instants are ISO UTC. */
export interface StoredReassignment {
  id: number;
  debtorId: string;
  debtorName: string;
  fromAgentId: string | null;
  fromAgentName: string | null;
  fromLeaseId: number | null;
  toAgentId: string;
  toAgentName: string;
  toLeaseId: number;
  requestedBy: string;
  requestedByName: string;
  requestedAt: string;
}

export interface NewReassignment {
  debtorId: string;
  fromAgentId: string | null;
  fromLeaseId: number | null;
  toAgentId: string;
  toLeaseId: number;
  requestedBy: string;
  requestedAt: Date;
}

export interface ReassignmentQuery {
  debtorId?: string;
  /** Only reassignments from or to agents of the teams that this team lead (user id) leads. */
  ledBy?: string;
  /** Only reassignments requested at or after this instant. */
  since?: Date;
  /** Maximum number of rows, newest first. */
  limit: number;
}

interface ReassignmentRow {
  id: number;
  debtor_id: string;
  debtor_name: string;
  from_agent_id: string | null;
  from_agent_name: string | null;
  from_lease_id: number | null;
  to_agent_id: string;
  to_agent_name: string;
  to_lease_id: number;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
}

const SELECT_SQL = `SELECT r.*, d.full_name AS debtor_name, fa.full_name AS from_agent_name, ta.full_name AS to_agent_name, rb.full_name AS requested_by_name
  FROM reassignments r
  JOIN debtors d ON d.id = r.debtor_id
  LEFT JOIN users fa ON fa.id = r.from_agent_id
  JOIN users ta ON ta.id = r.to_agent_id
  JOIN users rb ON rb.id = r.requested_by`;

export class ReassignmentsTable {
  constructor(private readonly sql: SqlConnection) {}

  async insert(input: NewReassignment): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO reassignments (debtor_id, from_agent_id, from_lease_id, to_agent_id, to_lease_id, requested_by, requested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [input.debtorId, input.fromAgentId, input.fromLeaseId, input.toAgentId, input.toLeaseId, input.requestedBy, input.requestedAt.toISOString()],
    );
    return row!.id;
  }

  /** Returns the reassignments that match, newest first. */
  async list(query: ReassignmentQuery): Promise<StoredReassignment[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (query.debtorId !== undefined) {
      conditions.push('r.debtor_id = ?');
      params.push(query.debtorId);
    }
    if (query.ledBy !== undefined) {
      conditions.push(`(r.to_agent_id IN (${LED_AGENT_IDS_SQL}) OR r.from_agent_id IN (${LED_AGENT_IDS_SQL}))`);
      params.push(query.ledBy, query.ledBy);
    }
    if (query.since !== undefined) {
      conditions.push('r.requested_at >= ?');
      params.push(query.since.toISOString());
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    params.push(query.limit);
    const rows = await this.sql.all<ReassignmentRow>(`${SELECT_SQL} ${where} ORDER BY r.id DESC LIMIT ?`, params);
    return rows.map(toStored);
  }

  /** Returns the newest reassignment whose new lease is this one, or null. */
  async byToLease(leaseId: number): Promise<StoredReassignment | null> {
    const row = await this.sql.get<ReassignmentRow>(`${SELECT_SQL} WHERE r.to_lease_id = ? ORDER BY r.id DESC LIMIT 1`, [leaseId]);
    return row ? toStored(row) : null;
  }
}

function toStored(row: ReassignmentRow): StoredReassignment {
  return {
    id: row.id,
    debtorId: row.debtor_id,
    debtorName: row.debtor_name,
    fromAgentId: row.from_agent_id,
    fromAgentName: row.from_agent_name,
    fromLeaseId: row.from_lease_id,
    toAgentId: row.to_agent_id,
    toAgentName: row.to_agent_name,
    toLeaseId: row.to_lease_id,
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    requestedAt: row.requested_at,
  };
}
