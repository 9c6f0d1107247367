import type { Migration } from '../../migrations/types.ts';

/** Leases, the change feed, ingested events with their projections, and workstations. */
export const migration002: Migration = {
  version: 2,
  name: 'sync',
  sql: `
    -- Leases are never deleted: ingest checks that an agent held the debtor when an event occurred.
    -- A lease is open while released_at is NULL; the partial unique index makes a second open
    -- lease for a debtor impossible, whatever the code above it does, and on every server node.
    CREATE TABLE leases (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      agent_id text COLLATE "C" NOT NULL REFERENCES users(id),
      granted_at utc_instant NOT NULL,
      expires_at utc_instant NOT NULL,
      released_at utc_instant,
      release_reason text CHECK (release_reason IN ('released', 'expired', 'renewed', 'reassigned')),
      CHECK (expires_at > granted_at),
      CHECK ((released_at IS NULL) = (release_reason IS NULL))
    );
    CREATE UNIQUE INDEX leases_one_open_per_debtor ON leases(debtor_id) WHERE released_at IS NULL;
    CREATE INDEX leases_open_by_agent ON leases(agent_id) WHERE released_at IS NULL;
    CREATE INDEX leases_history ON leases(debtor_id, agent_id, granted_at);

    -- agent_id NULL: an entry for every workstation (catalog, scripts, rule pack). A rolled-back
    -- transaction leaves a gap in seq, which cursors skip over harmlessly; the store makes seqs
    -- commit in order, so a gap is never filled later.
    CREATE TABLE changes (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      agent_id text COLLATE "C",
      type text NOT NULL,
      payload text NOT NULL,
      created_at utc_instant NOT NULL
    );
    CREATE INDEX changes_agent_seq ON changes(agent_id, seq);

    -- What was last published to the feed from the resources folder, so a restart republishes only changes.
    CREATE TABLE published_content (
      key text COLLATE "C" PRIMARY KEY,
      sha256 text NOT NULL,
      version text NOT NULL,
      change_seq bigint NOT NULL,
      published_at utc_instant NOT NULL
    );

    CREATE TABLE events (
      id text COLLATE "C" PRIMARY KEY,
      type text NOT NULL,
      workstation_id text NOT NULL,
      workstation_seq bigint NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      debtor_id text COLLATE "C" NOT NULL,
      occurred_at utc_instant NOT NULL,
      received_at utc_instant NOT NULL,
      payload text NOT NULL
    );
    CREATE INDEX events_workstation ON events(workstation_id, workstation_seq);

    CREATE TABLE decisions (
      id text COLLATE "C" PRIMARY KEY,
      event_id text COLLATE "C" NOT NULL REFERENCES events(id),
      debtor_id text COLLATE "C" NOT NULL,
      person_id text COLLATE "C" NOT NULL,
      contact_point_id text NOT NULL,
      channel text NOT NULL,
      allowed integer NOT NULL CHECK (allowed IN (0, 1)),
      rules text NOT NULL,
      rule_pack_version text NOT NULL,
      trusted_at utc_instant NOT NULL,
      local_at utc_instant NOT NULL,
      clock_offset_ms double precision NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      workstation_id text NOT NULL
    );
    CREATE INDEX decisions_debtor ON decisions(debtor_id, trusted_at);

    CREATE TABLE interactions (
      id text COLLATE "C" PRIMARY KEY,
      event_id text COLLATE "C" NOT NULL REFERENCES events(id),
      attempt_id text NOT NULL,
      decision_id text NOT NULL,
      debtor_id text COLLATE "C" NOT NULL,
      person_id text COLLATE "C" NOT NULL,
      contact_point_id text NOT NULL,
      channel text NOT NULL,
      adapter text NOT NULL,
      code text NOT NULL,
      compliance_class text NOT NULL,
      kind text NOT NULL,
      fields text NOT NULL,
      note text,
      catalog_version text NOT NULL,
      dialed_at utc_instant NOT NULL,
      typified_at utc_instant NOT NULL,
      local_typified_at utc_instant NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      workstation_id text NOT NULL
    );
    CREATE INDEX interactions_debtor ON interactions(debtor_id, dialed_at);

    -- Fleet-wide contact ledger: every contact that counts toward a person's daily and weekly limits.
    CREATE TABLE ledger (
      id text COLLATE "C" PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL,
      person_id text COLLATE "C" NOT NULL,
      channel text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('attempt', 'two-way')),
      at utc_instant NOT NULL,
      agent_id text COLLATE "C",
      event_id text COLLATE "C"
    );
    CREATE INDEX ledger_debtor_at ON ledger(debtor_id, at);

    CREATE TABLE rejected_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id text,
      workstation_id text NOT NULL,
      agent_id text NOT NULL,
      code text NOT NULL,
      reason text NOT NULL,
      raw text NOT NULL,
      received_at utc_instant NOT NULL
    );

    CREATE TABLE workstations (
      id text COLLATE "C" PRIMARY KEY,
      agent_id text COLLATE "C" NOT NULL,
      connected integer NOT NULL CHECK (connected >= 0),
      last_seen_at utc_instant NOT NULL,
      state text,
      state_reported_at utc_instant
    );
  `,
};
