/** Lease rows: open while `released_at` is NULL; closed rows stay as history. */
import type { SqlConnection } from './sql.ts';
import type { LeaseRecord, LeaseReleaseReason } from './types.ts';

/**
 * The end of the span in which a lease lets its agent contact the debtor, over a `leases` row. A
 * lease covers [granted_at, end). The end is the expiry, or an earlier renewal or expiry close.
 * A team lead's release or reassignment ends it only once every workstation that may hold the
 * debtor acknowledged the removal (`release_confirmed_at`). Until then, a workstation that has not
 * heard of the removal still dials lawfully up to the expiry it was sent.
 */
export const LEASE_COVER_END_SQL = `CASE
    WHEN released_at IS NULL OR released_at >= expires_at THEN expires_at
    WHEN release_reason NOT IN ('released', 'reassigned') THEN released_at
    WHEN release_confirmed_at IS NOT NULL AND release_confirmed_at < expires_at THEN release_confirmed_at
    ELSE expires_at
  END`;

interface LeaseRow {
  id: number;
  debtor_id: string;
  agent_id: string;
  granted_at: string;
  expires_at: string;
  released_at: string | null;
  release_reason: LeaseReleaseReason | null;
  release_confirmed_at: string | null;
}

const toRecord = (row: LeaseRow): LeaseRecord => ({
  id: row.id,
  debtorId: row.debtor_id,
  agentId: row.agent_id,
  grantedAt: row.granted_at,
  expiresAt: row.expires_at,
  releasedAt: row.released_at,
  releaseReason: row.release_reason,
  releaseConfirmedAt: row.release_confirmed_at,
});

export class LeasesTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Returns the debtor's open lease, which may be past its expiry until the expiry sweep closes it. */
  async openLease(debtorId: string): Promise<LeaseRecord | null> {
    const row = await this.sql.get<LeaseRow>('SELECT * FROM leases WHERE debtor_id = ? AND released_at IS NULL', [debtorId]);
    return row ? toRecord(row) : null;
  }

  async insertLease(debtorId: string, agentId: string, grantedAt: Date, expiresAt: Date): Promise<LeaseRecord> {
    const row = await this.sql.get<LeaseRow>('INSERT INTO leases (debtor_id, agent_id, granted_at, expires_at) VALUES (?, ?, ?, ?) RETURNING *', [
      debtorId,
      agentId,
      grantedAt.toISOString(),
      expiresAt.toISOString(),
    ]);
    return toRecord(row!);
  }

  async closeLease(lease: LeaseRecord, at: string, reason: LeaseReleaseReason): Promise<LeaseRecord> {
    await this.sql.run('UPDATE leases SET released_at = ?, release_reason = ? WHERE id = ? AND released_at IS NULL', [at, reason, lease.id]);
    return { ...lease, releasedAt: at, releaseReason: reason };
  }

  async dueForExpiry(now: Date): Promise<LeaseRecord[]> {
    const rows = await this.sql.all<LeaseRow>('SELECT * FROM leases WHERE released_at IS NULL AND expires_at <= ? ORDER BY id', [now.toISOString()]);
    return rows.map(toRecord);
  }

  async activeOf(agentId: string, now: Date): Promise<LeaseRecord[]> {
    const rows = await this.sql.all<LeaseRow>('SELECT * FROM leases WHERE agent_id = ? AND released_at IS NULL AND expires_at > ? ORDER BY id', [
      agentId,
      now.toISOString(),
    ]);
    return rows.map(toRecord);
  }

  async allActive(now: Date): Promise<LeaseRecord[]> {
    const rows = await this.sql.all<LeaseRow>('SELECT * FROM leases WHERE released_at IS NULL AND expires_at > ? ORDER BY id', [now.toISOString()]);
    return rows.map(toRecord);
  }

  /** Returns open leases whose previous lease of the same debtor belonged to another agent, oldest first. */
  async openAfterOtherHolder(agentId?: string): Promise<LeaseRecord[]> {
    // Every handshake renews its agent's leases, so that caller reads only the agent's own: the
    // whole fleet's open leases were the busiest query of a reconnection storm on PostgreSQL.
    const rows = await this.sql.all<LeaseRow>(
      `SELECT l.* FROM leases l
       WHERE l.released_at IS NULL ${agentId === undefined ? '' : 'AND l.agent_id = ?'}
         AND (SELECT p.agent_id FROM leases p WHERE p.debtor_id = l.debtor_id AND p.id < l.id ORDER BY p.id DESC LIMIT 1) <> l.agent_id
       ORDER BY l.id`,
      agentId === undefined ? [] : [agentId],
    );
    return rows.map(toRecord);
  }

  /** Returns every lease of the debtors that have no open lease, in id order: the history a new grant of each must see. */
  async historyOfUnleased(): Promise<LeaseRecord[]> {
    const rows = await this.sql.all<LeaseRow>(
      'SELECT * FROM leases WHERE debtor_id NOT IN (SELECT debtor_id FROM leases WHERE released_at IS NULL) ORDER BY id',
      [],
    );
    return rows.map(toRecord);
  }

  async historyOf(debtorId: string): Promise<LeaseRecord[]> {
    const rows = await this.sql.all<LeaseRow>('SELECT * FROM leases WHERE debtor_id = ? ORDER BY id', [debtorId]);
    return rows.map(toRecord);
  }

  async wasHeld(debtorId: string, agentId: string, at: Date): Promise<boolean> {
    const instant = at.toISOString();
    const row = await this.sql.get<{ id: number }>(
      `SELECT id FROM leases
       WHERE debtor_id = ? AND agent_id = ? AND granted_at <= ? AND ? < ${LEASE_COVER_END_SQL}
       LIMIT 1`,
      [debtorId, agentId, instant, instant],
    );
    return row !== undefined;
  }

  /** Marks every workstation's acknowledgement of the lease's removal as received at `at`. */
  async confirmRelease(leaseId: number, at: string): Promise<void> {
    await this.sql.run('UPDATE leases SET release_confirmed_at = ? WHERE id = ? AND release_confirmed_at IS NULL', [at, leaseId]);
  }

  async byId(leaseId: number): Promise<LeaseRecord | null> {
    const row = await this.sql.get<LeaseRow>('SELECT * FROM leases WHERE id = ?', [leaseId]);
    return row ? toRecord(row) : null;
  }

  async openCountsByAgent(): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ agent_id: string; count: number }>(
      'SELECT agent_id, COUNT(*) AS count FROM leases WHERE released_at IS NULL GROUP BY agent_id',
    );
    return new Map(rows.map((row) => [row.agent_id, row.count]));
  }
}
