/**
 * The creditor's terms on each obligation, as the feed carries them: the dates prior notices of a
 * credit-bureau report were sent (R14), and the collection-fee schedule (R15). Rows from before
 * this version have no notices and no fee terms, which blocks both the report and any fee until
 * the next `debtor.upsert` brings them.
 */
export const sql = /* sql */ `
-- JSON array of YYYY-MM-DD dates, oldest first
ALTER TABLE obligations ADD COLUMN credit_report_notices TEXT NOT NULL DEFAULT '[]';
-- the three fee columns are all NULL when the creditor sent no fee terms
ALTER TABLE obligations ADD COLUMN fee_schedule_percent REAL;
ALTER TABLE obligations ADD COLUMN fee_disclosed INTEGER CHECK (fee_disclosed IN (0, 1));
ALTER TABLE obligations ADD COLUMN fee_in_litigation INTEGER CHECK (fee_in_litigation IN (0, 1));
`;
