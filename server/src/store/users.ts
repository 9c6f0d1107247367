/** Users and their sessions. */
import { randomUUID } from 'node:crypto';
import type { Role, User } from '@gestiona/core/sync';
import { SessionChainsTable } from './session-chains.ts';
import type { SqlConnection } from './sql.ts';
import type { LiveSession, NewSession, UserCredentials } from './types.ts';

interface UserRow {
  id: string;
  username: string;
  full_name: string;
  role: Role;
  password_hash: string;
  active: number;
}

/** The user, sessions and renewal chains that disabling a user ended. */
export interface DisabledUser {
  user: User;
  /** Workstations that held a live session or an open renewal chain of the user. */
  workstationIds: string[];
  revokedChains: number;
  endedSessions: number;
}

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, fullName: row.full_name, role: row.role });

export class UsersTable {
  readonly chains: SessionChainsTable;

  constructor(private readonly sql: SqlConnection) {
    this.chains = new SessionChainsTable(sql);
  }

  async create(username: string, fullName: string, role: Role, passwordHash: string, now: Date): Promise<User> {
    const id = randomUUID();
    await this.sql.run('INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      username,
      fullName,
      role,
      passwordHash,
      now.toISOString(),
    ]);
    return { id, username, fullName, role };
  }

  async credentials(username: string): Promise<UserCredentials | null> {
    const row = await this.byUsername(username);
    return row ? { user: toUser(row), passwordHash: row.password_hash, active: row.active === 1 } : null;
  }

  async get(userId: string): Promise<User | null> {
    const row = await this.sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
    return row ? toUser(row) : null;
  }

  async getActiveAgent(userId: string): Promise<User | null> {
    const row = await this.sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [userId]);
    return row && row.role === 'agent' && row.active === 1 ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const row = await this.byUsername(username);
    return row ? toUser(row) : null;
  }

  async list(): Promise<User[]> {
    return (await this.sql.all<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }

  async listActiveAgents(): Promise<User[]> {
    return (await this.sql.all<UserRow>("SELECT * FROM users WHERE role = 'agent' AND active = 1 ORDER BY username")).map(toUser);
  }

  async createSession(session: NewSession): Promise<void> {
    await this.sql.run('INSERT INTO sessions (token_hash, user_id, workstation_id, created_at, expires_at, chain_id) VALUES (?, ?, ?, ?, ?, ?)', [
      session.tokenHash,
      session.userId,
      session.workstationId,
      session.createdAt.toISOString(),
      session.expiresAt.toISOString(),
      session.chainId ?? null,
    ]);
  }

  async findSession(tokenHash: string, now: Date): Promise<LiveSession | null> {
    const row = await this.sql.get<UserRow & { workstation_id: string; expires_at: string }>(
      `SELECT users.*, sessions.workstation_id, sessions.expires_at
       FROM sessions JOIN users ON users.id = sessions.user_id
       LEFT JOIN session_chains ON session_chains.id = sessions.chain_id
       WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND users.active = 1 AND session_chains.revoked_at IS NULL`,
      [tokenHash, now.toISOString()],
    );
    return row ? { user: toUser(row), workstationId: row.workstation_id, expiresAt: row.expires_at } : null;
  }

  /** Enables or disables a login; returns false when no user has that username. */
  async setActive(username: string, active: boolean): Promise<boolean> {
    return (await this.sql.run('UPDATE users SET active = ? WHERE username = ?', [active ? 1 : 0, username])) === 1;
  }

  /**
   * Disables a login, ends its live sessions and revokes its open renewal chains, so that enabling
   * the user later does not bring back a session issued before. Returns the user and the
   * workstations that held a live session or an open chain, or null for an unknown username.
   * Run it in a transaction.
   */
  async disable(username: string, now: Date): Promise<DisabledUser | null> {
    const row = await this.byUsername(username);
    if (!row) return null;
    const instant = now.toISOString();

    const workstations = await this.sql.all<{ workstation_id: string }>(
      `SELECT workstation_id FROM sessions WHERE user_id = ? AND expires_at > ?
       UNION SELECT workstation_id FROM session_chains WHERE user_id = ? AND revoked_at IS NULL
       ORDER BY workstation_id`,
      [row.id, instant, row.id],
    );
    await this.sql.run('UPDATE users SET active = 0 WHERE id = ?', [row.id]);
    // NOTE: revoked_reason stays NULL because its CHECK allows only logout, renewal-reused and
    // wrong-workstation. A renewal on a revoked chain of an inactive user is refused as
    // user-inactive, so the workstation still learns that the user was disabled.
    const revokedChains = await this.sql.run('UPDATE session_chains SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', [instant, row.id]);
    const endedSessions = await this.sql.run('UPDATE sessions SET expires_at = ? WHERE user_id = ? AND expires_at > ?', [instant, row.id, instant]);
    return { user: toUser(row), workstationIds: workstations.map((item) => item.workstation_id), revokedChains, endedSessions };
  }

  private byUsername(username: string): Promise<UserRow | undefined> {
    return this.sql.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  }
}
