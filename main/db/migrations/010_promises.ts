/**
 * Promises, agreements and payments as the server tracks them (`promise.upsert`, `payment.add`),
 * for the worklist's follow-ups and the debtor's timeline. Each row keeps the feed's snapshot as
 * JSON beside the columns the queries filter on. Rows outlive the debtor's snapshot, which the
 * feed replaces by delete and insert; they go when the debtor is removed or the agent signs out.
 */
export const sql = /* sql */ `
CREATE TABLE promises (
  id TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'kept', 'partly-kept', 'broken')),
  -- PromiseSnapshot as JSON
  snapshot TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX promises_by_debtor ON promises (debtor_id);

-- One row per instalment (a promise has one), for the follow-ups due on a day.
CREATE TABLE promise_instalments (
  promise_id TEXT NOT NULL REFERENCES promises (id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  debtor_id TEXT NOT NULL,
  due_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'kept', 'partly-kept', 'broken')),
  PRIMARY KEY (promise_id, number)
) STRICT;
CREATE INDEX promise_instalments_by_due ON promise_instalments (due_on, debtor_id);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL,
  paid_on TEXT NOT NULL,
  -- PaymentSnapshot as JSON
  snapshot TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX payments_by_debtor ON payments (debtor_id);
`;
