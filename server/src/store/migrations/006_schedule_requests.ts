import type { Migration } from './types.ts';

/**
 * Where a person lives and the hours they asked to be contacted at: the time zone and country of
 * residence the portfolio file gives, and the R9 schedule requests creditors send apart from it.
 */
export const migration006: Migration = {
  version: 6,
  name: 'schedule requests',
  sql: `
    ALTER TABLE persons ADD COLUMN time_zone TEXT;
    ALTER TABLE persons ADD COLUMN residence_country TEXT;
    -- A schedule request names the person by document; it applies to every debtor file that person is in.
    CREATE INDEX persons_document ON persons(doc_type, doc_number);

    -- Requests are kept by document, not by person id, because a re-import may delete and recreate
    -- the person rows while the request stays valid. A newer request sets replaced_at on the older one.
    CREATE TABLE schedule_requests (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      doc_type TEXT NOT NULL CHECK (doc_type IN ('CC', 'CE', 'NIT', 'PA', 'TI')),
      doc_number TEXT NOT NULL,
      windows TEXT NOT NULL,
      requested_on TEXT NOT NULL,
      contract_signed_on TEXT NOT NULL,
      evidence TEXT NOT NULL,
      consumer_initiated INTEGER NOT NULL CHECK (consumer_initiated IN (0, 1)),
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      line INTEGER NOT NULL,
      imported_by TEXT,
      received_at TEXT NOT NULL,
      replaced_at TEXT
    ) STRICT;
    CREATE INDEX schedule_requests_person ON schedule_requests(doc_type, doc_number, id);
    CREATE UNIQUE INDEX schedule_requests_current ON schedule_requests(doc_type, doc_number) WHERE replaced_at IS NULL;
  `,
};
