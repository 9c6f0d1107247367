import type { Migration } from './types.ts';

/**
 * Strategies published centrally (issue #5): the history of strategy sets, the strategy's segment,
 * treatment and version of each debtor, and the optional portfolio columns that segment rules read
 * (score on the debtor, origination features on each obligation).
 *
 * `debtors.segment` keeps its CHECK of the five factory values, because SQLite cannot drop a CHECK
 * without rebuilding the debtors table, and a rebuild inside the migration's transaction breaks the
 * foreign keys of every table that references debtors. It now holds the debtor's days-past-due band
 * (`core/src/segmentation.ts`); the strategy's segment slug lives in `segment_id`.
 */
export const migration013: Migration = {
  version: 13,
  name: 'strategies',
  sql: `
    ALTER TABLE debtors ADD COLUMN segment_id TEXT;
    ALTER TABLE debtors ADD COLUMN segment_name TEXT;
    ALTER TABLE debtors ADD COLUMN treatment_id TEXT;
    ALTER TABLE debtors ADD COLUMN strategy_version TEXT;
    -- When the debtor entered its current segment: day 0 of the timeline's 'assignment' anchor.
    ALTER TABLE debtors ADD COLUMN segment_assigned_at TEXT;
    ALTER TABLE debtors ADD COLUMN score REAL;

    -- Until the first strategy is published (at the next start), each debtor stays in the factory
    -- segment of its band, which the default strategy reproduces.
    UPDATE debtors SET segment_id = segment, segment_assigned_at = updated_at,
      segment_name = CASE segment WHEN 'preventiva' THEN 'Preventiva' WHEN 'temprana' THEN 'Temprana' WHEN 'media' THEN 'Media'
                                  WHEN 'tardia' THEN 'Tardía' ELSE 'Castigada' END;
    CREATE INDEX debtors_segment ON debtors(segment_id, treatment_id);

    ALTER TABLE obligations ADD COLUMN origination_channel TEXT;
    ALTER TABLE obligations ADD COLUMN origination_city TEXT;
    ALTER TABLE obligations ADD COLUMN origination_date TEXT;
    ALTER TABLE obligations ADD COLUMN origination_amount_cents INTEGER;

    -- One row per publication, like rule_packs. moved: debtors whose segment changed with it.
    CREATE TABLE strategy_versions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      version TEXT NOT NULL,
      strategy TEXT NOT NULL,
      -- SHA-256 of the strategy.set feed entry, the same hash that published_content keeps.
      sha256 TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('resources', 'admin')),
      published_by TEXT REFERENCES users(id),
      published_at TEXT NOT NULL,
      reason TEXT,
      change_seq INTEGER NOT NULL,
      debtors INTEGER NOT NULL,
      moved INTEGER NOT NULL,
      CHECK ((source = 'admin') = (published_by IS NOT NULL))
    ) STRICT;
    CREATE INDEX strategy_versions_version ON strategy_versions(version);
  `,
};
