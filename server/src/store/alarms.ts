/** Alarms raised by the chain check and the server's re-evaluation, for team leads to review. */
import { z } from 'zod';
import type { SqlConnection, SqlValue } from './sql.ts';
import { LED_AGENT_IDS_SQL } from './teams.ts';
import type { AlarmKind, AlarmQuery, AlarmRecord, NewAlarm, RaisedAlarm } from './types.ts';

interface AlarmRow {
  id: number;
  kind: AlarmKind;
  workstation_id: string;
  agent_id: string;
  debtor_id: string | null;
  event_id: string | null;
  decision_id: string | null;
  detail: string;
  message: string;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

/** `detail` is always written from an object by `insert`. */
const detailSchema = z.record(z.string(), z.unknown());

function toAlarmRecord(row: AlarmRow): AlarmRecord {
  return {
    id: row.id,
    kind: row.kind,
    workstationId: row.workstation_id,
    agentId: row.agent_id,
    debtorId: row.debtor_id,
    eventId: row.event_id,
    decisionId: row.decision_id,
    detail: detailSchema.parse(JSON.parse(row.detail)),
    message: row.message,
    createdAt: row.created_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  };
}

export class AlarmsTable {
  /**
   * The alarms this table inserted. A table is bound to one connection or transaction attempt, so
   * after the commit the store reads this list to tell team leads that new alarms exist.
   */
  readonly raised: RaisedAlarm[] = [];

  constructor(private readonly sql: SqlConnection) {}

  async insert(alarm: NewAlarm): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO alarms (kind, workstation_id, agent_id, debtor_id, event_id, decision_id, detail, message, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        alarm.kind,
        alarm.workstationId,
        alarm.agentId,
        alarm.debtorId,
        alarm.eventId,
        alarm.decisionId,
        JSON.stringify(alarm.detail),
        alarm.message,
        alarm.createdAt.toISOString(),
      ],
    );
    const id = Number(row!.id);
    this.raised.push({ id, kind: alarm.kind, workstationId: alarm.workstationId, agentId: alarm.agentId });
    return id;
  }

  /**
   * Returns whether the workstation already has an alarm of this kind with exactly this detail.
   * The detail is compared as the JSON text `insert` wrote, so callers build it with the same key order.
   */
  async hasSame(kind: AlarmKind, workstationId: string, detail: Record<string, unknown>): Promise<boolean> {
    const row = await this.sql.get('SELECT id FROM alarms WHERE kind = ? AND workstation_id = ? AND detail = ? LIMIT 1', [
      kind,
      workstationId,
      JSON.stringify(detail),
    ]);
    return row !== undefined;
  }

  /** Returns whether a violation was already raised for this decision (by its decision or its interaction event). */
  async hasViolation(decisionId: string): Promise<boolean> {
    return (await this.sql.get("SELECT id FROM alarms WHERE kind = 'violation' AND decision_id = ?", [decisionId])) !== undefined;
  }

  async list(query: AlarmQuery): Promise<AlarmRecord[]> {
    const conditions: string[] = [];
    const params: SqlValue[] = [];
    if (query.since !== undefined) {
      conditions.push('created_at >= ?');
      params.push(query.since.toISOString());
    }
    if (query.kind !== undefined) {
      conditions.push('kind = ?');
      params.push(query.kind);
    }
    if (query.debtorId !== undefined) {
      conditions.push('debtor_id = ?');
      params.push(query.debtorId);
    }
    if (query.ledBy !== undefined) {
      conditions.push(`agent_id IN (${LED_AGENT_IDS_SQL})`);
      params.push(query.ledBy);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const rows = await this.sql.all<AlarmRow>(`SELECT * FROM alarms ${where} ORDER BY created_at DESC, id DESC LIMIT ?`, [...params, query.limit]);
    return rows.map(toAlarmRecord);
  }

  async acknowledge(id: number, by: string, now: Date): Promise<AlarmRecord | null> {
    await this.sql.run('UPDATE alarms SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL', [now.toISOString(), by, id]);
    const row = await this.sql.get<AlarmRow>('SELECT * FROM alarms WHERE id = ?', [id]);
    return row === undefined ? null : toAlarmRecord(row);
  }
}
