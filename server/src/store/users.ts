/** Users and their sessions. */
import { randomUUID } from 'node:crypto';
import type { Role, User } from '@gestiona/core/sync';
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

const toUser = (row: UserRow): User => ({ id: row.id, username: row.username, fullName: row.full_name, role: row.role });

export class UsersTable {
  constructor(private readonly sql: SqlConnection) {}

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
    await this.sql.run('INSERT INTO sessions (token_hash, user_id, workstation_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      session.tokenHash,
      session.userId,
      session.workstationId,
      session.createdAt.toISOString(),
      session.expiresAt.toISOString(),
    ]);
  }

  async findSession(tokenHash: string, now: Date): Promise<LiveSession | null> {
    const row = await this.sql.get<UserRow & { workstation_id: string; expires_at: string }>(
      `SELECT users.*, sessions.workstation_id, sessions.expires_at
       FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND users.active = 1`,
      [tokenHash, now.toISOString()],
    );
    return row ? { user: toUser(row), workstationId: row.workstation_id, expiresAt: row.expires_at } : null;
  }

  private byUsername(username: string): Promise<UserRow | undefined> {
    return this.sql.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
  }
}
