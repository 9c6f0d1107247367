/**
 * Builds the team lead's board from the stored facts: agent states from each workstation's socket
 * presence and last `state:report`, today's counts per agent, workstation health and the rules that
 * blocked contacts today.
 */
import {
  BOARD_ALARM_CATEGORIES,
  type Board,
  type BoardAgent,
  type BoardAgentState,
  type BoardAlarm,
  type BoardAlarmCategory,
  type BoardRuleCount,
  type BoardWorkstation,
} from '@gestiona/core/board';
import type { PauseReason } from '@gestiona/core/agent-state';
import type { Catalog } from '@gestiona/core/catalog';
import { isoInstantSchema } from '@gestiona/core/domain';
import { BOGOTA_ZONE } from '@gestiona/core/format';
import { assertNever } from '@gestiona/core/result';
import { DateTime } from 'luxon';
import { alarmKindLabel } from '../compliance/labels.ts';
import type { AlarmKind, WorkstationRecord } from '../store/types.ts';
import { reportedDesk } from '../sync/workstation-state.ts';
import { bogotaIso } from './bogota-iso.ts';
import { buildFigures, promisesByCell, type AgentLiveFigures } from './board-figures.ts';
import type { BoardAlarmFacts, BoardFacts, BoardUser, InstantRange, OpenAlarmRow, PromiseRow } from './board-queries.ts';

/** One collator for every sort: `localeCompare` with a locale builds a new one per comparison. */
const ES_CO = new Intl.Collator('es-CO');

/** A typification code that creates a promise to pay, and the field that contains its amount in centavos. */
export interface PromiseCode {
  code: string;
  amountField: string | null;
}

/** The shipped catalog's promise, for a server that has not published a catalog yet. */
const DEFAULT_PROMISE_CODES: readonly PromiseCode[] = [{ code: 'PP', amountField: 'amount' }];

/** Returns the Bogotá calendar day of `now`: its date and its range of UTC instants. */
export function bogotaDay(now: Date): { date: string; range: InstantRange } {
  const start = DateTime.fromJSDate(now).setZone(BOGOTA_ZONE).startOf('day');
  return {
    date: start.toISODate()!,
    range: { start: start.toUTC().toISO()!, end: start.plus({ days: 1 }).toUTC().toISO()! },
  };
}

/** Returns the catalog's codes with the `create-promise` effect, or the shipped `PP` before any catalog is published. */
export function promiseCodesOf(catalog: Catalog | null): readonly PromiseCode[] {
  if (catalog === null) return DEFAULT_PROMISE_CODES;
  return catalog.codes
    .filter((code) => code.effects.includes('create-promise'))
    .map((code) => ({ code: code.code, amountField: code.fields.find((field) => field.type === 'amount')?.name ?? null }));
}

export function buildBoard(facts: BoardFacts, promiseCodes: readonly PromiseCode[], now: Date): Board {
  const day = bogotaDay(now);
  const usersById = new Map(facts.users.map((user) => [user.id, user]));
  const promised = sumPromises(facts.promises, promiseCodes);

  const agentUsers = facts.users.filter((user) => user.role === 'agent' && user.active);
  const amountFields = new Map(promiseCodes.map((code) => [code.code, code.amountField]));
  const live = buildFigures(
    facts,
    agentUsers.map((user) => user.id),
    promisesByCell(facts, (code, fields) => promisedAmount(fields, amountFields.get(code) ?? null)),
  );
  const agents = agentUsers
    .map((user) => agentRow(user, facts, promised.get(user.id), day.range, live.byAgent.get(user.id)))
    .sort((a, b) => ES_CO.compare(a.fullName, b.fullName));

  const workstations = facts.workstations
    .map((record) => workstationRow(record, usersById.get(record.agentId) ?? null))
    .sort((a, b) => Number(b.online) - Number(a.online) || a.workstationId.localeCompare(b.workstationId));

  let decisions = 0;
  let blockedDecisions = 0;
  for (const counts of facts.decisionsByAgent.values()) {
    decisions += counts.decisions;
    blockedDecisions += counts.blocked;
  }

  return {
    date: day.date,
    generatedAt: bogotaIso(now),
    agents,
    workstations,
    compliance: { decisions, blockedDecisions, blockedByRule: countRules(facts.blockedRules) },
    alarms: alarmsSection(facts.alarms),
    figures: live.figures,
  };
}

