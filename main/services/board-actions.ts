/**
 * The team lead's actions on the board, done on the central server with the session token:
 * `board:actions` (pending reassignments and offline alerts), `board:debtors`, `board:reassign`,
 * `board:debtor-timeline`, `board:pause-agent` and `board:resume-agent`. Nothing of it is stored
 * on the workstation, so each needs the link to the server.
 */
import { boardActionsSchema, boardDebtorSchema, boardReassignmentSchema, debtorTimelineSchema, remotePauseResultSchema } from '@gestiona/core/board';
import type { IpcArgs, IpcValue } from '@gestiona/core/ipc';
import { AppError, type ErrorCode } from '@gestiona/core/result';
import type { User } from '@gestiona/core/sync';
import { z } from 'zod';
import type { ServiceContext } from './context.ts';

/** Longer than the server's wait for a paused workstation's acknowledgement (5 s). */
const ACTION_TIMEOUT_MS = 15_000;

export const BOARD_ACTIONS_FORBIDDEN_MESSAGE = 'Solo un supervisor o un administrador puede actuar desde el tablero.';

/** The statuses whose Spanish `{ error }` the server writes for the team lead, and the code each becomes. */
const ERROR_CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = { 400: 'invalid-input', 404: 'not-found', 409: 'conflict', 504: 'offline' };

const errorBodySchema = z.object({ error: z.string() });

export async function getBoardActions(ctx: ServiceContext): Promise<IpcValue<'board:actions'>> {
  return request(ctx, 'GET', '/api/board/actions', undefined, 'read board actions', boardActionsSchema);
}

export async function listBoardDebtors(ctx: ServiceContext, args: IpcArgs<'board:debtors'>): Promise<IpcValue<'board:debtors'>> {
  const query = new URLSearchParams();
  if (args.agentId !== undefined) query.set('agentId', args.agentId);
  if (args.query !== undefined && args.query.trim() !== '') query.set('q', args.query.trim());
  const reply = await request(ctx, 'GET', `/api/board/debtors?${query.toString()}`, undefined, 'list board debtors', z.object({ debtors: z.array(boardDebtorSchema) }));
  return reply.debtors;
}

export async function reassignDebtors(ctx: ServiceContext, args: IpcArgs<'board:reassign'>): Promise<IpcValue<'board:reassign'>> {
  const reply = await request(ctx, 'POST', '/api/board/reassignments', args, 'reassign debtors', z.object({ reassignments: z.array(boardReassignmentSchema) }));
  return reply.reassignments;
}

export async function getDebtorTimeline(ctx: ServiceContext, args: IpcArgs<'board:debtor-timeline'>): Promise<IpcValue<'board:debtor-timeline'>> {
  return request(ctx, 'GET', `/api/board/debtors/${encodeURIComponent(args.debtorId)}/timeline`, undefined, 'read debtor timeline', debtorTimelineSchema);
}

export async function pauseAgentRemotely(ctx: ServiceContext, args: IpcArgs<'board:pause-agent'>): Promise<IpcValue<'board:pause-agent'>> {
  return request(ctx, 'POST', `/api/board/agents/${encodeURIComponent(args.agentId)}/pause`, { reason: args.reason }, 'pause agent remotely', remotePauseResultSchema);
}

export async function resumeAgentRemotely(ctx: ServiceContext, args: IpcArgs<'board:resume-agent'>): Promise<IpcValue<'board:resume-agent'>> {
  return request(ctx, 'POST', `/api/board/agents/${encodeURIComponent(args.agentId)}/resume`, undefined, 'resume agent remotely', remotePauseResultSchema);
}

/** Calls the server as the signed-in team lead or administrator and parses a 2xx reply with `schema`. */
async function request<T>(ctx: ServiceContext, method: 'GET' | 'POST', path: string, body: unknown, action: string, schema: z.ZodType<T>): Promise<T> {
  const user = requireSupervisor(ctx);
  const token = ctx.session.token();
  if (token === null) throw new AppError('not-authenticated', 'Inicie sesión de nuevo para actuar desde el tablero.');

  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await ctx.serverFetch(new URL(path, ctx.serverUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(ACTION_TIMEOUT_MS),
    });
  } catch (error) {
    ctx.logger.session.warn({ err: error, userId: user.id }, `${action}: server unreachable`);
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). Intente de nuevo cuando vuelva la conexión.`);
  }

  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) throw failure(ctx, user, response.status, json, action);
  const parsed = schema.safeParse(json);
  // A server that replies 2xx with another shape is a deployment mismatch, not the team lead's problem.
  if (!parsed.success) throw new Error(`${action}: response does not match the contract: ${parsed.error.message}`);
  ctx.logger.session.info({ userId: user.id }, `${action}: done`);
  return parsed.data;
}

/** Returns the Spanish error for a reply that is not 2xx. */
function failure(ctx: ServiceContext, user: User, status: number, json: unknown, action: string): AppError {
  if (status === 401) {
    ctx.logger.session.info({ userId: user.id }, `${action}: session rejected`);
    return new AppError('not-authenticated', 'La sesión venció. Cierre sesión e inicie sesión de nuevo para actuar desde el tablero.');
  }
  if (status === 403) {
    ctx.logger.session.warn({ userId: user.id }, `${action}: role rejected by the server`);
    return new AppError('forbidden', BOARD_ACTIONS_FORBIDDEN_MESSAGE);
  }
  const code = ERROR_CODE_BY_STATUS[status];
  const message = errorBodySchema.safeParse(json);
  if (code !== undefined && message.success) {
    ctx.logger.session.info({ userId: user.id, status }, `${action}: rejected by the server`);
    return new AppError(code, message.data.error);
  }
  ctx.logger.session.error({ userId: user.id, status }, `${action}: server error`);
  return new AppError('offline', `El servidor central respondió con un error (HTTP ${status}). Intente de nuevo en unos minutos.`);
}

/** Returns the signed-in team lead or administrator; the server checks the role again. */
function requireSupervisor(ctx: ServiceContext): User {
  const user = ctx.session.requireUser();
  if (user.role !== 'team-lead' && user.role !== 'admin') throw new AppError('forbidden', BOARD_ACTIONS_FORBIDDEN_MESSAGE);
  return user;
}
