import type { Migration } from './types.ts';

/** Accounts, sessions and the imported portfolio: debtors with their obligations, persons and contact points. */
export const migration001: Migration = {
  version: 1,
  name: 'portfolio',
  sql: `
    CREATE TABLE users (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      full_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('agent', 'team-lead', 'admin')),
      password_hash TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at TEXT NOT NULL
    ) STRICT;

    -- Only the SHA-256 of a session token is stored, so a copy of the database logs nobody in.
    CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      workstation_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sessions_user ON sessions(user_id);

    CREATE TABLE debtors (
      id TEXT PRIMARY KEY,
      doc_type TEXT NOT NULL CHECK (doc_type IN ('CC', 'CE', 'NIT', 'PA', 'TI')),
      doc_number TEXT NOT NULL,
      full_name TEXT NOT NULL,
      city TEXT,
      segment TEXT NOT NULL CHECK (segment IN ('preventiva', 'temprana', 'media', 'tardia', 'castigada')),
      priority REAL NOT NULL,
      script_id TEXT NOT NULL,
      total_balance_cents INTEGER NOT NULL,
      max_days_past_due INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (doc_type, doc_number)
    ) STRICT;
    CREATE INDEX debtors_priority ON debtors(priority DESC, id);

    CREATE TABLE obligations (
      id TEXT PRIMARY KEY,
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      creditor TEXT NOT NULL,
      number TEXT NOT NULL,
      product TEXT NOT NULL,
      balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0),
      overdue_cents INTEGER NOT NULL CHECK (overdue_cents >= 0),
      days_past_due INTEGER NOT NULL,
      due_date TEXT,
      written_off INTEGER NOT NULL CHECK (written_off IN (0, 1)),
      updated_at TEXT NOT NULL,
      UNIQUE (creditor, number)
    ) STRICT;
    CREATE INDEX obligations_debtor ON obligations(debtor_id);

    CREATE TABLE persons (
      id TEXT PRIMARY KEY,
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      role TEXT NOT NULL CHECK (role IN ('debtor', 'co-obligor', 'reference')),
      doc_type TEXT,
      doc_number TEXT,
      full_name TEXT NOT NULL,
      relation TEXT,
      position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX persons_debtor ON persons(debtor_id);

    -- flagged and auth_revoked_at are set by work on the debtor, not by the file, so a re-import keeps them.
    CREATE TABLE contact_points (
      id TEXT PRIMARY KEY,
      person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
      channel TEXT NOT NULL CHECK (channel IN ('voice', 'sms', 'email', 'whatsapp')),
      address TEXT NOT NULL,
      auth_source TEXT,
      auth_granted_on TEXT,
      auth_evidence TEXT,
      auth_revoked_at TEXT,
      flagged TEXT,
      position INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX contact_points_person ON contact_points(person_id);

    CREATE TABLE imports (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      debtors INTEGER NOT NULL,
      debtors_created INTEGER NOT NULL,
      obligations INTEGER NOT NULL,
      obligations_created INTEGER NOT NULL,
      imported_by TEXT,
      imported_at TEXT NOT NULL
    ) STRICT;
  `,
};
