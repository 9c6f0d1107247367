import type { Migration } from '../../migrations/types.ts';

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
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      from_agent_id text COLLATE "C" REFERENCES users(id),
      from_lease_id bigint REFERENCES leases(id),
      to_agent_id text COLLATE "C" NOT NULL REFERENCES users(id),
      to_lease_id bigint NOT NULL REFERENCES leases(id),
      requested_by text COLLATE "C" NOT NULL REFERENCES users(id),
      requested_at utc_instant NOT NULL,
      CHECK ((from_agent_id IS NULL) = (from_lease_id IS NULL))
    );
    CREATE INDEX reassignments_debtor ON reassignments(debtor_id, id);
    CREATE INDEX reassignments_requested_at ON reassignments(requested_at);
  `,
};
