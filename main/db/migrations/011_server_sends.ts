/**
 * The strategy activity occurrence that a server-sent contact carried out (`ledger.add` with
 * `activity`), so that the debtor's plan shows that occurrence as done. Both columns are NULL for
 * every other contact, and for server sends that reached the desk with the debtor's lease.
 *
 * Letters and visits of the dispatcher join the ledger with this version too. The `channel` column
 * has no CHECK constraint, so they need no change to the table.
 */
export const sql = /* sql */ `
ALTER TABLE ledger ADD COLUMN activity_id TEXT;
-- YYYY-MM-DD, the occurrence's date in the plan; set exactly when activity_id is
ALTER TABLE ledger ADD COLUMN activity_date TEXT CHECK ((activity_id IS NULL) = (activity_date IS NULL));
`;
