/**
 * The hash chain over the gate decisions, two more facts about each decision (the workstation rule
 * that blocked it and the age of the clock measurement), and the clock jumps the workstation detected.
 *
 * Decisions stored before this migration stay outside the chain: the chain starts at index 1 with
 * the first decision made after it.
 */
export const sql = /* sql */ `
-- one row per decision, in the order the decisions were made; see core's evidence-chain.ts for the hash
CREATE TABLE decision_chain (
  chain_index INTEGER PRIMARY KEY CHECK (chain_index >= 1),
  decision_id TEXT NOT NULL UNIQUE REFERENCES gate_decisions (id),
  prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK (length(hash) = 64),
  -- the hashed content: canonical JSON of the decision.recorded payload without its chain link
  content TEXT NOT NULL
) STRICT;

-- A change of agent deletes the chain rows, because they name the previous agent's debtors and
-- persons, but the chain goes on. So the last link lives here, together with the link just before
-- the first row still stored (index 0 and 64 zeros until the first wipe).
CREATE TABLE decision_chain_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  head_index INTEGER NOT NULL CHECK (head_index >= 0),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  base_index INTEGER NOT NULL CHECK (base_index >= 0),
  base_hash TEXT NOT NULL CHECK (length(base_hash) = 64)
) STRICT;

-- a check of the workstation itself, not a legal rule, that blocked the contact ('CLOCK': untrusted clock)
ALTER TABLE gate_decisions ADD COLUMN workstation_rule TEXT CHECK (workstation_rule IN ('CLOCK'));
-- trusted time of the last server measurement of the clock before the decision; null when there was none
ALTER TABLE gate_decisions ADD COLUMN clock_synced_at TEXT;

CREATE TABLE clock_jumps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('running', 'restart')),
  -- trusted time and the machine's clock at the detection
  detected_at TEXT NOT NULL,
  local_at TEXT NOT NULL,
  -- positive when the machine's clock moved forward
  jump_ms INTEGER NOT NULL
) STRICT;
`;
