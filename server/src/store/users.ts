/** Users and their sessions. */
import { randomUUID } from 'node:crypto';
import type { Role, User } from '@gestiona/core/sync';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
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
  private readonly insert: Statement<[string, string, string, Role, string, string]>;
  private readonly byUsername: Statement<[string], UserRow>;
  private readonly byId: Statement<[string], UserRow>;
  private readonly all: Statement<[], UserRow>;
  private readonly activeAgents: Statement<[], UserRow>;
  private readonly insertSession: Statement<[string, string, string, string, string]>;
  private readonly liveSession: Statement<[string, string], UserRow & { workstation_id: string; expires_at: string }>;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.byUsername = db.prepare('SELECT * FROM users WHERE username = ?');
    this.byId = db.prepare('SELECT * FROM users WHERE id = ?');
    this.all = db.prepare('SELECT * FROM users ORDER BY username');
    this.activeAgents = db.prepare("SELECT * FROM users WHERE role = 'agent' AND active = 1 ORDER BY username");
    this.insertSession = db.prepare(
      'INSERT INTO sessions (token_hash, user_id, workstation_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.liveSession = db.prepare(
      `SELECT users.*, sessions.workstation_id, sessions.expires_at
       FROM sessions JOIN users ON users.id = sessions.user_id
       WHERE sessions.token_hash = ? AND sessions.expires_at > ? AND users.active = 1`,
    );
  }

  create(username: string, fullName: string, role: Role, passwordHash: string, now: Date): User {
    const id = randomUUID();
    this.insert.run(id, username, fullName, role, passwordHash, now.toISOString());
    return { id, username, fullName, role };
  }

  credentials(username: string): UserCredentials | null {
    const row = this.byUsername.get(username);
    return row ? { user: toUser(row), passwordHash: row.password_hash, active: row.active === 1 } : null;
  }

  get(userId: string): User | null {
    const row = this.byId.get(userId);
    return row ? toUser(row) : null;
  }

  getActiveAgent(userId: string): User | null {
    const row = this.byId.get(userId);
    return row && row.role === 'agent' && row.active === 1 ? toUser(row) : null;
  }

  findByUsername(username: string): User | null {
    const row = this.byUsername.get(username);
    return row ? toUser(row) : null;
  }

  list(): User[] {
    return this.all.all().map(toUser);
  }

  listActiveAgents(): User[] {
    return this.activeAgents.all().map(toUser);
  }

  createSession(session: NewSession): void {
    this.insertSession.run(session.tokenHash, session.userId, session.workstationId, session.createdAt.toISOString(), session.expiresAt.toISOString());
  }

  findSession(tokenHash: string, now: Date): LiveSession | null {
    const row = this.liveSession.get(tokenHash, now.toISOString());
    return row ? { user: toUser(row), workstationId: row.workstation_id, expiresAt: row.expires_at } : null;
  }
}
