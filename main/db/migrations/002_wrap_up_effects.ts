/**
 * Effects of a typification that must outlive the next feed update, and the place for events the
 * server rejected.
 *
 * A flag or a revoked authorisation is kept apart from `contact_points` because a `debtor.upsert`
 * from the feed replaces the debtor's rows: the server may not have seen our event yet, and a
 * revocation must block at once (R7) whatever the feed says.
 */
export const sql = /* sql */ `
CREATE TABLE contact_point_flags (
  debtor_id TEXT NOT NULL,
  contact_point_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  interaction_id TEXT NOT NULL REFERENCES interactions (id),
  flagged_at TEXT NOT NULL,
  PRIMARY KEY (debtor_id, contact_point_id)
) STRICT;

-- a person revokes a channel, so every address of that channel is blocked from then on
CREATE TABLE channel_revocations (
  person_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  revoked_at TEXT NOT NULL,
  interaction_id TEXT NOT NULL REFERENCES interactions (id),
  PRIMARY KEY (person_id, channel)
) STRICT;

CREATE TABLE local_records (
  id TEXT PRIMARY KEY,
  interaction_id TEXT NOT NULL REFERENCES interactions (id),
  debtor_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('callback', 'promise', 'agreement', 'payment-check', 'collection-pause', 'strategy-stop')),
  due_at TEXT,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX local_records_by_debtor ON local_records (debtor_id, kind);

CREATE TABLE rejected_outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  payload TEXT NOT NULL,
  reason TEXT NOT NULL,
  rejected_at TEXT NOT NULL
) STRICT;
`;
