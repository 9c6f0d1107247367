import type { Migration } from '../../migrations/types.ts';

/**
 * Where a person lives and the hours they asked to be contacted at: the time zone and country of
 * residence the portfolio file gives, and the R9 schedule requests creditors send apart from it.
 */
export const migration006: Migration = {
  version: 6,
  name: 'schedule requests',
  sql: `
    ALTER TABLE persons ADD COLUMN time_zone text;
    ALTER TABLE persons ADD COLUMN residence_country text;
    -- A schedule request names the person by document; it applies to every debtor file that person is in.
    CREATE INDEX persons_document ON persons(doc_type, doc_number);

    -- Requests are kept by document, not by person id, because a re-import may delete and recreate
    -- the person rows while the request stays valid. A newer request sets replaced_at on the older one.
    CREATE TABLE schedule_requests (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      doc_type text NOT NULL CHECK (doc_type IN ('CC', 'CE', 'NIT', 'PA', 'TI')),
      doc_number text NOT NULL,
      windows text NOT NULL,
      requested_on text NOT NULL,
      contract_signed_on text NOT NULL,
      evidence text NOT NULL,
      consumer_initiated integer NOT NULL CHECK (consumer_initiated IN (0, 1)),
      file_name text NOT NULL,
      sha256 text NOT NULL,
      line integer NOT NULL,
      imported_by text,
      received_at utc_instant NOT NULL,
      replaced_at utc_instant
    );
    CREATE INDEX schedule_requests_person ON schedule_requests(doc_type, doc_number, id);
    CREATE UNIQUE INDEX schedule_requests_current ON schedule_requests(doc_type, doc_number) WHERE replaced_at IS NULL;
  `,
};