export function alarmCategory(kind: AlarmKind): BoardAlarmCategory {
  switch (kind) {
    case 'violation':
      return 'violation';
    case 'chain-gap':
    case 'chain-broken':
    case 'chain-edited':
      return 'chain';
    case 'clock':
      return 'clock';
    default:
      return assertNever(kind, 'alarm kind');
  }
}

function alarmsSection(facts: BoardAlarmFacts): Board['alarms'] {
  const counts = new Map<BoardAlarmCategory, number>();
  for (const [kind, count] of facts.lastSevenDaysByKind) {
    const category = alarmCategory(kind);
    counts.set(category, (counts.get(category) ?? 0) + count);
  }
  return {
    open: facts.open.map(alarmRow),
    openTotal: facts.openTotal,
    lastSevenDays: BOARD_ALARM_CATEGORIES.map((category) => ({ category, count: counts.get(category) ?? 0 })),
  };
}

function alarmRow(row: OpenAlarmRow): BoardAlarm {
  return {
    id: row.id,
    kind: row.kind,
    category: alarmCategory(row.kind),
    kindLabel: alarmKindLabel(row.kind),
    message: row.message,
    debtorId: row.debtorId,
    debtorName: row.debtorName,
    workstationId: row.workstationId,
    agentId: row.agentId,
    agentName: row.agentName,
    createdAt: bogotaIso(row.createdAt),
  };
}

function agentRow(
  user: BoardUser,
  facts: BoardFacts,
  promised: { promises: number; cents: number } | undefined,
  today: InstantRange,
  live: AgentLiveFigures | undefined,
): BoardAgent {
  const counts = facts.countsByAgent.get(user.id);
  const decisions = facts.decisionsByAgent.get(user.id);
  const presence = agentPresence(user.id, facts, today);

  return {
    agentId: user.id,
    username: user.username,
    fullName: user.fullName,
    state: presence.state,
    stateSince: presence.since === null ? null : bogotaIso(presence.since),
    workstationId: presence.workstationId,
    pauseReason: presence.pauseReason,
    leasedDebtors: facts.leasedByAgent.get(user.id) ?? 0,
    debtorsWorked: counts?.debtorsWorked ?? 0,
    interactions: counts?.interactions ?? 0,
    rightPartyContacts: counts?.rightPartyContacts ?? 0,
    promises: promised?.promises ?? 0,
    promisedCents: promised?.cents ?? 0,
    decisions: decisions?.decisions ?? 0,
    blockedDecisions: decisions?.blocked ?? 0,
    debtorsPending: live?.debtorsPending ?? 0,
    avgHandleSeconds: live?.avgHandleSeconds ?? null,
    avgWrapUpSeconds: live?.avgWrapUpSeconds ?? null,
    untypified: live?.untypified ?? 0,
    budgetUsedDebtors: live?.budgetUsedDebtors ?? 0,
    promisesDue: live?.promisesDue ?? 0,
    promisesDueCents: live?.promisesDueCents ?? 0,
    promisesBroken: live?.promisesBroken ?? 0,
    promisesBrokenCents: live?.promisesBrokenCents ?? 0,
  };
}

/**
 * Derives the agent's state from the workstations whose last socket was theirs. An open socket means
 * the agent is signed in, and its last report carries the desk state and, from workstations that
 * report it, when that state started. Otherwise the start is read from stored events.
 */
