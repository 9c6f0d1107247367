/**
 * The strategy set in force on this workstation and each leased debtor's place in it, as the change
 * feed delivers them (`strategy.set` and the strategy fields of `debtor.upsert`).
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';

/** The strategy fields of a debtor snapshot; each is null when the server sent none. */
export interface DebtorStrategyFields {
  segmentName: string | null;
  treatmentId: string | null;
  strategyVersion: string | null;
  assignedAt: string | null;
}

interface DebtorStrategyRow {
  segment_name: string | null;
  treatment_id: string | null;
  strategy_version: string | null;
  assigned_at: string | null;
}

export class StrategyStore {
  private readonly upsertSet: Statement<{ version: string; body: string; receivedAt: string }>;
  private readonly selectSet: Statement<[], { version: string; body: string }>;
  private readonly upsertDebtor: Statement<{ debtorId: string } & DebtorStrategyFields>;
  private readonly selectDebtor: Statement<[string], DebtorStrategyRow>;
  private readonly selectDebtorIds: Statement<[], { id: string }>;

  constructor(db: Database) {
    this.upsertSet = db.prepare(`
      INSERT INTO strategy_set (id, version, body, received_at) VALUES (1, @version, @body, @receivedAt)
      ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body, received_at = excluded.received_at`);
    this.selectSet = db.prepare('SELECT version, body FROM strategy_set WHERE id = 1');
    this.upsertDebtor = db.prepare(`
      INSERT INTO debtor_strategy (debtor_id, segment_name, treatment_id, strategy_version, assigned_at)
      VALUES (@debtorId, @segmentName, @treatmentId, @strategyVersion, @assignedAt)
      ON CONFLICT (debtor_id) DO UPDATE SET segment_name = excluded.segment_name, treatment_id = excluded.treatment_id,
        strategy_version = excluded.strategy_version, assigned_at = excluded.assigned_at`);
    this.selectDebtor = db.prepare('SELECT segment_name, treatment_id, strategy_version, assigned_at FROM debtor_strategy WHERE debtor_id = ?');
    this.selectDebtorIds = db.prepare('SELECT id FROM debtors');
  }

  /** Stores the published set; the caller has validated it. Every debtor's plan is recomputed on the next worklist read. */
  setStrategySet(version: string, set: unknown, receivedAt: string): void {
    this.upsertSet.run({ version, body: JSON.stringify(set), receivedAt });
  }

  /** Returns the stored set as JSON text for the caller to parse, or null before the first `strategy.set`. */
  strategySetJson(): { version: string; body: string } | null {
    return this.selectSet.get() ?? null;
  }

  /** Stores a debtor's strategy fields; runs after `DebtorStore.replace`, whose delete removed the previous row. */
  setDebtorStrategy(debtorId: string, fields: DebtorStrategyFields): void {
    this.upsertDebtor.run({ debtorId, ...fields });
  }

  /** Lists every debtor on the workstation, whose plans a new strategy set changes. */
  debtorIds(): string[] {
    return this.selectDebtorIds.all().map((row) => row.id);
  }

  debtorStrategy(debtorId: string): DebtorStrategyFields | null {
    const row = this.selectDebtor.get(debtorId);
    if (!row) return null;
    return { segmentName: row.segment_name, treatmentId: row.treatment_id, strategyVersion: row.strategy_version, assignedAt: row.assigned_at };
  }
}
