import type { Migration } from './types.ts';

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
      event_id TEXT PRIMARY KEY REFERENCES events(id),
      workstation_id TEXT NOT NULL,
      workstation_seq INTEGER NOT NULL,
      decision_id TEXT NOT NULL,
      chain_index INTEGER NOT NULL CHECK (chain_index > 0),
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      received_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX decision_links_chain ON decision_links(workstation_id, chain_index);

    CREATE TABLE alarms (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('chain-gap', 'chain-broken', 'chain-edited', 'violation', 'clock')),
      workstation_id TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      debtor_id TEXT,
      event_id TEXT,
      decision_id TEXT,
      detail TEXT NOT NULL,
      message TEXT NOT NULL,
      created_at TEXT NOT NULL,
      acknowledged_at TEXT,
      acknowledged_by TEXT
    ) STRICT;
    CREATE INDEX alarms_created ON alarms(created_at, id);
    CREATE INDEX alarms_debtor ON alarms(debtor_id);
    CREATE INDEX alarms_decision ON alarms(decision_id);

    -- The re-evaluation of each ingested contact reads the person's ledger and the decision's interactions.
    CREATE INDEX ledger_person_at ON ledger(person_id, at);
    CREATE INDEX interactions_decision ON interactions(decision_id);
  `,
};
