/** R16 evidence: every gate decision, allowed or blocked, with its inputs and both clocks. */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { Channel } from '@gestiona/core/domain';
import { workstationRuleIdSchema, type WorkstationRuleId } from '@gestiona/core/sync';
import { gateDecisionSchema, gateRequestSchema, type GateDecision, type GateRequest } from '@gestiona/core/compliance/types';
import { parseJsonColumn } from './rows.ts';

export interface DecisionRecord {
  id: string;
  requestId: string;
  debtorId: string;
  personId: string;
  contactPointId: string;
  channel: Channel;
  request: GateRequest;
  decision: GateDecision;
  historySize: number;
  trustedAt: string;
  localAt: string;
  clockOffsetMs: number;
  /** Trusted time of the last server measurement of the clock; null when none since the workstation started. */
  clockSyncedAt: string | null;
  /** Set when a check of the workstation itself (`CLOCK`), not the gate, blocked the contact. */
  workstationRule: WorkstationRuleId | null;
}

interface DecisionRow {
  id: string;
  request_id: string;
  debtor_id: string;
  person_id: string;
  contact_point_id: string;
  channel: string;
  request: string;
  decision: string;
  history_size: number;
  trusted_at: string;
  local_at: string;
  clock_offset_ms: number;
  clock_synced_at: string | null;
  workstation_rule: string | null;
}

export class DecisionStore {
  private readonly insert: Statement;
  private readonly selectByRequest: Statement<[string], DecisionRow>;
  private readonly selectById: Statement<[string], DecisionRow>;

  constructor(db: Database) {
    this.insert = db.prepare(`
      INSERT INTO gate_decisions (id, request_id, debtor_id, person_id, contact_point_id, channel, allowed, rules, rule_pack_version,
        request, decision, history_size, trusted_at, local_at, clock_offset_ms, clock_synced_at, workstation_rule)
      VALUES (@id, @requestId, @debtorId, @personId, @contactPointId, @channel, @allowed, @rules, @rulePackVersion,
        @request, @decision, @historySize, @trustedAt, @localAt, @clockOffsetMs, @clockSyncedAt, @workstationRule)`);
    this.selectByRequest = db.prepare('SELECT * FROM gate_decisions WHERE request_id = ?');
    this.selectById = db.prepare('SELECT * FROM gate_decisions WHERE id = ?');
  }

  add(record: DecisionRecord): void {
    this.insert.run({
      ...record,
      allowed: record.decision.allowed ? 1 : 0,
      rules: JSON.stringify(record.decision.rules),
      rulePackVersion: record.decision.rulePackVersion,
      request: JSON.stringify(record.request),
      decision: JSON.stringify(record.decision),
    });
  }

  byRequestId(requestId: string): DecisionRecord | null {
    const row = this.selectByRequest.get(requestId);
    return row ? toRecord(row) : null;
  }

  byId(id: string): DecisionRecord | null {
    const row = this.selectById.get(id);
    return row ? toRecord(row) : null;
  }
}

function toRecord(row: DecisionRow): DecisionRecord {
  return {
    id: row.id,
    requestId: row.request_id,
    debtorId: row.debtor_id,
    personId: row.person_id,
    contactPointId: row.contact_point_id,
    channel: row.channel as Channel,
    request: parseJsonColumn(gateRequestSchema, row.request, 'gate request'),
    decision: parseJsonColumn(gateDecisionSchema, row.decision, 'gate decision'),
    historySize: row.history_size,
    trustedAt: row.trusted_at,
    localAt: row.local_at,
    clockOffsetMs: row.clock_offset_ms,
    clockSyncedAt: row.clock_synced_at,
    workstationRule: row.workstation_rule === null ? null : workstationRuleIdSchema.parse(row.workstation_rule),
  };
}
