/**
 * `GET /api/board/drill?figure=…&scope=…`: the agents and debtors behind one figure of today's
 * board, for the agents the user sees (a team lead's teams, every agent for an administrator).
 * `scope` narrows it to a team, a queue (the debtor's strategy segment, `board-segments.ts`) or one agent.
 */
import {
  MAX_DRILL_DEBTORS,
  type BoardDrill,
  type BoardDrillAgent,
  type BoardDrillDebtor,
  type BoardDrillFigure,
} from '@gestiona/core/board';
import { formatCop } from '@gestiona/core/format';
import { bogotaIso } from './bogota-iso.ts';
import type { SqlConnection, SqlValue } from '../store/sql.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';
import { bogotaDateOf, budgetUsedSql, secondsBetweenSql, wrapUpContactSql, wrapUpSpansSql, type InstantRange } from './board-queries.ts';
import { queueConditionSql, queueKeyOf, queueLabelOf, readQueueSegments, type QueueSegment } from './board-segments.ts';
import { promisedAmount, type PromiseCode } from './build-board.ts';

export const FIGURE_TITLES: Record<BoardDrillFigure, string> = {
  pending: 'Deudores pendientes',
  worked: 'Deudores trabajados hoy',
  interactions: 'Gestiones de hoy',
  'right-party': 'Contactos directos de hoy',
  promises: 'Promesas de hoy',
  'handle-time': 'Tiempo medio de gestión',
  'wrap-up': 'Tiempo medio de tipificación',
  untypified: 'Marcaciones sin tipificar',
  'budget-used': 'Deudores con el contacto del día agotado',
  blocked: 'Intentos bloqueados hoy',
  'promises-due': 'Cuotas de promesas que vencen hoy',
  'promises-broken': 'Promesas incumplidas hoy',
};

/** A parsed `scope`. */
export type DrillScope = { kind: 'all' } | { kind: 'team' | 'queue' | 'agent'; id: string };

export function parseDrillScope(scope: string): DrillScope {
  if (scope === 'all') return { kind: 'all' };
  const [kind, ...rest] = scope.split(':');
  return { kind: kind as 'team' | 'queue' | 'agent', id: rest.join(':') };
}

/** One row behind a figure, before the limit. */
interface DrillRow {
  debtor_id: string | null;
  debtor_name: string | null;
  segment: string | null;
  agent_id: string;
  agent_name: string;
  at: string | null;
  code: string | null;
  fields: string | null;
  rules: string | null;
  seconds: number | null;
  /** Promise figures only: the instalment due, or what was left unpaid of a broken promise. */
  amount_cents?: number | string | null;
}

interface Filter {
  sql: string;
  params: SqlValue[];
}

/** The columns a queue filters on: the debtor's `segment_id`, and its id, which a LEFT JOIN leaves null without a debtor. */
interface QueueColumns {
  segment: string;
  debtorId: string;
}

const DEBTOR_COLUMNS: QueueColumns = { segment: 'debtors.segment_id', debtorId: 'debtors.id' };

/** Builds the conditions of the user's scope and of `scope` on an agent column and the debtor's columns. */
function filterOf(agentColumn: string, queue: QueueColumns, scope: DrillScope, ledBy: string | undefined, segments: readonly QueueSegment[]): Filter {
  let sql = '';
  const params: SqlValue[] = [];
  if (ledBy !== undefined) {
    sql += ` AND ${agentColumn} IN (${LED_AGENT_IDS_SQL})`;
    params.push(ledBy);
  }
  if (scope.kind === 'agent') {
    sql += ` AND ${agentColumn} = ?`;
    params.push(scope.id);
  } else if (scope.kind === 'team') {
    sql += ` AND ${agentColumn} IN (SELECT user_id FROM team_members WHERE team_id = ?)`;
    params.push(scope.id);
  } else if (scope.kind === 'queue') {
    const condition = queueConditionSql(segments, scope.id, queue.segment, queue.debtorId);
    sql += ` AND ${condition.sql}`;
    params.push(...condition.params);
  }
  return { sql, params };
}

const NO_COLUMNS = 'NULL AS code, NULL AS fields, NULL AS rules, NULL AS seconds';

