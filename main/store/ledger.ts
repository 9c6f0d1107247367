/**
 * The contact ledger: every contact or attempt that counts toward a person's legal limits, ours
 * (`local`) and those made elsewhere and delivered by the feed (`remote`).
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { Channel, ComplianceChannel, ContactKind, LedgerEntry } from '@gestiona/core/domain';
import type { GateHistoryEntry } from '@gestiona/core/compliance/types';
import { epochMs } from './rows.ts';

export interface LedgerRow {
  id: string;
  debtorId: string;
  personId: string;
  /** A dialable channel, or `letter`/`visit` for a remote entry of the server's channel dispatcher. */
  channel: ComplianceChannel;
  kind: ContactKind;
  at: string;
  origin: 'local' | 'remote';
  code: string | null;
}

/** A remote entry that carried out an activity occurrence of the debtor's strategy timeline. */
export interface ServerSendRow {
  activityId: string;
  occurrenceDate: string;
  at: string;
}

interface LedgerQueryRow {
  id: string;
  debtor_id: string;
  person_id: string;
  channel: string;
  kind: string;
  at: string;
  origin: string;
  code: string | null;
}

export class LedgerStore {
  private readonly db: Database;
  private readonly insert: Statement;
  private readonly updateByAttempt: Statement<[string, string, string]>;
  private readonly selectHistory: Statement<[string, number], { at: string; channel: string; kind: string; attempt_id: string | null }>;
  private readonly selectForDebtor: Statement<[string, number], LedgerQueryRow>;
  private readonly selectLatestTwoWay: Statement<[string], { at: string }>;
  private readonly selectHistoryIn: Statement<[string, number], { person_id: string; at: string; at_ms: number; channel: string; kind: string; attempt_id: string | null }>;
  private readonly selectLatestIn: Statement<[string], LedgerQueryRow>;
  /** Histories read ahead by `withHistoryOf`, served by `history` while its work runs; null otherwise. */
  private preloaded: { sinceMs: number; byPerson: Map<string, Array<{ atMs: number; entry: GateHistoryEntry; attemptId: string | null }>> } | null = null;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(`
      INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, at_ms, origin, attempt_id, code, activity_id, activity_date)
      VALUES (@id, @debtorId, @personId, @channel, @kind, @at, @atMs, @origin, @attemptId, NULL, @activityId, @activityDate)
      ON CONFLICT (id) DO NOTHING`);
    this.updateByAttempt = db.prepare('UPDATE ledger SET kind = ?, code = ? WHERE attempt_id = ?');
    this.selectHistory = db.prepare('SELECT at, channel, kind, attempt_id FROM ledger WHERE person_id = ? AND at_ms >= ? ORDER BY at_ms');
    this.selectForDebtor = db.prepare('SELECT * FROM ledger WHERE debtor_id = ? ORDER BY at_ms DESC, id LIMIT ?');
    this.selectLatestTwoWay = db.prepare("SELECT at FROM ledger WHERE debtor_id = ? AND kind = 'two-way' ORDER BY at_ms DESC LIMIT 1");
    this.selectHistoryIn = db.prepare(`
      SELECT person_id, at, at_ms, channel, kind, attempt_id FROM ledger
      WHERE person_id IN (SELECT value FROM json_each(?)) AND at_ms >= ? ORDER BY person_id, at_ms`);
    // One index probe per debtor, in the order `forDebtor(id, 1)` picks the latest entry.
    this.selectLatestIn = db.prepare(`
      SELECT l.* FROM json_each(?) j
      JOIN ledger l ON l.id = (SELECT g.id FROM ledger g WHERE g.debtor_id = j.value ORDER BY g.at_ms DESC, g.id LIMIT 1)`);
  }

  /**
   * Stores a contact made elsewhere; a repeated id (the feed may deliver twice) is ignored. Letters and
   * visits of the server count like any other channel, because the gate reads every entry's channel.
   */
  addRemote(entry: LedgerEntry): void {
    const { activity, ...row } = entry;
    this.insert.run({
      ...row,
      atMs: epochMs(entry.at),
      origin: 'remote',
      attemptId: null,
      activityId: activity?.activityId ?? null,
      activityDate: activity?.occurrenceDate ?? null,
    });
  }

  /** Adds the provisional entry of a placed dial, which counts as an attempt until its typification is saved. */
  addLocalAttempt(entry: { id: string; attemptId: string; debtorId: string; personId: string; channel: Channel; at: string }): void {
    this.insert.run({ ...entry, kind: 'attempt', atMs: epochMs(entry.at), origin: 'local', activityId: null, activityDate: null });
  }

  typify(attemptId: string, kind: ContactKind, code: string): void {
    const result = this.updateByAttempt.run(kind, code, attemptId);
    if (result.changes !== 1) throw new Error(`No ledger entry for attempt ${attemptId}`);
  }

  /**
   * Returns the person's entries from `sinceMs` on, oldest first, as the gate reads them.
   * `assumeKind` counts one attempt as the kind its typification is about to give it.
   */
  history(personId: string, sinceMs: number, assumeKind?: { attemptId: string; kind: ContactKind }): GateHistoryEntry[] {
    const preloaded = this.preloaded?.byPerson.get(personId);
    if (preloaded !== undefined && sinceMs >= this.preloaded!.sinceMs) {
      return preloaded
        .filter((row) => row.atMs >= sinceMs)
        .map((row) => (assumeKind && row.attemptId === assumeKind.attemptId ? { ...row.entry, kind: assumeKind.kind } : row.entry));
    }
    return this.selectHistory.all(personId, sinceMs).map((row) => ({
      at: row.at,
      channel: row.channel as ComplianceChannel,
      kind: assumeKind && row.attempt_id === assumeKind.attemptId ? assumeKind.kind : (row.kind as ContactKind),
    }));
  }

  /**
   * Runs `work` with the entries of `personIds` from `sinceMs` on read in one query, so that gate
   * checks over many persons (a worklist page, the legal-status cache) do not query once per
   * contact point. `history` calls for other persons or an earlier `sinceMs` still read the table.
   * `work` must be synchronous and must not write the ledger: the read-ahead copy would not see the write.
   */
  withHistoryOf<T>(personIds: readonly string[], sinceMs: number, work: () => T): T {
    const byPerson = new Map<string, Array<{ atMs: number; entry: GateHistoryEntry; attemptId: string | null }>>(personIds.map((id) => [id, []]));
    for (const row of this.selectHistoryIn.all(JSON.stringify([...new Set(personIds)]), sinceMs)) {
      byPerson.get(row.person_id)?.push({
        atMs: row.at_ms,
        entry: { at: row.at, channel: row.channel as ComplianceChannel, kind: row.kind as ContactKind },
        attemptId: row.attempt_id,
      });
    }
    const outer = this.preloaded;
    this.preloaded = { sinceMs, byPerson };
    try {
      return work();
    } finally {
      this.preloaded = outer;
    }
  }

  /** Returns the latest entry of each debtor in `debtorIds` that has one, keyed by debtor id; the same entry as `forDebtor(id, 1)`. */
  latestForDebtors(debtorIds: readonly string[]): Map<string, LedgerRow> {
    if (debtorIds.length === 0) return new Map();
    return new Map(this.selectLatestIn.all(JSON.stringify(debtorIds)).map((row) => [row.debtor_id, toLedgerRow(row)]));
  }

  /** Returns the debtor's most recent entries, newest first. */
  forDebtor(debtorId: string, limit: number): LedgerRow[] {
    return this.selectForDebtor.all(debtorId, limit).map(toLedgerRow);
  }

  /** Instant of the debtor's latest right-party (two-way) contact from any workstation, or null when there is none. */
  latestTwoWayAt(debtorId: string): string | null {
    return this.selectLatestTwoWay.get(debtorId)?.at ?? null;
  }

  wipe(): void {
    this.db.exec('DELETE FROM ledger');
  }
}

function toLedgerRow(row: LedgerQueryRow): LedgerRow {
  return {
    id: row.id,
    debtorId: row.debtor_id,
    personId: row.person_id,
    channel: row.channel as ComplianceChannel,
    kind: row.kind as ContactKind,
    at: row.at,
    origin: row.origin as 'local' | 'remote',
    code: row.code,
  };
}
