/**
 * `GET /api/board`: the live board of today (Bogotá) for team leads and administrators, and
 * `GET /api/board/export?format=csv|xlsx[&table=agents|queues]`: its figures as a file; `GET /api/board/trends` and
 * `GET /api/board/drill`: the charts and the rows behind a figure, scoped like the board.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BOARD_DRILL_FIGURES, boardDrillFigureSchema, boardDrillScopeSchema, boardTrendRangeSchema, type Board } from '@gestiona/core/board';
import type { User } from '@gestiona/core/sync';
import { findLiveSession } from '../auth/login.ts';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { ledByOf } from '../compliance/supervisor-auth.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import {
  BOARD_EXPORT_FORMATS,
  BOARD_EXPORT_TABLES,
  boardCsv,
  boardExportFileName,
  boardQueueCsv,
  boardXlsx,
  type BoardExportFormat,
  type BoardExportTable,
} from './board-export.ts';
import { parseDrillScope, readDrill, readScopeLabel, type DrillScope } from './board-drill.ts';
import { buildTrends, readTrendRows, trendRange } from './board-trends.ts';
import { bogotaDay, buildBoard, promiseCodesOf } from './build-board.ts';

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.~+/=-]{20,200})$/;

export const BOARD_FORBIDDEN_MESSAGE = 'Solo un supervisor o un administrador puede ver el tablero.';

export function registerBoardRoute(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/board', async (request, reply) => {
    const at = now();
    const user = await requireBoardUser(store, request, reply, at, logger);
    if (!user) return reply;

    const board = await readBoard(store, at, ledByOf(user));
    logger.debug({ userId: user.id, agents: board.agents.length, workstations: board.workstations.length }, 'read board: done');
    return board;
  });

  app.get('/api/board/export', async (request, reply) => {
    const at = now();
    const user = await requireBoardUser(store, request, reply, at, logger);
    if (!user) return reply;

    const query = (request.query as Record<string, unknown> | undefined) ?? {};
    const format = query.format;
    if (!BOARD_EXPORT_FORMATS.includes(format as BoardExportFormat)) {
      logger.info({ userId: user.id, format: String(format) }, 'export board: rejected format');
      return reply.code(400).send({ error: `Formato de exportación no válido: "${String(format)}". Use format=csv o format=xlsx.` });
    }
    const table = query.table ?? 'agents';
    if (!BOARD_EXPORT_TABLES.includes(table as BoardExportTable)) {
      logger.info({ userId: user.id, table: String(table) }, 'export board: rejected table');
      return reply.code(400).send({ error: `Tabla de exportación no válida: "${String(table)}". Use table=agents o table=queues.` });
    }

    const board = await readBoard(store, at, ledByOf(user));
    const fileName = boardExportFileName(board, format as BoardExportFormat, table as BoardExportTable);
    logger.info({ userId: user.id, format, table, agents: board.agents.length, queues: board.figures.queues.length }, 'export board: done');
    void reply.header('content-disposition', `attachment; filename="${fileName}"`);
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(table === 'queues' ? boardQueueCsv(board) : boardCsv(board));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await boardXlsx(board));
  });

  app.get('/api/board/trends', async (request, reply) => {
    const at = now();
    const user = await requireBoardUser(store, request, reply, at, logger);
    if (!user) return reply;

    const range = boardTrendRangeSchema.safeParse((request.query as Record<string, unknown> | undefined)?.range);
    if (!range.success) return reply.code(400).send({ error: 'Rango no válido. Use range=today o range=30d.' });
    const { catalog } = await store.currentContent();
    const codes = promiseCodesOf(catalog).map((code) => code.code);
    const rows = await store.readBoardView((sql) => readTrendRows(sql, trendRange(range.data, at).instants, codes, ledByOf(user)));
    logger.debug({ userId: user.id, range: range.data, hours: rows.length }, 'read board trends: done');
    return buildTrends(range.data, rows, at);
  });

  app.get('/api/board/drill', async (request, reply) => {
    const at = now();
    const user = await requireBoardUser(store, request, reply, at, logger);
    if (!user) return reply;

    const query = (request.query as Record<string, unknown> | undefined) ?? {};
    const figure = boardDrillFigureSchema.safeParse(query.figure);
    const scopeText = boardDrillScopeSchema.safeParse(query.scope ?? 'all');
    if (!figure.success || !scopeText.success) {
      return reply.code(400).send({ error: `Cifra o alcance no válido. Use figure=${BOARD_DRILL_FIGURES.join('|')} y scope=all, team:ID, queue:SEGMENTO o agent:ID.` });
    }
    const ledBy = ledByOf(user);
    const scope = parseDrillScope(scopeText.data);
    if (ledBy !== undefined && !(await isScopeLedBy(store, scope, ledBy))) {
      logger.info({ userId: user.id, scope: scopeText.data }, 'read board drill-down: scope outside the lead\'s teams');
      return reply.code(404).send({ error: 'Ese equipo o agente no está en los equipos que usted supervisa.' });
    }
    const { catalog } = await store.currentContent();
    const drill = await store.readBoardView(async (sql) =>
      readDrill(sql, {
        figure: figure.data,
        scope: scopeText.data,
        scopeLabel: await readScopeLabel(sql, scope),
        day: bogotaDay(at).range,
        now: at,
        promiseCodes: promiseCodesOf(catalog),
        ledBy,
      }),
    );
    logger.debug({ userId: user.id, figure: figure.data, debtors: drill.debtorsTotal }, 'read board drill-down: done');
    return drill;
  });
}

/** Whether a team lead may look into a scope: a team they lead, or an agent of one. */
async function isScopeLedBy(store: ServerStore, scope: DrillScope, leadId: string): Promise<boolean> {
  if (scope.kind === 'all' || scope.kind === 'queue') return true;
  const led = new Set(await store.teamIdsLedBy(leadId));
  if (scope.kind === 'team') return led.has(scope.id);
  return (await store.teamIdsOfAgents([scope.id])).some((teamId) => led.has(teamId));
}

