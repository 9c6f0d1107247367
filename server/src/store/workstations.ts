/** Workstations seen by the server, with their connection count and last reported state. */
import type { Statement } from 'better-sqlite3';
import { workstationStateSchema } from '../sync/workstation-state.ts';
import type { SqliteDatabase } from './database.ts';
import type { WorkstationRecord } from './types.ts';

interface WorkstationRow {
  id: string;
  agent_id: string;
  connected: number;
  last_seen_at: string;
  state: string | null;
  state_reported_at: string | null;
}

export class WorkstationsTable {
  private readonly connect: Statement<[{ id: string; agentId: string; at: string }]>;
  private readonly disconnect: Statement<[{ id: string; at: string }]>;
  private readonly report: Statement<[{ id: string; state: string; at: string }]>;
  private readonly resetAll: Statement<[]>;
  private readonly all: Statement<[], WorkstationRow>;

  constructor(db: SqliteDatabase) {
    this.connect = db.prepare(
      `INSERT INTO workstations (id, agent_id, connected, last_seen_at) VALUES (@id, @agentId, 1, @at)
       ON CONFLICT (id) DO UPDATE SET
         connected = CASE WHEN agent_id = excluded.agent_id THEN connected + 1 ELSE 1 END,
         agent_id = excluded.agent_id, last_seen_at = excluded.last_seen_at`,
    );
    this.disconnect = db.prepare('UPDATE workstations SET connected = MAX(connected - 1, 0), last_seen_at = @at WHERE id = @id');
    this.report = db.prepare('UPDATE workstations SET state = @state, state_reported_at = @at, last_seen_at = @at WHERE id = @id');
    this.resetAll = db.prepare('UPDATE workstations SET connected = 0');
    this.all = db.prepare('SELECT * FROM workstations ORDER BY id');
  }

  connected(workstationId: string, agentId: string, now: Date): void {
    this.connect.run({ id: workstationId, agentId, at: now.toISOString() });
  }

  disconnected(workstationId: string, now: Date): void {
    this.disconnect.run({ id: workstationId, at: now.toISOString() });
  }

  reportState(workstationId: string, state: string, now: Date): void {
    this.report.run({ id: workstationId, state, at: now.toISOString() });
  }

  /** Marks every workstation disconnected, because no socket survives a restart or a crash. */
  resetConnections(): void {
    this.resetAll.run();
  }

  list(): WorkstationRecord[] {
    return this.all.all().map((row) => {
      const parsed = row.state === null ? null : workstationStateSchema.safeParse(JSON.parse(row.state));
      return {
        id: row.id,
        agentId: row.agent_id,
        connected: row.connected > 0,
        lastSeenAt: row.last_seen_at,
        state: parsed?.success ? parsed.data : null,
        stateReportedAt: row.state_reported_at,
      };
    });
  }
}
