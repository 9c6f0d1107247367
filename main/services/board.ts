/**
 * `board:get` and `alarm:acknowledge`: the team lead's live board and its compliance alarms, read
 * from and written to the central server with the session token. The board is never stored on the
 * workstation, so both need the link to the server.
 */
import { boardDrillSchema, boardSchema, boardTrendsSchema, type Board, type BoardDrill, type BoardDrillFigure, type BoardTrendRange, type BoardTrends } from '@gestiona/core/board';
import { isoInstantSchema } from '@gestiona/core/domain';
import type { IpcArgs, IpcValue } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import type { User } from '@gestiona/core/sync';
import { z } from 'zod';
import type { ServiceContext } from './context.ts';

const BOARD_TIMEOUT_MS = 10_000;

export const BOARD_FORBIDDEN_MESSAGE = 'Solo un supervisor o un administrador puede ver el tablero.';
export const ALARM_FORBIDDEN_MESSAGE = 'Solo un supervisor o un administrador puede marcar una alerta como revisada.';

/** The part of `POST /api/alarms/:id/ack`'s reply that the workstation uses. */
const acknowledgedAlarmSchema = z.object({
  alarm: z.object({ id: z.number().int().positive(), acknowledgedAt: isoInstantSchema, acknowledgedBy: z.string() }),
});

export async function getBoard(ctx: ServiceContext): Promise<Board> {
  const user = requireSupervisor(ctx, BOARD_FORBIDDEN_MESSAGE);
  const response = await callServer(ctx, user, 'GET', '/api/board', 'read board');
  await rejectFailure(ctx, user, response, 'read board', BOARD_FORBIDDEN_MESSAGE);

  const parsed = boardSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    // A server that responds 200 with another shape is a deployment mismatch, not the team lead's problem.
    throw new Error(`Board response does not match the contract: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** Reads the board's chart series for `range` from the server. */
export async function getBoardTrends(ctx: ServiceContext, args: { range: BoardTrendRange }): Promise<BoardTrends> {
  const user = requireSupervisor(ctx, BOARD_FORBIDDEN_MESSAGE);
  const response = await callServer(ctx, user, 'GET', `/api/board/trends?range=${encodeURIComponent(args.range)}`, 'read board trends');
  await rejectFailure(ctx, user, response, 'read board trends', BOARD_FORBIDDEN_MESSAGE);
  const parsed = boardTrendsSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Board trends response does not match the contract: ${parsed.error.message}`);
  return parsed.data;
}

