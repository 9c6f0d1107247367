import type { Migration } from './types.ts';

/**
 * The strategy's digital and field activities that the server sends (`server/src/channels`): one
 * row per debtor, activity and occurrence date, so that the unique key makes each one go out once,
 * also when two server nodes run the dispatcher. A node claims a row by setting `claimed_by` and
 * `claim_expires_at` in one UPDATE, so a crashed node's claim lapses and another node retries it.
 * `channel_send_log` keeps every gate decision and delivery outcome as evidence.
 *
 * `persons.postal_address` is where letters and field visits go. `obligations.visit_credit_type`
 * and `visit_allowed` are the facts that R13 needs before a field visit: the credit type and the
 * creditor's explicit permission.
 */
export const migration019: Migration = {
  version: 19,
  name: 'channel-sends',
  sql: `
    ALTER TABLE persons ADD COLUMN postal_address TEXT;
    ALTER TABLE obligations ADD COLUMN visit_credit_type TEXT CHECK (visit_credit_type IN ('microcredit', 'development', 'agricultural'));
    ALTER TABLE obligations ADD COLUMN visit_allowed INTEGER NOT NULL DEFAULT 0 CHECK (visit_allowed IN (0, 1));

    CREATE TABLE channel_sends (
      id TEXT PRIMARY KEY,
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      person_id TEXT NOT NULL,
      activity_id TEXT NOT NULL,
      occurrence_date TEXT NOT NULL,
      channel TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp', 'letter', 'visit')),
      strategy_version TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'sent', 'failed', 'blocked')),
      next_attempt_at TEXT NOT NULL,
      attempts INTEGER NOT NULL CHECK (attempts >= 0),
      claimed_by TEXT,
      claim_expires_at TEXT,
      contact_point_id TEXT,
      address TEXT,
      body TEXT,
      rule_pack_version TEXT,
      rules TEXT,
      last_error TEXT,
      sent_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      UNIQUE (debtor_id, activity_id, occurrence_date)
    ) STRICT;
    CREATE INDEX channel_sends_open ON channel_sends(status, next_attempt_at);
    CREATE INDEX channel_sends_person ON channel_sends(person_id, sent_at);

    CREATE TABLE channel_send_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      send_id TEXT NOT NULL REFERENCES channel_sends(id),
      at TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'ready', 'retry', 'failed', 'blocked', 'rescheduled')),
      rule_pack_version TEXT,
      rules TEXT NOT NULL,
      detail TEXT NOT NULL,
      node_id TEXT NOT NULL
    ) STRICT;
    CREATE INDEX channel_send_log_send ON channel_send_log(send_id, id);
  `,
};
