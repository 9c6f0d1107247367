import type { Migration } from '../../migrations/types.ts';

/**
 * Compliance evidence kept by the server: the chain link of each chained decision it stored, the
 * alarms raised by the chain check and by the server's re-evaluation of the contact rules, and the
 * indexes that re-evaluation reads through.
 */
export const migration004: Migration = {
  version: 4,
  name: 'evidence',
  sql: `
    -- One row per stored decision that carried a chain link. chain_index is not unique, because a
    -- replayed index is stored as evidence next to the original and raises an alarm instead.
    CREATE TABLE decision_links (
      event_id text COLLATE "C" PRIMARY KEY REFERENCES events(id),
      workstation_id text COLLATE "C" NOT NULL,
      workstation_seq bigint NOT NULL,
      decision_id text COLLATE "C" NOT NULL,
      chain_index bigint NOT NULL CHECK (chain_index > 0),
      prev_hash text NOT NULL,
      hash text NOT NULL,
      received_at utc_instant NOT NULL
    );
    CREATE INDEX decision_links_chain ON decision_links(workstation_id, chain_index);

    CREATE TABLE alarms (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('chain-gap', 'chain-broken', 'chain-edited', 'violation', 'clock')),
      workstation_id text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL,
      debtor_id text COLLATE "C",
      event_id text COLLATE "C",
      decision_id text COLLATE "C",
      detail text NOT NULL,
      message text NOT NULL,
      created_at utc_instant NOT NULL,
      acknowledged_at utc_instant,
      acknowledged_by text
    );
    CREATE INDEX alarms_created ON alarms(created_at, id);
    CREATE INDEX alarms_debtor ON alarms(debtor_id);
    CREATE INDEX alarms_decision ON alarms(decision_id);

    -- The re-evaluation of each ingested contact reads the person's ledger and the decision's interactions.
    CREATE INDEX ledger_person_at ON ledger(person_id, at);
    CREATE INDEX interactions_decision ON interactions(decision_id);
  `,
};
