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
  private readonly selectIn: Statement<[string], HoldRow>;

  constructor(db: Database) {
    this.db = db;
    // The first start of a hold is the one in force; a second dispute keeps the first date.
    this.upsert = db.prepare(`
      INSERT INTO collection_holds (debtor_id, kind, code, since, interaction_id) VALUES (@debtorId, @kind, @code, @since, @interactionId)
      ON CONFLICT (debtor_id, kind) DO NOTHING`);
    this.selectOf = db.prepare("SELECT debtor_id, kind, code, since FROM collection_holds WHERE debtor_id = ? ORDER BY CASE kind WHEN 'stopped' THEN 0 ELSE 1 END");
    this.selectIn = db.prepare(
      "SELECT debtor_id, kind, code, since FROM collection_holds WHERE debtor_id IN (SELECT value FROM json_each(?)) ORDER BY debtor_id, CASE kind WHEN 'stopped' THEN 0 ELSE 1 END",
    );
    // A hold typified here whose interaction is still in the outbox is newer than any list the
    // server can have sent: the server records it only when that interaction arrives. Keeping it
    // means that lifting the other hold (a list without this one) does not lift it too.
    this.deleteOf = db.prepare(`
      DELETE FROM collection_holds WHERE debtor_id = ?
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.type = 'interaction.recorded'
          AND json_extract(o.payload, '$.interactionId') = collection_holds.interaction_id)`);
  }

  /** Starts a hold from a local wrap-up. */
  add(debtorId: string, hold: CollectionHold, interactionId: string | null): void {
    this.upsert.run({ debtorId, ...hold, interactionId });
  }

  /**
   * Replaces the debtor's holds with the server's list; an empty list lifts them all, except the
   * holds typified here that the server has not received yet.
   */
  replace(debtorId: string, holds: readonly CollectionHold[]): void {
    this.deleteOf.run(debtorId);
    for (const hold of holds) this.add(debtorId, hold, null);
  }

  /** Returns the debtor's holds in force, the stopped strategy first. */
  of(debtorId: string): CollectionHold[] {
    return this.selectOf.all(debtorId).map((row) => ({ kind: row.kind, code: row.code, since: row.since }));
  }

  /** Returns the holds in force of each debtor in `debtorIds`, as `of` orders them; a debtor without holds is left out. */
  ofMany(debtorIds: readonly string[]): Map<string, CollectionHold[]> {
    const holds = new Map<string, CollectionHold[]>();
    if (debtorIds.length === 0) return holds;
    for (const row of this.selectIn.all(JSON.stringify(debtorIds))) {
      const hold: CollectionHold = { kind: row.kind, code: row.code, since: row.since };
      const list = holds.get(row.debtor_id);
      if (list) list.push(hold);
      else holds.set(row.debtor_id, [hold]);
    }
    return holds;
  }

  /** Returns the hold that ranks first (a stopped strategy before a dispute), or null when collection is not held. */
  current(debtorId: string): CollectionHold | null {
    return mainHold(this.of(debtorId));
  }

  wipe(): void {
    this.db.exec('DELETE FROM collection_holds');
  }
}
