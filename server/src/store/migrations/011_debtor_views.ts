import type { Migration } from './types.ts';

/**
 * Views of a debtor's file (`debtor.viewed` events), kept for Ley 1581 accountability: who opened
 * the file, when and from which workstation. `leased` is 0 for a view by an agent who did not
 * hold the debtor's lease at that instant; such a view is stored all the same, as evidence.
 */
export const migration011: Migration = {
  version: 11,
  name: 'debtor-views',
  sql: `
    CREATE TABLE debtor_views (
      event_id TEXT PRIMARY KEY REFERENCES events(id),
      debtor_id TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      workstation_id TEXT NOT NULL,
      viewed_at TEXT NOT NULL,
      local_at TEXT NOT NULL,
      clock_offset_ms REAL NOT NULL,
      reason TEXT,
      leased INTEGER NOT NULL CHECK (leased IN (0, 1)),
      received_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX debtor_views_debtor ON debtor_views(debtor_id, viewed_at);
  `,
};
