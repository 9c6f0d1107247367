/**
 * The durable outbox. Events stay here until the server acknowledges them; the row's
 * autoincrement `seq` is the event's per-workstation sequence number.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { syncEventSchema, type DecisionRecorded, type InteractionRecorded, type SyncEvent } from '@gestiona/core/sync';

export type OutboxPayload =
  | { type: 'decision.recorded'; payload: DecisionRecorded }
  | { type: 'interaction.recorded'; payload: InteractionRecorded };

interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  agent_id: string;
  occurred_at: string;
  payload: string;
}

export class OutboxStore {
  private readonly db: Database;
  private readonly insert: Statement;
  private readonly selectOldest: Statement<[number], OutboxRow>;
  private readonly selectById: Statement<[string], OutboxRow>;
  private readonly deleteById: Statement<[string]>;
  private readonly insertRejected: Statement;
  private readonly selectStats: Statement<[], { pending: number; oldest: string | null }>;
  private readonly selectRejectedCount: Statement<[], { total: number }>;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(
      'INSERT INTO outbox (id, type, agent_id, occurred_at, payload) VALUES (@id, @type, @agentId, @occurredAt, @payload)',
    );
    this.selectOldest = db.prepare('SELECT * FROM outbox ORDER BY seq LIMIT ?');
    this.selectById = db.prepare('SELECT * FROM outbox WHERE id = ?');
    this.deleteById = db.prepare('DELETE FROM outbox WHERE id = ?');
    this.insertRejected = db.prepare(`
      INSERT INTO rejected_outbox (seq, id, type, agent_id, occurred_at, payload, reason, rejected_at)
      VALUES (@seq, @id, @type, @agent_id, @occurred_at, @payload, @reason, @rejectedAt)`);
    this.selectStats = db.prepare('SELECT COUNT(*) AS pending, MIN(occurred_at) AS oldest FROM outbox');
    this.selectRejectedCount = db.prepare('SELECT COUNT(*) AS total FROM rejected_outbox');
  }

  /** Queues an event; the caller runs this inside the transaction that made the change it reports. */
  enqueue(event: OutboxPayload & { agentId: string; occurredAt: string }): { id: string; seq: number } {
    const id = randomUUID();
    const result = this.insert.run({
      id,
      type: event.type,
      agentId: event.agentId,
      occurredAt: event.occurredAt,
      payload: JSON.stringify(event.payload),
    });
    return { id, seq: Number(result.lastInsertRowid) };
  }

  /**
   * Returns the oldest events, ready to send, with the workstation id filled in. Rows that no longer
   * match the sync contract (a bug, or a store written by another build) are returned apart, so that
   * the caller can set them aside instead of blocking the queue.
   */
  oldest(limit: number, workstationId: string): { events: SyncEvent[]; invalid: Array<{ id: string; error: string }> } {
    const events: SyncEvent[] = [];
    const invalid: Array<{ id: string; error: string }> = [];
    for (const row of this.selectOldest.all(limit)) {
      const parsed = toEvent(row, workstationId);
      if (parsed.success) events.push(parsed.data);
      else invalid.push({ id: row.id, error: parsed.error.message });
    }
    return { events, invalid };
  }

  /** Deletes acknowledged events; returns how many were still queued. */
  acknowledge(ids: readonly string[]): number {
    let deleted = 0;
    for (const id of ids) deleted += this.deleteById.run(id).changes;
    return deleted;
  }

  /** Moves an event the server rejected out of the queue, keeping it with the reason for support. */
  reject(id: string, reason: string, rejectedAt: string): boolean {
    const row = this.selectById.get(id);
    if (!row) return false;
    this.insertRejected.run({ ...row, reason, rejectedAt });
    this.deleteById.run(id);
    return true;
  }

  stats(): { pending: number; oldestPendingAt: string | null } {
    const row = this.selectStats.get();
    return { pending: row?.pending ?? 0, oldestPendingAt: row?.oldest ?? null };
  }

  rejectedCount(): number {
    return this.selectRejectedCount.get()?.total ?? 0;
  }

  rejected(): Array<{ id: string; seq: number; reason: string }> {
    return this.db.prepare('SELECT id, seq, reason FROM rejected_outbox ORDER BY seq').all() as Array<{ id: string; seq: number; reason: string }>;
  }
}

function toEvent(row: OutboxRow, workstationId: string) {
  const candidate = {
    id: row.id,
    workstationId,
    seq: row.seq,
    agentId: row.agent_id,
    occurredAt: row.occurred_at,
    type: row.type,
    payload: JSON.parse(row.payload),
  };
  return syncEventSchema.safeParse(candidate);
}
