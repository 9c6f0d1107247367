/** Workstations seen by the server, with their open sockets per server node and last reported state. */
import { workstationStateSchema } from '../sync/workstation-state.ts';
import type { SqlConnection } from './sql.ts';
import type { WorkstationRecord } from './types.ts';

interface WorkstationRow {
  id: string;
  agent_id: string;
  online: number;
  last_seen_at: string;
  state: string | null;
  state_reported_at: string | null;
}

export class WorkstationsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Counts one more socket of the workstation on the node. A different agent than before starts the count afresh. */
  async connected(workstationId: string, agentId: string, nodeId: string, now: Date): Promise<void> {
    const at = now.toISOString();
    const previous = await this.sql.get<{ agent_id: string }>('SELECT agent_id FROM workstations WHERE id = ?', [workstationId]);
    if (previous && previous.agent_id !== agentId) {
      await this.sql.run('DELETE FROM workstation_sockets WHERE workstation_id = ?', [workstationId]);
    }

    // `connected` is the retired per-workstation counter, which only the NOT NULL constraint still needs.
    await this.sql.run(
      `INSERT INTO workstations (id, agent_id, connected, last_seen_at) VALUES (?, ?, 0, ?)
       ON CONFLICT (id) DO UPDATE SET agent_id = excluded.agent_id, last_seen_at = excluded.last_seen_at`,
      [workstationId, agentId, at],
    );
    await this.sql.run(
      `INSERT INTO workstation_sockets (workstation_id, node_id, sockets) VALUES (?, ?, 1)
       ON CONFLICT (workstation_id, node_id) DO UPDATE SET sockets = workstation_sockets.sockets + 1`,
      [workstationId, nodeId],
    );
  }

  async disconnected(workstationId: string, nodeId: string, now: Date): Promise<void> {
    await this.sql.run(
      'UPDATE workstation_sockets SET sockets = CASE WHEN sockets > 0 THEN sockets - 1 ELSE 0 END WHERE workstation_id = ? AND node_id = ?',
      [workstationId, nodeId],
    );
    await this.sql.run('UPDATE workstations SET last_seen_at = ? WHERE id = ?', [now.toISOString(), workstationId]);
  }

  async reportState(workstationId: string, state: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.sql.run('UPDATE workstations SET state = ?, state_reported_at = ?, last_seen_at = ? WHERE id = ?', [state, at, at, workstationId]);
  }

  async list(): Promise<WorkstationRecord[]> {
    const rows = await this.sql.all<WorkstationRow>(
      `SELECT workstations.id, workstations.agent_id, workstations.last_seen_at, workstations.state, workstations.state_reported_at,
              CASE WHEN EXISTS (SELECT 1 FROM workstation_sockets
                                WHERE workstation_sockets.workstation_id = workstations.id AND workstation_sockets.sockets > 0)
                   THEN 1 ELSE 0 END AS online
       FROM workstations ORDER BY workstations.id`,
    );
    return rows.map((row) => {
      const parsed = row.state === null ? null : workstationStateSchema.safeParse(JSON.parse(row.state));
      return {
        id: row.id,
        agentId: row.agent_id,
        connected: row.online === 1,
        lastSeenAt: row.last_seen_at,
        state: parsed?.success ? parsed.data : null,
        stateReportedAt: row.state_reported_at,
      };
    });
  }
}
