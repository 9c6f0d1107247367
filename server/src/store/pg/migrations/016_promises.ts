import type { Migration } from '../../migrations/types.ts';

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
      id text COLLATE "C" PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('promise', 'agreement')),
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      interaction_id text COLLATE "C" NOT NULL UNIQUE REFERENCES interactions(id),
      agent_id text NOT NULL,
      code text NOT NULL,
      -- JSON array of obligation ids, at least one
      obligation_ids text NOT NULL,
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      collection_fee_cents integer CHECK (collection_fee_cents >= 0),
      made_at utc_instant NOT NULL,
      -- Bogotá date of made_at
      made_on calendar_date NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'kept', 'partly-kept', 'broken')),
      paid_cents integer NOT NULL CHECK (paid_cents >= 0),
      excess_cents integer NOT NULL CHECK (excess_cents >= 0),
      status_changed_at utc_instant NOT NULL,
      status_reason text NOT NULL,
      created_at utc_instant NOT NULL
    );
    CREATE INDEX promises_debtor ON promises(debtor_id);

    CREATE TABLE promise_instalments (
      promise_id text COLLATE "C" NOT NULL REFERENCES promises(id),
      number integer NOT NULL CHECK (number >= 1),
      due_on calendar_date NOT NULL,
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      paid_cents integer NOT NULL CHECK (paid_cents >= 0),
      status text NOT NULL CHECK (status IN ('pending', 'kept', 'partly-kept', 'broken')),
      PRIMARY KEY (promise_id, number)
    );
    CREATE INDEX promise_instalments_open ON promise_instalments(due_on) WHERE status = 'pending';

    -- instalment NULL: the promise as a whole. from_status NULL: the promise was just made.
    CREATE TABLE promise_status_changes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      promise_id text COLLATE "C" NOT NULL REFERENCES promises(id),
      instalment integer,
      from_status text,
      to_status text NOT NULL,
      changed_at utc_instant NOT NULL,
      -- Bogotá date of changed_at, for the board's figures of a day
      changed_on calendar_date NOT NULL,
      cause text NOT NULL CHECK (cause IN ('typified', 'payments-import', 'grace-ended')),
      reason text NOT NULL
    );
    CREATE INDEX promise_status_changes_promise ON promise_status_changes(promise_id, id);
    CREATE INDEX promise_status_changes_day ON promise_status_changes(changed_on, to_status);

    CREATE TABLE payment_imports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file_name text NOT NULL,
      sha256 text NOT NULL,
      rows_read integer NOT NULL,
      stored integer NOT NULL,
      duplicates integer NOT NULL,
      imported_by text,
      imported_at utc_instant NOT NULL
    );

    -- unmatched_reason: why no promise received the payment, NULL when one did.
    CREATE TABLE payments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      creditor text NOT NULL,
      reference text NOT NULL,
      obligation_id text COLLATE "C" NOT NULL REFERENCES obligations(id),
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      paid_on calendar_date NOT NULL,
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      import_id bigint NOT NULL REFERENCES payment_imports(id),
      line integer NOT NULL,
      promise_id text COLLATE "C" REFERENCES promises(id),
      excess_cents integer NOT NULL CHECK (excess_cents >= 0),
      unmatched_reason text CHECK (unmatched_reason IN ('no-promise', 'before-promise', 'after-grace')),
      created_at utc_instant NOT NULL,
      UNIQUE (creditor, reference)
    );
    CREATE INDEX payments_debtor ON payments(debtor_id);

    CREATE TABLE payment_allocations (
      payment_id bigint NOT NULL REFERENCES payments(id),
      promise_id text COLLATE "C" NOT NULL,
      instalment integer NOT NULL,
      amount_cents integer NOT NULL CHECK (amount_cents > 0),
      PRIMARY KEY (payment_id, promise_id, instalment),
      FOREIGN KEY (promise_id, instalment) REFERENCES promise_instalments(promise_id, number)
    );
    CREATE INDEX payment_allocations_promise ON payment_allocations(promise_id);
  `,
};
