/**
 * The team lead's side of the agent's pause, stored on the workstation. It names the lead who
 * paused the agent from the board, or keeps a pause requested during a call or wrap-up until the
 * typification is saved. It is one JSON row in the `meta` table next to the desk record, so both
 * survive a restart.
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { pauseReasonSchema } from '@gestiona/core/agent-state';
import { isoInstantSchema } from '@gestiona/core/domain';
import { z } from 'zod';

const META_KEY = 'remote_pause';

const remotePauseRecordSchema = z.object({
  /** The agent the pause is for; a record of another user is ignored. */
  userId: z.string(),
  reason: pauseReasonSchema,
  /** Full name of the team lead. */
  byName: z.string(),
  requestedAt: isoInstantSchema,
  /** True while the pause waits for the pending typification. */
  deferred: z.boolean(),
});
export type RemotePauseRecord = z.infer<typeof remotePauseRecordSchema>;

export class RemotePauseStore {
  private readonly select: Statement<[string], { value: string }>;
  private readonly upsert: Statement<[string, string]>;
  private readonly remove: Statement<[string]>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.remove = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  /** Returns the user's record; null when none is stored, it is unreadable or it belongs to another user. */
  read(userId: string): RemotePauseRecord | null {
    const raw = this.select.get(META_KEY)?.value;
    if (raw === undefined) return null;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = remotePauseRecordSchema.safeParse(value);
    return parsed.success && parsed.data.userId === userId ? parsed.data : null;
  }

  write(record: RemotePauseRecord): void {
    this.upsert.run(META_KEY, JSON.stringify(remotePauseRecordSchema.parse(record)));
  }

  clear(): void {
    this.remove.run(META_KEY);
  }
}
