import type { Migration } from '../../migrations/types.ts';

/** The strategy's digital and field sends and their evidence log; see the SQLite migration 019. */
export const migration019: Migration = {
  version: 19,
  name: 'channel-sends',
  sql: `
    ALTER TABLE persons ADD COLUMN postal_address text;
    ALTER TABLE obligations ADD COLUMN visit_credit_type text CHECK (visit_credit_type IN ('microcredit', 'development', 'agricultural'));
    ALTER TABLE obligations ADD COLUMN visit_allowed integer NOT NULL DEFAULT 0 CHECK (visit_allowed IN (0, 1));

    CREATE TABLE channel_sends (
      id text COLLATE "C" PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      person_id text COLLATE "C" NOT NULL,
      activity_id text COLLATE "C" NOT NULL,
      occurrence_date calendar_date NOT NULL,
      channel text COLLATE "C" NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp', 'letter', 'visit')),
      strategy_version text,
      status text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'ready', 'sent', 'failed', 'blocked')),
      next_attempt_at utc_instant NOT NULL,
      attempts integer NOT NULL CHECK (attempts >= 0),
      claimed_by text,
      claim_expires_at utc_instant,
      contact_point_id text COLLATE "C",
      address text,
      body text,
      rule_pack_version text,
      rules text,
      last_error text,
      sent_at utc_instant,
      created_at utc_instant NOT NULL,
      updated_at utc_instant NOT NULL,
      UNIQUE (debtor_id, activity_id, occurrence_date)
    );
    CREATE INDEX channel_sends_open ON channel_sends(status, next_attempt_at);
    CREATE INDEX channel_sends_person ON channel_sends(person_id, sent_at);

    CREATE TABLE channel_send_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      send_id text COLLATE "C" NOT NULL REFERENCES channel_sends(id),
      at utc_instant NOT NULL,
      outcome text COLLATE "C" NOT NULL CHECK (outcome IN ('sent', 'ready', 'retry', 'failed', 'blocked', 'rescheduled')),
      rule_pack_version text,
      rules text NOT NULL,
      detail text NOT NULL,
      node_id text NOT NULL
    );
    CREATE INDEX channel_send_log_send ON channel_send_log(send_id, id);
  `,
};