async function readRows(
  sql: SqlConnection,
  figure: BoardDrillFigure,
  day: InstantRange,
  now: Date,
  promiseCodes: readonly string[],
  scope: DrillScope,
  ledBy: string | undefined,
  segments: readonly QueueSegment[],
): Promise<DrillRow[]> {
  const interactionsFrom = `FROM interactions JOIN debtors ON debtors.id = interactions.debtor_id JOIN users ON users.id = interactions.agent_id
     WHERE interactions.dialed_at >= ? AND interactions.dialed_at < ?`;
  const interactionColumns = `interactions.debtor_id, debtors.full_name AS debtor_name, debtors.segment_id AS segment, interactions.agent_id, users.full_name AS agent_name, interactions.dialed_at AS at`;
  const onInteractions = filterOf('interactions.agent_id', DEBTOR_COLUMNS, scope, ledBy, segments);
  const onLeases = filterOf('leases.agent_id', DEBTOR_COLUMNS, scope, ledBy, segments);
  const leasesFrom = `FROM leases JOIN debtors ON debtors.id = leases.debtor_id JOIN users ON users.id = leases.agent_id
     WHERE leases.released_at IS NULL AND leases.expires_at > ?`;
  const leaseColumns = `leases.debtor_id, debtors.full_name AS debtor_name, debtors.segment_id AS segment, leases.agent_id, users.full_name AS agent_name, NULL AS at, ${NO_COLUMNS}`;
  const onDecisions = filterOf('decisions.agent_id', DEBTOR_COLUMNS, scope, ledBy, segments);
  const decisionsFrom = `FROM decisions JOIN debtors ON debtors.id = decisions.debtor_id JOIN users ON users.id = decisions.agent_id
     WHERE decisions.trusted_at >= ? AND decisions.trusted_at < ?`;
  const decisionColumns = `decisions.debtor_id, debtors.full_name AS debtor_name, debtors.segment_id AS segment, decisions.agent_id, users.full_name AS agent_name, decisions.trusted_at AS at`;

  switch (figure) {
    case 'pending':
      return sql.all<DrillRow>(
        `SELECT ${leaseColumns} ${leasesFrom}
           AND leases.debtor_id NOT IN (SELECT debtor_id FROM interactions WHERE dialed_at >= ? AND dialed_at < ?)${onLeases.sql}
         ORDER BY users.full_name, debtors.full_name`,
        [now.toISOString(), day.start, day.end, ...onLeases.params],
      );
    case 'budget-used':
      return sql.all<DrillRow>(
        `SELECT ${leaseColumns} ${leasesFrom} AND ${budgetUsedSql('leases.debtor_id')}${onLeases.sql}
         ORDER BY users.full_name, debtors.full_name`,
        [now.toISOString(), day.start, day.end, ...onLeases.params],
      );
    case 'worked':
    case 'interactions':
    case 'right-party':
    case 'handle-time':
    case 'promises': {
      let extra = '';
      const extraParams: SqlValue[] = [];
      if (figure === 'right-party') extra = ` AND interactions.kind = 'two-way'`;
      if (figure === 'promises') {
        if (promiseCodes.length === 0) return [];
        extra = ` AND interactions.code IN (${promiseCodes.map(() => '?').join(', ')})`;
        extraParams.push(...promiseCodes);
      }
      return sql.all<DrillRow>(
        `SELECT ${interactionColumns}, interactions.code, interactions.fields, NULL AS rules,
                CASE WHEN interactions.typified_at > interactions.dialed_at THEN ${secondsBetweenSql('interactions.dialed_at', 'interactions.typified_at')} ELSE 0 END AS seconds
         ${interactionsFrom}${extra}${onInteractions.sql}
         ORDER BY interactions.dialed_at DESC, interactions.id`,
        [day.start, day.end, ...extraParams, ...onInteractions.params],
      );
    }
    case 'untypified':
      return sql.all<DrillRow>(
        `SELECT ${decisionColumns}, ${NO_COLUMNS} ${decisionsFrom} AND decisions.allowed = 1
           AND decisions.id NOT IN (SELECT decision_id FROM interactions WHERE dialed_at >= ?)${onDecisions.sql}
         ORDER BY decisions.trusted_at DESC, decisions.id`,
        [day.start, day.end, new Date(Date.parse(day.start) - 6 * 60 * 60 * 1000).toISOString(), ...onDecisions.params],
      );
    case 'blocked':
      return sql.all<DrillRow>(
        `SELECT ${decisionColumns}, NULL AS code, NULL AS fields, decisions.rules, NULL AS seconds ${decisionsFrom} AND decisions.allowed = 0${onDecisions.sql}
         ORDER BY decisions.trusted_at DESC, decisions.id`,
        [day.start, day.end, ...onDecisions.params],
      );
    case 'promises-due':
    case 'promises-broken': {
      // The promise tables keep Bogotá calendar days, as the board's promise figures read them.
      const today = bogotaDateOf(day);
      const onPromises = filterOf('promises.agent_id', DEBTOR_COLUMNS, scope, ledBy, segments);
      const columns = `promises.debtor_id, debtors.full_name AS debtor_name, debtors.segment_id AS segment, promises.agent_id, users.full_name AS agent_name,
                NULL AS at, promises.code, NULL AS fields, NULL AS rules, NULL AS seconds`;
      const from = `FROM promises JOIN debtors ON debtors.id = promises.debtor_id JOIN users ON users.id = promises.agent_id`;
      if (figure === 'promises-due') {
        return sql.all<DrillRow>(
          `SELECT ${columns}, promise_instalments.amount_cents
           ${from} JOIN promise_instalments ON promise_instalments.promise_id = promises.id
           WHERE promise_instalments.due_on = ?${onPromises.sql}
           ORDER BY users.full_name, debtors.full_name`,
          [today, ...onPromises.params],
        );
      }
      // A promise judged broken twice in a day (a late file, then the sweep) is listed once.
      return sql.all<DrillRow>(
        `SELECT ${columns}, promises.amount_cents - promises.paid_cents + promises.excess_cents AS amount_cents
         ${from}
         WHERE promises.status = 'broken' AND promises.id IN (
           SELECT promise_id FROM promise_status_changes WHERE changed_on = ? AND to_status = 'broken' AND instalment IS NULL)${onPromises.sql}
         ORDER BY users.full_name, debtors.full_name`,
        [today, ...onPromises.params],
      );
    }
    case 'wrap-up': {
      // A wrap-up that closed no stored contact (its typification not received yet) has no debtor, so
      // it counts for its agent and in no queue. Today's contacts are materialized first, because
      // SQLite would otherwise build a temporary index over every stored interaction for the LEFT JOIN.
      const onSpans = filterOf('spans.agent_id', DEBTOR_COLUMNS, scope, ledBy, segments);
      const ledSpans = filterOf('agent_id', DEBTOR_COLUMNS, { kind: 'all' }, ledBy, segments);
      return sql.all<DrillRow>(
        `WITH contacts AS MATERIALIZED (
           SELECT workstation_id, agent_id, debtor_id, code, dialed_at, typified_at FROM interactions WHERE dialed_at >= ? AND dialed_at < ?
         )
         SELECT contacts.debtor_id, debtors.full_name AS debtor_name, debtors.segment_id AS segment, spans.agent_id, users.full_name AS agent_name,
                spans.since AS at, contacts.code, NULL AS fields, NULL AS rules, ${secondsBetweenSql('spans.since', 'spans.ended')} AS seconds
         ${wrapUpSpansSql({ and: ledSpans.sql })}
         JOIN users ON users.id = spans.agent_id
         LEFT JOIN contacts ON ${wrapUpContactSql('contacts')}
         LEFT JOIN debtors ON debtors.id = contacts.debtor_id
         WHERE spans.state = 'wrap-up' AND spans.ended IS NOT NULL AND spans.ended > spans.since${onSpans.sql}
         ORDER BY users.full_name, spans.since`,
        [new Date(Date.parse(day.start) - 6 * 60 * 60 * 1000).toISOString(), day.end, day.start, day.end, ...ledSpans.params, ...onSpans.params],
      );
    }
  }
}

