/**
 * The local store as the first release ships it: session metadata, the leased debtors pulled from
 * the change feed, reference data, the contact ledger, gate decisions, attempts, interactions and
 * the outbox.
 *
 * Debtor children are keyed by (debtor_id, id) because ids come from creditors' files and are only
 * unique within one debtor. The ledger has no foreign key to debtors: its rows must outlive a
 * debtor's removal, since they still count toward the person's daily and weekly limits.
 */
export const sql = /* sql */ `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE debtors (
  id TEXT PRIMARY KEY,
  doc_type TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  full_name TEXT NOT NULL,
  -- lower-case, accents stripped: what the worklist search matches against
  search_name TEXT NOT NULL,
  city TEXT,
  segment TEXT NOT NULL,
  priority REAL NOT NULL,
  script_id TEXT NOT NULL,
  lease_until TEXT NOT NULL,
  lease_until_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX debtors_by_priority ON debtors (priority DESC, full_name, id);
CREATE INDEX debtors_by_lease ON debtors (lease_until_ms);

CREATE TABLE obligations (
  debtor_id TEXT NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  creditor TEXT NOT NULL,
  number TEXT NOT NULL,
  product TEXT NOT NULL,
  balance_cents INTEGER NOT NULL,
  overdue_cents INTEGER NOT NULL,
  days_past_due INTEGER NOT NULL,
  due_date TEXT,
  written_off INTEGER NOT NULL CHECK (written_off IN (0, 1)),
  PRIMARY KEY (debtor_id, id)
) STRICT;

CREATE TABLE persons (
  debtor_id TEXT NOT NULL REFERENCES debtors (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('debtor', 'co-obligor', 'reference')),
  doc_type TEXT,
  doc_number TEXT,
  full_name TEXT NOT NULL,
  relation TEXT,
  PRIMARY KEY (debtor_id, id)
) STRICT;

CREATE TABLE contact_points (
  debtor_id TEXT NOT NULL,
  id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  -- authorisation: all four NULL when none is on file
  auth_source TEXT,
  auth_granted_on TEXT,
  auth_evidence TEXT,
  auth_revoked_at TEXT,
  flagged TEXT,
  PRIMARY KEY (debtor_id, id),
  FOREIGN KEY (debtor_id, person_id) REFERENCES persons (debtor_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE scripts (
  id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE catalog (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  version TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE rule_pack (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  version TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE ledger (
  id TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('attempt', 'two-way')),
  at TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
  -- local entries only: the attempt that created the entry and, once typified, its result code
  attempt_id TEXT UNIQUE,
  code TEXT
) STRICT;
CREATE INDEX ledger_by_person ON ledger (person_id, at_ms);
CREATE INDEX ledger_by_debtor ON ledger (debtor_id, at_ms);

CREATE TABLE gate_decisions (
  id TEXT PRIMARY KEY,
  -- the renderer's idempotency key of the dial that asked for this decision
  request_id TEXT NOT NULL UNIQUE,
  debtor_id TEXT NOT NULL,
  person_id TEXT NOT NULL,
  contact_point_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  allowed INTEGER NOT NULL CHECK (allowed IN (0, 1)),
  rules TEXT NOT NULL,
  rule_pack_version TEXT NOT NULL,
  -- the gate request (the inputs that mattered) and the full decision, as JSON
  request TEXT NOT NULL,
  decision TEXT NOT NULL,
  history_size INTEGER NOT NULL,
  trusted_at TEXT NOT NULL,
  local_at TEXT NOT NULL,
  clock_offset_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  decision_id TEXT NOT NULL UNIQUE REFERENCES gate_decisions (id),
  debtor_id TEXT NOT NULL,
  debtor_name TEXT NOT NULL,
  person_id TEXT NOT NULL,
  person_name TEXT NOT NULL,
  party TEXT NOT NULL,
  contact_point_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  adapter TEXT NOT NULL,
  dialed_at TEXT NOT NULL,
  dialed_at_ms INTEGER NOT NULL,
  dial_outcome TEXT NOT NULL CHECK (dial_outcome IN ('dialing', 'placed', 'failed')),
  dial_uri TEXT,
  dial_error TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'closed')),
  closed_at TEXT
) STRICT;
-- wrap-up cannot be skipped: at most one attempt waits for its typification at any time
CREATE UNIQUE INDEX attempts_one_pending ON attempts (status) WHERE status = 'pending';

CREATE TABLE interactions (
  id TEXT PRIMARY KEY,
  attempt_id TEXT NOT NULL UNIQUE REFERENCES attempts (id),
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
  clock_offset_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX interactions_by_debtor ON interactions (debtor_id, typified_at);

-- seq is the event's per-workstation sequence number; AUTOINCREMENT never reuses a number,
-- even after the acknowledged rows are deleted
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  payload TEXT NOT NULL
) STRICT;
`;
