import type { Migration } from './types.ts';

/**
 * The desk states each workstation reported, one row per change (state or start), so that the
 * board can tell how long today's wrap-ups lasted: a wrap-up ends where the workstation's next
 * row starts. A disconnection is stored as `offline`. Instants are UTC ISO text.
 */
export const migration018: Migration = {
  version: 18,
  name: 'agent-state-changes',
  sql: `
    CREATE TABLE agent_state_changes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      workstation_id TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('available', 'on-call', 'wrap-up', 'paused', 'offline')),
      since TEXT NOT NULL,
      reported_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX agent_state_changes_workstation ON agent_state_changes(workstation_id, since);
    CREATE INDEX agent_state_changes_since ON agent_state_changes(since);
    CREATE INDEX interactions_dialed ON interactions(dialed_at);
  `,
};
