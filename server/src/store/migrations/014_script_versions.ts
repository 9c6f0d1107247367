import type { Migration } from './types.ts';

/**
 * History of the call scripts published to the workstations: every version of every script, who
 * published it, when and why. Once an administrator has published a script, the resources file of
 * that script no longer publishes at start (factory default, like the rule pack).
 */
export const migration014: Migration = {
  version: 14,
  name: 'script_versions',
  sql: `
    -- One row per publication. A script's version may appear twice only with the same content (sha256).
    CREATE TABLE script_versions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      script_id TEXT NOT NULL,
      version TEXT NOT NULL,
      script TEXT NOT NULL,
      -- SHA-256 of the script.set feed entry, the same hash that published_content keeps.
      sha256 TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('resources', 'admin')),
      published_by TEXT REFERENCES users(id),
      published_at TEXT NOT NULL,
      reason TEXT,
      change_seq INTEGER NOT NULL,
      CHECK ((source = 'admin') = (published_by IS NOT NULL))
    ) STRICT;
    CREATE INDEX script_versions_script ON script_versions(script_id, id);
    CREATE INDEX script_versions_version ON script_versions(script_id, version);

    -- The scripts already published from the resources folder become the first entries of the history.
    INSERT INTO script_versions (script_id, version, script, sha256, source, published_by, published_at, reason, change_seq)
      SELECT substr(published_content.key, 8), published_content.version, changes.payload, published_content.sha256, 'resources', NULL,
             published_content.published_at, NULL, published_content.change_seq
      FROM published_content JOIN changes ON changes.seq = published_content.change_seq
      WHERE published_content.key LIKE 'script:%'
      ORDER BY published_content.change_seq;
  `,
};