/** Reads the agents and debtors behind one figure of the board from the server. */
export async function getBoardDrill(ctx: ServiceContext, args: { figure: BoardDrillFigure; scope: string }): Promise<BoardDrill> {
  const user = requireSupervisor(ctx, BOARD_FORBIDDEN_MESSAGE);
  const path = `/api/board/drill?figure=${encodeURIComponent(args.figure)}&scope=${encodeURIComponent(args.scope)}`;
  const response = await callServer(ctx, user, 'GET', path, 'read board drill-down');
  if (response.status === 404) {
    const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
    throw new AppError('not-found', typeof body?.error === 'string' ? body.error : 'Ese equipo o agente no está en los equipos que usted supervisa.');
  }
  await rejectFailure(ctx, user, response, 'read board drill-down', BOARD_FORBIDDEN_MESSAGE);
  const parsed = boardDrillSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Board drill-down response does not match the contract: ${parsed.error.message}`);
  return parsed.data;
}

export async function acknowledgeAlarm(ctx: ServiceContext, args: { alarmId: number }): Promise<IpcValue<'alarm:acknowledge'>> {
  const user = requireSupervisor(ctx, ALARM_FORBIDDEN_MESSAGE);
  const response = await callServer(ctx, user, 'POST', `/api/alarms/${args.alarmId}/ack`, 'acknowledge alarm');
  if (response.status === 404) {
    ctx.logger.session.info({ userId: user.id, alarmId: args.alarmId }, 'acknowledge alarm: not found');
    throw new AppError('not-found', `La alerta ${args.alarmId} no existe en el servidor. Actualice el tablero.`);
  }
  await rejectFailure(ctx, user, response, 'acknowledge alarm', ALARM_FORBIDDEN_MESSAGE);

  const parsed = acknowledgedAlarmSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) throw new Error(`Alarm acknowledgement response does not match the contract: ${parsed.error.message}`);
  ctx.logger.session.info({ userId: user.id, alarmId: args.alarmId }, 'acknowledge alarm: done');
  const { alarm } = parsed.data;
  return { alarmId: alarm.id, acknowledgedAt: alarm.acknowledgedAt, acknowledgedBy: alarm.acknowledgedBy };
}

/** The largest export main accepts, in bytes; a day's board of a few hundred agents is far below it. */
const MAX_EXPORT_BYTES = 20 * 1024 * 1024;

const EXPORT_MIME_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * Reads today's board figures as a CSV or XLSX file that the server builds, so that both formats come
 * from one place with the same formula neutralising. The renderer saves the bytes it receives.
 */
export async function exportBoard(ctx: ServiceContext, args: IpcArgs<'board:export'>): Promise<IpcValue<'board:export'>> {
  const user = requireSupervisor(ctx, BOARD_FORBIDDEN_MESSAGE);
  const table = args.table === undefined ? '' : `&table=${args.table}`;
  const response = await callServer(ctx, user, 'GET', `/api/board/export?format=${args.format}${table}`, 'export board');
  await rejectFailure(ctx, user, response, 'export board', BOARD_FORBIDDEN_MESSAGE);

  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length === 0 || bytes.length > MAX_EXPORT_BYTES) {
    throw new Error(`Board export of ${bytes.length} bytes is outside 1..${MAX_EXPORT_BYTES}`);
  }
  const fileName = attachmentName(response.headers.get('content-disposition')) ?? `tablero.${args.format}`;
  ctx.logger.session.info({ userId: user.id, format: args.format, table: args.table ?? 'agents', bytes: bytes.length }, 'export board: done');
  return { fileName, mimeType: EXPORT_MIME_TYPES[args.format], contentBase64: bytes.toString('base64') };
}

/** Returns the plain `filename="…"` of a Content-Disposition header, limited to safe file-name characters. */
function attachmentName(header: string | null): string | null {
  const match = /filename="([A-Za-z0-9._-]{1,100})"/.exec(header ?? '');
  return match ? match[1]! : null;
}

/** Returns the signed-in team lead or administrator; the server checks the role again. */
function requireSupervisor(ctx: ServiceContext, forbiddenMessage: string): User {
  const user = ctx.session.requireUser();
  if (user.role !== 'team-lead' && user.role !== 'admin') throw new AppError('forbidden', forbiddenMessage);
  return user;
}

async function callServer(ctx: ServiceContext, user: User, method: 'GET' | 'POST', path: string, action: string): Promise<Response> {
  const token = ctx.session.token();
  if (token === null) throw new AppError('not-authenticated', 'Inicie sesión de nuevo para ver el tablero.');

  const url = new URL(path, ctx.serverUrl);
  try {
    return await ctx.serverFetch(url, { method, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(BOARD_TIMEOUT_MS) });
  } catch (error) {
    ctx.logger.session.warn({ err: error, userId: user.id }, `${action}: server unreachable`);
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). El tablero se actualizará cuando vuelva la conexión.`);
  }
}

/** Throws the Spanish error for a reply that is not 2xx. */
async function rejectFailure(ctx: ServiceContext, user: User, response: Response, action: string, forbiddenMessage: string): Promise<void> {
  if (response.ok) return;
  // Cancelling the unused body releases the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status === 401) {
    ctx.logger.session.info({ userId: user.id }, `${action}: session rejected`);
    throw new AppError('not-authenticated', 'La sesión venció. Cierre sesión e inicie sesión de nuevo para ver el tablero.');
  }
  if (response.status === 403) {
    ctx.logger.session.warn({ userId: user.id }, `${action}: role rejected by the server`);
    throw new AppError('forbidden', forbiddenMessage);
  }
  ctx.logger.session.error({ userId: user.id, status: response.status }, `${action}: server error`);
  throw new AppError('offline', `El servidor central respondió con un error (HTTP ${response.status}). Intente de nuevo en unos minutos.`);
}
