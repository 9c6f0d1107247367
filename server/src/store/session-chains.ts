/**
 * Session chains and renewal tokens. A chain is one login on one workstation: every session and
 * renewal token issued from it, until it is revoked or its last renewal token expires.
 */
import type { Role, User } from '@gestiona/core/sync';
import type { SqlConnection } from './sql.ts';

export type ChainRevocationReason = 'logout' | 'renewal-reused' | 'wrong-workstation';

/** A renewal token with its chain and user, as a renewal reads them. */
export interface RenewalTokenRecord {
  chainId: string;
  workstationId: string;
  user: User;
  userActive: boolean;
  /** ISO instants. */
  expiresAt: string;
  retiredAt: string | null;
  revokedAt: string | null;
}

/** The chain of a session, as sign-out reads it; `chainId` is null for a session opened before renewal existed. */
export interface SessionOwner {
  chainId: string | null;
  userId: string;
  workstationId: string;
}

interface RenewalRow {
  chain_id: string;
  workstation_id: string;
  user_id: string;
  username: string;
  full_name: string;
  role: Role;
  active: number;
  expires_at: string;
  retired_at: string | null;
  revoked_at: string | null;
}

/** Rows that a purge of expired sessions deleted. */
export interface PurgedSessions {
  sessions: number;
  renewalTokens: number;
  chains: number;
}

export class SessionChainsTable {
  constructor(private readonly sql: SqlConnection) {}

  async createChain(chainId: string, userId: string, workstationId: string, now: Date): Promise<void> {
    await this.sql.run('INSERT INTO session_chains (id, user_id, workstation_id, created_at) VALUES (?, ?, ?, ?)', [chainId, userId, workstationId, now.toISOString()]);
  }

  async addRenewalToken(tokenHash: string, chainId: string, now: Date, expiresAt: Date): Promise<void> {
    await this.sql.run('INSERT INTO renewal_tokens (token_hash, chain_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      tokenHash,
      chainId,
      now.toISOString(),
      expiresAt.toISOString(),
    ]);
  }

  async findRenewalToken(tokenHash: string): Promise<RenewalTokenRecord | null> {
    const row = await this.sql.get<RenewalRow>(
      `SELECT renewal_tokens.chain_id, session_chains.workstation_id, users.id AS user_id, users.username, users.full_name, users.role, users.active,
              renewal_tokens.expires_at, renewal_tokens.retired_at, session_chains.revoked_at
       FROM renewal_tokens
       JOIN session_chains ON session_chains.id = renewal_tokens.chain_id
       JOIN users ON users.id = session_chains.user_id
       WHERE renewal_tokens.token_hash = ?`,
      [tokenHash],
    );
    if (!row) return null;
    return {
      chainId: row.chain_id,
      workstationId: row.workstation_id,
      user: { id: row.user_id, username: row.username, fullName: row.full_name, role: row.role },
      userActive: row.active === 1,
      expiresAt: row.expires_at,
      retiredAt: row.retired_at,
      revokedAt: row.revoked_at,
    };
  }

  /** Marks a renewal token as used; returns false when another renewal retired it first. */
  async retireRenewalToken(tokenHash: string, now: Date): Promise<boolean> {
    return (await this.sql.run('UPDATE renewal_tokens SET retired_at = ? WHERE token_hash = ? AND retired_at IS NULL', [now.toISOString(), tokenHash])) === 1;
  }

  /** Revokes a chain once; the first reason is kept. Returns whether this call revoked it. */
  async revokeChain(chainId: string, reason: ChainRevocationReason, now: Date): Promise<boolean> {
    const changed = await this.sql.run('UPDATE session_chains SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL', [
      now.toISOString(),
      reason,
      chainId,
    ]);
    return changed === 1;
  }

  async sessionOwner(tokenHash: string): Promise<SessionOwner | null> {
    const row = await this.sql.get<{ chain_id: string | null; user_id: string; workstation_id: string }>(
      'SELECT chain_id, user_id, workstation_id FROM sessions WHERE token_hash = ?',
      [tokenHash],
    );
    return row ? { chainId: row.chain_id, userId: row.user_id, workstationId: row.workstation_id } : null;
  }

  /**
   * Deletes sessions and renewal tokens that expired before `cutoff`, then the chains left with
   * neither. Returns how many rows of each went.
   */
  async purgeExpired(cutoff: Date): Promise<PurgedSessions> {
    const instant = cutoff.toISOString();
    const sessions = await this.sql.run('DELETE FROM sessions WHERE expires_at < ?', [instant]);
    const renewalTokens = await this.sql.run('DELETE FROM renewal_tokens WHERE expires_at < ?', [instant]);
    const chains = await this.sql.run(
      `DELETE FROM session_chains
       WHERE created_at < ?
         AND NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.chain_id = session_chains.id)
         AND NOT EXISTS (SELECT 1 FROM renewal_tokens WHERE renewal_tokens.chain_id = session_chains.id)`,
      [instant],
    );
    return { sessions, renewalTokens, chains };
  }

  /** Ends one session now, for sessions without a chain to revoke. */
  async expireSession(tokenHash: string, now: Date): Promise<void> {
    await this.sql.run('UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at > ?', [now.toISOString(), tokenHash, now.toISOString()]);
  }
}