/** Spanish minutes and seconds, e.g. `3 min 05 s`. */
export function showSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes} min ${String(whole % 60).padStart(2, '0')} s` : `${whole} s`;
}

function detailOf(figure: BoardDrillFigure, row: DrillRow, amountOf: (code: string, fields: string) => number): string {
  switch (figure) {
    case 'pending':
      return 'Asignado, sin gestión hoy';
    case 'budget-used':
      return 'Ya se contactó hoy a todas sus personas contactables (R5)';
    case 'promises':
      return `${row.code ?? ''} · ${formatCop(amountOf(row.code ?? '', row.fields ?? '{}'))}`;
    case 'handle-time':
      return `${row.code ?? ''} · ${showSeconds(Number(row.seconds ?? 0))}`;
    case 'worked':
    case 'interactions':
    case 'right-party':
      return `Tipificación ${row.code ?? ''}`;
    case 'untypified':
      return 'Marcación permitida sin tipificar';
    case 'blocked':
      return `Bloqueado por ${rulesOf(row.rules).join(', ') || 'reglas sin nombre'}`;
    case 'wrap-up':
      return row.code === null ? showSeconds(Number(row.seconds ?? 0)) : `${row.code} · ${showSeconds(Number(row.seconds ?? 0))}`;
    case 'promises-due':
      return `${row.code ?? ''} · vence hoy · ${formatCop(Number(row.amount_cents ?? 0))}`;
    case 'promises-broken':
      return `${row.code ?? ''} · incumplida · sin pagar ${formatCop(Number(row.amount_cents ?? 0))}`;
  }
}

function rulesOf(json: string | null): string[] {
  try {
    const rules: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(rules) ? rules.filter((rule): rule is string => typeof rule === 'string') : [];
  } catch {
    return [];
  }
}

/** Computes a figure's value per agent: mean seconds for the time figures, rows otherwise (distinct debtors for `worked`). */
function agentsOf(figure: BoardDrillFigure, rows: readonly DrillRow[]): BoardDrillAgent[] {
  const byAgent = new Map<string, { fullName: string; count: number; seconds: number; debtors: Set<string> }>();
  for (const row of rows) {
    const entry = byAgent.get(row.agent_id) ?? { fullName: row.agent_name, count: 0, seconds: 0, debtors: new Set<string>() };
    entry.count += 1;
    entry.seconds += Number(row.seconds ?? 0);
    if (row.debtor_id !== null) entry.debtors.add(row.debtor_id);
    byAgent.set(row.agent_id, entry);
  }
  return [...byAgent.entries()]
    .map(([agentId, entry]) => ({
      agentId,
      fullName: entry.fullName,
      value: valueOf(figure, entry),
    }))
    .sort((a, b) => b.value - a.value || a.fullName.localeCompare(b.fullName, 'es-CO'));
}

function valueOf(figure: BoardDrillFigure, entry: { count: number; seconds: number; debtors: Set<string> }): number {
  if (figure === 'handle-time' || figure === 'wrap-up') return Math.round(entry.seconds / entry.count);
  if (figure === 'worked') return entry.debtors.size;
  return entry.count;
}

/** Lists the debtors behind a figure: one row per debtor and agent for `worked`, one per row otherwise. */
function debtorsOf(
  figure: BoardDrillFigure,
  rows: readonly DrillRow[],
  amountOf: (code: string, fields: string) => number,
  segments: readonly QueueSegment[],
): BoardDrillDebtor[] {
  const debtors: BoardDrillDebtor[] = [];
  const seen = new Map<string, BoardDrillDebtor>();
  for (const row of rows) {
    if (row.debtor_id === null) continue;
    if (figure === 'worked') {
      const key = `${row.agent_id}\u0000${row.debtor_id}`;
      const existing = seen.get(key);
      if (existing) {
        const count = Number(/^(\d+)/.exec(existing.detail)?.[1] ?? '1') + 1;
        existing.detail = `${count} gestiones`;
        continue;
      }
      const entry = debtorRow(row, '1 gestión', segments);
      seen.set(key, entry);
      debtors.push(entry);
      continue;
    }
    debtors.push(debtorRow(row, detailOf(figure, row, amountOf), segments));
  }
  return debtors;
}

/** A debtor behind a figure, with the name of its queue as the board's queue rows show it. */
function debtorRow(row: DrillRow, detail: string, segments: readonly QueueSegment[]): BoardDrillDebtor {
  return {
    debtorId: row.debtor_id!,
    fullName: row.debtor_name ?? row.debtor_id!,
    segment: queueLabelOf(segments, queueKeyOf(segments, row.segment)) ?? '',
    agentId: row.agent_id,
    agentName: row.agent_name,
    at: row.at === null ? null : bogotaIso(row.at),
    detail,
  };
}

export interface DrillRequest {
  figure: BoardDrillFigure;
  scope: string;
  /** Spanish name of the scope for the title, e.g. the team's name; null for everything. */
  scopeLabel: string | null;
  day: InstantRange;
  now: Date;
  promiseCodes: readonly PromiseCode[];
  ledBy: string | undefined;
}

export async function readDrill(sql: SqlConnection, request: DrillRequest): Promise<BoardDrill> {
  const scope = parseDrillScope(request.scope);
  const codes = request.promiseCodes.map((code) => code.code);
  const segments = await readQueueSegments(sql);
  const rows = await readRows(sql, request.figure, request.day, request.now, codes, scope, request.ledBy, segments);
  const amountFields = new Map(request.promiseCodes.map((code) => [code.code, code.amountField]));
  const amountOf = (code: string, fields: string): number => promisedAmount(fields, amountFields.get(code) ?? null);
  const debtors = debtorsOf(request.figure, rows, amountOf, segments);
  const title = request.scopeLabel === null ? FIGURE_TITLES[request.figure] : `${FIGURE_TITLES[request.figure]} · ${request.scopeLabel}`;
  return {
    figure: request.figure,
    scope: request.scope,
    title,
    agents: agentsOf(request.figure, rows),
    debtors: debtors.slice(0, MAX_DRILL_DEBTORS),
    debtorsTotal: debtors.length,
  };
}

/** Reads the Spanish name of a scope: the team's or agent's name, or the queue's label; the id for a queue the strategy no longer has, null for `all` or an unknown id. */
export async function readScopeLabel(sql: SqlConnection, scope: DrillScope): Promise<string | null> {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'queue':
      return queueLabelOf(await readQueueSegments(sql), scope.id) ?? scope.id;
    case 'team':
      return (await sql.get<{ name: string }>('SELECT name FROM teams WHERE id = ?', [scope.id]))?.name ?? null;
    case 'agent':
      return (await sql.get<{ full_name: string }>('SELECT full_name FROM users WHERE id = ?', [scope.id]))?.full_name ?? null;
  }
}
