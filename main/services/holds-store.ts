/** The collection holds of the workstation's debtors (table `collection_holds`, main migration 009). */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { mainHold, type CollectionHold, type HoldKind } from '@gestiona/core/catalog-holds';

interface HoldRow {
  debtor_id: string;
  kind: HoldKind;
  code: string;
  since: string;
}

export class HoldStore {
  private readonly db: Database;
  private readonly upsert: Statement;
  private readonly selectOf: Statement<[string], HoldRow>;
  private readonly deleteOf: Statement;

  constructor(db: Database) {
    this.db = db;
    // The first start of a hold is the one in force; a second dispute keeps the first date.
    this.upsert = db.prepare(`
      INSERT INTO collection_holds (debtor_id, kind, code, since, interaction_id) VALUES (@debtorId, @kind, @code, @since, @interactionId)
      ON CONFLICT (debtor_id, kind) DO NOTHING`);
    this.selectOf = db.prepare("SELECT debtor_id, kind, code, since FROM collection_holds WHERE debtor_id = ? ORDER BY CASE kind WHEN 'stopped' THEN 0 ELSE 1 END");
    this.deleteOf = db.prepare('DELETE FROM collection_holds WHERE debtor_id = ?');
  }

  /** Starts a hold from a local wrap-up. */
  add(debtorId: string, hold: CollectionHold, interactionId: string | null): void {
    this.upsert.run({ debtorId, ...hold, interactionId });
  }

  /** Replaces the debtor's holds with the server's list; an empty list lifts them all. */
  replace(debtorId: string, holds: readonly CollectionHold[]): void {
    this.deleteOf.run(debtorId);
    for (const hold of holds) this.add(debtorId, hold, null);
  }

  of(debtorId: string): CollectionHold[] {
    return this.selectOf.all(debtorId).map((row) => ({ kind: row.kind, code: row.code, since: row.since }));
  }

  /** Returns the hold shown to the agent, or null when collection is not held. */
  current(debtorId: string): CollectionHold | null {
    return mainHold(this.of(debtorId));
  }

  wipe(): void {
    this.db.exec('DELETE FROM collection_holds');
  }
}
