import type { Migration } from '../../migrations/types.ts';

/**
 * Accounts, sessions and the imported portfolio: debtors with their obligations, persons and
 * contact points. The same tables as the SQLite schema, so both stores share their queries:
 *
 * - Instants are ISO-8601 UTC text with milliseconds (`utc_instant`), compared as text. The
 *   domain checks the format and uses the "C" collation, because only a fixed format compared
 *   byte by byte sorts in time order.
 * - Identifiers and other keys the queries sort by use the "C" collation, so that rows come back
 *   in the same order as from SQLite, whatever collation the database was created with.
 * - Flags are 0/1 integers, JSON documents are text, and amounts in cents are bigint.
 */
export const migration001: Migration = {
  version: 1,
  name: 'portfolio',
  sql: `
    CREATE DOMAIN utc_instant AS text COLLATE "C"
      CHECK (VALUE ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$');
    CREATE DOMAIN calendar_date AS text COLLATE "C"
      CHECK (VALUE ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$');

    CREATE TABLE users (
      id text COLLATE "C" PRIMARY KEY,
      username text COLLATE "C" NOT NULL UNIQUE,
      full_name text NOT NULL,
      role text NOT NULL CHECK (role IN ('agent', 'team-lead', 'admin')),
      password_hash text NOT NULL,
      active integer NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
      created_at utc_instant NOT NULL
    );

    -- Only the SHA-256 of a session token is stored, so a copy of the database logs nobody in.
    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id text COLLATE "C" NOT NULL REFERENCES users(id),
      workstation_id text NOT NULL,
      created_at utc_instant NOT NULL,
      expires_at utc_instant NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id);

    CREATE TABLE debtors (
      id text COLLATE "C" PRIMARY KEY,
      doc_type text NOT NULL CHECK (doc_type IN ('CC', 'CE', 'NIT', 'PA', 'TI')),
      doc_number text NOT NULL,
      full_name text NOT NULL,
      city text,
      segment text NOT NULL CHECK (segment IN ('preventiva', 'temprana', 'media', 'tardia', 'castigada')),
      priority double precision NOT NULL,
      script_id text NOT NULL,
      total_balance_cents bigint NOT NULL,
      max_days_past_due integer NOT NULL,
      created_at utc_instant NOT NULL,
      updated_at utc_instant NOT NULL,
      UNIQUE (doc_type, doc_number)
    );
    CREATE INDEX debtors_priority ON debtors(priority DESC, id);

    CREATE TABLE obligations (
      id text COLLATE "C" PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      creditor text COLLATE "C" NOT NULL,
      number text COLLATE "C" NOT NULL,
      product text NOT NULL,
      balance_cents bigint NOT NULL CHECK (balance_cents >= 0),
      overdue_cents bigint NOT NULL CHECK (overdue_cents >= 0),
      days_past_due integer NOT NULL,
      due_date calendar_date,
      written_off integer NOT NULL CHECK (written_off IN (0, 1)),
      updated_at utc_instant NOT NULL,
      UNIQUE (creditor, number)
    );
    CREATE INDEX obligations_debtor ON obligations(debtor_id);

    CREATE TABLE persons (
      id text COLLATE "C" PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      role text NOT NULL CHECK (role IN ('debtor', 'co-obligor', 'reference')),
      doc_type text,
      doc_number text,
      full_name text NOT NULL,
      relation text,
      position integer NOT NULL
    );
    CREATE INDEX persons_debtor ON persons(debtor_id);

    -- flagged and auth_revoked_at are set by work on the debtor, not by the file, so a re-import keeps them.
    CREATE TABLE contact_points (
      id text COLLATE "C" PRIMARY KEY,
      person_id text COLLATE "C" NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
      channel text NOT NULL CHECK (channel IN ('voice', 'sms', 'email', 'whatsapp')),
      address text NOT NULL,
      auth_source text,
      auth_granted_on calendar_date,
      auth_evidence text,
      auth_revoked_at utc_instant,
      flagged text,
      position integer NOT NULL
    );
    CREATE INDEX contact_points_person ON contact_points(person_id);

    CREATE TABLE imports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file_name text NOT NULL,
      sha256 text NOT NULL,
      debtors integer NOT NULL,
      debtors_created integer NOT NULL,
      obligations integer NOT NULL,
      obligations_created integer NOT NULL,
      imported_by text,
      imported_at utc_instant NOT NULL
    );
  `,
};
