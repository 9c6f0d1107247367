/** Release acknowledgements (`lease.released` events) and the workstations a release waits for. */
import type { SyncEvent } from '@gestiona/core/sync';
import { eventRowValues, INSERT_EVENT_SQL } from './events.ts';
import type { SqlConnection } from './sql.ts';

export type LeaseReleasedEvent = Extract<SyncEvent, { type: 'lease.released' }>;

export class LeaseReleasesTable {
  constructor(private readonly sql: SqlConnection) {}

  async isStored(eventId: string): Promise<boolean> {
    return (await this.sql.get<{ id: string }>('SELECT id FROM events WHERE id = ?', [eventId])) !== undefined;
  }

  /**
   * Stores the event and the workstation's acknowledgement of the lease. Returns false when the
   * event id was stored before, by another server node since this transaction's first read.
   */
  async insert(event: LeaseReleasedEvent, receivedAt: Date): Promise<boolean> {
    const inserted = await this.sql.run(`${INSERT_EVENT_SQL} ON CONFLICT (id) DO NOTHING`, eventRowValues(event, receivedAt));
    if (inserted !== 1) return false;
    // A workstation that pulled the same removal twice (after a reinstall) acknowledges it twice; the first counts.
    await this.sql.run(
      `INSERT INTO lease_release_confirmations (lease_id, workstation_id, event_id, confirmed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (lease_id, workstation_id) DO NOTHING`,
      [event.payload.leaseId, event.workstationId, event.id, receivedAt.toISOString()],
    );
    return true;
  }

  async confirmedBy(leaseId: number): Promise<Set<string>> {
    const rows = await this.sql.all<{ workstation_id: string }>('SELECT workstation_id FROM lease_release_confirmations WHERE lease_id = ?', [leaseId]);
    return new Set(rows.map((row) => row.workstation_id));
  }

  /**
   * Returns the workstations of the agent that may have pulled the debtor since `since`: those
   * connected now, or seen (connected, disconnected or reporting) since then. A workstation pulls
   * the feed only over a socket, and its row records the last agent that connected from it.
   * Another agent signs in on a workstation only once its outbox is empty, and that sign-in deletes
   * the previous agent's debtors, so a workstation now of another agent has neither the debtor
   * nor unsent contacts with it.
   */
  async mayHoldSince(agentId: string, since: string): Promise<string[]> {
    // NOTE: when a server node stops, its socket counts are dropped without touching
    // `last_seen_at`. A workstation that connected to that node before `since`, pulled the debtor
    // and has not connected since is then missed, and the debtor may move before its lease ends.
    const rows = await this.sql.all<{ id: string }>(
      `SELECT w.id FROM workstations w
       WHERE w.agent_id = ?
         AND (w.last_seen_at >= ? OR EXISTS (SELECT 1 FROM workstation_sockets s WHERE s.workstation_id = w.id AND s.sockets > 0))
       ORDER BY w.id`,
      [agentId, since],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Returns the workstations that sent a gate decision or an interaction of the agent about the
   * debtor since `since`, except those another agent has signed in on since (see `mayHoldSince`).
   * They had the debtor, whatever the `workstations` table now records about their connections.
   */
  async contactedSince(debtorId: string, agentId: string, since: string): Promise<string[]> {
    const rows = await this.sql.all<{ workstation_id: string }>(
      `SELECT c.workstation_id FROM (
         SELECT workstation_id FROM decisions WHERE debtor_id = ? AND agent_id = ? AND trusted_at >= ?
         UNION
         SELECT workstation_id FROM interactions WHERE debtor_id = ? AND agent_id = ? AND dialed_at >= ?
       ) c
       WHERE NOT EXISTS (SELECT 1 FROM workstations w WHERE w.id = c.workstation_id AND w.agent_id <> ?)
       ORDER BY c.workstation_id`,
      [debtorId, agentId, since, debtorId, agentId, since, agentId],
    );
    return rows.map((row) => row.workstation_id);
  }
}
