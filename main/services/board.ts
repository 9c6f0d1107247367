/**
 * `board:get`: the team lead's live board, read from the central server with the session token.
 * The board is never stored on the workstation, so it needs the link to the server.
 */
import { boardSchema, type Board } from '@gestiona/core/board';
import { AppError } from '@gestiona/core/result';
import type { ServiceContext } from './context.ts';

const BOARD_TIMEOUT_MS = 10_000;

export const BOARD_FORBIDDEN_MESSAGE = 'Solo un supervisor o un administrador puede ver el tablero.';

export async function getBoard(ctx: ServiceContext): Promise<Board> {
  const user = ctx.session.requireUser();
  if (user.role !== 'team-lead' && user.role !== 'admin') throw new AppError('forbidden', BOARD_FORBIDDEN_MESSAGE);
  const token = ctx.session.token();
  if (token === null) throw new AppError('not-authenticated', 'Inicie sesión de nuevo para ver el tablero.');

  const url = new URL('/api/board', ctx.serverUrl);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(BOARD_TIMEOUT_MS) });
  } catch (error) {
    ctx.logger.session.warn({ err: error, userId: user.id }, 'read board: server unreachable');
    throw new AppError('offline', `No hay conexión con el servidor central (${ctx.serverUrl}). El tablero se actualizará cuando vuelva la conexión.`);
  }

  if (response.status === 401) {
    ctx.logger.session.info({ userId: user.id }, 'read board: session rejected');
    throw new AppError('not-authenticated', 'La sesión venció. Cierre sesión e inicie sesión de nuevo para ver el tablero.');
  }
  if (response.status === 403) {
    ctx.logger.session.warn({ userId: user.id }, 'read board: role rejected by the server');
    throw new AppError('forbidden', BOARD_FORBIDDEN_MESSAGE);
  }
  if (!response.ok) {
    ctx.logger.session.error({ userId: user.id, status: response.status }, 'read board: server error');
    throw new AppError('offline', `El servidor central respondió con un error (HTTP ${response.status}). Intente de nuevo en unos minutos.`);
  }

  const parsed = boardSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    // A server that responds 200 with another shape is a deployment mismatch, not the team lead's problem.
    throw new Error(`Board response does not match the contract: ${parsed.error.message}`);
  }
  return parsed.data;
}
