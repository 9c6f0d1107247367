/**
 * The agent's desk state that the attempts table does not hold: a pause with its reason, the moment
 * the agent marked the placed call ended, and the moment the agent last became available. One JSON
 * row in the `meta` table, so it survives a restart without a table of its own.
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { pauseReasonSchema } from '@gestiona/core/agent-state';
import { isoInstantSchema } from '@gestiona/core/domain';
import { z } from 'zod';

const META_KEY = 'agent_desk';

const deskRecordSchema = z.object({
  /** The user the record belongs to; a record of another user is ignored. */
  userId: z.string(),
  pause: z.object({ reason: pauseReasonSchema, at: isoInstantSchema }).nullable(),
  /** The last resume, ISO in -05:00; null before the first one. */
  availableSince: isoInstantSchema.nullable(),
  callEnded: z.object({ attemptId: z.string(), at: isoInstantSchema }).nullable(),
});
export type DeskRecord = z.infer<typeof deskRecordSchema>;

export class AgentDeskStore {
  private readonly select: Statement<[string], { value: string }>;
  private readonly upsert: Statement<[string, string]>;
  private readonly selectLastClosed: Statement<[], { at: string | null }>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.selectLastClosed = db.prepare("SELECT MAX(closed_at) AS at FROM attempts WHERE status = 'closed'");
  }

  /** Returns the user's record, or an empty one when none is stored or it belongs to another user. */
  read(userId: string): DeskRecord {
    const raw = this.select.get(META_KEY)?.value;
    const parsed = raw === undefined ? null : deskRecordSchema.safeParse(JSON.parse(raw));
    if (parsed?.success && parsed.data.userId === userId) return parsed.data;
    return { userId, pause: null, availableSince: null, callEnded: null };
  }

  write(record: DeskRecord): void {
    this.upsert.run(META_KEY, JSON.stringify(deskRecordSchema.parse(record)));
  }

  /** Returns when the last typification closed an attempt, ISO in -05:00; null when none is stored. */
  lastClosedAttemptAt(): string | null {
    return this.selectLastClosed.get()?.at ?? null;
  }
}
