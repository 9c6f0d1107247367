import type { Migration } from '../../migrations/types.ts';

/**
 * History of the typification catalogs published to the workstations, and the collection holds
 * that some typifications start: a dispute pauses collection of the debtor, a deceased debtor stops
 * the strategy, until a team lead or an administrator lifts the hold.
 */
export const migration015: Migration = {
  version: 15,
  name: 'catalog_versions',
  sql: `
    -- One row per publication. A version may appear twice only with the same content (sha256).
    CREATE TABLE catalog_versions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version text COLLATE "C" NOT NULL,
      catalog text NOT NULL,
      -- SHA-256 of the catalog.set feed entry, the same hash that published_content keeps.
      sha256 text NOT NULL,
      source text NOT NULL CHECK (source IN ('resources', 'admin')),
      published_by text COLLATE "C" REFERENCES users(id),
      published_at utc_instant NOT NULL,
      reason text,
      change_seq bigint NOT NULL,
      CHECK ((source = 'admin') = (published_by IS NOT NULL))
    );
    CREATE INDEX catalog_versions_version ON catalog_versions(version);

    -- The catalog already published from the resources folder becomes the first entry of the history.
    INSERT INTO catalog_versions (version, catalog, sha256, source, published_by, published_at, reason, change_seq)
      SELECT published_content.version, changes.payload, published_content.sha256, 'resources', NULL,
             published_content.published_at, NULL, published_content.change_seq
      FROM published_content JOIN changes ON changes.seq = published_content.change_seq
      WHERE published_content.key = 'catalog';

    -- A hold is in force while lifted_at is null; at most one per debtor and kind.
    CREATE TABLE collection_holds (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      debtor_id text COLLATE "C" NOT NULL REFERENCES debtors(id),
      kind text NOT NULL CHECK (kind IN ('dispute', 'stopped')),
      code text COLLATE "C" NOT NULL,
      since utc_instant NOT NULL,
      interaction_id text COLLATE "C" NOT NULL,
      agent_id text COLLATE "C" NOT NULL REFERENCES users(id),
      recorded_at utc_instant NOT NULL,
      lifted_at utc_instant,
      lifted_by text COLLATE "C" REFERENCES users(id),
      lift_reason text,
      CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
    );
    CREATE UNIQUE INDEX collection_holds_active ON collection_holds(debtor_id, kind) WHERE lifted_at IS NULL;
    CREATE INDEX collection_holds_debtor ON collection_holds(debtor_id, id);
  `,
};
