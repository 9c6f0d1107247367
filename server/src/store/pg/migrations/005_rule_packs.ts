import type { Migration } from '../../migrations/types.ts';

/**
 * History of the rule packs published to the workstations. The server re-evaluates each contact
 * under the pack that was in force at its instant, and keeps the resources file from overriding a
 * pack that an administrator published.
 */
export const migration005: Migration = {
  version: 5,
  name: 'rule_packs',
  sql: `
    -- One row per publication. A version may appear twice only with the same content (sha256), when a
    -- pack is published again; the store checks that before inserting.
    CREATE TABLE rule_packs (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      version text COLLATE "C" NOT NULL,
      pack text NOT NULL,
      -- SHA-256 of the rulepack.set feed entry, the same hash that published_content keeps.
      sha256 text NOT NULL,
      source text NOT NULL CHECK (source IN ('resources', 'admin')),
      published_by text COLLATE "C" REFERENCES users(id),
      published_at utc_instant NOT NULL,
      reason text,
      change_seq bigint NOT NULL,
      CHECK ((source = 'admin') = (published_by IS NOT NULL))
    );
    CREATE INDEX rule_packs_version ON rule_packs(version);
    CREATE INDEX rule_packs_published ON rule_packs(published_at, id);

    -- The pack already published from the resources folder becomes the first entry of the history.
    INSERT INTO rule_packs (version, pack, sha256, source, published_by, published_at, reason, change_seq)
      SELECT published_content.version, changes.payload, published_content.sha256, 'resources', NULL,
             published_content.published_at, NULL, published_content.change_seq
      FROM published_content JOIN changes ON changes.seq = published_content.change_seq
      WHERE published_content.key = 'rulepack';
  `,
};
