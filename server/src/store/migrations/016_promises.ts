import type { Migration } from './types.ts';

/**
 * Promises and instalment agreements made in typifications, the creditor's payments files, and the
 * reconciliation of one with the other. A promise is stored as an agreement of one instalment.
 * Every status change is kept with when and why; the current status sits on the promise and on
 * each instalment, and `payment_allocations` says which payment paid which instalment.
 */
export const migration016: Migration = {
  version: 16,
  name: 'promises',
  sql: `
    CREATE TABLE promises (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('promise', 'agreement')),
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      interaction_id TEXT NOT NULL UNIQUE REFERENCES interactions(id),
      agent_id TEXT NOT NULL,
      code TEXT NOT NULL,
      -- JSON array of obligation ids, at least one
      obligation_ids TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      collection_fee_cents INTEGER CHECK (collection_fee_cents >= 0),
      made_at TEXT NOT NULL,
      -- Bogotá date of made_at
      made_on TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'kept', 'partly-kept', 'broken')),
      paid_cents INTEGER NOT NULL CHECK (paid_cents >= 0),
      excess_cents INTEGER NOT NULL CHECK (excess_cents >= 0),
      status_changed_at TEXT NOT NULL,
      status_reason TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX promises_debtor ON promises(debtor_id);

    CREATE TABLE promise_instalments (
      promise_id TEXT NOT NULL REFERENCES promises(id),
      number INTEGER NOT NULL CHECK (number >= 1),
      due_on TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      paid_cents INTEGER NOT NULL CHECK (paid_cents >= 0),
      status TEXT NOT NULL CHECK (status IN ('pending', 'kept', 'partly-kept', 'broken')),
      PRIMARY KEY (promise_id, number)
    ) STRICT;
    CREATE INDEX promise_instalments_open ON promise_instalments(due_on) WHERE status = 'pending';

    -- instalment NULL: the promise as a whole. from_status NULL: the promise was just made.
    CREATE TABLE promise_status_changes (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      promise_id TEXT NOT NULL REFERENCES promises(id),
      instalment INTEGER,
      from_status TEXT,
      to_status TEXT NOT NULL,
      changed_at TEXT NOT NULL,
      -- Bogotá date of changed_at, for the board's figures of a day
      changed_on TEXT NOT NULL,
      cause TEXT NOT NULL CHECK (cause IN ('typified', 'payments-import', 'grace-ended')),
      reason TEXT NOT NULL
    ) STRICT;
    CREATE INDEX promise_status_changes_promise ON promise_status_changes(promise_id, id);
    CREATE INDEX promise_status_changes_day ON promise_status_changes(changed_on, to_status);

    CREATE TABLE payment_imports (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      file_name TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      rows_read INTEGER NOT NULL,
      stored INTEGER NOT NULL,
      duplicates INTEGER NOT NULL,
      imported_by TEXT,
      imported_at TEXT NOT NULL
    ) STRICT;

    -- unmatched_reason: why no promise received the payment, NULL when one did.
    CREATE TABLE payments (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      creditor TEXT NOT NULL,
      reference TEXT NOT NULL,
      obligation_id TEXT NOT NULL REFERENCES obligations(id),
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      paid_on TEXT NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      import_id INTEGER NOT NULL REFERENCES payment_imports(id),
      line INTEGER NOT NULL,
      promise_id TEXT REFERENCES promises(id),
      excess_cents INTEGER NOT NULL CHECK (excess_cents >= 0),
      unmatched_reason TEXT CHECK (unmatched_reason IN ('no-promise', 'before-promise', 'after-grace')),
      created_at TEXT NOT NULL,
      UNIQUE (creditor, reference)
    ) STRICT;
    CREATE INDEX payments_debtor ON payments(debtor_id);

    CREATE TABLE payment_allocations (
      payment_id INTEGER NOT NULL REFERENCES payments(id),
      promise_id TEXT NOT NULL,
      instalment INTEGER NOT NULL,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      PRIMARY KEY (payment_id, promise_id, instalment),
      FOREIGN KEY (promise_id, instalment) REFERENCES promise_instalments(promise_id, number)
    ) STRICT;
    CREATE INDEX payment_allocations_promise ON payment_allocations(promise_id);
  `,
};
