import type { Migration } from './types.ts';

/**
 * Session renewal. A login opens a chain: its first session and a renewal token. Each renewal adds
 * a session and a renewal token to the chain and retires the token it used. Revoking the chain
 * (sign-out, or a retired renewal token presented again) ends every session and renewal token in it.
 * Sessions opened before this version have no chain and end only when they expire.
 */
export const migration007: Migration = {
  version: 7,
  name: 'session-renewal',
  sql: `
    CREATE TABLE session_chains (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id),
      workstation_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT,
      revoked_reason TEXT CHECK (revoked_reason IN ('logout', 'renewal-reused', 'wrong-workstation'))
    ) STRICT;
    CREATE INDEX session_chains_user ON session_chains(user_id);

    ALTER TABLE sessions ADD COLUMN chain_id TEXT REFERENCES session_chains(id);
    CREATE INDEX sessions_chain ON sessions(chain_id);

    -- Only the SHA-256 of each renewal token is stored. retired_at is set when the token was used
    -- once; presenting it again revokes its chain.
    CREATE TABLE renewal_tokens (
      token_hash TEXT PRIMARY KEY,
      chain_id TEXT NOT NULL REFERENCES session_chains(id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      retired_at TEXT
    ) STRICT;
    CREATE INDEX renewal_tokens_chain ON renewal_tokens(chain_id);
  `,
};
