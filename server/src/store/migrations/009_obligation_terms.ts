import type { Migration } from './types.ts';

/**
 * The creditor's terms of each obligation, imported from a file of their own: the dates prior
 * notices of a credit-bureau report were sent (R14), and the collection-fee schedule (R15). An
 * obligation without a row has no notice and no fee terms, which blocks both the report and any fee.
 */
export const migration009: Migration = {
  version: 9,
  name: 'obligation-terms',
  sql: `
    CREATE TABLE obligation_terms_imports (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      obligations INTEGER NOT NULL,
      imported_by TEXT,
      imported_at TEXT NOT NULL
    ) STRICT;

    -- fee_basis_points is the schedule's percentage in hundredths of a percent (12.5 % is 1250), so
    -- both databases store it exactly. The three fee columns are all NULL when the file gave no schedule.
    CREATE TABLE obligation_terms (
      obligation_id TEXT PRIMARY KEY REFERENCES obligations(id),
      first_notice_on TEXT,
      second_notice_on TEXT CHECK (second_notice_on IS NULL OR (first_notice_on IS NOT NULL AND second_notice_on > first_notice_on)),
      fee_basis_points INTEGER CHECK (fee_basis_points BETWEEN 0 AND 10000),
      fee_disclosed INTEGER CHECK (fee_disclosed IN (0, 1)),
      in_litigation INTEGER CHECK (in_litigation IN (0, 1)),
      import_id INTEGER NOT NULL REFERENCES obligation_terms_imports(id),
      updated_at TEXT NOT NULL,
      CHECK ((fee_basis_points IS NULL) = (fee_disclosed IS NULL) AND (fee_disclosed IS NULL) = (in_litigation IS NULL))
    ) STRICT;
  `,
};
