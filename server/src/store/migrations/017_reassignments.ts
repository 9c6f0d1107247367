import type { Migration } from './types.ts';

/**
 * Reassignments of debtors between agents requested by a team lead or an administrator from the
 * board: who asked, when, from which agent and lease to which agent and lease. The new lease waits
 * for its handover (see `leases/handover.ts`), so the row is the history of the request, and its
 * state (pending or done) is read from the two leases.
 */
export const migration017: Migration = {
  version: 17,
  name: 'reassignments',
  sql: `
    CREATE TABLE reassignments (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      from_agent_id TEXT REFERENCES users(id),
      from_lease_id INTEGER REFERENCES leases(id),
      to_agent_id TEXT NOT NULL REFERENCES users(id),
      to_lease_id INTEGER NOT NULL REFERENCES leases(id),
      requested_by TEXT NOT NULL REFERENCES users(id),
      requested_at TEXT NOT NULL,
      CHECK ((from_agent_id IS NULL) = (from_lease_id IS NULL))
    ) STRICT;
    CREATE INDEX reassignments_debtor ON reassignments(debtor_id, id);
    CREATE INDEX reassignments_requested_at ON reassignments(requested_at);
  `,
};
