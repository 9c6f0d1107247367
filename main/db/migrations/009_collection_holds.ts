/**
 * Collection holds: a dispute pauses collection of a debtor, a deceased debtor stops the
 * strategy. While a hold lasts the debtor is out of the call queue and no dial is allowed. A hold
 * starts with the wrap-up that typified it here, or arrives from the server (`hold.set`), which
 * also lifts it. Rows keep only ids, codes and instants, like the ledger, and outlive the debtor's
 * snapshot, which the feed replaces by delete and insert.
 */
export const sql = /* sql */ `
CREATE TABLE collection_holds (
  debtor_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('dispute', 'stopped')),
  code TEXT NOT NULL,
  since TEXT NOT NULL,
  -- The local interaction that started it; null for a hold the server sent.
  interaction_id TEXT,
  PRIMARY KEY (debtor_id, kind)
) STRICT;
`;
