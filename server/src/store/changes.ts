/** The change feed: an append-only table read by cursor, per agent plus entries for everyone. */
import { feedEntrySchema } from '@gestiona/core/sync';
import type { SqlConnection } from './sql.ts';
import type { FeedPage } from './types.ts';
import type { WriteContext } from './write-context.ts';

type FeedEntryInput = { type: string; payload: unknown };

export class ChangesTable {
  constructor(private readonly sql: SqlConnection) {}

  /**
   * Appends one entry for one agent (or for everyone when `agentId` is null). The entry is checked
   * against the feed contract first, because a workstation stops at the first invalid entry and a
   * bad one would block its feed for good.
   */
  async append(context: WriteContext, agentId: string | null, entry: FeedEntryInput, now: Date): Promise<number> {
    const checked = feedEntrySchema.safeParse({ seq: 1, ...entry });
    if (!checked.success) {
      throw new Error(`Feed entry of type ${entry.type} does not match the feed contract: ${checked.error.message}`);
    }

    await this.sql.lockFeed();
    const row = await this.sql.get<{ seq: number }>('INSERT INTO changes (agent_id, type, payload, created_at) VALUES (?, ?, ?, ?) RETURNING seq', [
      agentId,
      entry.type,
      JSON.stringify(entry.payload),
      now.toISOString(),
    ]);
    context.touch(agentId);
    return row!.seq;
  }

  /** Entries after `after` visible to the agent; `cursor` is the last returned seq, or `after` when none. */
  async pull(agentId: string, after: number, limit: number): Promise<FeedPage> {
    const rows = await this.sql.all<{ seq: number; type: string; payload: string }>(
      'SELECT seq, type, payload FROM changes WHERE (agent_id IS NULL OR agent_id = ?) AND seq > ? ORDER BY seq LIMIT ?',
      [agentId, after, limit + 1],
    );
    const hasMore = rows.length > limit;
    const returned = hasMore ? rows.slice(0, limit) : rows;
    const entries = returned.map((row) => ({ seq: row.seq, type: row.type, payload: JSON.parse(row.payload) as unknown }));
    return { entries, cursor: returned.at(-1)?.seq ?? after, hasMore };
  }

  async total(): Promise<number> {
    const row = await this.sql.get<{ count: number }>('SELECT COUNT(*) AS count FROM changes');
    return row!.count;
  }
}
