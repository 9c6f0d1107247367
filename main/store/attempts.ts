/**
 * Placed dials. An attempt stays `pending` until its typification is saved, and the schema allows
 * only one pending attempt, so the wrap-up survives restarts and cannot be skipped.
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { Channel, PartyRole } from '@gestiona/core/domain';
import type { DialerAdapterName } from '@gestiona/core/sync';

export type DialOutcome = 'dialing' | 'placed' | 'failed';

export interface AttemptRecord {
  id: string;
  requestId: string;
  decisionId: string;
  debtorId: string;
  debtorName: string;
  personId: string;
  personName: string;
  party: PartyRole;
  contactPointId: string;
  channel: Channel;
  address: string;
  adapter: DialerAdapterName;
  dialedAt: string;
  dialOutcome: DialOutcome;
  dialUri: string | null;
  dialError: string | null;
  status: 'pending' | 'closed';
  /** When the agent confirmed the right party in this contact (R12), or null. */
  identityConfirmedAt: string | null;
}

interface AttemptRow {
  id: string;
  request_id: string;
  decision_id: string;
  debtor_id: string;
  debtor_name: string;
  person_id: string;
  person_name: string;
  party: string;
  contact_point_id: string;
  channel: string;
  address: string;
  adapter: string;
  dialed_at: string;
  dial_outcome: string;
  dial_uri: string | null;
  dial_error: string | null;
  status: string;
}

/**
 * Meta key of the identity check of the open contact: `{"attemptId": …, "at": …}`. Only one attempt
 * is ever pending, so one entry is enough; an entry naming another attempt is stale and ignored.
 */
const IDENTITY_KEY = 'open_contact_identity';

export class AttemptStore {
  private readonly db: Database;
  private readonly insert: Statement;
  private readonly selectPending: Statement<[], AttemptRow>;
  private readonly selectById: Statement<[string], AttemptRow>;
  private readonly selectByRequest: Statement<[string], AttemptRow>;
  private readonly updateOutcome: Statement<[string, string | null, string | null, string]>;
  private readonly updateClosed: Statement<[string, string]>;
  private readonly selectIdentity: Statement<[string], { value: string }>;
  private readonly upsertIdentity: Statement<[string, string]>;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(`
      INSERT INTO attempts (id, request_id, decision_id, debtor_id, debtor_name, person_id, person_name, party, contact_point_id, channel,
        address, adapter, dialed_at, dialed_at_ms, dial_outcome, dial_uri, dial_error, status, closed_at)
      VALUES (@id, @requestId, @decisionId, @debtorId, @debtorName, @personId, @personName, @party, @contactPointId, @channel,
        @address, @adapter, @dialedAt, @dialedAtMs, 'dialing', NULL, NULL, 'pending', NULL)`);
    this.selectPending = db.prepare("SELECT * FROM attempts WHERE status = 'pending'");
    this.selectById = db.prepare('SELECT * FROM attempts WHERE id = ?');
    this.selectByRequest = db.prepare('SELECT * FROM attempts WHERE request_id = ?');
    this.updateOutcome = db.prepare('UPDATE attempts SET dial_outcome = ?, dial_uri = ?, dial_error = ? WHERE id = ?');
    this.updateClosed = db.prepare("UPDATE attempts SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'pending'");
    this.selectIdentity = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsertIdentity = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  add(attempt: Omit<AttemptRecord, 'dialOutcome' | 'dialUri' | 'dialError' | 'status' | 'identityConfirmedAt'> & { dialedAtMs: number }): void {
    this.insert.run(attempt);
  }

  /** Returns the attempt waiting for its typification, if any. */
  pending(): AttemptRecord | null {
    const row = this.selectPending.get();
    return row ? toRecord(row, this.identityOf(row.id)) : null;
  }

  byId(id: string): AttemptRecord | null {
    const row = this.selectById.get(id);
    return row ? toRecord(row, this.identityOf(row.id)) : null;
  }

  byRequestId(requestId: string): AttemptRecord | null {
    const row = this.selectByRequest.get(requestId);
    return row ? toRecord(row, this.identityOf(row.id)) : null;
  }

  setDialOutcome(id: string, outcome: Exclude<DialOutcome, 'dialing'>, uri: string | null, error: string | null): void {
    this.updateOutcome.run(outcome, uri, error, id);
  }

  /** Records the identity check of the pending, placed attempt once; returns false when nothing changed. */
  confirmIdentity(id: string, confirmedAt: string): boolean {
    const attempt = this.pending();
    if (!attempt || attempt.id !== id || attempt.dialOutcome !== 'placed' || attempt.identityConfirmedAt !== null) return false;
    this.upsertIdentity.run(IDENTITY_KEY, JSON.stringify({ attemptId: id, at: confirmedAt }));
    return true;
  }

  close(id: string, closedAt: string): void {
    const result = this.updateClosed.run(closedAt, id);
    if (result.changes !== 1) throw new Error(`Attempt ${id} is not pending`);
  }

  wipe(): void {
    this.db.exec('DELETE FROM attempts');
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(IDENTITY_KEY);
  }

  private identityOf(attemptId: string): string | null {
    const raw = this.selectIdentity.get(IDENTITY_KEY)?.value;
    if (raw === undefined) return null;
    const entry = JSON.parse(raw) as { attemptId: string; at: string };
    return entry.attemptId === attemptId ? entry.at : null;
  }
}

function toRecord(row: AttemptRow, identityConfirmedAt: string | null): AttemptRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    decisionId: row.decision_id,
    debtorId: row.debtor_id,
    debtorName: row.debtor_name,
    personId: row.person_id,
    personName: row.person_name,
    party: row.party as PartyRole,
    contactPointId: row.contact_point_id,
    channel: row.channel as Channel,
    address: row.address,
    adapter: row.adapter as DialerAdapterName,
    dialedAt: row.dialed_at,
    dialOutcome: row.dial_outcome as DialOutcome,
    dialUri: row.dial_uri,
    dialError: row.dial_error,
    status: row.status as 'pending' | 'closed',
    identityConfirmedAt,
  };
}
