/**
 * Offline sign-in: the verifier of the last agent who signed in online on this workstation, and
 * the count of wrong offline passwords, kept across restarts so that a restart does not lift a lock.
 */
export const sql = /* sql */ `
CREATE TABLE offline_sign_in (
  -- one row at most: only the last agent to sign in online has their debtors on this machine
  id INTEGER PRIMARY KEY CHECK (id = 1),
  -- the user as the server returned it at sign-in, JSON
  user_json TEXT NOT NULL,
  -- scrypt$N$r$p$salt$hash of the password; never the password
  verifier TEXT NOT NULL,
  -- trusted time of that online sign-in, ISO
  signed_in_online_at TEXT NOT NULL,
  -- JSON array of the trusted times (epoch ms) of recent wrong offline passwords
  failures TEXT NOT NULL DEFAULT '[]',
  locked_until_ms INTEGER
) STRICT;
`;