/**
 * Builds the board of the Bogotá day of `now` from what the store holds. With `ledBy` (a team
 * lead's user id), agents, workstations, alarms and figures cover only the teams that user leads.
 */
export async function readBoard(store: ServerStore, now: Date, ledBy?: string): Promise<Board> {
  const { catalog } = await store.currentContent();
  const promiseCodes = promiseCodesOf(catalog);
  const facts = await store.readBoardFacts(
    bogotaDay(now).range,
    promiseCodes.map((code) => code.code),
    now,
    ledBy,
  );
  return buildBoard(facts, promiseCodes, now);
}

/**
 * Returns the user when the request carries a live team-lead or admin session. Otherwise sends 401
 * (no, unknown or expired token) or 403 (an agent's token) and returns null.
 */
async function requireBoardUser(store: ServerStore, request: FastifyRequest, reply: FastifyReply, now: Date, logger: Logger): Promise<User | null> {
  const match = BEARER_PATTERN.exec(request.headers.authorization ?? '');
  if (!match) {
    logger.info('read board: rejected missing token');
    await reply.code(401).send({ error: 'Falta la sesión: envíe el token de inicio de sesión en el encabezado "Authorization: Bearer TOKEN".' });
    return null;
  }
  const session = await findLiveSession(store, match[1]!, now);
  if (!session) {
    logger.info('read board: rejected unknown or expired session');
    await reply.code(401).send({ error: 'La sesión no existe o venció. Inicie sesión de nuevo.' });
    return null;
  }
  if (session.user.role !== 'team-lead' && session.user.role !== 'admin') {
    logger.warn({ userId: session.user.id, role: session.user.role }, 'read board: rejected role');
    await reply.code(403).send({ error: BOARD_FORBIDDEN_MESSAGE });
    return null;
  }
  return session.user;
}
