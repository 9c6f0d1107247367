import type { Migration } from './types.ts';

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
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      version TEXT NOT NULL,
      catalog TEXT NOT NULL,
      -- SHA-256 of the catalog.set feed entry, the same hash that published_content keeps.
      sha256 TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('resources', 'admin')),
      published_by TEXT REFERENCES users(id),
      published_at TEXT NOT NULL,
      reason TEXT,
      change_seq INTEGER NOT NULL,
      CHECK ((source = 'admin') = (published_by IS NOT NULL))
    ) STRICT;
    CREATE INDEX catalog_versions_version ON catalog_versions(version);

    -- The catalog already published from the resources folder becomes the first entry of the history.
    INSERT INTO catalog_versions (version, catalog, sha256, source, published_by, published_at, reason, change_seq)
      SELECT published_content.version, changes.payload, published_content.sha256, 'resources', NULL,
             published_content.published_at, NULL, published_content.change_seq
      FROM published_content JOIN changes ON changes.seq = published_content.change_seq
      WHERE published_content.key = 'catalog';

    -- A hold is in force while lifted_at is null; at most one per debtor and kind.
    CREATE TABLE collection_holds (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      debtor_id TEXT NOT NULL REFERENCES debtors(id),
      kind TEXT NOT NULL CHECK (kind IN ('dispute', 'stopped')),
      code TEXT NOT NULL,
      since TEXT NOT NULL,
      interaction_id TEXT NOT NULL,
      agent_id TEXT NOT NULL REFERENCES users(id),
      recorded_at TEXT NOT NULL,
      lifted_at TEXT,
      lifted_by TEXT REFERENCES users(id),
      lift_reason TEXT,
      CHECK ((lifted_at IS NULL) = (lifted_by IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX collection_holds_active ON collection_holds(debtor_id, kind) WHERE lifted_at IS NULL;
    CREATE INDEX collection_holds_debtor ON collection_holds(debtor_id, id);
  `,
};
