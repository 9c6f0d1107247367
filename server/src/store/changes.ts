/** The change feed: an append-only table read by cursor, per agent plus entries for everyone. */
import { feedEntrySchema } from '@gestiona/core/sync';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { FeedPage } from './types.ts';
import type { WriteContext } from './write-context.ts';

type FeedEntryInput = { type: string; payload: unknown };

export class ChangesTable {
  private readonly insert: Statement<[string | null, string, string, string]>;
  private readonly page: Statement<[string, number, number], { seq: number; type: string; payload: string }>;
  private readonly count: Statement<[], { count: number }>;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO changes (agent_id, type, payload, created_at) VALUES (?, ?, ?, ?)');
    this.page = db.prepare('SELECT seq, type, payload FROM changes WHERE (agent_id IS NULL OR agent_id = ?) AND seq > ? ORDER BY seq LIMIT ?');
    this.count = db.prepare('SELECT COUNT(*) AS count FROM changes');
  }

  /**
   * Appends one entry for one agent (or for everyone when `agentId` is null). The entry is checked
   * against the feed contract first, because a workstation stops at the first invalid entry and a
   * bad one would block its feed for good.
   */
  append(context: WriteContext, agentId: string | null, entry: FeedEntryInput, now: Date): number {
    const checked = feedEntrySchema.safeParse({ seq: 1, ...entry });
    if (!checked.success) {
      throw new Error(`Feed entry of type ${entry.type} does not match the feed contract: ${checked.error.message}`);
    }
    const result = this.insert.run(agentId, entry.type, JSON.stringify(entry.payload), now.toISOString());
    context.touch(agentId);
    return Number(result.lastInsertRowid);
  }

  /** Entries after `after` visible to the agent; `cursor` is the last returned seq, or `after` when none. */
  pull(agentId: string, after: number, limit: number): FeedPage {
    const rows = this.page.all(agentId, after, limit + 1);
    const hasMore = rows.length > limit;
    const returned = hasMore ? rows.slice(0, limit) : rows;
    const entries = returned.map((row) => ({ seq: row.seq, type: row.type, payload: JSON.parse(row.payload) as unknown }));
    return { entries, cursor: returned.at(-1)?.seq ?? after, hasMore };
  }

  total(): number {
    return this.count.get()!.count;
  }
}
