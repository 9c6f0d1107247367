import type { Migration } from '../../migrations/types.ts';

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
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file_name text NOT NULL,
      sha256 text NOT NULL,
      obligations integer NOT NULL,
      imported_by text,
      imported_at utc_instant NOT NULL
    );

    -- fee_basis_points is the schedule's percentage in hundredths of a percent (12.5 % is 1250), so
    -- both databases store it exactly. The three fee columns are all NULL when the file gave no schedule.
    CREATE TABLE obligation_terms (
      obligation_id text COLLATE "C" PRIMARY KEY REFERENCES obligations(id),
      first_notice_on calendar_date,
      second_notice_on calendar_date CHECK (second_notice_on IS NULL OR (first_notice_on IS NOT NULL AND second_notice_on > first_notice_on)),
      fee_basis_points integer CHECK (fee_basis_points BETWEEN 0 AND 10000),
      fee_disclosed integer CHECK (fee_disclosed IN (0, 1)),
      in_litigation integer CHECK (in_litigation IN (0, 1)),
      import_id bigint NOT NULL REFERENCES obligation_terms_imports(id),
      updated_at utc_instant NOT NULL,
      CHECK ((fee_basis_points IS NULL) = (fee_disclosed IS NULL) AND (fee_disclosed IS NULL) = (in_litigation IS NULL))
    );
  `,
};
