/** Lease rows: open while `released_at` is NULL; closed rows stay as history. */
import type { SqlConnection } from './sql.ts';
import type { LeaseRecord, LeaseReleaseReason } from './types.ts';

interface LeaseRow {
  id: number;
  debtor_id: string;
  agent_id: string;
  granted_at: string;
  expires_at: string;
  released_at: string | null;
  release_reason: LeaseReleaseReason | null;
}

const toRecord = (row: LeaseRow): LeaseRecord => ({
  id: row.id,
  debtorId: row.debtor_id,
  agentId: row.agent_id,
  grantedAt: row.granted_at,
  expiresAt: row.expires_at,
  releasedAt: row.released_at,
  releaseReason: row.release_reason,
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

  async historyOf(debtorId: string): Promise<LeaseRecord[]> {
    const rows = await this.sql.all<LeaseRow>('SELECT * FROM leases WHERE debtor_id = ? ORDER BY id', [debtorId]);
    return rows.map(toRecord);
  }

  async wasHeld(debtorId: string, agentId: string, at: Date): Promise<boolean> {
    const instant = at.toISOString();
    // A lease covers [granted_at, end), where end is its release or its expiry, whichever came first.
    const row = await this.sql.get<{ id: number }>(
      `SELECT id FROM leases
       WHERE debtor_id = ? AND agent_id = ? AND granted_at <= ?
         AND ? < CASE WHEN released_at IS NOT NULL AND released_at < expires_at THEN released_at ELSE expires_at END
       LIMIT 1`,
      [debtorId, agentId, instant, instant],
    );
    return row !== undefined;
  }

  async openCountsByAgent(): Promise<Map<string, number>> {
    const rows = await this.sql.all<{ agent_id: string; count: number }>(
      'SELECT agent_id, COUNT(*) AS count FROM leases WHERE released_at IS NULL GROUP BY agent_id',
    );
    return new Map(rows.map((row) => [row.agent_id, row.count]));
  }
}