function agentPresence(agentId: string, facts: BoardFacts, today: InstantRange): AgentPresence {
  const own = facts.workstations.filter((record) => record.agentId === agentId);
  const online = own.filter((record) => record.connected && record.state?.agentState !== 'signed-out');
  const latest = facts.latestByAgent.get(agentId);

  if (online.length === 0) {
    const lastSeen = own.reduce<WorkstationRecord | null>((best, record) => (best === null || record.lastSeenAt > best.lastSeenAt ? record : best), null);
    // The disconnection writes `lastSeenAt`, so it is when the agent went offline.
    return { state: 'offline', since: lastSeen?.lastSeenAt ?? null, workstationId: lastSeen?.id ?? null, pauseReason: null };
  }

  const current = online.reduce((best, record) => ((record.stateReportedAt ?? '') > (best.stateReportedAt ?? '') ? record : best));
  const desk = reportedDesk(current.state);
  if (desk?.agentState === 'paused') {
    return { state: 'paused', since: desk.agentStateSince, workstationId: current.id, pauseReason: desk.pauseReason };
  }
  if (desk !== null && desk.agentStateSince !== null) {
    return { state: desk.agentState, since: desk.agentStateSince, workstationId: current.id, pauseReason: null };
  }

  const typifiedAt = latest?.lastTypifiedAt ?? null;
  if (desk?.agentState === 'wrap-up' || desk?.agentState === 'on-call') {
    // The contact started with the dial, whose allowed decision comes after the last typification.
    const dialedAt = latest?.lastAllowedDecisionAt ?? null;
    const since = dialedAt !== null && (typifiedAt === null || dialedAt > typifiedAt) ? dialedAt : null;
    return { state: desk.agentState, since, workstationId: current.id, pauseReason: null };
  }

  // NOTE: a reconnection after the last typification is not stored, so an agent who went offline
  // and came back shows as available since that typification. Before today's first one, unknown.
  const since = typifiedAt !== null && typifiedAt >= today.start ? typifiedAt : null;
  return { state: 'available', since, workstationId: current.id, pauseReason: null };
}

interface AgentPresence {
  state: BoardAgentState;
  /** ISO instant, UTC from the store or with an offset from a report; null when unknown. */
  since: string | null;
  workstationId: string | null;
  pauseReason: PauseReason | null;
}

function workstationRow(record: WorkstationRecord, user: BoardUser | null): BoardWorkstation {
  const state = record.state;
  const pending = state?.pending;
  const clockTrusted = state?.clockTrusted;
  return {
    workstationId: record.id,
    userId: record.agentId,
    userName: user?.fullName ?? null,
    online: record.connected,
    pending: typeof pending === 'number' && Number.isSafeInteger(pending) && pending >= 0 ? pending : null,
    oldestPendingAt: reportedInstant(state?.oldestPendingAt),
    lastSyncAt: reportedInstant(state?.lastSyncAt),
    lastSeenAt: bogotaIso(record.lastSeenAt),
    clockTrusted: typeof clockTrusted === 'boolean' ? clockTrusted : null,
  };
}

/** Converts a reported ISO instant to Bogotá time. Anything else becomes null, because the report is free-form. */
function reportedInstant(value: unknown): string | null {
  const parsed = isoInstantSchema.safeParse(value);
  return parsed.success ? bogotaIso(parsed.data) : null;
}

function sumPromises(rows: readonly PromiseRow[], promiseCodes: readonly PromiseCode[]): Map<string, { promises: number; cents: number }> {
  const amountFields = new Map(promiseCodes.map((code) => [code.code, code.amountField]));
  const totals = new Map<string, { promises: number; cents: number }>();
  for (const row of rows) {
    const total = totals.get(row.agentId) ?? { promises: 0, cents: 0 };
    total.promises += 1;
    total.cents += promisedAmount(row.fields, amountFields.get(row.code) ?? null);
    totals.set(row.agentId, total);
  }
  return totals;
}

export function promisedAmount(fieldsJson: string, amountField: string | null): number {
  if (amountField === null) return 0;
  const fields: unknown = JSON.parse(fieldsJson);
  if (typeof fields !== 'object' || fields === null) return 0;
  const amount: unknown = (fields as Record<string, unknown>)[amountField];
  return typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 ? amount : 0;
}

export function countRules(blockedRules: readonly string[]): BoardRuleCount[] {
  const counts = new Map<string, number>();
  for (const json of blockedRules) {
    const rules: unknown = JSON.parse(json);
    if (!Array.isArray(rules)) continue;
    for (const rule of new Set(rules.filter((item): item is string => typeof item === 'string'))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule, 'en', { numeric: true }));
}
