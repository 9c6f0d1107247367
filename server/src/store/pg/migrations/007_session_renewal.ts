import type { Migration } from '../../migrations/types.ts';

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
      id text COLLATE "C" PRIMARY KEY,
      user_id text COLLATE "C" NOT NULL REFERENCES users(id),
      workstation_id text COLLATE "C" NOT NULL,
      created_at utc_instant NOT NULL,
      revoked_at utc_instant,
      revoked_reason text CHECK (revoked_reason IN ('logout', 'renewal-reused', 'wrong-workstation'))
    );
    CREATE INDEX session_chains_user ON session_chains(user_id);

    ALTER TABLE sessions ADD COLUMN chain_id text COLLATE "C" REFERENCES session_chains(id);
    CREATE INDEX sessions_chain ON sessions(chain_id);

    -- Only the SHA-256 of each renewal token is stored. retired_at is set when the token was used
    -- once; presenting it again revokes its chain.
    CREATE TABLE renewal_tokens (
      token_hash text PRIMARY KEY,
      chain_id text COLLATE "C" NOT NULL REFERENCES session_chains(id),
      created_at utc_instant NOT NULL,
      expires_at utc_instant NOT NULL,
      retired_at utc_instant
    );
    CREATE INDEX renewal_tokens_chain ON renewal_tokens(chain_id);
  `,
};
