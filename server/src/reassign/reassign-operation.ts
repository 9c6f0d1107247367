/**
 * Reassignments requested from the board. The request closes the current holder's lease (a
 * `debtor.remove` to its workstations) and grants the new agent a lease that waits for its
 * handover (`leases/handover.ts`): the new agent's workstation gets the debtor through its feed
 * once every workstation of the previous holder acknowledged the removal, or at the latest on the
 * first Bogotá day after the previous lease's expiry. So two agents never hold the debtor on the
 * same day. The request and its state are kept in `reassignments`.
 */
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import type { BoardReassignment } from '@gestiona/core/board';
import { AppError } from '@gestiona/core/result';
import { handoverByExpiry, handoverState } from '../leases/handover.ts';
import { releaseWaitsFor } from '../store/lease-release-operation.ts';
import * as leaseOperations from '../store/lease-operations.ts';
import type { SqlConnection } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import { LED_AGENT_IDS_SQL } from '../store/teams.ts';
import type { LeaseRecord } from '../store/types.ts';
import type { WriteContext } from '../store/write-context.ts';
import { ReassignmentsTable, type ReassignmentQuery, type StoredReassignment } from './reassignments-table.ts';

/** Maximum debtors one request may move. A team lead moves a handful at a time from the board. */
export const MAX_REASSIGN_DEBTORS = 200;

export interface ReassignmentInput {
  debtorIds: readonly string[];
  toAgentId: string;
  /** The team lead or administrator who sends the request. */
  requestedBy: string;
  /** The team lead's user id, which limits debtors and agents to the teams they lead; undefined for an administrator. */
  ledBy: string | undefined;
  now: Date;
}

/**
 * Records the reassignment of each debtor to the agent, all or none: any debtor that cannot move
 * (unknown, outside the lead's teams, already pending, already the agent's) throws an `AppError`
 * naming it, and nothing is stored. Returns the ids of the new rows, in the order of `debtorIds`.
 */
export async function requestReassignments(sql: SqlConnection, tables: Tables, context: WriteContext, input: ReassignmentInput): Promise<number[]> {
  const debtorIds = [...new Set(input.debtorIds)];
  if (debtorIds.length === 0) throw new AppError('invalid-input', 'Elija al menos un deudor para reasignar.');
  if (debtorIds.length > MAX_REASSIGN_DEBTORS) {
    throw new AppError('invalid-input', `Se pueden reasignar hasta ${MAX_REASSIGN_DEBTORS} deudores a la vez; eligió ${debtorIds.length}.`);
  }

  const target = await tables.users.getActiveAgent(input.toAgentId);
  if (!target || (input.ledBy !== undefined && !(await isLedAgent(sql, input.toAgentId, input.ledBy)))) {
    throw new AppError('not-found', `El agente ${input.toAgentId} no existe, no está activo o no pertenece a los equipos que usted supervisa. Elija un agente de sus equipos.`);
  }

  const table = new ReassignmentsTable(sql);
  const ids: number[] = [];
  for (const debtorId of debtorIds) {
    const open = await checkMovable(sql, tables, table, debtorId, input, target.fullName);
    await leaseOperations.releaseLease(tables, context, debtorId, input.now, 'reassigned');
    const next = await leaseOperations.grantLease(tables, context, debtorId, target.id, input.now);
    ids.push(
      await table.insert({
        debtorId,
        fromAgentId: open?.agentId ?? null,
        fromLeaseId: open?.id ?? null,
        toAgentId: target.id,
        toLeaseId: next.id,
        requestedBy: input.requestedBy,
        requestedAt: input.now,
      }),
    );
  }
  return ids;
}

/** Throws when the debtor cannot move to the target agent; returns its open lease (possibly past its expiry), or null. */
async function checkMovable(
  sql: SqlConnection,
  tables: Tables,
  table: ReassignmentsTable,
  debtorId: string,
  input: ReassignmentInput,
  targetName: string,
): Promise<LeaseRecord | null> {
  if (!(await tables.debtors.exists(debtorId))) throw new AppError('not-found', `El deudor ${debtorId} no existe. Revise el identificador (TIPO-NÚMERO).`);

  const open = await tables.leases.openLease(debtorId);
  if (input.ledBy !== undefined && !(await isLedDebtor(sql, debtorId, open, input.ledBy))) {
    throw new AppError('not-found', `El deudor ${debtorId} no está asignado a un agente de los equipos que usted supervisa.`);
  }
  if (!open) return null;

  const history = await tables.leases.historyOf(debtorId);
  const earlier = history.filter((record) => record.id < open.id);
  if (handoverState(earlier, open).waitsUntil !== null && open.expiresAt > input.now.toISOString()) {
    const pending = await table.byToLease(open.id);
    const since = pending ? ` desde el ${formatDateTime(pending.requestedAt)}` : '';
    throw new AppError(
      'conflict',
      `El deudor ${debtorId} ya está pendiente de reasignación a ${pending?.toAgentName ?? 'otro agente'}${since}. Espere a que se complete antes de reasignarlo de nuevo.`,
    );
  }
  if (open.agentId === input.toAgentId && open.expiresAt > input.now.toISOString()) {
    throw new AppError('conflict', `El deudor ${debtorId} ya está asignado a ${targetName}. Elija otro agente.`);
  }
  return open;
}

