import type { Migration } from '../../migrations/types.ts';

/**
 * The desk states each workstation reported, one row per change; see the SQLite migration 018.
 * `julianday(text)` gives the board's duration queries the SQLite function of the same name, so
 * that `(julianday(b) - julianday(a)) * 86400` is seconds in both databases.
 */
export const migration018: Migration = {
  version: 18,
  name: 'agent-state-changes',
  sql: `
    CREATE TABLE agent_state_changes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      workstation_id text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      state text COLLATE "C" NOT NULL CHECK (state IN ('available', 'on-call', 'wrap-up', 'paused', 'offline')),
      since utc_instant NOT NULL,
      reported_at utc_instant NOT NULL
    );
    CREATE INDEX agent_state_changes_workstation ON agent_state_changes(workstation_id, since);
    CREATE INDEX agent_state_changes_since ON agent_state_changes(since);
    CREATE INDEX interactions_dialed ON interactions(dialed_at);

    CREATE FUNCTION julianday(instant text) RETURNS double precision
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT EXTRACT(EPOCH FROM instant::timestamptz) / 86400.0 + 2440587.5 $$;
  `,
};
