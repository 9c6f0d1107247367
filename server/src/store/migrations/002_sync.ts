import type { Migration } from './types.ts';

/** Leases, the change feed, ingested events with their projections, and workstations. */
export const migration002: Migration = {
  version: 2,
  name: 'sync',
  sql: `
    -- Leases are never deleted: ingest checks that an agent held the debtor when an event occurred.
    -- A lease is open while released_at is NULL; the partial unique index makes a second open
    -- lease for a debtor impossible, whatever the code above it does.
    CREATE TABLE leases (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      agent_id TEXT NOT NULL REFERENCES users(id),
      granted_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      released_at TEXT,
      release_reason TEXT CHECK (release_reason IN ('released', 'expired', 'renewed', 'reassigned')),
      CHECK (expires_at > granted_at),
      CHECK ((released_at IS NULL) = (release_reason IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX leases_one_open_per_debtor ON leases(debtor_id) WHERE released_at IS NULL;
    CREATE INDEX leases_open_by_agent ON leases(agent_id) WHERE released_at IS NULL;
    CREATE INDEX leases_history ON leases(debtor_id, agent_id, granted_at);

    -- agent_id NULL: an entry for every workstation (catalog, scripts, rule pack).
    CREATE TABLE changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      agent_id TEXT,
      type TEXT NOT NULL,
      payload TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX changes_agent_seq ON changes(agent_id, seq);

    -- What was last published to the feed from the resources folder, so a restart republishes only changes.
    CREATE TABLE published_content (
      key TEXT PRIMARY KEY,
      sha256 TEXT NOT NULL,
      version TEXT NOT NULL,
      change_seq INTEGER NOT NULL,
      published_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE events (
      id TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      workstation_id TEXT NOT NULL,
      workstation_seq INTEGER NOT NULL,
      agent_id TEXT NOT NULL,
      debtor_id TEXT NOT NULL,
      occurred_at TEXT NOT NULL,
      received_at TEXT NOT NULL,
      payload TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_workstation ON events(workstation_id, workstation_seq);

    CREATE TABLE decisions (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL REFERENCES events(id),
      debtor_id TEXT NOT NULL,
      person_id TEXT NOT NULL,
      contact_point_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
      rules TEXT NOT NULL,
      rule_pack_version TEXT NOT NULL,
      trusted_at TEXT NOT NULL,
      local_at TEXT NOT NULL,
      clock_offset_ms REAL NOT NULL,
      agent_id TEXT NOT NULL,
      workstation_id TEXT NOT NULL
    ) STRICT;
    CREATE INDEX decisions_debtor ON decisions(debtor_id, trusted_at);

    CREATE TABLE interactions (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL REFERENCES events(id),
      attempt_id TEXT NOT NULL,
      decision_id TEXT NOT NULL,
      debtor_id TEXT NOT NULL,
      person_id TEXT NOT NULL,
      contact_point_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      adapter TEXT NOT NULL,
      code TEXT NOT NULL,
      compliance_class TEXT NOT NULL,
      kind TEXT NOT NULL,
      fields TEXT NOT NULL,
      note TEXT,
      catalog_version TEXT NOT NULL,
      dialed_at TEXT NOT NULL,
      typified_at TEXT NOT NULL,
      local_typified_at TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      workstation_id TEXT NOT NULL
    ) STRICT;
    CREATE INDEX interactions_debtor ON interactions(debtor_id, dialed_at);

    -- Fleet-wide contact ledger: every contact that counts toward a person's daily and weekly limits.
    CREATE TABLE ledger (
      id TEXT PRIMARY KEY,
      debtor_id TEXT NOT NULL,
      person_id TEXT NOT NULL,
      channel TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('attempt', 'two-way')),
      at TEXT NOT NULL,
      agent_id TEXT,
      event_id TEXT
    ) STRICT;
    CREATE INDEX ledger_debtor_at ON ledger(debtor_id, at);

    CREATE TABLE rejected_events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT,
      workstation_id TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      code TEXT NOT NULL,
      reason TEXT NOT NULL,
      raw TEXT NOT NULL,
      received_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE workstations (
      id TEXT PRIMARY KEY,
      agent_id TEXT NOT NULL,
      connected INTEGER NOT NULL CHECK (connected >= 0),
      last_seen_at TEXT NOT NULL,
      state TEXT,
      state_reported_at TEXT
    ) STRICT;
  `,
};
