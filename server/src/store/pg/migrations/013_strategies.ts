import type { Migration } from '../../migrations/types.ts';

/**
 * Strategies published centrally (issue #5): the history of strategy sets, the strategy's segment,
 * treatment and version of each debtor, and the optional portfolio columns that segment rules read
 * (score on the debtor, origination features on each obligation).
 *
 * `debtors.segment` keeps its CHECK of the five factory values, as in SQLite (which cannot drop it
 * without rebuilding the table): it now holds the debtor's days-past-due band
 * (`core/src/segmentation.ts`); the strategy's segment slug lives in `segment_id`.
 */
export const migration013: Migration = {
  version: 13,
  name: 'strategies',
  sql: `
    ALTER TABLE debtors ADD COLUMN segment_id text COLLATE "C";
    ALTER TABLE debtors ADD COLUMN segment_name text;
    ALTER TABLE debtors ADD COLUMN treatment_id text COLLATE "C";
    ALTER TABLE debtors ADD COLUMN strategy_version text COLLATE "C";
    -- When the debtor entered its current segment: day 0 of the timeline's 'assignment' anchor.
    ALTER TABLE debtors ADD COLUMN segment_assigned_at utc_instant;
    ALTER TABLE debtors ADD COLUMN score double precision;

    -- Until the first strategy is published (at the next start), each debtor stays in the factory
    -- segment of its band, which the default strategy reproduces.
    UPDATE debtors SET segment_id = segment, segment_assigned_at = updated_at,
      segment_name = CASE segment WHEN 'preventiva' THEN 'Preventiva' WHEN 'temprana' THEN 'Temprana' WHEN 'media' THEN 'Media'
                                  WHEN 'tardia' THEN 'Tardía' ELSE 'Castigada' END;
    CREATE INDEX debtors_segment ON debtors(segment_id, treatment_id);

    ALTER TABLE obligations ADD COLUMN origination_channel text;
    ALTER TABLE obligations ADD COLUMN origination_city text;
    ALTER TABLE obligations ADD COLUMN origination_date calendar_date;
    ALTER TABLE obligations ADD COLUMN origination_amount_cents bigint;

    -- One row per publication, like rule_packs. moved: debtors whose segment changed with it.
    CREATE TABLE strategy_versions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version text COLLATE "C" NOT NULL,
      strategy text NOT NULL,
      -- SHA-256 of the strategy.set feed entry, the same hash that published_content keeps.
      sha256 text NOT NULL,
      source text NOT NULL CHECK (source IN ('resources', 'admin')),
      published_by text COLLATE "C" REFERENCES users(id),
      published_at utc_instant NOT NULL,
      reason text,
      change_seq bigint NOT NULL,
      debtors integer NOT NULL,
      moved integer NOT NULL,
      CHECK ((source = 'admin') = (published_by IS NOT NULL))
    );
    CREATE INDEX strategy_versions_version ON strategy_versions(version);
  `,
};
