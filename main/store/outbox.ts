/**
 * The durable outbox. Events stay here until the server acknowledges them; the row's
 * autoincrement `seq` is the event's per-workstation sequence number.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import {
  leaseReleasedSchema,
  syncEventSchema,
  type DebtorViewed,
  type DecisionRecorded,
  type InteractionRecorded,
  type LeaseReleased,
  type SyncEvent,
} from '@gestiona/core/sync';

export type OutboxPayload =
  | { type: 'decision.recorded'; payload: DecisionRecorded }
  | { type: 'interaction.recorded'; payload: InteractionRecorded }
  | { type: 'lease.released'; payload: LeaseReleased }
  | { type: 'debtor.viewed'; payload: DebtorViewed };

type QueuedEvent = OutboxPayload & { agentId: string; occurredAt: string };

/** A release acknowledgement that waits for the wrap-up of a contact with its debtor; see `holdRelease`. */
const heldReleaseSchema = z.object({ agentId: z.string(), payload: leaseReleasedSchema });

/** The `meta` key of the held acknowledgements, a JSON array: at most a few while one wrap-up is open. */
const HELD_RELEASES_KEY = 'held_lease_releases';

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
  private readonly selectPending: Statement<[], { pending: number }>;
  private readonly selectOldestAt: Statement<[], { occurred_at: string }>;
  private readonly selectRejectedCount: Statement<[], { total: number }>;
  private readonly selectHeld: Statement<[string], { value: string }>;
  private readonly upsertHeld: Statement<[string, string]>;
  private readonly deleteHeld: Statement<[string]>;

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
    // Read on every status update, so neither query may scan the rows: a queue of days contains
    // thousands of events. The count walks the small id index, and the oldest is the head of the queue.
    this.selectPending = db.prepare('SELECT COUNT(*) AS pending FROM outbox');
    this.selectOldestAt = db.prepare('SELECT occurred_at FROM outbox ORDER BY seq LIMIT 1');
    this.selectRejectedCount = db.prepare('SELECT COUNT(*) AS total FROM rejected_outbox');
    this.selectHeld = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.upsertHeld = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.deleteHeld = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  /**
   * Queues an event; the caller runs this inside the transaction that made the change it reports.
   * A typified contact releases the acknowledgements held for its debtor right after it.
   */
  enqueue(event: QueuedEvent): { id: string; seq: number } {
    const queued = this.insertEvent(event);
    if (event.type === 'interaction.recorded') this.releaseHeld(event.payload.debtorId, event.occurredAt);
    return queued;
  }

  /**
   * Keeps a release acknowledgement back until the open wrap-up with its debtor is saved. The
   * server takes the acknowledgement as proof that every contact of this workstation with the
   * debtor is stored, so it must follow that wrap-up's interaction in the queue.
   */
  holdRelease(release: { agentId: string; payload: LeaseReleased }): void {
    this.setHeld([...this.held(), release]);
  }

  private releaseHeld(debtorId: string, occurredAt: string): void {
    const held = this.held();
    const due = held.filter((release) => release.payload.debtorId === debtorId);
    if (due.length === 0) return;
    this.setHeld(held.filter((release) => release.payload.debtorId !== debtorId));
    for (const release of due) {
      this.insertEvent({ type: 'lease.released', agentId: release.agentId, occurredAt, payload: { ...release.payload, removedAt: occurredAt } });
    }
  }

  private held(): Array<z.infer<typeof heldReleaseSchema>> {
    const row = this.selectHeld.get(HELD_RELEASES_KEY);
    return row ? z.array(heldReleaseSchema).parse(JSON.parse(row.value)) : [];
  }

  private setHeld(releases: ReadonlyArray<z.infer<typeof heldReleaseSchema>>): void {
    if (releases.length === 0) this.deleteHeld.run(HELD_RELEASES_KEY);
    else this.upsertHeld.run(HELD_RELEASES_KEY, JSON.stringify(releases));
  }

  private insertEvent(event: QueuedEvent): { id: string; seq: number } {
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

  /**
   * Returns the queue length and the instant of the first queued event. Events are queued in trusted
   * time order, so the first is the oldest, except across a backward correction of the clock, where
   * the age shown can be short by up to that correction.
   */
  stats(): { pending: number; oldestPendingAt: string | null } {
    const pending = this.selectPending.get()?.pending ?? 0;
    const oldestPendingAt = pending === 0 ? null : (this.selectOldestAt.get()?.occurred_at ?? null);
    return { pending, oldestPendingAt };
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
