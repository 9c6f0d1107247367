/** Lease rows: open while `released_at` is NULL; closed rows stay as history. */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
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
  private readonly open: Statement<[string], LeaseRow>;
  private readonly insert: Statement<[string, string, string, string]>;
  private readonly close: Statement<[string, LeaseReleaseReason, number]>;
  private readonly due: Statement<[string], LeaseRow>;
  private readonly openByAgent: Statement<[string, string], LeaseRow>;
  private readonly openAll: Statement<[string], LeaseRow>;
  private readonly history: Statement<[string], LeaseRow>;
  private readonly heldAt: Statement<[{ debtorId: string; agentId: string; at: string }], { id: number }>;
  private readonly openCounts: Statement<[], { agent_id: string; count: number }>;

  constructor(db: SqliteDatabase) {
    this.open = db.prepare('SELECT * FROM leases WHERE debtor_id = ? AND released_at IS NULL');
    this.insert = db.prepare('INSERT INTO leases (debtor_id, agent_id, granted_at, expires_at) VALUES (?, ?, ?, ?)');
    this.close = db.prepare('UPDATE leases SET released_at = ?, release_reason = ? WHERE id = ? AND released_at IS NULL');
    this.due = db.prepare('SELECT * FROM leases WHERE released_at IS NULL AND expires_at <= ? ORDER BY id');
    this.openByAgent = db.prepare('SELECT * FROM leases WHERE agent_id = ? AND released_at IS NULL AND expires_at > ? ORDER BY id');
    this.openAll = db.prepare('SELECT * FROM leases WHERE released_at IS NULL AND expires_at > ? ORDER BY id');
    this.history = db.prepare('SELECT * FROM leases WHERE debtor_id = ? ORDER BY id');
    // A lease covers [granted_at, end), where end is its release or its expiry, whichever came first.
    this.heldAt = db.prepare(
      `SELECT id FROM leases
       WHERE debtor_id = @debtorId AND agent_id = @agentId AND granted_at <= @at
         AND @at < CASE WHEN released_at IS NOT NULL AND released_at < expires_at THEN released_at ELSE expires_at END
       LIMIT 1`,
    );
    this.openCounts = db.prepare('SELECT agent_id, COUNT(*) AS count FROM leases WHERE released_at IS NULL GROUP BY agent_id');
  }

  /** Returns the debtor's open lease, which may be past its expiry until the expiry sweep closes it. */
  openLease(debtorId: string): LeaseRecord | null {
    const row = this.open.get(debtorId);
    return row ? toRecord(row) : null;
  }

  insertLease(debtorId: string, agentId: string, grantedAt: Date, expiresAt: Date): LeaseRecord {
    const result = this.insert.run(debtorId, agentId, grantedAt.toISOString(), expiresAt.toISOString());
    return {
      id: Number(result.lastInsertRowid),
      debtorId,
      agentId,
      grantedAt: grantedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      releasedAt: null,
      releaseReason: null,
    };
  }

  closeLease(lease: LeaseRecord, at: string, reason: LeaseReleaseReason): LeaseRecord {
    this.close.run(at, reason, lease.id);
    return { ...lease, releasedAt: at, releaseReason: reason };
  }

  dueForExpiry(now: Date): LeaseRecord[] {
    return this.due.all(now.toISOString()).map(toRecord);
  }

  activeOf(agentId: string, now: Date): LeaseRecord[] {
    return this.openByAgent.all(agentId, now.toISOString()).map(toRecord);
  }

  allActive(now: Date): LeaseRecord[] {
    return this.openAll.all(now.toISOString()).map(toRecord);
  }

  historyOf(debtorId: string): LeaseRecord[] {
    return this.history.all(debtorId).map(toRecord);
  }

  wasHeld(debtorId: string, agentId: string, at: Date): boolean {
    return this.heldAt.get({ debtorId, agentId, at: at.toISOString() }) !== undefined;
  }

  openCountsByAgent(): Map<string, number> {
    return new Map(this.openCounts.all().map((row) => [row.agent_id, row.count]));
  }
}
