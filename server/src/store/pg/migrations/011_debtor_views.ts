import type { Migration } from '../../migrations/types.ts';

/**
 * Views of a debtor's file (`debtor.viewed` events), kept for Ley 1581 accountability: who opened
 * the file, when and from which workstation. `leased` is false for a view by an agent who did not
 * hold the debtor's lease at that instant; such a view is stored all the same, as evidence.
 */
export const migration011: Migration = {
  version: 11,
  name: 'debtor-views',
  sql: `
    CREATE TABLE debtor_views (
      event_id text COLLATE "C" PRIMARY KEY REFERENCES events(id),
      debtor_id text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      workstation_id text COLLATE "C" NOT NULL,
      viewed_at utc_instant NOT NULL,
      local_at utc_instant NOT NULL,
      clock_offset_ms double precision NOT NULL,
      reason text,
      leased integer NOT NULL CHECK (leased IN (0, 1)),
      received_at utc_instant NOT NULL
    );
    CREATE INDEX debtor_views_debtor ON debtor_views(debtor_id, viewed_at);
  `,
};