async function isLedAgent(sql: SqlConnection, agentId: string, leadId: string): Promise<boolean> {
  const row = await sql.get(`SELECT user_id FROM team_members WHERE user_id = ? AND user_id IN (${LED_AGENT_IDS_SQL})`, [agentId, leadId]);
  return row !== undefined;
}

/** Returns whether the debtor's open lease is of a led agent, or, without one, whether any of its leases was. */
async function isLedDebtor(sql: SqlConnection, debtorId: string, open: LeaseRecord | null, leadId: string): Promise<boolean> {
  if (open) return isLedAgent(sql, open.agentId, leadId);
  const row = await sql.get(`SELECT id FROM leases WHERE debtor_id = ? AND agent_id IN (${LED_AGENT_IDS_SQL}) LIMIT 1`, [debtorId, leadId]);
  return row !== undefined;
}

/** Returns the reassignments that match the query, newest first, each with its state at `now`. */
export async function listReassignments(sql: SqlConnection, tables: Tables, query: ReassignmentQuery, now: Date): Promise<BoardReassignment[]> {
  const stored = await new ReassignmentsTable(sql).list(query);
  const histories = new Map<string, LeaseRecord[]>();
  const result: BoardReassignment[] = [];
  for (const reassignment of stored) {
    let history = histories.get(reassignment.debtorId);
    if (history === undefined) {
      history = await tables.leases.historyOf(reassignment.debtorId);
      histories.set(reassignment.debtorId, history);
    }
    result.push(await reassignmentStatus(tables, reassignment, history, now));
  }
  return result;
}

/**
 * Reads the state of one reassignment from the debtor's leases. The new lease was sent at once when
 * no handover was due at its grant. Otherwise `sendWaitingLease` replaced it, at the handover, by a
 * lease of the same agent (closed as `renewed`). A new lease that ended in another way never
 * reached the agent, so the reassignment was cancelled.
 */
export async function reassignmentStatus(tables: Tables, reassignment: StoredReassignment, history: readonly LeaseRecord[], now: Date): Promise<BoardReassignment> {
  const toLease = history.find((record) => record.id === reassignment.toLeaseId);
  if (!toLease) throw new Error(`Reassignment ${reassignment.id} names lease ${reassignment.toLeaseId}, which is not in the history of debtor ${reassignment.debtorId}`);
  const earlier = history.filter((record) => record.id < toLease.id);
  const state = handoverState(earlier, toLease);

  const base = {
    id: reassignment.id,
    debtorId: reassignment.debtorId,
    debtorName: reassignment.debtorName,
    fromAgentId: reassignment.fromAgentId,
    fromAgentName: reassignment.fromAgentName,
    toAgentId: reassignment.toAgentId,
    toAgentName: reassignment.toAgentName,
    requestedByName: reassignment.requestedByName,
    requestedAt: toBogotaIso(reassignment.requestedAt),
  };
  const settled = { pendingReason: null, waitsUntil: null, waitingWorkstations: [] };

  if (state.waitsUntil === null) return { ...base, ...settled, state: 'done', completedAt: toBogotaIso(toLease.grantedAt) };
  const replacement = history.find((record) => record.id > toLease.id && record.agentId === toLease.agentId && record.grantedAt === toLease.releasedAt);
  if (toLease.releaseReason === 'renewed' && replacement) return { ...base, ...settled, state: 'done', completedAt: toBogotaIso(replacement.grantedAt) };
  if (toLease.releasedAt !== null || toLease.expiresAt <= now.toISOString()) return { ...base, ...settled, state: 'cancelled', completedAt: null };

  const previous = state.lastAnnounced!;
  const waitingWorkstations = await releaseWaitsFor(tables, previous, history);
  const byExpiry = handoverByExpiry(previous);
  return {
    ...base,
    state: 'pending',
    completedAt: null,
    pendingReason: pendingReasonText({ waitingWorkstations, previousExpiresAt: previous.expiresAt, handoverAt: byExpiry, toAgentName: reassignment.toAgentName }),
    waitsUntil: toBogotaIso(byExpiry),
    waitingWorkstations,
  };
}

/** Spanish text of what a pending reassignment waits for, with Bogotá dates (dd/mm/aaaa hh:mm). */
export function pendingReasonText(facts: { waitingWorkstations: readonly string[]; previousExpiresAt: string; handoverAt: Date; toAgentName: string }): string {
  const expiry = `la asignación anterior vence el ${formatDateTime(facts.previousExpiresAt)}, y el deudor pasa a ${facts.toAgentName} el ${formatDateTime(facts.handoverAt.toISOString())}`;
  if (facts.waitingWorkstations.length === 0) return `Pendiente de reasignación: ${expiry}.`;
  const stations =
    facts.waitingWorkstations.length === 1 ? `la estación ${facts.waitingWorkstations[0]} libere` : `las estaciones ${facts.waitingWorkstations.join(', ')} liberen`;
  return `Pendiente de reasignación: se espera a que ${stations} al deudor. Si no se conecta, ${expiry}.`;
}

export type { ReassignmentQuery, StoredReassignment } from './reassignments-table.ts';
