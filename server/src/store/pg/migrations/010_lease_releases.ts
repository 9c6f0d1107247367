import type { Migration } from '../../migrations/types.ts';

/**
 * Release acknowledgements. A workstation that removed a debtor from its worklist after a feed
 * `debtor.remove` sends a `lease.released` event, stored here once per lease and workstation.
 * `leases.release_confirmed_at` is set when every workstation that may still hold the debtor has
 * sent one: from then on another agent may receive the debtor, before the lease's own end.
 */
export const migration010: Migration = {
  version: 10,
  name: 'lease-releases',
  sql: `
    ALTER TABLE leases ADD COLUMN release_confirmed_at utc_instant;

    CREATE TABLE lease_release_confirmations (
      lease_id bigint NOT NULL REFERENCES leases(id),
      workstation_id text COLLATE "C" NOT NULL,
      event_id text COLLATE "C" NOT NULL REFERENCES events(id),
      confirmed_at utc_instant NOT NULL,
      PRIMARY KEY (lease_id, workstation_id)
    );
  `,
};
