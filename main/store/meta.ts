/**
 * Key-value metadata of the workstation: its id, the agent whose data is stored, the feed cursor,
 * and the last local time the clock was read.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { userSchema, type User } from '@gestiona/core/sync';

type MetaKey = 'workstation_id' | 'agent_id' | 'agent_user' | 'feed_cursor' | 'last_sync_at' | 'clock_local_seen_at';

export class MetaStore {
  private readonly select: Statement<[string], { value: string }>;
  private readonly upsert: Statement<[string, string]>;
  private readonly remove: Statement<[string]>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.remove = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  get(key: MetaKey): string | null {
    return this.select.get(key)?.value ?? null;
  }

  set(key: MetaKey, value: string): void {
    this.upsert.run(key, value);
  }

  delete(key: MetaKey): void {
    this.remove.run(key);
  }

  /** Returns the workstation's id, a random UUID chosen on first run and kept for the life of the data dir. */
  workstationId(): string {
    const existing = this.get('workstation_id');
    if (existing) return existing;
    const id = randomUUID();
    this.set('workstation_id', id);
    return id;
  }

  feedCursor(): number {
    return Number(this.get('feed_cursor') ?? '0');
  }

  setFeedCursor(cursor: number): void {
    this.set('feed_cursor', String(cursor));
  }

  /** Returns the agent whose data this store contains, or null before the first login. */
  agent(): User | null {
    const raw = this.get('agent_user');
    if (raw === null) return null;
    const parsed = userSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  setAgent(user: User): void {
    this.set('agent_id', user.id);
    this.set('agent_user', JSON.stringify(user));
  }

  /** Returns the machine's clock (epoch ms) as last stored while the workstation ran, or null before the first time. */
  clockLocalSeenAt(): number | null {
    const raw = this.get('clock_local_seen_at');
    if (raw === null) return null;
    const ms = Number(raw);
    return Number.isFinite(ms) ? ms : null;
  }

  setClockLocalSeenAt(ms: number): void {
    this.set('clock_local_seen_at', String(Math.round(ms)));
  }
}
